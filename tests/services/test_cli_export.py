"""`infusion-charge export`: incremental and dated runs written and parsed back, previews, re-sends, the list of
runs, older exports recorded; bad input is one line and exit 2, with no file written."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from fhir.resources.bundle import Bundle

from desktop.cli.main import main
from desktop.services import Store, open_store
from tests.interop.spec import read_hl7
from tests.services.charge_samples import j9302_request, record, to_posted
from tests.services.cli_accounts import cli_accounts


@pytest.fixture
def posted_url(store_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    store: Store = open_store(store_url)
    try:
        outcome = record(store, j9302_request())
        to_posted(store, outcome.id, outcome.version)
    finally:
        store.close()
    cli_accounts(store_url, monkeypatch)  # the commands sign in (issue 15)
    return store_url


def export(url: str, *args: str) -> int:
    return main(["--database-url", url, "export", *args, "--user", "biller"])


@pytest.mark.parametrize("fmt", ["csv", "hl7", "fhir"])
def test_since_last_writes_the_file_then_nothing_new(posted_url: str, tmp_path: Path, fmt: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / f"out.{fmt}"
    assert export(posted_url, "--format", fmt, "--since-last", "--output", str(target)) == 0
    said = capsys.readouterr().err
    assert "3 transaction(s) in 1 visit(s)" in said and "ICC1" in said and "billing" in said
    text = target.read_bytes().decode("utf-8")  # read_text would turn the HL7 CRs into newlines
    if fmt == "csv":
        assert len(list(csv.DictReader(text.splitlines()))) == 3
    elif fmt == "hl7":
        assert [len(m.children.get("DFT_P03_FINANCIAL")) for m in read_hl7(text).messages] == [3]
    else:
        assert Bundle.model_validate_json(text).type == "transaction"
    assert export(posted_url, "--format", fmt, "--since-last", "--output", str(target)) == 0
    assert "0 transaction(s)" in capsys.readouterr().err


def test_a_preview_says_so(posted_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "preview.hl7"
    assert export(posted_url, "--format", "hl7", "--from", "2026-11-01", "--to", "2026-11-30", "--state", "all",
                  "--output", str(target)) == 0
    assert "PREVIEW" in capsys.readouterr().err
    assert {m.msh.msh_11.to_er7() for m in read_hl7(target.read_bytes().decode()).messages} == {"T"}


def test_runs_are_listed_and_a_run_sent_again(posted_url: str, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert export(posted_url, "--format", "csv", "--from", "2026-11-29", "--to", "2026-11-29",
                  "--output", str(tmp_path / "a.csv")) == 0
    assert export(posted_url, "--resend", "1", "--output", str(tmp_path / "b.csv")) == 0
    capsys.readouterr()
    assert export(posted_url, "--runs") == 0
    runs = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["purpose"], r["resend_of"], r["transactions"]) for r in runs] == [
        (2, "resend", 1, 3), (1, "billing", None, 3)]
    again = list(csv.DictReader((tmp_path / "b.csv").read_text(encoding="utf-8").splitlines()))
    assert {r["purpose"] for r in again} == {"resend"} and {r["file_control_id"] for r in again} == {"ICC2"}


def test_older_exports_are_marked_sent(posted_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert export(posted_url, "--format", "hl7", "--mark-sent-through", "2026-11-30") == 0
    assert "3 transaction(s)" in capsys.readouterr().err
    assert export(posted_url, "--format", "hl7", "--since-last", "--output", str(tmp_path / "x.hl7")) == 0
    assert "0 transaction(s)" in capsys.readouterr().err


@pytest.mark.parametrize(("args", "words"), [
    (["--format", "csv", "--from", "2026-11-30", "--to", "2026-11-01", "--output", "x.csv"], "before --from"),
    (["--format", "csv", "--output", "x.csv"], "--since-last, --from D --to D, or --resend RUN"),
    (["--format", "csv", "--since-last", "--from", "2026-11-01", "--to", "2026-11-30", "--output", "x.csv"],
     "not with --since-last"),
    (["--since-last", "--output", "x.csv"], "--format is required"),
    (["--format", "csv", "--since-last"], "--output FILE is required"),
    (["--resend", "99", "--output", "x.csv"], "no export run 99"),
])
def test_bad_requests_are_one_line_and_exit_2(posted_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str], args: list[str],
                                              words: str) -> None:
    monkeypatch.chdir(tmp_path)
    assert export(posted_url, *args) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x.csv").exists()


def test_export_rejects_a_bad_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["export", "--format", "csv", "--from", "29/11/2026", "--to", "2026-11-30", "--output", "x"])
    assert stop.value.code == 2 and "YYYY-MM-DD" in capsys.readouterr().err


def test_a_file_that_cannot_be_written_records_nothing(posted_url: str, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "no-such-folder" / "out.csv"
    assert export(posted_url, "--format", "csv", "--since-last", "--output", str(target)) == 2
    assert "nothing was recorded as sent" in capsys.readouterr().err
    assert export(posted_url, "--format", "csv", "--since-last", "--output", str(tmp_path / "ok.csv")) == 0
    assert "3 transaction(s)" in capsys.readouterr().err, "the charges were not recorded as sent by the failed run"
