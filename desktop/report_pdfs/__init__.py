"""Report PDFs (reconciliation, waste, 340B): generic tables and a chart in, deterministic PDF bytes out."""

from desktop.report_pdfs.report_document import ChartSeries, ReportChart, ReportDocument, ReportTable
from desktop.report_pdfs.report_pdf import render_report

__all__ = ["ChartSeries", "ReportChart", "ReportDocument", "ReportTable", "render_report"]
