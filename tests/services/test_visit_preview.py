"""The chair's visit preview computes what the recording service saves (the stored drugs of the visit plus the
one being entered), and a vial serial twice in one visit is refused by the service and the CLI."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from decimal import Decimal

import pytest

from desktop.billing.model import PayerClass
from desktop.billing.tables import load_rules
from desktop.records import VisitFacts
from desktop.services import ServiceError, Store, get_administration, record_administration
from desktop.services.visits.chair_visit import chair_visit
from desktop.services.visits.claim_preview import (
    ChargeForm,
    VialEntry,
    build_administration,
    elapsed_minutes,
    preview_visit,
)
from desktop.services.visits.visit_queries import get_visit
from tests.services.conftest import DOS, EASTERN, make_request, nivolumab
from tests.services.test_cli import RECORD, run

VISIT = VisitFacts(diagnosis_codes=("C34.90",), payer="Medicare Part B", nurse="RN Alvarez", notes="tolerated well",
                   consent_recorded=True)


def _ipilimumab_form(serials: tuple[str, ...] = ()) -> ChargeForm:
    from desktop.records import DrugFacts

    return ChargeForm(
        date_of_service=DOS, hcpcs="J9228", payer_class=PayerClass.MEDICARE,
        vials=(VialEntry("0003-2327-11", 1, False, "LOT9", dt.date(2027, 1, 31), serials),),
        administered_mg=Decimal(50), discarded_mg=Decimal(0), route="IV", ordered_dose_mg=Decimal(50),
        start=dt.datetime(2026, 11, 29, 10, 0, tzinfo=EASTERN), stop=dt.datetime(2026, 11, 29, 10, 30, tzinfo=EASTERN),
        visit=VISIT, facts=DrugFacts(),
    )


def _claim(lines: object) -> list[tuple[str, tuple[str, ...], int]]:
    return sorted((x.hcpcs, tuple(x.modifiers), x.units) for x in lines)  # type: ignore[attr-defined]


def test_the_visit_preview_is_what_is_saved(store: Store) -> None:
    first = record_administration(store, make_request(), "rn.alvarez")
    found = chair_visit(store, "MRN001", DOS)
    assert found.open is not None and found.open.id == first.visit_id
    form = _ipilimumab_form()
    rules = load_rules()
    shown = preview_visit(form, found.open, rules)
    assert shown.result is not None and (shown.stored, shown.new_index) == (1, 1)
    assert {x.administration for x in shown.result.lines} == {0, 1}  # the stored drug's lines and the new one's
    request = replace(make_request(administration=build_administration(form, rules.catalog)),
                      acknowledged_codes=frozenset(f.code for f in shown.result.findings))
    saved = record_administration(store, request, "rn.alvarez")
    assert _claim(get_visit(store, saved.visit_id).lines) == _claim(shown.result.lines)
    stored = get_administration(store, saved.id)
    assert sorted(f.code for f in stored.findings) == sorted(f.code for f in shown.result.findings)


def test_without_a_drug_on_the_form_the_preview_shows_the_visit_so_far(store: Store) -> None:
    record_administration(store, make_request(), "rn.alvarez")
    found = chair_visit(store, "MRN001", DOS)
    empty = ChargeForm(date_of_service=DOS, hcpcs="", payer_class=PayerClass.MEDICARE)
    shown = preview_visit(empty, found.open, load_rules())
    assert shown.result is not None and shown.new_index is None and shown.result.findings == ()
    assert shown.waiting_for.startswith("Pick a drug") and {x.administration for x in shown.result.lines} == {0}


def test_a_new_visit_starts_from_what_the_last_one_carries_over(store: Store) -> None:
    record_administration(store, make_request(ordering_provider="Dr. Chen", ordering_provider_npi="1234567893",
                                              chair="Chair 2", prior_authorization="PA-9"), "rn.alvarez")
    later = chair_visit(store, "MRN001", DOS + dt.timedelta(days=21))
    assert later.open is None and later.last_date == DOS and later.last_payer_class is PayerClass.MEDICARE
    assert later.last_facts is not None
    assert (later.last_facts.diagnosis_codes, later.last_facts.payer, later.last_facts.ordering_provider_npi,
            later.last_facts.prior_authorization) == (("C34.90",), "Medicare Part B", "1234567893", "PA-9")
    assert (later.last_facts.chair, later.last_facts.consent_recorded, later.last_facts.notes) == (None, False, None)
    assert chair_visit(store, "NOBODY", DOS) == type(later)("NOBODY", DOS)


def test_elapsed_minutes_are_real_across_a_daylight_saving_change() -> None:
    from zoneinfo import ZoneInfo

    chicago = ZoneInfo("America/Chicago")
    # 2026-11-01: clocks go back at 02:00. 01:30 (first, CDT) to 02:30 (CST) is two real hours, not one.
    start = dt.datetime(2026, 11, 1, 1, 30, tzinfo=chicago)
    stop = dt.datetime(2026, 11, 1, 2, 30, tzinfo=chicago)
    assert elapsed_minutes(start, stop) == 120
    spring_start, spring_stop = dt.datetime(2026, 3, 8, 1, 30, tzinfo=chicago), dt.datetime(2026, 3, 8, 3, 30,
                                                                                              tzinfo=chicago)
    assert elapsed_minutes(spring_start, spring_stop) == 60  # the hour that did not exist is not billed


def test_a_vial_serial_twice_in_one_visit_is_refused(store: Store) -> None:
    rules = load_rules()
    scanned = build_administration(_ipilimumab_form(("SER-1",)), rules.catalog)
    assert [p.serial for p in scanned.packages] == ["SER-1"]
    record_administration(store, make_request(administration=scanned), "rn.alvarez")
    again = make_request(administration=replace(scanned, hcpcs="J9228"))
    with pytest.raises(ServiceError, match=r"The same vial is recorded twice: vial serial SER-1 .*already in this "
                                           r"visit \(J9228, recorded at \d\d:\d\d\).*nothing was saved"):
        record_administration(store, again, "rn.alvarez")
    twice = build_administration(replace(_ipilimumab_form(("SER-2", "SER-2"))), rules.catalog)
    twice = replace(twice, administered_mg=Decimal(100), ordered_dose_mg=Decimal(100))
    with pytest.raises(ServiceError, match=r"vial serial SER-2 .* already in this visit"):
        record_administration(store, make_request(mrn="MRN009", name="Bo Lee", administration=twice), "rn")
    assert record_administration(store, make_request(mrn="MRN010", name="Al Ng", administration=nivolumab()), "rn")


def test_scans_without_a_serial_count_as_before() -> None:
    form = replace(_ipilimumab_form(("A",)), vials=(VialEntry("0003-2327-11", 3, True, "L", None, ("A",)),))
    packages = build_administration(form, load_rules().catalog).packages
    assert [(p.count, p.serial, p.acquired_340b) for p in packages] == [(1, "A", True), (2, None, True)]


def test_the_cli_refuses_the_same_serial_twice_with_exit_2(store_url: str, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    packages = [{"ndc": "0003-3774-12", "count": 1, "acquired_340b": False, "lot": "A1", "expiry": "2027-05",
                 "serial": "S-77"},
                {"ndc": "0003-3774-12", "count": 1, "acquired_340b": False, "lot": "A1", "expiry": "2027-05",
                 "serial": "S-77"}]
    code, out, err = run(monkeypatch, capsys, ["--database-url", store_url, "record"],
                         json.dumps(RECORD | {"packages": packages, "administered_mg": "199"}))
    assert code == 2 and out == "" and "S-77" in err and "Traceback" not in err
