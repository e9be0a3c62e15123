"""`infusion-charge export`: files written, formats parsed back, plain messages and exit 2 for bad input."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from fhir.resources.bundle import Bundle

from desktop.cli.main import main
from desktop.services import Store, open_store
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


@pytest.mark.parametrize("fmt", ["csv", "hl7", "fhir"])
def test_export_writes_the_file(posted_url: str, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / f"out.{fmt}"
    code = main(["--database-url", posted_url, "export", "--format", fmt, "--from", "2026-11-01", "--to",
                 "2026-11-30", "--output", str(target)])
    assert code == 0 and "1 administrations exported" in capsys.readouterr().err
    text = target.read_bytes().decode("utf-8")  # read_text would turn the HL7 CRs into newlines
    if fmt == "csv":
        assert len(list(csv.DictReader(text.splitlines()))) == 3
    elif fmt == "hl7":
        assert text.startswith("MSH|^~\\&|") and text.count("\rFT1|") == 3
    else:
        assert len(Bundle.model_validate_json(text).entry) == 4


def test_export_refuses_a_backwards_period(posted_url: str, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--database-url", posted_url, "export", "--format", "csv", "--from", "2026-11-30", "--to",
                 "2026-11-01", "--output", str(tmp_path / "x.csv")])
    assert code == 2 and "before --from" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


def test_export_rejects_a_bad_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["export", "--format", "csv", "--from", "29/11/2026", "--to", "2026-11-30", "--output", "x"])
    assert stop.value.code == 2 and "YYYY-MM-DD" in capsys.readouterr().err
