"""Exports for billing systems: HL7 DFT^P03, FHIR ChargeItem, the charge file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.facade.desk import Desk

if TYPE_CHECKING:
    from desktop.facade.exports_types import ExportFormat, ExportResult

Progress = Callable[[int, int], None]


class ExportsDoor:
    """Files for the billing system, each an export run recorded with who, when, how many and its SHA-256."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def to_file(self, export_format: ExportFormat, path: Path, *, preview: tuple[dt.date, dt.date] | None = None,
                progress: Progress | None = None) -> ExportResult:
        """What is new since the last run (or, with `preview`, every line of those dates, not for billing), written
        to `path` (0600: it names patients). The file is written before the run is recorded, so a file that could
        not be written sends nothing, and a file whose run was not recorded is removed. A cancel (through
        `progress`) is heard until the file is written, and rolls the run back."""
        from desktop.services.billing_exports.exports import ExportScope, export_dates, export_since_last
        from desktop.services.storage.private_output import save_private

        store, user = self.desk.store, self.desk.user
        written: list[Path] = []

        def deliver(text: str) -> None:
            if progress is not None:
                progress(1, 2)  # the run is built: the last moment a cancel rolls it back whole
            save_private(path, text)
            written.append(path)

        if progress is not None:
            progress(0, 2)
        try:
            if preview is not None:
                start, end = preview
                return export_dates(store, export_format, start, end, ExportScope.ALL, user=user, deliver=deliver)
            return export_since_last(store, export_format, user=user, deliver=deliver)
        except Exception:
            for done in written:  # written, but the run was not recorded: a file never to send
                done.unlink(missing_ok=True)
            raise
