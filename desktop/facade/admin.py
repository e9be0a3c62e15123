"""Administration: facility and interface settings, users and roles, catalog, CMS data, audit trail."""

from __future__ import annotations

from desktop.facade.desk import Desk


class AdminDoor:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk
