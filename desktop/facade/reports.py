"""Reports: reconciliation, waste, 340B, on screen and as PDFs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.facade.desk import Desk

if TYPE_CHECKING:
    from desktop.facade.reports_types import ReportDocument

Progress = Callable[[int, int], None]


class ReportsDoor:
    """What charge entry and administrators read; every method is a blocking call for a worker thread."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def document(self, kind: str, date_from: dt.date, date_to: dt.date) -> ReportDocument:
        """The report `kind` (reconciliation | waste | 340b) of those dates of service, for the screen or a PDF."""
        from desktop.services.charge_reports.reports import report_document

        return report_document(self.desk.store, kind, date_from, date_to, user=self.desk.user)

    def save_pdf(self, document: ReportDocument, path: Path, progress: Progress | None = None) -> Path:
        """The document as a PDF at `path` (0600: it names patients). A cancel (through `progress`) before the
        file is written leaves no file."""
        from desktop.services.charge_reports.reports import report_pdf
        from desktop.services.storage.private_output import save_private

        if progress is not None:
            progress(0, 2)
        data = report_pdf(document)
        if progress is not None:
            progress(1, 2)  # the last point a cancel is heard: the file is then written whole or not at all
        return save_private(path, data)
