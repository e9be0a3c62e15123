"""Tickets from the store: the J9302 record read back from its PDF, printed/reprint marks, void, replacement, batch."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from desktop.billing.model import Administration, FacilityType, PackageUse, PayerClass
from desktop.billing.tables import load_rules
from desktop.services import (
    ChargeState,
    ConflictError,
    InvalidStateError,
    NotFoundError,
    PatientInput,
    RecordRequest,
    ServiceError,
    Store,
    get_administration,
    record_administration,
    verify_administration,
    void_administration,
    void_and_replace,
)
from desktop.services.settings import FacilityIdentifier, FacilitySettings, UnitPrice, save_facility_settings
from desktop.services.tickets import day_batch_pdf, day_tickets, record_ticket_printed, ticket_pdf
from desktop.tickets.model import PaperSize
from tests.services.conftest import DOS, least_waste_request, make_request, unaccounted_request
from tests.tickets.conftest import page_texts

EASTERN = ZoneInfo("America/New_York")
PRINTED_AT = dt.datetime(2026, 11, 29, 17, 42, tzinfo=EASTERN)
SETTINGS = FacilitySettings(
    facility_name="Riverside Infusion Center",
    identifiers=(FacilityIdentifier("NPI", "1234567893"), FacilityIdentifier("Tax ID", "12-3456789")),
    unit_prices=(UnitPrice("J9302", Decimal("148.27")),),
)


def j9302_request(**changes: Any) -> RecordRequest:
    """The worked example: 3 x 100 mg ofatumumab vials (340B), 275 mg given, 25 mg discarded, Medicare."""
    administration = Administration(
        date_of_service=DOS, hcpcs="J9302", payer_class=PayerClass.MEDICARE, facility_type=FacilityType.DSH,
        packages=(ofatumumab_vials(),), administered_mg=Decimal("275"), discarded_mg=Decimal("25"),
        infusion_minutes=255, route="IV", ordered_dose_mg=Decimal("300"),
    )
    documented: dict[str, Any] = dict(
        patient=PatientInput("0048213", "Okafor, Adaeze M.", dt.date(1957, 11, 2)),
        administration=administration,
        diagnosis_codes=("C91.10", "Z51.12"),
        payer="Medicare Part B (Novitas JL)",
        prior_authorization="PA-88213-X",
        ordered_dose_mg=Decimal("300"),
        infusion_start=dt.datetime(2026, 11, 29, 9, 5, tzinfo=EASTERN),
        infusion_stop=dt.datetime(2026, 11, 29, 13, 20, tzinfo=EASTERN),
        nurse="Rachel Patel, RN",
        waste_witness="Tomás Reyes, PharmD",
        discarded_by="Rachel Patel, RN",
        chair="Chair 7",
        consent_recorded=True,
        notes="Infusion stopped at 275 mg for a reaction.",
        acknowledged_codes=frozenset({"DOSE_BELOW_ORDER"}),
    )
    return make_request(**(documented | changes))


def ofatumumab_vials() -> PackageUse:
    entry = load_rules().catalog.package("0078-0669-13")
    assert entry is not None
    return entry.opened(3, True, lot="AZ4471B", expiry=dt.date(2027, 6, 30))


def text_of(pdf: bytes) -> str:
    return " ".join(page_texts(pdf))


def render(store: Store, administration_id: int, **options: Any) -> Any:
    return ticket_pdf(store, administration_id, printed_at=PRINTED_AT, zone=EASTERN, **options)


@pytest.fixture
def j9302(store: Store) -> int:
    save_facility_settings(store, SETTINGS, "admin")
    return record_administration(store, j9302_request(), "rn.patel").id


J9302_FIELDS = (
    "Riverside Infusion Center", "NPI 1234567893", "Tax ID 12-3456789", "T-000001",
    "PATIENT Okafor, Adaeze M.", "MRN 0048213", "DATE OF BIRTH 1957-11-02", "DATE OF SERVICE 2026-11-29",
    "PAYER Medicare Part B (Novitas JL)", "PAYER CLASS Medicare", "PRIOR AUTHORIZATION PA-88213-X", "CHAIR Chair 7",
    "DIAGNOSIS (ICD-10-CM) C91.10, Z51.12", "ORDERED DOSE / ROUTE 300 mg IV",
    "INFUSION START 09:05 EST", "INFUSION STOP 13:20 EST (255 min)",
    "ofatumumab (Arzerra) 100 mg/5 mL 00078066913 AZ4471B 2027-06-30 3 100 mg 340B",
    "ADMINISTERED 275 mg", "DISCARDED 25 mg", "OPENED (LABEL) 300 mg",
    "DISCARDED BY Rachel Patel, RN", "WITNESS Tomás Reyes, PharmD",
    "1 J9302 TB 28 Given N4 00078066913 ML 13.75 $4,151.56",
    "2 J9302 JW TB 2 Discarded N4 00078066913 ML 1.25 $296.54",
    "96413", "96415", "Infusion stopped at 275 mg for a reaction.",
    "WARNING 275 mg was given but 300 mg was ordered", "(DOSE_BELOW_ORDER) rn.patel",
    "ADMINISTERING NURSE Rachel Patel, RN", "Printed 2026-11-29 17:42 EST", "Page 1 of 1",
)


def test_j9302_ticket_carries_the_stored_record(store: Store, j9302: int) -> None:
    ticket = render(store, j9302)
    assert ticket.ticket_number == "T-000001" and ticket.sha256 == hashlib.sha256(ticket.pdf).hexdigest()
    pages = page_texts(ticket.pdf)
    assert len(pages) == 1
    assert [field for field in J9302_FIELDS if field not in pages[0]] == []


def test_who_discarded_is_printed_as_recorded_not_guessed(store: Store, artifacts_dir: Path) -> None:
    save_facility_settings(store, SETTINGS, "admin")
    other = record_administration(store, j9302_request(discarded_by="Sam Okoye, RN", chair="Bay 2"), "rn.patel").id
    ticket = render(store, other)
    (artifacts_dir / "ticket_chair_discarded_by.pdf").write_bytes(ticket.pdf)
    text = text_of(ticket.pdf)
    assert "DISCARDED BY Sam Okoye, RN" in text and "CHAIR Bay 2" in text
    assert "ADMINISTERING NURSE Rachel Patel, RN" in text
    undocumented = record_administration(
        store, j9302_request(discarded_by=None, chair=None, patient=PatientInput("7", "Roe, Jon", DOS)), "rn.patel").id
    text = text_of(render(store, undocumented).pdf)
    assert "DISCARDED BY \u2014" in text and "CHAIR \u2014" in text  # a dash, never the nurse as a guess


def test_plain_ticket_has_no_status_marks_and_is_reproducible(store: Store, j9302: int) -> None:
    first, second = render(store, j9302), render(store, j9302)
    assert first.pdf == second.pdf and not first.reprint
    text = text_of(first.pdf)
    for mark in ("VOID", "REPRINT", "REPLACEMENT", "0078-0669-13"):
        assert mark not in text


def test_unpriced_codes_and_unset_facility_use_the_defaults(store: Store) -> None:
    administration_id = record_administration(store, j9302_request(ordered_dose_mg=None), "rn.patel").id
    ticket = render(store, administration_id)
    text = text_of(ticket.pdf)
    assert "Facility name not set (Settings)" in text and "$" not in text
    assert "ORDERED DOSE / ROUTE not documented IV" in text
    assert PdfReader(io.BytesIO(ticket.pdf)).pages[0].mediabox.width == 612  # letter by default


def test_paper_from_settings_or_per_call(store: Store, j9302: int) -> None:
    assert PdfReader(io.BytesIO(render(store, j9302, paper="a4").pdf)).pages[0].mediabox.width // 1 == 595
    save_facility_settings(store, dataclasses.replace(SETTINGS, paper_size=PaperSize.A4), "admin")
    assert PdfReader(io.BytesIO(render(store, j9302).pdf)).pages[0].mediabox.width // 1 == 595
    assert PdfReader(io.BytesIO(render(store, j9302, paper="letter").pdf)).pages[0].mediabox.width == 612
    with pytest.raises(ServiceError, match="letter or a4"):
        render(store, j9302, paper="legal")


def test_print_is_recorded_with_its_hash_and_the_next_print_is_a_reprint(store: Store, j9302: int) -> None:
    unverified = render(store, j9302)
    assert not unverified.recordable and unverified.state is ChargeState.RECORDED
    with pytest.raises(InvalidStateError, match="only from: verified"):
        record_ticket_printed(store, j9302, unverified.sha256, "rn.patel", unverified.version)

    verify_administration(store, j9302, "charge.entry")
    first = render(store, j9302)
    assert first.recordable and not first.reprint
    outcome = record_ticket_printed(store, j9302, first.sha256, "rn.patel", first.version)
    assert outcome.state is ChargeState.TICKET_PRINTED
    assert get_administration(store, j9302).ticket_pdf_sha256 == hashlib.sha256(first.pdf).hexdigest()

    second = ticket_pdf(store, j9302, zone=EASTERN)  # printed now, so its bytes and hash differ
    assert second.reprint and second.recordable and second.sha256 != first.sha256
    assert "REPRINT" in text_of(second.pdf) and "(reprint)" in text_of(second.pdf)
    record_ticket_printed(store, j9302, second.sha256, "biller", second.version)
    detail = get_administration(store, j9302)
    assert detail.ticket_pdf_sha256 == second.sha256
    printed = [(h.from_state, h.changed_by) for h in detail.history if h.to_state is ChargeState.TICKET_PRINTED]
    assert printed == [(ChargeState.VERIFIED, "rn.patel"), (ChargeState.TICKET_PRINTED, "biller")]


def test_a_ticket_rendered_before_a_change_is_not_recorded(store: Store, j9302: int) -> None:
    verify_administration(store, j9302, "charge.entry")
    stale = render(store, j9302)
    void_administration(store, j9302, "entered twice", "biller")
    with pytest.raises(ConflictError, match="changed by someone else"):
        record_ticket_printed(store, j9302, stale.sha256, "rn.patel", stale.version)


def test_voided_ticket_shows_void_reason_and_who(store: Store, j9302: int) -> None:
    void_administration(store, j9302, "Wrong patient selected at the chair.", "dana.kim")
    ticket = render(store, j9302)
    text = text_of(ticket.pdf)
    assert not ticket.recordable and ticket.state is ChargeState.VOIDED
    assert "VOID" in text and "Reason: Wrong patient selected at the chair." in text
    assert "Voided by dana.kim" in text


def test_void_and_replace_names_the_replaced_ticket(store: Store, j9302: int) -> None:
    corrected = j9302_request(prior_authorization="PA-88213-Y")
    new_id = void_and_replace(store, j9302, "Prior authorization number mistyped.", corrected, "rn.patel").id
    replacement = text_of(render(store, new_id).pdf)
    assert "REPLACEMENT: replaces ticket T-000001" in replacement and "PA-88213-Y" in replacement
    assert "VOID" not in replacement.replace("is void", "")
    original = text_of(render(store, j9302).pdf)
    assert "VOID" in original and "Prior authorization number mistyped." in original
    assert f"Replaced by ticket T-{new_id:06d}; bill from that ticket." in original


def test_acknowledged_warning_is_printed_with_who_and_when(store: Store) -> None:
    administration_id = record_administration(store, least_waste_request(acknowledge_all=True), "rn.alvarez").id
    detail = get_administration(store, administration_id)
    (ack,) = detail.acknowledgements
    text = text_of(render(store, administration_id).pdf)
    assert "Warnings acknowledged" in text and f"({ack.code})" in text and "rn.alvarez" in text
    assert ack.acknowledged_at.astimezone(EASTERN).strftime("%Y-%m-%d %H:%M") in text


def test_held_record_gets_no_ticket_and_unknown_id_is_not_found(store: Store) -> None:
    held = record_administration(store, unaccounted_request(hold_reason="waste not documented"), "rn").id
    with pytest.raises(InvalidStateError, match="held \\(waste not documented\\)"):
        ticket_pdf(store, held)
    with pytest.raises(NotFoundError, match="no administration 999"):
        ticket_pdf(store, 999)


def test_day_batch_holds_every_ticket_of_the_day(store: Store, j9302: int) -> None:
    second = record_administration(store, make_request(), "rn.alvarez").id
    voided = record_administration(store, make_request(mrn="MRN002", name="John Roe"), "rn.alvarez").id
    void_administration(store, voided, "duplicate entry", "biller")
    record_administration(store, unaccounted_request(mrn="MRN003", hold_reason="check waste"), "rn.alvarez")
    other_day = make_request(mrn="MRN004", administration=dataclasses.replace(
        make_request().administration, date_of_service=DOS + dt.timedelta(days=1)))
    record_administration(store, other_day, "rn.alvarez")

    numbers = [t.ticket_number for t in day_tickets(store, DOS)]
    assert numbers == [f"T-{i:06d}" for i in (j9302, second, voided)]  # the held one and the next day are not
    pages = page_texts(day_batch_pdf(store, DOS))
    for number in numbers:
        assert sum(number in page for page in pages) == 1
    assert "VOID" in pages[2] and "duplicate entry" in pages[2]
    assert all("Page 1 of 1" in page for page in pages)

    assert [t.ticket_number for t in day_tickets(store, DOS, nurse="rn alvarez")] == numbers[1:]
    with pytest.raises(NotFoundError, match="no tickets for 2026-11-29 by Nobody"):
        day_batch_pdf(store, DOS, nurse="Nobody")
    with pytest.raises(NotFoundError, match="no tickets for 2026-12-25"):
        day_batch_pdf(store, dt.date(2026, 12, 25))

    assert [t.ticket_number for t in day_tickets(store, DOS, chair=" chair 7")] == numbers[:1]  # j9302 only
    assert [t.chair for t in day_tickets(store, DOS, chair="CHAIR 7")] == ["Chair 7"]
    with pytest.raises(NotFoundError, match="no tickets for 2026-11-29 at chair 'Chair 9'"):
        day_batch_pdf(store, DOS, chair="Chair 9")
    assert len(day_tickets(store, DOS, chair="  ")) == len(numbers)  # a blank chair picks nothing out
