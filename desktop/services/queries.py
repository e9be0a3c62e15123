"""Reading stored administrations: a day's list and one record in full."""

from __future__ import annotations

import datetime as dt

from desktop.services.store import Store
from desktop.services.views import AdministrationDetail, AdministrationSummary, ChargeState


def list_administrations(
    store: Store,
    date_of_service: dt.date | None = None,
    state: ChargeState | None = None,
    limit: int | None = None,
) -> list[AdministrationSummary]:
    """Administrations, newest first, optionally for one date of service and/or one state."""
    raise NotImplementedError


def get_administration(store: Store, administration_id: int) -> AdministrationDetail:
    """One administration with packages, frozen lines, findings, acknowledgements and history."""
    raise NotImplementedError
