"""The facility's time zone and default 340B source as plain values, light enough for the chair screen to import
at start (the settings service itself loads the database and ticket layers)."""

from __future__ import annotations

import functools
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@functools.cache  # read once per program: the system's zone does not move under a running chair
def workstation_time_zone() -> str:
    """This computer's IANA time zone name (e.g. America/Chicago); UTC when the system does not say."""
    try:
        import tzlocal

        name = tzlocal.get_localzone_name()
    except Exception:  # an unreadable system setting must not stop the program: UTC, and the setting says so
        return "UTC"
    return name if name and zone_problem(name) is None else "UTC"


def zone_problem(name: object) -> str | None:
    """Why `name` is not a usable IANA time zone, in words; None when it is one."""
    if not isinstance(name, str) or not name.strip():
        return "The time zone is required (an IANA name such as America/Chicago)."
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return f"{name!r} is not a time zone name (use an IANA name such as America/Chicago)."
    return None


class Stock340b(StrEnum):
    """What the chair answers for a new vial's 340B source until the nurse says otherwise."""

    ASK = "ask"  # no default: the nurse answers for every vial
    STOCK_340B = "340b"  # this site's stock is 340B-acquired
    NON_340B = "non_340b"  # this site's stock is not 340B-acquired

    @property
    def words(self) -> str:
        return {Stock340b.ASK: "ask for every vial", Stock340b.STOCK_340B: "340B stock",
                Stock340b.NON_340B: "non-340B stock"}[self]
