"""`infusion-charge ticket | tickets`: PDFs written, printed state and hash recorded, exit codes; SQLite and PG."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from desktop.cli.main import main
from desktop.services import ChargeState, Store, get_administration, verify_administration
from desktop.services.facility.settings import FacilityIdentifier, FacilitySettings, UnitPrice, save_facility_settings
from tests.services import conftest as store_fixtures
from tests.services.cli_accounts import cli_accounts
from tests.tickets.conftest import page_texts

# The services' fixtures: every test runs on a real SQLite file and on the real PostgreSQL server.
pg_schema, store_url, store = store_fixtures.pg_schema, store_fixtures.store_url, store_fixtures.store

J9302: dict[str, Any] = {
    "date_of_service": "2026-11-29", "hcpcs": "J9302", "payer_class": "medicare", "facility_type": "dsh",
    "packages": [{"ndc": "0078-0669-13", "count": 3, "acquired_340b": True, "lot": "AZ4471B", "expiry": "2027-06"}],
    "administered_mg": "275", "discarded_mg": "25", "route": "IV",
    "patient": {"mrn": "0048213", "name": "Okafor, Adaeze M.", "date_of_birth": "1957-11-02"},
    "diagnosis_codes": ["C91.10", "Z51.12"], "ordered_dose_mg": "300", "prior_authorization": "PA-88213-X",
    "payer": "Medicare Part B", "infusion_start": "2026-11-29T09:05:00-05:00",
    "infusion_stop": "2026-11-29T13:20:00-05:00", "nurse": "Rachel Patel, RN", "waste_witness": "Tomas Reyes, PharmD",
    "consent_recorded": True,  # fully documented: no documentation warning to acknowledge
}
UNACCOUNTED = J9302 | {"discarded_mg": "0",
                       "patient": {"mrn": "M9", "name": "Held Case", "date_of_birth": "1970-01-01"}}


@pytest.fixture
def cli(store_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Any:
    cli_accounts(store_url, monkeypatch)  # the commands sign in (issue 15)
    def invoke(*argv: str, stdin: str | None = None) -> tuple[int, str, str]:
        if stdin is not None:
            monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        try:
            code = main(["--database-url", store_url, *argv])
        except SystemExit as exc:  # argparse refuses bad arguments this way
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, out, err
    return invoke


def record(cli: Any, body: dict[str, Any], *extra: str) -> int:
    code, out, err = cli("record", "--user", "rn.patel", "--acknowledge", "DOSE_BELOW_ORDER", *extra,
                         stdin=json.dumps(body))
    assert code == 0, err
    return int(json.loads(out)["id"])


def test_ticket_is_written_recorded_and_reprinted(cli: Any, store: Store, tmp_path: Path) -> None:
    administration_id = record(cli, J9302)
    verify_administration(store, administration_id, "charge.entry")
    output = tmp_path / "out" / "ticket.pdf"

    code, out, err = cli("ticket", str(administration_id), "--output", str(output), "--user", "biller")
    assert code == 0, err
    summary = json.loads(out)
    pdf = output.read_bytes()
    assert summary == {"id": administration_id, "visit": 1, "ticket_number": "T-000001", "output": str(output),
                       "sha256": hashlib.sha256(pdf).hexdigest(), "reprint": False, "recorded": True,
                       "state": "ticket_printed", "marked_printed": [administration_id]}
    text = " ".join(page_texts(pdf))
    assert "1 1 J9302 TB 28 Given N4 00078066913" in text and "2 1 J9302 JW TB 2 Discarded N4 00078066913" in text
    detail = get_administration(store, administration_id)
    assert detail.state is ChargeState.TICKET_PRINTED and detail.ticket_pdf_sha256 == summary["sha256"]

    code, out, err = cli("ticket", str(administration_id), "--output", str(output), "--paper", "a4")
    assert code == 0, err
    again = json.loads(out)
    assert again["reprint"] is True and again["recorded"] is True
    assert "REPRINT" in page_texts(output.read_bytes())[0]
    assert get_administration(store, administration_id).ticket_pdf_sha256 == again["sha256"] != summary["sha256"]


def test_unverified_ticket_is_written_but_not_recorded(cli: Any, store: Store, tmp_path: Path) -> None:
    administration_id = record(cli, J9302)
    code, out, err = cli("ticket", str(administration_id), "--output", str(tmp_path / "t.pdf"))
    assert code == 0 and json.loads(out)["recorded"] is False
    assert "not recorded as printed: no drug of visit 1 is verified (administration 1 is recorded)" in err
    assert get_administration(store, administration_id).ticket_pdf_sha256 is None


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ticket", "42", "--output", "{out}"], "infusion-charge ticket: There is no administration 42.\n"),
        (["ticket", "1", "--output", "{out}"], "is held (waste not counted)"),
        (["ticket", "x", "--output", "{out}"], "'x' is not a record id"),
        (["ticket", "1", "--output", "{out}", "--paper", "legal"], "invalid choice: 'legal'"),
        (["ticket", "1"], "the following arguments are required: --output"),
        (["ticket", "--output", "{out}"], "one of the arguments id --visit is required"),
        (["ticket", "1", "--visit", "1", "--output", "{out}"], "not allowed with argument"),
        (["ticket", "--visit", "42", "--output", "{out}"], "infusion-charge ticket: There is no visit 42.\n"),
        (["tickets", "--date", "2026-02-30", "--output", "{out}"],
         "infusion-charge tickets: '--date' must be an ISO date like 2026-11-29, not '2026-02-30'\n"),
        (["tickets", "--date", "2026-12-01", "--output", "{out}"], "There are no tickets for 2026-12-01"),
        (["tickets", "--date", "2026-11-29", "--output", "{out}"], "There are no tickets for 2026-11-29"),
        (["tickets", "--date", "2026-11-29", "--chair", "Chair 7", "--output", "{out}"],
         "There are no tickets for 2026-11-29 at chair 'Chair 7'"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_writes_nothing(
    cli: Any, tmp_path: Path, argv: list[str], message: str
) -> None:
    record(cli, UNACCOUNTED, "--hold-reason", "waste not counted")  # id 1, held: the day has no ticket
    out = tmp_path / "t.pdf"
    code, _, err = cli(*[a.replace("{out}", str(out)) for a in argv])
    assert code == 2 and message in err and "Traceback" not in err
    assert not out.exists()


def test_unwritable_output_exits_2(cli: Any, tmp_path: Path) -> None:
    record(cli, J9302)
    code, _, err = cli("ticket", "1", "--output", str(tmp_path))  # a folder, not a file
    assert code == 2 and f"cannot write {tmp_path}" in err


def test_day_batch_holds_every_ticket_of_the_day(
    cli: Any, store: Store, tmp_path: Path, store_url: str, artifacts_dir: Path
) -> None:
    first = record(cli, J9302 | {"chair": "Chair 3", "discarded_by": "Sam Okoye, RN", "consent_recorded": True})
    second = record(cli, J9302 | {"nurse": "RN Alvarez", "chair": "Chair 4",
                                  "patient": {"mrn": "M2", "name": "Jane Doe", "date_of_birth": "1960-01-02"}})
    voided = record(cli, J9302 | {"patient": {"mrn": "M3", "name": "John Roe", "date_of_birth": "1961-02-03"}})
    assert cli("void", str(voided), "--reason", "entered twice", "--user", "biller")[0] == 0
    record(cli, J9302 | {"date_of_service": "2026-11-30", "infusion_start": None, "infusion_stop": None},
           "--acknowledge", "MISSING_INFUSION_TIMES")  # no times: a documentation warning, acknowledged
    batch = tmp_path / "day.pdf"

    code, out, err = cli("tickets", "--date", "2026-11-29", "--output", str(batch))
    assert code == 0, err
    assert json.loads(out) == {"date": "2026-11-29", "output": str(batch),
                               "tickets": [f"T-{i:06d}" for i in (first, second, voided)]}
    pages = page_texts(batch.read_bytes())
    assert [p.count("Page 1 of 1") for p in pages] == [1, 1, 1]
    assert "T-000001" in pages[0] and "Jane Doe" in pages[1] and "entered twice" in pages[2] and "VOID" in pages[2]

    code, out, _ = cli("tickets", "--date", "2026-11-29", "--nurse", "rn alvarez", "--output", str(batch),
                       "--database-url", store_url)
    assert code == 0 and json.loads(out)["tickets"] == [f"T-{second:06d}"]

    code, out, err = cli("tickets", "--date", "2026-11-29", "--chair", "chair 3", "--output", str(batch))
    assert code == 0 and json.loads(out)["tickets"] == [f"T-{first:06d}"], err
    (page,) = page_texts(batch.read_bytes())
    assert "CHAIR Chair 3" in page and "DISCARDED BY Sam Okoye, RN" in page
    assert "WASTE WITNESS Tomas Reyes, PharmD" in page
    assert "CONSENT RECORDED yes" in page
    code, _, err = cli("tickets", "--date", "2026-11-29", "--chair", "Chair 9", "--nurse", "RN Alvarez",
                       "--output", str(batch))
    assert code == 2 and "no tickets for 2026-11-29 by RN Alvarez at chair 'Chair 9'" in err

    if store_url.startswith("sqlite"):  # one copy of the evidence is enough, with the facility set up
        save_facility_settings(store, FacilitySettings(
            facility_name="Riverside Infusion Center", identifiers=(FacilityIdentifier("NPI", "1234567893"),),
            address="400 River Road, Harrisburg PA 17101", unit_prices=(UnitPrice("J9302", Decimal("148.27")),),
        ), "admin")
        verify_administration(store, first, "charge.entry")
        single = tmp_path / "ticket.pdf"
        assert cli("ticket", str(first), "--output", str(single))[0] == 0
        cli("tickets", "--date", "2026-11-29", "--output", str(batch))
        _keep_as_png(single, artifacts_dir / "cli-ticket")
        _keep_as_png(batch, artifacts_dir / "cli-tickets-batch")


def test_a_visit_of_two_drugs_is_one_ticket_and_printing_marks_both(cli: Any, store: Store, tmp_path: Path) -> None:
    nivolumab = {"hcpcs": "J9299", "packages": [{"ndc": "0003-3734-13", "count": 1, "acquired_340b": False,
                                                 "lot": "NV1", "expiry": "2027-06"}],
                 "administered_mg": "240", "discarded_mg": "0", "infusion_start": "2026-11-29T09:00:00-05:00",
                 "infusion_stop": "2026-11-29T09:30:00-05:00"}
    ipilimumab = {"hcpcs": "J9228", "packages": [{"ndc": "0003-2327-11", "count": 2, "acquired_340b": False,
                                                  "lot": "YV1", "expiry": "2027-06"}],
                  "administered_mg": "70", "discarded_mg": "30", "waste_witness": "Tomas Reyes, PharmD",
                  "infusion_start": "2026-11-29T10:00:00-05:00", "infusion_stop": "2026-11-29T10:30:00-05:00"}
    visit = {key: J9302[key] for key in ("date_of_service", "payer_class", "patient", "diagnosis_codes", "payer",
                                         "consent_recorded")}
    visit |= {"ordering_provider": "Dr. Maya Chen", "ordering_provider_npi": "1245319599",
              "administrations": [nivolumab, ipilimumab]}
    code, out, err = cli("record", "--user", "rn.patel", stdin=json.dumps(visit))
    assert code == 0, err
    recorded = json.loads(out)
    first, second = recorded["administration_ids"]
    for administration_id in (first, second):
        verify_administration(store, administration_id, "charge.entry")
    output = tmp_path / "visit.pdf"
    code, out, err = cli("ticket", "--visit", str(recorded["visit_id"]), "--output", str(output))
    assert code == 0, err
    summary = json.loads(out)
    assert summary["ticket_number"] == f"T-{recorded['visit_id']:06d}" and summary["marked_printed"] == [first, second]
    text = " ".join(page_texts(output.read_bytes()))
    assert "Drug 1 J9299 nivolumab (Opdivo)" in text and "Drug 2 J9228 ipilimumab (Yervoy)" in text
    assert "ORDERING PROVIDER Dr. Maya Chen" in text and "ORDERING NPI 1245319599" in text
    for administration_id in (first, second):
        assert get_administration(store, administration_id).ticket_pdf_sha256 == summary["sha256"]


def _keep_as_png(pdf: Path, stem: Path) -> None:
    """Leave the PDF and its pages as PNG in artifacts/ for people to look at (pdftoppm, when installed)."""
    shutil.copyfile(pdf, stem.with_suffix(".pdf"))
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf), str(stem)], check=True)
