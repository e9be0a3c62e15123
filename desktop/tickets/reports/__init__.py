"""Report PDFs (reconciliation, waste, 340B): generic tables and a chart in, deterministic PDF bytes out."""

from desktop.tickets.reports.model import ChartSeries, ReportChart, ReportDocument, ReportTable
from desktop.tickets.reports.render import render_report

__all__ = ["ChartSeries", "ReportChart", "ReportDocument", "ReportTable", "render_report"]
