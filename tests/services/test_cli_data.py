"""`infusion-charge data import|versions` and `calc` reading the imported CMS data from the database named by
--database-url (SQLite file and PostgreSQL): exit codes, one line on stderr for a bad file, the same file again."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from tests.interop.cms_samples import CATALOG_ROWS, crosswalk_bytes, made_up_rows, mue_bytes, price_bytes
from tests.services.test_cli import cli, run

__all__ = ["cli"]
Q4 = dt.date(2026, 10, 1)
VISIT: dict[str, Any] = {
    "date_of_service": "2026-11-29", "payer_class": "medicare", "facility_type": "dsh",
    "administrations": [{"hcpcs": "J9299", "administered_mg": "300", "discarded_mg": "0", "infusion_minutes": 30,
                         "packages": [{"ndc": "69999-0101-01", "count": 3, "multi_dose": False,
                                       "acquired_340b": False}]}],
}


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    found = {"crosswalk": tmp_path / "October 2026 ASP NDC-HCPCS Crosswalk.csv",
             "asp": tmp_path / "October 2026 ASP Pricing File.csv",
             "mue": tmp_path / "MCR_MUE_OutpatientHospitalServices_Eff_10-01-2026.csv",
             "bad": tmp_path / "bad.csv"}
    found["crosswalk"].write_bytes(crosswalk_bytes([*CATALOG_ROWS, *made_up_rows(200)], Q4))
    found["asp"].write_bytes(price_bytes([("J9299", "1 MG", "28.541")], Q4))
    found["mue"].write_bytes(mue_bytes([("J9299", 250, 3)]))
    found["bad"].write_bytes(crosswalk_bytes(CATALOG_ROWS, Q4).replace(b"00003-3772-11", b"3-3772-11"))
    return found


def test_preview_then_apply_then_the_same_file_again(cli: Any, files: dict[str, Path]) -> None:
    code, out, err = cli("data", "import", str(files["crosswalk"]))
    assert code == 0 and err == ""
    assert out.startswith("The ASP NDC-HCPCS crosswalk, effective 2026 Q4 (2026-10-01): 207 rows read; 207 added")
    assert "  added            J9299  69999-0101-01 NIVO: 100 billing units of 1 MG per package" in out
    assert "needs: single- or multiple-dose" in out and out.rstrip().endswith("Add --apply to import it.")
    assert json.loads(cli("data", "versions")[1]) == []
    code, out, _ = cli("data", "import", str(files["crosswalk"]), "--apply", "--user", "admin")
    assert code == 0 and "Imported the ASP NDC-HCPCS crosswalk effective 2026 Q4 (2026-10-01): 207 rows" in out
    code, out, _ = cli("data", "import", str(files["crosswalk"]), "--apply", "--format", "json")
    report = json.loads(out)
    assert code == 0 and report["already_in_force"].startswith("This file holds the data already in force")
    assert report["applied"] is None and report["unchanged"] == 207 and report["can_apply"] is False
    [version] = json.loads(cli("data", "versions")[1])
    assert (version["kind"], version["effective_from"], version["rows"], version["imported_by"]) == (
        "crosswalk", "2026-10-01", 207, "admin")


def test_a_bad_file_is_one_line_on_stderr_and_nothing_is_imported(cli: Any, files: dict[str, Path]) -> None:
    code, out, err = cli("data", "import", str(files["bad"]), "--apply")
    assert code == 2 and err.count("\n") == 1
    assert err == ("infusion-charge data: line 13: NDC '3-3772-11' is not in the 5-4-2 form the crosswalk uses "
                   "(e.g. 00003-3734-13); nothing was imported\n")
    assert "Problem: line 13" in out
    code, _, err = cli("data", "import", str(files["asp"]), "--kind", "mue")
    assert code == 2 and "This looks like the ASP pricing file (payment limits); expected an MUE table" in err
    code, _, err = cli("data", "import", str(files["mue"]).replace("MCR_MUE", "nowhere"))
    assert code == 2 and "cannot read" in err
    assert json.loads(cli("data", "versions")[1]) == []


def calc_input(folder: Path, body: dict[str, Any]) -> str:
    path = folder / "visit.json"
    path.write_text(json.dumps(body))
    return str(path)


def test_calc_reads_the_imported_data_of_the_database_named(cli: Any, files: dict[str, Path],
                                                            tmp_path: Path) -> None:
    code, out, err = cli("calc", "--input", calc_input(tmp_path, VISIT))
    assert code == 2 and "NDC 69999-0101-01 is not in the catalog: give label_mg" in err
    for name in ("crosswalk", "asp", "mue"):
        assert cli("data", "import", str(files[name]), "--apply")[0] == 0
    code, out, err = cli("calc", "--input", calc_input(tmp_path, VISIT))
    assert code == 0, err
    result = json.loads(out)
    drug = [line for line in result["lines"] if line["kind"] != "administration"]
    assert [(line["units"], line["expected_allowance"]) for line in drug] == [(300, "8562.30")]  # 300 x 28.541
    assert result["expected_allowance"] == {"total": "8562.30", "source": "CMS ASP pricing file 2026 Q4"}
    assert [f["code"] for f in result["findings"]] == ["MUE_EXCEEDED"]  # crosswalk-listed: no NDC_NOT_IN_CATALOG
    assert "300 units of J9299 (JW included) exceed the medically unlikely edit of 250" in result["findings"][0][
        "message"]
    assert result["rule_versions"]["crosswalk"].startswith("2026 Q4 ")
    earlier = VISIT | {"date_of_service": "2026-09-30"}  # before the files: as shipped
    code, out, err = cli("calc", "--input", calc_input(tmp_path, earlier))
    assert code == 2 and "give label_mg" in err


def test_calc_without_a_database_creates_none(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    monkeypatch.delenv("INFUSION_CHARGE_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path))
    body = VISIT | {"administrations": [VISIT["administrations"][0] | {"packages": [
        {"ndc": "0003-3734-13", "count": 1, "acquired_340b": False}], "administered_mg": "240"}]}
    code, out, err = run(monkeypatch, capsys, ["calc", "--input", calc_input(tmp_path, body)])
    assert code == 0, err
    assert json.loads(out)["lines"][0]["units"] == 240 and "expected_allowance" not in out
    assert not list(tmp_path.rglob("*.sqlite3"))
