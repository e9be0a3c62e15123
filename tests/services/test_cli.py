"""`infusion-charge record | list | show | void | backup | restore | audit verify`: exit codes and messages."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from desktop.cli.main import main
from tests.services.cli_accounts import cli_accounts

RECORD: dict[str, Any] = {
    "date_of_service": "2026-11-29", "hcpcs": "J9299", "payer_class": "medicare", "facility_type": "dsh",
    "packages": [{"ndc": "0003-3774-12", "count": 1, "acquired_340b": False, "lot": "A1", "expiry": "2027-05"},
                 {"ndc": "0003-3756-14", "count": 1, "acquired_340b": False, "lot": "B1", "expiry": "2027-05"}],
    "administered_mg": "219", "discarded_mg": "1",
    "patient": {"mrn": "M1", "name": "Jane Doe", "date_of_birth": "1960-01-02"},
    "diagnosis_codes": ["C34.90"], "route": "IV", "ordered_dose_mg": "219", "prior_authorization": "PA-1",
    "infusion_start": "2026-11-29T09:00:00-05:00", "infusion_stop": "2026-11-29T09:40:00-05:00",
    "nurse": "RN A", "waste_witness": "RN B", "notes": "ok", "free_drug": False,
}
LEAST_WASTE = RECORD | {"packages": [{"ndc": "0003-3734-13", "count": 1, "acquired_340b": False}],
                        "discarded_mg": "21"}
UNACCOUNTED = RECORD | {"discarded_mg": "0"}


def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str],
        stdin: str | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cli(store_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Any:
    cli_accounts(store_url, monkeypatch)  # the commands sign in (issue 15)
    def invoke(*argv: str, stdin: str | None = None, url_first: bool = True) -> tuple[int, str, str]:
        args = ["--database-url", store_url, *argv] if url_first else [*argv, "--database-url", store_url]
        return run(monkeypatch, capsys, args, stdin)
    return invoke


def test_record_list_show_void(cli: Any) -> None:
    code, out, _ = cli("record", "--user", "rn.a", stdin=json.dumps(RECORD))
    assert code == 0 and json.loads(out) == {"id": 1, "visit_id": 1, "administration_ids": [1]}
    code, out, _ = cli("list", "--date", "2026-11-29", url_first=False)
    rows = json.loads(out)
    assert code == 0 and [(r["id"], r["state"], r["units"], r["recorded_by"]) for r in rows] == [
        (1, "recorded", 220, "rn.a")]
    code, out, _ = cli("show", "1")
    detail = json.loads(out)
    assert detail["administration"]["administered_mg"] == "219" and detail["visit"]["prior_authorization"] == "PA-1"
    assert detail["administration"]["infusion_minutes"] == 40
    code, out, _ = cli("void", "1", "--reason", "entered twice", "--user", "biller")
    assert code == 0 and json.loads(out)["state"] == "voided"
    code, out, _ = cli("list", "--state", "voided")
    assert [r["id"] for r in json.loads(out)] == [1]


def test_record_keeps_consent_chair_and_who_discarded(cli: Any) -> None:
    body = RECORD | {"consent_recorded": True, "chair": " Chair 3 ", "discarded_by": "RN C"}
    code, out, err = cli("record", "--user", "rn.a", stdin=json.dumps(body))
    assert code == 0, err
    _, out, _ = cli("show", "1")
    detail = json.loads(out)
    visit, facts = detail["visit"], detail["facts"]
    assert (visit["consent_recorded"], visit["chair"], facts["discarded_by"]) == (True, "Chair 3", "RN C")
    assert (visit["nurse"], facts["waste_witness"], visit["notes"]) == ("RN A", "RN B", "ok")
    cli("record", stdin=json.dumps(RECORD | {"patient": {"mrn": "M2", "name": "Ann Lee",
                                                         "date_of_birth": "1970-01-01"}}))
    _, out, _ = cli("show", "2")
    detail = json.loads(out)
    assert (detail["visit"]["consent_recorded"], detail["visit"]["chair"], detail["facts"]["discarded_by"]) == (
        False, None, None)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("consent_recorded", "yes", "'consent_recorded' must be true or false"),
    ("chair", 7, "'chair' must be text"),
    ("discarded_by", ["RN C"], "'discarded_by' must be text"),
    ("chair", "C" * 41, "chair is too long (41 characters; at most 40)"),
    ("discarded_by", "x" * 121, "who discarded the drug is too long"),
])
def test_bad_record_fields_exit_2(cli: Any, field: str, value: Any, message: str) -> None:
    code, out, err = cli("record", stdin=json.dumps(RECORD | {field: value}))
    assert code == 2 and out == "" and message in err and "Traceback" not in err


def test_unacknowledged_warnings_exit_4(cli: Any) -> None:
    code, out, err = cli("record", stdin=json.dumps(LEAST_WASTE))
    assert code == 4 and out == "" and "LEAST_WASTE" in err and "acknowledged" in err
    code, out, _ = cli("record", "--acknowledge", "least_waste", stdin=json.dumps(LEAST_WASTE))
    assert code == 0 and json.loads(out)["id"] == 1
    code, out, _ = cli("record", "--acknowledge-all", stdin=json.dumps(LEAST_WASTE | {"patient": {
        "mrn": "M2", "name": "Ann Lee", "date_of_birth": "1970-01-01"}}))
    assert code == 0


def test_error_findings_exit_3_unless_held(cli: Any) -> None:
    code, out, err = cli("record", stdin=json.dumps(UNACCOUNTED))
    assert code == 3 and out == "" and "UNACCOUNTED_DRUG" in err and "not accounted for" in err
    code, out, err = cli("record", "--hold-reason", "waste not documented", stdin=json.dumps(UNACCOUNTED))
    assert code == 0 and "held" in err
    _, out, _ = cli("list", "--state", "held")
    assert [r["hold_reason"] for r in json.loads(out)] == ["waste not documented"]


@pytest.mark.parametrize("stdin", [
    "not json", "[]", json.dumps(RECORD | {"administered_mg": "lots"}), json.dumps(RECORD | {"patient": "x"}),
    json.dumps(RECORD | {"infusion_start": "2026-11-29T09:00:00"}), json.dumps(RECORD | {"unknown": 1}),
    json.dumps(RECORD | {"diagnosis_codes": ["nonsense"]}), json.dumps(RECORD | {"hcpcs": "J0000"}),
])
def test_bad_input_exits_2_with_a_message_and_stores_nothing(cli: Any, stdin: str) -> None:
    code, out, err = cli("record", stdin=stdin)
    assert code == 2 and out == "" and err.startswith("infusion-charge record: ") and "Traceback" not in err
    _, out, _ = cli("list")
    assert json.loads(out) == []


def test_unknown_ids_and_dates_exit_2(cli: Any) -> None:
    assert cli("show", "7")[0] == 2
    assert cli("void", "7", "--reason", "x")[0] == 2
    assert cli("list", "--date", "yesterday")[0] == 2


def test_a_stale_version_on_void_exits_5(cli: Any) -> None:
    cli("record", stdin=json.dumps(RECORD))
    cli("void", "1", "--reason", "first")
    code, _, err = cli("void", "1", "--reason", "second", "--expected-version", "1")
    assert code == 5 and "changed by someone else" in err


def test_audit_verify_on_a_clean_store(cli: Any) -> None:
    cli("record", stdin=json.dumps(RECORD))
    code, out, _ = cli("audit", "verify")
    assert code == 0 and "chain intact" in out


def test_backup_and_restore(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    target = tmp_path / "snapshot.sqlite3"
    cli_accounts(url, monkeypatch)  # backup and restore: administrators (issue 15)
    assert run(monkeypatch, capsys, ["--database-url", url, "record"], json.dumps(RECORD))[0] == 0
    assert run(monkeypatch, capsys, ["--database-url", url, "backup", str(target)])[0] == 0
    assert run(monkeypatch, capsys, ["--database-url", url, "backup", str(target)])[0] == 2  # never overwrites
    assert run(monkeypatch, capsys, ["--database-url", url, "void", "1", "--reason", "oops"])[0] == 0
    code, _, err = run(monkeypatch, capsys, ["--database-url", url, "restore", str(target)])
    assert code == 0 and "kept as" in err
    _, out, _ = run(monkeypatch, capsys, ["--database-url", url, "list"])
    assert [r["state"] for r in json.loads(out)] == ["recorded"]
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database at all" * 100)
    assert run(monkeypatch, capsys, ["--database-url", url, "restore", str(garbage)])[0] == 2


@pytest.mark.postgres
def test_backup_on_postgresql_points_to_pg_dump(pg_schema: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(monkeypatch, capsys, ["--database-url", pg_schema, "backup", str(tmp_path / "x")])
    assert code == 2 and "pg_dump" in err


def test_an_unreachable_database_exits_6(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    url = "postgresql+psycopg://nobody:nothing@127.0.0.1:1/none"
    code, _, err = run(monkeypatch, capsys, ["--database-url", url, "list"])
    assert code == 6 and "cannot open the database" in err and "nothing" not in err


VISIT: dict[str, Any] = {
    "date_of_service": "2026-11-29", "payer_class": "medicare", "place_of_service": "office",
    "patient": {"mrn": "V1", "name": "Vera Visit", "date_of_birth": "1961-02-03"},
    "diagnosis_codes": ["C43.9"], "nurse": "RN A", "chair": "Chair 5", "consent_recorded": True,
    "administrations": [
        {"hcpcs": "J9299", "packages": [{"ndc": "0003-3774-12", "count": 1, "acquired_340b": False, "lot": "A1",
                                         "expiry": "2027-05"}],
         "administered_mg": "100", "discarded_mg": "0", "ordered_dose_mg": "100", "route": "IV",
         "infusion_start": "2026-11-29T09:00:00-05:00", "infusion_stop": "2026-11-29T09:30:00-05:00"},
        {"hcpcs": "J9228", "packages": [{"ndc": "0003-2327-11", "count": 1, "acquired_340b": False, "lot": "B2",
                                         "expiry": "2027-05"}],
         "administered_mg": "50", "discarded_mg": "0", "ordered_dose_mg": "50", "route": "IV",
         "infusion_start": "2026-11-29T10:00:00-05:00", "infusion_stop": "2026-11-29T10:30:00-05:00",
         "waste_witness": "RN B"},
    ],
}


def test_record_a_visit_of_two_drugs_and_show_it(cli: Any) -> None:
    code, out, err = cli("record", "--user", "rn.a", stdin=json.dumps(VISIT))
    assert code == 0, err
    saved = json.loads(out)
    assert saved["visit_id"] == 1 and saved["administration_ids"] == [1, 2]
    code, out, _ = cli("visit", "1")
    visit = json.loads(out)
    assert code == 0 and visit["place_of_service"] == "office" and visit["facts"]["chair"] == "Chair 5"
    assert [a["administration"]["hcpcs"] for a in visit["administrations"]] == ["J9299", "J9228"]
    codes = [line["hcpcs"] for line in visit["code_sets"][-1]["lines"]]
    assert codes.count("96413") == 1 and "96417" in codes


@pytest.mark.parametrize(("change", "message"), [
    ({"administrations": []}, "'administrations' must list at least one drug given"),
    ({"administrations": "J9299"}, "'administrations' must list at least one drug given"),
    ({"place_of_service": "moon"}, "'place_of_service' must be one of"),
    ({"visit_id": "one"}, "'visit_id' must be a visit number"),
    ({"shoe_size": 9}, "unknown field(s): 'shoe_size'"),
])
def test_bad_visits_exit_2_and_save_nothing(cli: Any, change: dict[str, Any], message: str) -> None:
    code, out, err = cli("record", stdin=json.dumps(VISIT | change))
    assert code == 2 and out == "" and message in err and "Traceback" not in err
    _, out, _ = cli("list")
    assert json.loads(out) == []


def test_a_bad_second_drug_saves_neither(cli: Any) -> None:
    second = VISIT["administrations"][1] | {"infusion_stop": "2026-11-29T09:59:00-05:00"}
    code, _, err = cli("record", stdin=json.dumps(VISIT | {"administrations": [VISIT["administrations"][0], second]}))
    assert code == 2 and "drug 2: the infusion stop is before its start" in err
    _, out, _ = cli("list")
    assert json.loads(out) == []


def test_record_json_takes_the_ordering_provider(cli: Any) -> None:
    body = VISIT | {"ordering_provider": "Dr. Maya Chen", "ordering_provider_npi": "1234567893"}
    code, _, err = cli("record", stdin=json.dumps(body))
    assert code == 0, err
    _, out, _ = cli("visit", "1")
    facts = json.loads(out)["facts"]
    assert (facts["ordering_provider"], facts["ordering_provider_npi"]) == ("Dr. Maya Chen", "1234567893")
    code, _, err = cli("record", stdin=json.dumps(VISIT | {"ordering_provider_npi": 1234567893}))
    assert code == 2 and "'ordering_provider_npi' must be text" in err
