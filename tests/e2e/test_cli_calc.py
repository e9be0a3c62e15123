"""`infusion-charge calc` as a person runs it: JSON in, JSON out, exit codes 0 and 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

J9302 = {
    "date_of_service": "2026-11-29",
    "hcpcs": "J9302",
    "payer_class": "medicare",
    "facility_type": "dsh",
    "packages": [{"ndc": "0078-0669-13", "count": 3, "acquired_340b": True, "lot": "A1", "expiry": "2027-06"}],
    "administered_mg": 275,
    "discarded_mg": "25",
    "infusion_minutes": 95,
}


def calc(stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop.cli.main", "calc", *args],
        input=stdin, capture_output=True, text=True, timeout=60,
    )


def test_j9302_from_stdin() -> None:
    run = calc(json.dumps(J9302))
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    drug = [(ln["units"], ln["modifiers"], ln["kind"]) for ln in out["lines"] if ln["kind"] != "administration"]
    assert drug == [(28, ["TB"], "administered"), (2, ["JW", "TB"], "discarded")]
    assert out["lines"][0]["ndc"] == "00078066913" and out["lines"][0]["ndc_qualifier"] == "N4"
    assert out["lines"][0]["ndc_unit"] == "ML" and out["lines"][0]["ndc_quantity"] == "13.750"
    assert [line["hcpcs"] for line in out["lines"] if line["kind"] == "administration"] == ["96413", "96415"]


def test_input_file_and_findings_still_exit_zero(tmp_path: Path) -> None:
    source = tmp_path / "admin.json"
    source.write_text(json.dumps(J9302 | {"discarded_mg": 5}))
    run = calc("", "--input", str(source))
    assert run.returncode == 0
    assert "UNACCOUNTED_DRUG" in {f["code"] for f in json.loads(run.stdout)["findings"]}


def test_package_not_in_catalog_with_label_mg() -> None:
    body = J9302 | {"packages": [{"label_mg": "100", "count": 3, "multi_dose": False, "acquired_340b": False}]}
    run = calc(json.dumps(body))
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["lines"][1]["units"] == 2


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("{not json", "malformed JSON"),
        (json.dumps([1, 2]), "must be a JSON object"),
        (json.dumps(J9302 | {"colour": "red"}), "unknown field(s): 'colour'"),
        (json.dumps(J9302 | {"administered_mg": -5}), "cannot be negative"),
        (json.dumps(J9302 | {"administered_mg": "lots"}), "'administered_mg' must be a number written with"),
        (json.dumps(J9302 | {"discarded_mg": True}), "'discarded_mg' must be a number"),
        (json.dumps(J9302 | {"administered_mg": None}), "'administered_mg' is required"),
        (json.dumps(J9302 | {"hcpcs": "J0000"}), "unknown HCPCS code"),
        (json.dumps(J9302 | {"payer_class": "bank"}), "'payer_class' must be one of"),
        (json.dumps(J9302 | {"date_of_service": "29/11/2026"}), "ISO date"),
        (json.dumps(J9302 | {"infusion_minutes": 12.5}), "whole number"),
        (json.dumps(J9302 | {"packages": [{"ndc": "1234-5678-90", "count": 1, "acquired_340b": False}]}),
         "not in the catalog: give label_mg"),
        (json.dumps(J9302 | {"packages": [{"ndc": "0078-0669-13", "count": 0, "acquired_340b": False}]}),
         "'count' must be between"),
        (json.dumps(J9302 | {"packages": [{"ndc": "0078-0669-13", "count": 1}]}), "'acquired_340b' is required"),
        ('{"administered_mg": NaN}', "NaN is not a number"),
    ],
)
def test_bad_input_exits_2_with_one_line(body: str, words: str) -> None:
    run = calc(body)
    assert run.returncode == 2
    assert run.stdout == ""
    assert words in run.stderr and run.stderr.count("\n") == 1 and "Traceback" not in run.stderr


def test_missing_input_file_exits_2(tmp_path: Path) -> None:
    run = calc("", "--input", str(tmp_path / "nowhere.json"))
    assert run.returncode == 2 and "cannot read" in run.stderr
