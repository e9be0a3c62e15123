"""What a report page shows (titled tables and line charts), re-exported for pages: no page imports the PDFs'
package or a service module."""

from __future__ import annotations

from desktop.tickets.reports.chart import nice_top
from desktop.tickets.reports.model import ChartSeries, ReportChart, ReportDocument, ReportTable

__all__ = ["ChartSeries", "ReportChart", "ReportDocument", "ReportTable", "nice_top"]
