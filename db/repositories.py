"""Small row-level helpers the services share: users, patients, state history."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Administration, Patient, StateChange, User


def ensure_user(session: Session, username: str) -> tuple[User, bool]:
    """The user row for `username`, created the first time; True when it was created."""
    user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is not None:
        return user, False
    user = User(username=username)
    session.add(user)
    session.flush()
    return user, True


def patient_by_mrn(session: Session, mrn: str) -> Patient | None:
    return session.execute(select(Patient).where(Patient.mrn == mrn)).scalar_one_or_none()


def search_patients(session: Session, text: str, limit: int) -> list[Patient]:
    """Patients whose MRN starts with `text` or whose name contains it, MRN matches first."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    # The range lets both SQLite and PostgreSQL use the MRN index; LIKE keeps the match exact.
    by_mrn = (
        select(Patient)
        .where(Patient.mrn >= text, Patient.mrn < text + "\U0010ffff", Patient.mrn.like(escaped + "%", escape="\\"))
        .order_by(Patient.mrn)
        .limit(limit)
    )
    found = list(session.execute(by_mrn).scalars())
    if len(found) < limit:
        seen = [p.id for p in found]
        by_name = select(Patient).where(func.lower(Patient.name).like("%" + escaped.lower() + "%", escape="\\"))
        if seen:
            by_name = by_name.where(Patient.id.not_in(seen))
        found += list(session.execute(by_name.order_by(Patient.name, Patient.mrn).limit(limit - len(found))).scalars())
        return found
    return found


def add_state_change(
    session: Session,
    administration: Administration,
    from_state: str | None,
    to_state: str,
    user: str,
    reason: str | None,
    when: dt.datetime,
) -> StateChange:
    change = StateChange(
        administration_id=administration.id, from_state=from_state, to_state=to_state,
        reason=reason, changed_by=user, changed_at=when,
    )
    session.add(change)
    return change
