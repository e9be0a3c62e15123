"""The chair: the live preview, today's visit of a patient, record and correct a drug."""

from __future__ import annotations

from desktop.facade.desk import Desk


class ChairDoor:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk
