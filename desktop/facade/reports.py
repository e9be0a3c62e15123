"""Reports: waste, 340B, the day's charges, and their PDFs."""

from __future__ import annotations

from desktop.facade.desk import Desk


class ReportsDoor:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk
