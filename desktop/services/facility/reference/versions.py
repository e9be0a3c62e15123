"""The imported versions of CMS data, for the Administration page and the command line: what is in force today
and what was imported when, by whom."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import select

from db import models
from desktop.interop.cms_files import CmsKind
from desktop.services.facility.reference.in_force import versions_in_force
from desktop.services.storage.store import Store

RV = models.ReferenceVersion


@dataclass(frozen=True, slots=True)
class ReferenceVersionView:
    id: int
    kind: CmsKind
    effective_from: dt.date
    quarter: str
    file_name: str
    rows: int
    added: int
    changed: int
    removed: int
    imported_by: str
    imported_at: dt.datetime
    in_force: bool  # in force today (for dates of service from its effective date until a later version's)

    @property
    def kind_words(self) -> str:
        return self.kind.words


def reference_versions(store: Store, today: dt.date | None = None) -> list[ReferenceVersionView]:
    """Every import, newest effective date first; `in_force` marks those a date of service `today` uses."""
    day = today or dt.date.today()
    with store.session_scope(write=False) as session:
        rows = session.execute(select(RV).order_by(RV.effective_from.desc(), RV.id.desc())).scalars().all()
        current = {v.id for v in versions_in_force(session, day).values()}
        found = []
        for row in rows:
            try:
                counts = json.loads(row.summary)
            except ValueError:
                counts = {}
            found.append(ReferenceVersionView(
                row.id, CmsKind(row.kind), row.effective_from, row.quarter, row.file_name, row.row_count,
                int(counts.get("added", 0)), int(counts.get("changed", 0)), int(counts.get("no longer listed", 0)),
                row.imported_by, row.imported_at, row.id in current))
    return found
