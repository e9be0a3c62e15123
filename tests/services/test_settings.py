"""Facility settings: defaults when unset, round trip, validation in words, audit before/after, engine overrides."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import select

from db import models
from desktop.billing.model import FacilityType, PayerClass
from desktop.services import Store, verify_audit_chain
from desktop.services.errors import ServiceError
from desktop.services.facility.settings import (
    FacilityIdentifier,
    FacilitySettings,
    PaperSize,
    PayerPolicyOverride,
    UnitPrice,
    apply_payer_overrides,
    facility_settings_saved,
    get_facility_settings,
    save_facility_settings,
)

SAMPLE = FacilitySettings(
    facility_name="Riverside Infusion Center",
    identifiers=(FacilityIdentifier("NPI", "1234567893"), FacilityIdentifier("TIN", "12-3456789")),
    address="100 River Road\nSpringfield, IL 62701",
    facility_type=FacilityType.CAH,
    payer_overrides=(PayerPolicyOverride(PayerClass.COMMERCIAL, "jw_only", False),),
    unit_prices=(UnitPrice("J9299", Decimal("31.25")), UnitPrice("J9271", Decimal("60.00"))),
    auto_lock_minutes=3,
    paper_size=PaperSize.A4,
)


def test_defaults_when_nothing_saved(store: Store) -> None:
    settings = get_facility_settings(store)
    assert settings == FacilitySettings()
    assert settings.auto_lock_minutes == 5 and settings.paper_size is PaperSize.LETTER
    assert settings.facility_type is FacilityType.DSH and settings.price_for("J9299") is None
    assert not facility_settings_saved(store)


def test_round_trip_and_audit(store: Store) -> None:
    saved = save_facility_settings(store, SAMPLE, "admin")
    loaded = get_facility_settings(store)
    assert loaded == saved
    assert loaded.price_for("j9299") == Decimal("31.25")
    assert [p.hcpcs for p in loaded.unit_prices] == ["J9271", "J9299"]  # stored in code order
    assert facility_settings_saved(store)
    save_facility_settings(store, FacilitySettings(facility_name="Renamed"), "admin")
    with store.session_scope(write=False) as session:
        events = session.execute(
            select(models.AuditEvent).where(models.AuditEvent.entity == "settings").order_by(models.AuditEvent.id)
        ).scalars().all()
    assert [e.action for e in events] == ["settings_change", "settings_change"]
    assert events[0].before_json is None
    assert json.loads(events[1].before_json or "{}")["name"] == "Riverside Infusion Center"
    assert json.loads(events[1].after_json or "{}")["name"] == "Renamed"
    assert verify_audit_chain(store).ok


def test_invalid_settings_are_refused_in_words(store: Store) -> None:
    bad = FacilitySettings(
        identifiers=(FacilityIdentifier("NPI", ""),), unit_prices=(UnitPrice("J92", Decimal("-1")),),
        auto_lock_minutes=0,
    )
    with pytest.raises(ServiceError) as caught:
        save_facility_settings(store, bad, "admin")
    text = str(caught.value)
    assert "label (e.g. NPI) and a value" in text and "not a HCPCS code" in text
    assert "zero or more" in text and "Auto-lock must be between 1" in text
    assert not facility_settings_saved(store)


def test_payer_override_reaches_the_rules(store: Store) -> None:
    rules = apply_payer_overrides(store.rules, SAMPLE)
    policy = rules.payer_policies[PayerClass.COMMERCIAL]
    assert policy.waste_modifiers == "jw_only" and not policy.uses_340b_modifier
    assert policy.label == store.rules.payer_policies[PayerClass.COMMERCIAL].label
    assert rules.payer_policies[PayerClass.MEDICARE] == store.rules.payer_policies[PayerClass.MEDICARE]


def test_recording_uses_the_facility_policy_and_type(store: Store) -> None:
    from dataclasses import replace
    from functools import partial

    from desktop.services import get_administration, record_administration
    from tests.services.conftest import make_request, nivolumab

    commercial = nivolumab("210", "10", payer_class=PayerClass.COMMERCIAL)
    make_request = partial(make_request, ordered_dose_mg=Decimal("210"))  # as ordered: no dose warning
    before = record_administration(
        store, make_request(administration=commercial, request_id="00000000-0000-4000-8000-000000000001"), "rn")
    assert any(line.kind.value == "discarded" for line in before.lines)  # shipped: jw_only
    save_facility_settings(store, replace(SAMPLE, payer_overrides=(
        PayerPolicyOverride(PayerClass.COMMERCIAL, "none", False),)), "admin")
    after = record_administration(  # another patient: a visit of its own, at the facility's type of today
        store, make_request(mrn="MRN002", name="John Roe", administration=commercial,
                            request_id="00000000-0000-4000-8000-000000000002"), "rn")
    assert not any(line.kind.value == "discarded" for line in after.lines)
    assert get_administration(store, after.id).administration.facility_type is FacilityType.CAH
    assert get_administration(store, before.id).administration.facility_type is FacilityType.DSH


def test_a_record_computes_with_settings_another_workstation_saved_since_its_last_record(
    store: Store, store_url: str
) -> None:
    """The engine's inputs are kept between records (issue 16) and built again when any stored setting changed,
    also when another workstation changed it."""
    from dataclasses import replace
    from functools import partial

    from desktop.services import get_administration, open_store, record_administration
    from tests.services.conftest import make_request, nivolumab

    commercial = nivolumab("210", "10", payer_class=PayerClass.COMMERCIAL)
    make_request = partial(make_request, ordered_dose_mg=Decimal("210"), administration=commercial)
    other_workstation = open_store(store_url)
    try:
        first = record_administration(store, make_request(request_id="00000000-0000-4000-8000-00000000000a"), "rn")
        again = record_administration(store, make_request(mrn="MRN002", name="John Roe",
                                                          request_id="00000000-0000-4000-8000-00000000000b"), "rn")
        assert [line.kind for line in again.lines] == [line.kind for line in first.lines]  # the same inputs
        save_facility_settings(other_workstation, replace(SAMPLE, payer_overrides=(
            PayerPolicyOverride(PayerClass.COMMERCIAL, "none", False),)), "admin")
        after = record_administration(store, make_request(mrn="MRN003", name="Jim Poe",
                                                          request_id="00000000-0000-4000-8000-00000000000c"), "rn")
    finally:
        other_workstation.close()
    assert any(line.kind.value == "discarded" for line in first.lines)
    assert not any(line.kind.value == "discarded" for line in after.lines)
    assert get_administration(store, after.id).administration.facility_type is FacilityType.CAH
