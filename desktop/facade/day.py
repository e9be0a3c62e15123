"""Today: the day's visits and drugs, voids, tickets and the day's batch."""

from __future__ import annotations

from desktop.facade.desk import Desk


class DayDoor:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk
