"""The facility time zone and default 340B source: settings with defaults, validation in words and an audit trail."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest
from sqlalchemy import select

from db import models
from desktop.services import Store
from desktop.services.errors import ServiceError
from desktop.services.facility.settings import (
    FacilitySettings,
    Stock340b,
    engine_inputs,
    get_facility_settings,
    save_facility_settings,
    workstation_time_zone,
)


def test_unsaved_the_zone_is_the_workstations_and_every_vial_is_asked(store: Store) -> None:
    settings = get_facility_settings(store)
    assert settings.time_zone == workstation_time_zone() and settings.zone.key == workstation_time_zone()
    assert settings.stock_340b is Stock340b.ASK
    assert engine_inputs(store).stock_340b is Stock340b.ASK


def test_zone_and_stock_are_stored_audited_and_reach_the_chair(store: Store) -> None:
    chicago = replace(FacilitySettings(), time_zone=" America/Chicago ", stock_340b=Stock340b.STOCK_340B)
    saved = save_facility_settings(store, chicago, "admin")
    assert saved.time_zone == "America/Chicago" and get_facility_settings(store) == saved
    inputs = engine_inputs(store)
    assert inputs.zone.key == "America/Chicago" and inputs.stock_340b is Stock340b.STOCK_340B
    save_facility_settings(store, replace(saved, stock_340b=Stock340b.NON_340B), "admin")
    with store.session_scope(write=False) as session:
        last = session.execute(select(models.AuditEvent).where(models.AuditEvent.entity == "settings")
                               .order_by(models.AuditEvent.id.desc())).scalars().first()
    assert last is not None
    before, after = json.loads(last.before_json or "{}"), json.loads(last.after_json or "{}")
    assert (before["stock_340b"], after["stock_340b"]) == ("340b", "non_340b")
    assert after["time_zone"] == "America/Chicago"


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "../etc/passwd", "America/Chicago\x00"])
def test_a_zone_that_is_not_an_iana_name_is_refused_in_words(store: Store, name: str) -> None:
    with pytest.raises(ServiceError, match="time zone"):
        save_facility_settings(store, replace(FacilitySettings(), time_zone=name), "admin")


def test_the_date_of_service_is_the_facilitys_today() -> None:
    # Just after midnight in Tokyo it is still yesterday in Chicago: each facility dates its own visits.
    tokyo, chicago = (replace(FacilitySettings(), time_zone=z) for z in ("Asia/Tokyo", "America/Chicago"))
    now = dt.datetime.now(dt.UTC)
    assert tokyo.today() == now.astimezone(tokyo.zone).date()
    assert chicago.today() == now.astimezone(chicago.zone).date()
