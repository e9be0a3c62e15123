"""Recording: the engine's findings decide accepted, held or refused; what is stored is exact and complete."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from desktop.services import (
    ChargeState,
    RefusedError,
    ServiceError,
    Store,
    get_administration,
    list_administrations,
    record_administration,
)
from tests.services.conftest import least_waste_request, make_request, nivolumab, unaccounted_request


def test_clean_record_is_stored_with_frozen_lines_and_history(store: Store) -> None:
    outcome = record_administration(store, make_request(), "rn.alvarez")
    assert outcome.state is ChargeState.RECORDED and outcome.version == 1
    detail = get_administration(store, outcome.id)
    assert detail.lines == outcome.lines
    assert [line.units for line in detail.lines if line.modifiers == ("JW",)] == [1]
    assert detail.rule_versions == dict(store.rules.versions)
    assert detail.patient.mrn == "MRN001" and detail.visit.diagnosis_codes == ("C34.90",)
    assert detail.administration.ordered_dose_mg == Decimal("219.0")  # trailing zero kept: stored as exact text
    assert detail.administration.infusion_start == dt.datetime(2026, 11, 29, 14, 0, tzinfo=dt.UTC)
    assert detail.administration == make_request().administration
    assert [(h.from_state, h.to_state, h.changed_by) for h in detail.history] == [
        (None, ChargeState.RECORDED, "rn.alvarez")
    ]


def test_error_findings_refuse_the_record_and_store_nothing(store: Store) -> None:
    with pytest.raises(RefusedError) as refused:
        record_administration(store, unaccounted_request(), "rn")
    assert refused.value.reason == "errors"
    assert [f.code for f in refused.value.findings] == ["UNACCOUNTED_DRUG"]
    assert "UNACCOUNTED_DRUG" in str(refused.value)
    assert list_administrations(store) == []


def test_error_findings_with_a_hold_reason_are_saved_as_held(store: Store) -> None:
    outcome = record_administration(store, unaccounted_request(hold_reason="waste not documented"), "rn")
    assert outcome.state is ChargeState.HELD
    detail = get_administration(store, outcome.id)
    assert detail.hold_reason == "waste not documented"
    assert detail.history[0].reason == "waste not documented"


def test_unacknowledged_warnings_are_refused(store: Store) -> None:
    with pytest.raises(RefusedError) as refused:
        record_administration(store, least_waste_request(), "rn")
    assert refused.value.reason == "unacknowledged_warnings"
    assert [f.code for f in refused.value.findings] == ["LEAST_WASTE"]
    assert list_administrations(store) == []


@pytest.mark.parametrize("how", ["code", "all"])
def test_acknowledged_warnings_are_stored_with_who_and_when(store: Store, how: str) -> None:
    request = (least_waste_request(acknowledged_codes=frozenset({"LEAST_WASTE"})) if how == "code"
               else least_waste_request(acknowledge_all=True))
    outcome = record_administration(store, request, "rn.brooks")
    assert outcome.acknowledged_codes == ("LEAST_WASTE",)
    acks = get_administration(store, outcome.id).acknowledgements
    assert [(a.code, a.acknowledged_by) for a in acks] == [("LEAST_WASTE", "rn.brooks")]
    assert acks[0].acknowledged_at.tzinfo is not None


def test_retrying_the_same_request_stores_it_once(store: Store) -> None:
    request = make_request()
    first = record_administration(store, request, "rn")
    again = record_administration(store, request, "rn")
    assert again.id == first.id
    assert len(list_administrations(store)) == 1


def test_an_mrn_with_another_patient_is_refused(store: Store) -> None:
    record_administration(store, make_request(), "rn")
    with pytest.raises(ServiceError, match="MRN001 belongs to Jane Doe"):
        record_administration(store, make_request(name="John Roe"), "rn")
    assert len(list_administrations(store)) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"infusion_start": dt.datetime(2026, 11, 29, 9, 0)}, "time zone"),
        ({"diagnosis_codes": ("not a code",)}, "ICD-10"),
        ({"request_id": "x"}, "UUID"),
        ({"nurse": "x" * 500}, "too long"),
    ],
)
def test_bad_input_is_a_plain_message_and_stores_nothing(store: Store, changes: dict[str, object],
                                                          message: str) -> None:
    with pytest.raises(ServiceError, match=message):
        record_administration(store, make_request(**changes), "rn")
    assert list_administrations(store) == []


def test_an_empty_user_is_refused(store: Store) -> None:
    with pytest.raises(ServiceError, match="user name"):
        record_administration(store, make_request(), "  ")


def test_odd_decimals_round_trip_exactly(store: Store) -> None:
    adm = nivolumab("219.125", "0.875")
    outcome = record_administration(store, make_request(administration=adm, acknowledge_all=True,
                                                        hold_reason="check"), "rn")
    detail = get_administration(store, outcome.id)
    assert detail.administration.administered_mg == Decimal("219.125")
    assert detail.administration.discarded_mg == Decimal("0.875")
    assert detail.administration == make_request(administration=adm).administration


def test_the_ordered_dose_reaches_the_engine_when_recording_and_correcting(store: Store) -> None:
    from desktop.services import void_and_replace

    short = make_request(administration=nivolumab("200", "20"), ordered_dose_mg=Decimal("219"))
    with pytest.raises(RefusedError) as refused:
        record_administration(store, short, "rn.alvarez")
    codes = frozenset(f.code for f in refused.value.findings)
    assert "DOSE_BELOW_ORDER" in codes
    saved = record_administration(store, replace(short, acknowledged_codes=codes), "rn")
    assert "DOSE_BELOW_ORDER" in saved.acknowledged_codes

    over = make_request(administration=nivolumab("219", "1"), ordered_dose_mg=Decimal("200"))
    with pytest.raises(RefusedError) as refused:
        void_and_replace(store, saved.id, "wrong amounts", over, "rn", saved.version)
    assert "DOSE_ABOVE_ORDER" in [f.code for f in refused.value.findings]
