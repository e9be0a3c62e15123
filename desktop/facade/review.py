"""The review queue: pages of visits, verify, hold, release, post, correct, void."""

from __future__ import annotations

from desktop.facade.desk import Desk


class ReviewDoor:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk
