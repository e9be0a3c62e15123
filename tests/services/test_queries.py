"""Listing a day's work and finding patients."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from desktop.services import (
    ChargeState,
    Store,
    find_patients,
    list_administrations,
    record_administration,
    verify_administration,
)
from tests.services.conftest import DOS, make_request, nivolumab


def test_list_by_day_and_state(store: Store) -> None:
    first = record_administration(store, make_request(), "rn")
    other_day = nivolumab(date_of_service=DOS + dt.timedelta(days=1))
    second = record_administration(store, make_request(mrn="MRN002", name="Ann Lee", administration=other_day), "rn")
    verify_administration(store, second.id, "rn")
    assert [s.id for s in list_administrations(store)] == [second.id, first.id]
    day = list_administrations(store, DOS)
    assert [(s.id, s.patient_name, s.units) for s in day] == [(first.id, "Jane Doe", 220)]
    assert [s.id for s in list_administrations(store, state=ChargeState.VERIFIED)] == [second.id]
    assert list_administrations(store, DOS, ChargeState.VERIFIED) == []


def test_find_patients_by_mrn_prefix_or_name(store: Store) -> None:
    record_administration(store, make_request(mrn="A100", name="Jane Doe"), "rn")
    record_administration(store, replace(make_request(mrn="A200", name="Mary Doeling")), "rn")
    record_administration(store, make_request(mrn="B300", name="Bob A100x"), "rn")
    assert [p.mrn for p in find_patients(store, "A2")] == ["A200"]
    assert [p.mrn for p in find_patients(store, "doe")] == ["A100", "A200"]
    assert [p.mrn for p in find_patients(store, "A100")] == ["A100", "B300"]  # MRN matches first
    assert find_patients(store, "%") == [] and find_patients(store, "  ") == []
