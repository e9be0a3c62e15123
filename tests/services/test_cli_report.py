"""`infusion-charge report`: JSON totals and a PDF file, plain messages for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.cli.main import main
from desktop.services import Store, open_store
from tests.services.charge_samples import j9302_request, record, to_posted
from tests.services.cli_accounts import cli_accounts


@pytest.fixture
def url(store_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    store: Store = open_store(store_url)
    try:
        outcome = record(store, j9302_request(acquired_340b=True))
        to_posted(store, outcome.id, outcome.version)
    finally:
        store.close()
    cli_accounts(store_url, monkeypatch)  # the commands sign in (issue 15)
    return store_url


def test_waste_json(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--database-url", url, "report", "waste", "--from", "2026-11-01", "--to", "2026-11-30"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["report"] == "waste" and report["rows"][0]["discarded_mg"] == "25"
    assert report["rows"][0]["jw_units_billed"] == 2


def test_340b_json_and_reconciliation_pdf(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--database-url", url, "report", "340b", "--from", "2026-11-29", "--to", "2026-11-29"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert [(r["modifier"], r["units"]) for r in rows] == [("TB", 30)]
    target = tmp_path / "recon.pdf"
    assert main(["--database-url", url, "report", "reconciliation", "--from", "2026-11-29", "--to", "2026-11-29",
                 "--format", "pdf", "--output", str(target)]) == 0
    assert "Reconciliation" in PdfReader(str(target)).pages[0].extract_text()


def test_pdf_needs_an_output_file(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--database-url", url, "report", "waste", "--from", "2026-11-01", "--to", "2026-11-30",
                 "--format", "pdf"])
    assert code == 2 and "needs --output" in capsys.readouterr().err
