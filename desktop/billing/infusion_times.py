"""Infusion times as instants: ordering, overlap and words, never converting (no overflow at year 1)."""

from __future__ import annotations

import contextlib
import datetime as dt

from desktop.billing.model import Administration

_ORIGIN = dt.datetime(1, 1, 1)


def instant(moment: dt.datetime) -> dt.timedelta:
    """A moment as time since 0001-01-01 UTC: comparable across offsets and DST, pure timedelta arithmetic."""
    return (moment.replace(tzinfo=None) - _ORIGIN) - (moment.utcoffset() or dt.timedelta(0))


def timed(adm: Administration) -> bool:
    return adm.infusion_start is not None and adm.infusion_stop is not None


def interval(adm: Administration) -> tuple[dt.timedelta, dt.timedelta] | None:
    if adm.infusion_start is None or adm.infusion_stop is None:
        return None
    return instant(adm.infusion_start), instant(adm.infusion_stop)


def overlap_seconds(a: Administration, b: Administration) -> int:
    """Seconds during which both ran (0 when either has no times)."""
    first, second = interval(a), interval(b)
    if first is None or second is None:
        return 0
    start, stop = max(first[0], second[0]), min(first[1], second[1])
    return max(int((stop - start).total_seconds()), 0)


def overlapping(a: Administration, b: Administration) -> bool:
    return overlap_seconds(a, b) > 0


def span_words(adm: Administration, zone: dt.tzinfo | None = None) -> str:
    """"09:00-09:30" in the times' own offsets (or in `zone`, to compare with another drug's), else "60 min",
    else "no times"."""
    if adm.infusion_start is not None and adm.infusion_stop is not None:
        start, stop = adm.infusion_start, adm.infusion_stop
        if zone is not None:
            with contextlib.suppress(OverflowError, ValueError):  # at the calendar's edge: shown as written
                start, stop = start.astimezone(zone), stop.astimezone(zone)
        return f"{start:%H:%M}-{stop:%H:%M}"
    if adm.infusion_start is not None:
        return f"from {adm.infusion_start:%H:%M}"
    minutes = adm.minutes
    return "no times" if minutes is None else f"{minutes} min"


def order_key(adm: Administration, index: int) -> tuple[int, dt.timedelta, int]:
    """Chronological order: timed administrations by start, then the rest in the order recorded."""
    if adm.infusion_start is None:
        return (1, dt.timedelta(0), index)
    return (0, instant(adm.infusion_start), index)


def covered_seconds(adm: Administration, others: list[Administration]) -> int:
    """Seconds of `adm` during which at least one of `others` also ran (overlaps merged, counted once)."""
    own = interval(adm)
    if own is None:
        return 0
    pieces = []
    for other in others:
        span = interval(other)
        if span is not None and span[0] < own[1] and own[0] < span[1]:
            pieces.append((max(span[0], own[0]), min(span[1], own[1])))
    total = dt.timedelta(0)
    reach: dt.timedelta | None = None
    for start, stop in sorted(pieces):
        if reach is not None and start < reach:
            start = reach
        if stop > start:
            total += stop - start
            reach = stop
    return int(total.total_seconds())
