"""`infusion-charge calc` with a visit, and every bad input of issue 13 and issue 15 section 4: exit 2, one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from desktop.cli.main import main

DEXAMETHASONE = {"hcpcs": "J1100", "packages": [{"ndc": "63323-506-41", "count": 1, "acquired_340b": False}],
                 "administered_mg": 10, "discarded_mg": 0, "route": "IV push",
                 "infusion_start": "2026-11-29T08:50:00-06:00", "infusion_stop": "2026-11-29T08:52:00-06:00"}
NIVOLUMAB = {"hcpcs": "J9299", "packages": [{"ndc": "0003-3734-13", "count": 1, "acquired_340b": True,
                                             "serial": "SN-0001", "lot": "A1", "expiry": "2027-06"}],
             "administered_mg": "240", "discarded_mg": "0",
             "infusion_start": "2026-11-29T09:00:00-06:00", "infusion_stop": "2026-11-29T09:30:00-06:00"}
IPILIMUMAB = {"hcpcs": "J9228", "packages": [{"ndc": "0003-2327-11", "count": 1, "acquired_340b": True,
                                              "serial": "SN-0002"}],
              "administered_mg": 50, "discarded_mg": 0,
              "infusion_start": "2026-11-29T10:00:00-06:00", "infusion_stop": "2026-11-29T10:30:00-06:00"}
VISIT: dict[str, Any] = {"date_of_service": "2026-11-29", "payer_class": "medicare", "facility_type": "dsh",
                         "place_of_service": "hospital_outpatient",
                         "administrations": [DEXAMETHASONE, NIVOLUMAB, IPILIMUMAB]}
SINGLE = {"date_of_service": "2026-11-29", "hcpcs": "J9302", "payer_class": "medicare",
          "packages": [{"ndc": "0078-0669-13", "count": 3, "acquired_340b": False, "lot": "A1", "expiry": "2027-06"}],
          "administered_mg": 275, "discarded_mg": "25", "infusion_minutes": 95}


def calc_bytes(raw: bytes, *env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "desktop.cli.main", "calc"], input=raw, capture_output=True,
                          timeout=60, env={"LC_ALL": "C", "PATH": "/usr/bin:/bin", **dict(e.split("=") for e in env)})


def calc_in_process(tmp_path: Path, raw: bytes, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    source = tmp_path / "input.json"
    source.write_bytes(raw)
    code = main(["calc", "--input", str(source)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_visit_of_three_drugs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = calc_in_process(tmp_path, json.dumps(VISIT).encode(), capsys)
    assert code == 0, err
    result = json.loads(out)
    drug = [(ln["hcpcs"], ln["administration"], ln["modifiers"], ln["revenue_code"]) for ln in result["lines"]
            if ln["kind"] != "administration"]
    assert drug == [("J1100", 0, ["JZ"], "0636"), ("J9299", 1, ["JZ", "TB"], "0636"),
                    ("J9228", 2, ["JZ", "TB"], "0636")]
    codes = [(ln["hcpcs"], ln["administration"], ln["revenue_code"]) for ln in result["lines"]
             if ln["kind"] == "administration"]
    assert codes == [("96413", 1, "0335"), ("96375", 0, "0260"), ("96417", 2, "0335")]
    assert all(ln["reason"] for ln in result["lines"])
    assert any(text.startswith("nivolumab: ") for text in result["explanations"])


def test_findings_carry_their_administration_and_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    late = VISIT | {"administrations": [DEXAMETHASONE, NIVOLUMAB | {"discarded_mg": "0", "administered_mg": "200"}]}
    code, out, _ = calc_in_process(tmp_path, json.dumps(late).encode(), capsys)
    assert code == 0
    [unaccounted] = [f for f in json.loads(out)["findings"] if f["code"] == "UNACCOUNTED_DRUG"]
    assert unaccounted["administration"] == 1 and unaccounted["field"] == "discarded_mg"


def test_office_visits_have_no_revenue_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = calc_in_process(tmp_path, json.dumps(VISIT | {"place_of_service": "office"}).encode(), capsys)
    assert code == 0 and all("revenue_code" not in line for line in json.loads(out)["lines"])


def test_the_single_administration_json_is_a_visit_of_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = calc_in_process(tmp_path, json.dumps(SINGLE).encode(), capsys)
    lines = json.loads(out)["lines"]
    assert code == 0 and [(ln["hcpcs"], ln["units"], ln["administration"]) for ln in lines] == [
        ("J9302", 28, 0), ("J9302", 2, 0), ("96413", 1, 0), ("96415", 1, 0)]


def test_a_future_date_is_a_warning_not_a_refusal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = calc_in_process(tmp_path, json.dumps(SINGLE | {"date_of_service": "2099-01-05"}).encode(), capsys)
    assert code == 0 and "DATE_OF_SERVICE_IN_FUTURE" in {f["code"] for f in json.loads(out)["findings"]}


def test_an_ndc_not_in_the_catalog_is_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = SINGLE | {"packages": [{"ndc": "50242-919-01", "label_mg": "300", "multi_dose": False, "count": 1,
                                   "acquired_340b": False}]}
    code, out, _ = calc_in_process(tmp_path, json.dumps(body).encode(), capsys)
    [warning] = [f for f in json.loads(out)["findings"] if f["code"] == "NDC_NOT_IN_CATALOG"]
    assert code == 0 and "NDC 50242-0919-01 is not listed under J9302" in warning["message"]


def with_package(**change: Any) -> dict[str, Any]:
    return SINGLE | {"packages": [SINGLE["packages"][0] | change]}  # type: ignore[index]


BAD = [
    # issue 13: routes and precision
    (SINGLE | {"route": "banana"}, "unknown route 'banana': use one of IV (Intravenous)"),
    (SINGLE | {"administered_mg": "10.0000000000000000000000000001"}, "has more than 3 decimals"),
    (SINGLE | {"administered_mg": "275.0001"}, "has more than 3 decimals"),
    # issue 15 section 4
    (with_package(expiry="9999-12"), "'expiry' is in the year 9999"),
    (with_package(expiry="0000-01"), "'expiry' is in the year 0"),
    (SINGLE | {"infusion_start": "0001-01-01T00:00:00+14:00"}, "'infusion_start' is in the year 1"),
    (SINGLE | {"infusion_start": "2026-11-29T09:00:00"}, "needs a time zone offset"),
    (with_package(multi_dose="zz"), "'multi_dose' must be true or false, not 'zz'"),
    (with_package(multi_dose=True), "multi_dose true differs from the catalog"),
    (SINGLE | {"administered_mg": "1_000"}, "must be a number written with the digits 0-9"),
    (SINGLE | {"administered_mg": "\u0661\u0660\u0660"}, "must be a number written with the digits 0-9"),
    (SINGLE | {"discarded_mg": "\uff12\uff15"}, "must be a number written with the digits 0-9"),
    (SINGLE | {"administered_mg": "9" * 5000}, "is not a plausible amount"),
    (with_package(lot="A\u0000B"), "'lot' contains a control character"),
    (with_package(lot="A\u001bB"), "'lot' contains a control character"),
    (SINGLE | {"route": "IV\u0000"}, "'route' contains a control character"),
    (with_package(serial="S\nN"), "'serial' contains a control character"),
    (with_package(serial="SN1"), "a serial names one vial, so 'count' must be 1"),
    (VISIT | {"administrations": []}, "'administrations' must list at least one drug given"),
    (VISIT | {"administrations": [NIVOLUMAB, IPILIMUMAB | {"packages": NIVOLUMAB["packages"]}]},
     "administration 2, package 1: this vial (serial 'SN-0001') is already listed as administration 1, package 1"),
    (VISIT | {"administrations": [NIVOLUMAB | {"colour": "red"}]}, "administration 1: unknown field(s): 'colour'"),
    (VISIT | {"place_of_service": "home"}, "'place_of_service' must be one of hospital_outpatient, office"),
]


@pytest.mark.parametrize(("body", "words"), BAD, ids=[words[:40] for _, words in BAD])
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], body: dict[str, Any],
                                          words: str) -> None:
    code, out, err = calc_in_process(tmp_path, json.dumps(body).encode(), capsys)
    assert code == 2 and out == ""
    assert words in err and err.count("\n") == 1 and len(err) < 400


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b'{"lot": "\\ud800"}', "unknown field(s)"),
        (json.dumps(with_package(lot="\ud800"), ensure_ascii=False).encode("utf-8", "surrogatepass"), "not UTF-8"),
        (json.dumps(with_package(lot="\\ud800")).replace("\\\\ud800", "\\ud800").encode(), "'lot' contains"),
        (b"\xff\xfe{}", "not UTF-8 text (byte 0xff at position 0)"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"administered_mg": ' + b"9" * 5000 + b"}", "a number of 5000 digits is not a plausible value"),
        (b'{"administered_mg": 1' + b"0" * 5000 + b".5}", "not a plausible value"),
        (b'{"administered_mg": Infinity}', "Infinity is not a number"),
    ],
)
def test_bad_bytes_are_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], raw: bytes,
                                           words: str) -> None:
    code, out, err = calc_in_process(tmp_path, raw, capsys)
    assert code == 2 and out == "" and words in err and err.count("\n") == 1


def test_invalid_utf8_on_stdin_under_a_strict_locale() -> None:
    run = calc_bytes(b'{"hcpcs": "J9302\xc3("}')
    assert run.returncode == 2 and run.stdout == b""
    assert b"not UTF-8 text" in run.stderr and run.stderr.count(b"\n") == 1 and b"Traceback" not in run.stderr


def test_deep_nesting_on_stdin() -> None:
    run = calc_bytes(b"[" * 100_000 + b"]" * 100_000)
    assert run.returncode == 2 and b"nested too deeply" in run.stderr and b"Traceback" not in run.stderr
