"""What a report page shows (titled tables and line charts), re-exported for pages: no page imports the PDFs'
package or a service module."""

from __future__ import annotations

from desktop.report_pdfs.report_document import ChartSeries, ReportChart, ReportDocument, ReportTable
from desktop.report_pdfs.waste_chart import nice_top

__all__ = ["ChartSeries", "ReportChart", "ReportDocument", "ReportTable", "nice_top"]
