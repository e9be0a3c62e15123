"""Documentation completeness as findings in the services: severities per item and payer class from
resources/documentation.toml, each finding naming its field; the recording service and the CLI agree."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from desktop.billing.model import PayerClass, Severity
from desktop.billing.tables import RuleDataError
from desktop.records import DrugFacts, VisitFacts
from desktop.records.completeness import (
    DrugToCheck,
    documentation_findings,
    documentation_items,
    parse_documentation,
)
from desktop.services import RefusedError, Store, get_administration, record_administration
from tests.services.conftest import START, make_request, nivolumab
from tests.services.test_cli import RECORD, run


def _drug(**changes: Any) -> DrugToCheck:
    return DrugToCheck(replace(nivolumab(), **changes), DrugFacts(waste_witness="RN B", discarded_by="RN A"), 0,
                       "J9299 (nivolumab)")


FULL = VisitFacts(diagnosis_codes=("C34.90",), consent_recorded=True, payer="Medicare", notes="ok",
                  ordering_provider="Dr. Chen", ordering_provider_npi="1234567893")


def _codes(visit: VisitFacts = FULL, payer: PayerClass = PayerClass.MEDICARE, **drug: Any) -> dict[str, Any]:
    return {f.code: f for f in documentation_findings(visit, [_drug(**drug)], payer)}


def test_a_fully_documented_visit_has_no_gaps() -> None:
    assert _codes() == {}


def test_each_gap_is_a_finding_with_its_severity_and_field() -> None:
    first = nivolumab().packages[0]
    found = _codes(replace(FULL, diagnosis_codes=(), consent_recorded=False), infusion_start=None,
                   infusion_stop=None, infusion_minutes=None,
                   packages=(replace(first, lot=None, expiry=None), *nivolumab().packages[1:]))
    assert (found["MISSING_DIAGNOSIS"].severity, found["MISSING_DIAGNOSIS"].field) == (Severity.ERROR,
                                                                                         "diagnosis_codes")
    assert found["MISSING_DIAGNOSIS"].administration is None  # the visit's, not one drug's
    times = found["MISSING_INFUSION_TIMES"]
    assert (times.severity, times.field, times.administration) == (Severity.WARNING, "infusion_start", 0)
    assert "start and stop times for J9299 (nivolumab)" in times.message
    assert (found["MISSING_LOT"].field, found["MISSING_EXPIRY"].field) == ("packages[0].lot", "packages[0].expiry")
    assert "1 of 2 vials" in found["MISSING_LOT"].message
    assert found["MISSING_CONSENT"].severity is Severity.WARNING


def test_a_stop_time_alone_is_missing_points_at_stop() -> None:
    found = _codes(infusion_start=START, infusion_stop=None, infusion_minutes=None)
    assert found["MISSING_INFUSION_TIMES"].field == "infusion_stop"
    assert "No infusion stop time" in found["MISSING_INFUSION_TIMES"].message


def test_waste_without_a_witness_is_a_warning_and_no_waste_needs_none() -> None:
    drug = DrugToCheck(nivolumab("219", "1"), DrugFacts(), 0, "J9299")
    found = {f.code: f for f in documentation_findings(FULL, [drug], PayerClass.MEDICARE)}
    assert found["MISSING_WASTE_WITNESS"].severity is Severity.WARNING
    assert "1 mg of J9299 was discarded" in found["MISSING_WASTE_WITNESS"].message
    none_wasted = DrugToCheck(nivolumab("220", "0"), DrugFacts(), 0, "J9299")
    assert not [f for f in documentation_findings(FULL, [none_wasted], PayerClass.MEDICARE)
                if f.code in ("MISSING_WASTE_WITNESS", "MISSING_DISCARDED_BY")]


def test_the_payer_class_changes_the_severity() -> None:
    bare = replace(FULL, diagnosis_codes=(), prior_authorization=None)
    assert _codes(bare)["MISSING_DIAGNOSIS"].severity is Severity.ERROR
    assert _codes(bare, PayerClass.SELF_PAY)["MISSING_DIAGNOSIS"].severity is Severity.WARNING
    assert "MISSING_PRIOR_AUTHORIZATION" not in _codes(bare)  # "off" for Medicare
    assert _codes(bare, PayerClass.COMMERCIAL)["MISSING_PRIOR_AUTHORIZATION"].severity is Severity.INFO


def test_the_data_file_is_checked_and_names_the_entry() -> None:
    assert {item.code for item in documentation_items()} >= {"MISSING_DIAGNOSIS", "MISSING_INFUSION_TIMES",
                                                             "MISSING_WASTE_WITNESS", "MISSING_LOT"}
    good = {"code": "MISSING_CONSENT", "severity": "warning", "message": "No consent."}
    with pytest.raises(RuleDataError, match=r"items\.signature: no such check"):
        parse_documentation({"items": {"signature": good}})
    with pytest.raises(RuleDataError, match=r"items\.consent: severity 'urgent'"):
        parse_documentation({"items": {"consent": good | {"severity": "urgent"}}})
    with pytest.raises(RuleDataError, match="unknown placeholder"):
        parse_documentation({"items": {"consent": good | {"message": "No consent for {patient}."}}})
    with pytest.raises(RuleDataError, match="'veterans' is not a payer class"):
        parse_documentation({"items": {"consent": good | {"payer_class": {"veterans": "off"}}}})
    items = parse_documentation({"items": {"consent": good | {"payer_class": {"self_pay": "off"}}}})
    assert documentation_findings(VisitFacts(), [], PayerClass.SELF_PAY, items) == ()


def test_the_recording_service_refuses_a_gap_until_acknowledged_and_stores_it(store: Store) -> None:
    request = make_request(consent_recorded=False, waste_witness=None)
    with pytest.raises(RefusedError) as refused:
        record_administration(store, request, "rn.alvarez")
    assert {f.code for f in refused.value.findings} == {"MISSING_CONSENT", "MISSING_WASTE_WITNESS"}
    assert {f.field for f in refused.value.findings} == {"consent_recorded", "waste_witness"}
    saved = record_administration(store, replace(request, acknowledged_codes=frozenset(
        {"MISSING_CONSENT", "MISSING_WASTE_WITNESS"})), "rn.alvarez")
    detail = get_administration(store, saved.id)
    assert {a.code for a in detail.acknowledgements} == {"MISSING_CONSENT", "MISSING_WASTE_WITNESS"}


def test_no_diagnosis_is_an_error_that_only_a_hold_saves(store: Store) -> None:
    request = make_request(diagnosis_codes=())
    with pytest.raises(RefusedError) as refused:
        record_administration(store, request, "rn.alvarez")
    assert refused.value.reason == "errors" and refused.value.findings[0].code == "MISSING_DIAGNOSIS"
    held = record_administration(store, replace(request, hold_reason="diagnosis from the oncologist"), "rn")
    assert held.state.value == "held"


def test_the_cli_says_the_same_as_the_screen(store_url: str, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    body = RECORD | {"waste_witness": None, "infusion_start": None, "infusion_stop": None}
    code, out, err = run(monkeypatch, capsys, ["--database-url", store_url, "record"], json.dumps(body))
    assert code == 4 and out == ""
    assert "MISSING_WASTE_WITNESS" in err and "MISSING_INFUSION_TIMES" in err and "Traceback" not in err
    code, out, err = run(monkeypatch, capsys, ["--database-url", store_url, "record", "--acknowledge",
                                               "MISSING_WASTE_WITNESS", "--acknowledge", "MISSING_INFUSION_TIMES"],
                         json.dumps(body))
    assert code == 0, err
