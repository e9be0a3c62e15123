"""Tickets from the store, one per visit: read back from the PDF field by field; printed marks for the whole
visit in one transaction; voids, corrections and the day's batch."""

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

from desktop.billing.model import Administration, FacilityType, LineKind, PackageUse, PayerClass
from desktop.billing.tables import load_rules
from desktop.records import DrugEntry, DrugFacts, VisitFacts, field_docs
from desktop.records.fields import display
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
    hold_administration,
    record_administration,
    verify_administration,
    void_administration,
    void_and_replace,
)
from desktop.services.charge_tickets.tickets import (
    day_batch_pdf,
    day_tickets,
    record_ticket_printed,
    record_visit_ticket_printed,
    ticket_pdf,
    visit_ticket_pdf,
)
from desktop.services.facility.settings import FacilityIdentifier, FacilitySettings, UnitPrice, save_facility_settings
from desktop.services.visits.visit_queries import get_visit
from desktop.tickets.text import DASH
from desktop.tickets.ticket_data import PaperSize
from tests.services.conftest import DOS, least_waste_request, make_request, nivolumab, unaccounted_request
from tests.services.people_fixtures import PASSWORD, fast_hasher, people
from tests.tickets.conftest import page_texts

__all__ = ["fast_hasher", "people"]
EASTERN = ZoneInfo("America/New_York")
CHICAGO = ZoneInfo("America/Chicago")
PRINTED_AT = dt.datetime(2026, 11, 29, 17, 42, tzinfo=EASTERN)
SETTINGS = FacilitySettings(
    facility_name="Riverside Infusion Center",
    identifiers=(FacilityIdentifier("NPI", "1234567893"), FacilityIdentifier("Tax ID", "12-3456789")),
    address="400 River Road, Suite 2\nHarrisburg PA 17101",
    unit_prices=(UnitPrice("J9302", Decimal("148.27")), UnitPrice("96413", Decimal("412"))),
)


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, 29, hour, minute, tzinfo=EASTERN)


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
        ordering_provider="Dr. Maya Chen",
        ordering_provider_npi="1245319599",
        ordered_dose_mg=Decimal("300"),
        infusion_start=at(9, 5),
        infusion_stop=at(13, 20),
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


def ipilimumab() -> Administration:
    """Ipilimumab J9228 after the nivolumab of make_request: 2 x 50 mg vials, 70 mg given, 30 mg discarded."""
    vial = load_rules().catalog.package("0003-2327-11")
    assert vial is not None
    return dataclasses.replace(
        nivolumab(), hcpcs="J9228", packages=(vial.opened(2, False, "YV7710C", dt.date(2027, 1, 31)),),
        administered_mg=Decimal(70), discarded_mg=Decimal(30), ordered_dose_mg=Decimal(70),
        infusion_start=at(10, 10), infusion_stop=at(10, 40), infusion_minutes=30)


def two_drug_request(**changes: Any) -> RecordRequest:
    """Nivolumab 09:00-09:30 then ipilimumab 10:10-10:40, one visit, one save."""
    request = make_request(ordering_provider="Dr. Maya Chen", ordering_provider_npi="1245319599",
                           consent_recorded=True, chair="Chair 3", **changes)
    ipi = DrugEntry(ipilimumab(), DrugFacts(waste_witness="Tomás Reyes, PharmD", discarded_by="RN Alvarez"))
    return dataclasses.replace(request, drugs=(*request.drugs, ipi))


def text_of(pdf: bytes) -> str:
    return " ".join(page_texts(pdf))


def render(store: Store, administration_id: int, **options: Any) -> Any:
    return ticket_pdf(store, administration_id, printed_at=PRINTED_AT, zone=EASTERN, **options)


@pytest.fixture
def j9302(store: Store) -> int:
    save_facility_settings(store, SETTINGS, "admin")
    return record_administration(store, j9302_request(), "rn.patel").id


J9302_FIELDS = (
    "Riverside Infusion Center", "NPI 1234567893", "Tax ID 12-3456789", "TICKET NUMBER T-000001",
    "400 River Road, Suite 2 Harrisburg PA 17101",
    "PATIENT Okafor, Adaeze M.", "MRN 0048213", "DATE OF BIRTH 1957-11-02", "DATE OF SERVICE 2026-11-29",
    "PAYER CLASS Medicare", "PLACE OF SERVICE Hospital (POS 22)", "RECORD STATE Recorded",
    "PAYER Medicare Part B (Novitas JL)", "PRIOR AUTHORIZATION PA-88213-X", "DIAGNOSES C91.10, Z51.12",
    "ORDERING PROVIDER Dr. Maya Chen", "ORDERING NPI 1245319599", "ADMINISTERING NURSE Rachel Patel, RN",
    "CHAIR Chair 7", "CONSENT RECORDED yes",
    "Drug 1 J9302 ofatumumab (Arzerra) IV \u00b7 09:05\u201313:20 EST (255 min)",
    "100 mg/5 mL 00078066913 AZ4471B 2027-06-30 \u2014 3 100 mg 340B",
    "ORDERED 300 mg ADMINISTERED 275 mg DISCARDED 25 mg OPENED 300 mg",
    "WASTE WITNESS Tomás Reyes, PharmD DISCARDED BY Rachel Patel, RN",
    "1 1 J9302 TB 28 Given N4 00078066913 ML 13.75 $4,151.56",
    "2 1 J9302 JW TB 2 Discarded N4 00078066913 ML 1.25 $296.54",
    "3 visit 96413 \u2014 1", "4 visit 96415 \u2014 3",
    "Total charge of lines 1\u20133; not counted, no facility price: line 4 (96415) $4,860.10",
    "Administration codes: revision 1 of this visit",
    "WARNING 1 275 mg was given but 300 mg was ordered", "(DOSE_BELOW_ORDER) rn.patel",
    "ADMINISTERING NURSE Rachel Patel, RN signature", "WASTE WITNESS Tomás Reyes, PharmD signature",
    "Printed 2026-11-29 17:42 EST", "Page 1 of 1",
)


def test_j9302_ticket_carries_the_stored_visit(store: Store, j9302: int) -> None:
    ticket = render(store, j9302)
    assert ticket.ticket_number == "T-000001" and ticket.sha256 == hashlib.sha256(ticket.pdf).hexdigest()
    pages = page_texts(ticket.pdf)
    assert len(pages) == 1
    assert [field for field in J9302_FIELDS if field not in pages[0]] == []
    assert "Infusion stopped at 275 mg" not in pages[0]  # the notes are not on_ticket in the definition


def test_every_documented_fact_marked_on_ticket_is_printed_from_the_definition(store: Store, j9302: int) -> None:
    """The ticket has no list of facts of its own: each field with on_ticket prints with its label and value."""
    text = text_of(render(store, j9302).pdf)
    visit = get_visit(store, get_administration(store, j9302).visit_id)
    for doc in field_docs(VisitFacts):
        shown = f"{doc.label.upper()} {display(doc, getattr(visit.facts, doc.name)) or DASH}"
        assert (shown in text) is doc.on_ticket, shown
    for doc in field_docs(DrugFacts):
        assert f"{doc.label.upper()} {display(doc, getattr(visit.active[0].facts, doc.name))}" in text


def test_three_drug_visit_is_one_ticket(store: Store, artifacts_dir: Path) -> None:
    save_facility_settings(store, SETTINGS, "admin")
    outcome = record_administration(store, two_drug_request(), "rn.alvarez")
    third = make_request(administration=dataclasses.replace(nivolumab(), hcpcs="J9299", infusion_start=at(11),
                                                            infusion_stop=at(11, 30)),
                         split_dose_reason="second half of a split dose, ordered by Dr. Chen",
                         ordering_provider="Dr. Maya Chen", ordering_provider_npi="1245319599",
                         consent_recorded=True, chair="Chair 3", acknowledge_all=True)
    record_administration(store, third, "rn.alvarez")
    visit = get_visit(store, outcome.visit_id)
    assert len(visit.administrations) == 3
    tickets = {ticket_pdf(store, adm.id, printed_at=PRINTED_AT, zone=EASTERN).pdf for adm in visit.administrations}
    by_visit = visit_ticket_pdf(store, visit.id, printed_at=PRINTED_AT, zone=EASTERN)
    assert tickets == {by_visit.pdf}  # any drug of the visit gives the visit's one ticket
    (artifacts_dir / "ticket_three_drug_visit.pdf").write_bytes(by_visit.pdf)
    pages = page_texts(by_visit.pdf)
    assert [f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, start=1)] == [True] * len(pages)
    text = " ".join(pages)
    assert by_visit.ticket_number == f"T-{visit.id:06d}" and "DRUGS 3 billed" in text
    for number, adm in enumerate(visit.administrations, start=1):
        assert f"Drug {number} {adm.administration.hcpcs}" in text
    assert "Drug 2 J9228 ipilimumab (Yervoy) IV \u00b7 10:10\u201310:40 EST (30 min)" in text
    assert "50 mg/10 mL 00003232711 YV7710C 2027-01-31 \u2014 2 50 mg Not 340B" in text
    assert "WASTE WITNESS Tomás Reyes, PharmD DISCARDED BY RN Alvarez" in text
    assert "Split dose: second half of a split dose, ordered by Dr. Chen" in text
    for number, line in enumerate(visit.lines, start=1):  # the claim, numbered as the visit bills it
        drug = "visit" if line.kind is LineKind.ADMINISTRATION else str((line.administration or 0) + 1)
        assert f"{number} {drug} {line.hcpcs}" in text, line
    assert f"revision {visit.code_sets[-1].revision} of this visit" in text
    assert text.count("96413") == 1  # one initial service per visit


def test_nurse_prints_as_her_account_names_her_not_the_login(people: Store) -> None:
    from desktop.services.people.accounts import create_user
    from desktop.services.people.roles import Role

    create_user(people, "nora", PASSWORD, Role.NURSE, "admin", "Nora Nurse, RN")
    outcome = record_administration(people, make_request(nurse="nora"), "nora")
    verify_administration(people, outcome.id, "bill", outcome.version)
    text = text_of(render(people, outcome.id).pdf)
    assert "ADMINISTERING NURSE Nora Nurse, RN" in text and "Nora Nurse, RN signature" in text
    assert "RECORD STATE Verified" in text
    assert "nora " not in text.replace("Nora Nurse", "")
    printed = render(people, outcome.id)
    marked = record_ticket_printed(people, outcome.id, printed.sha256, "bill", printed.version)
    assert marked.state is ChargeState.TICKET_PRINTED


def test_times_print_in_the_zone_given_or_the_facility_zone(store: Store, j9302: int) -> None:
    chicago = text_of(ticket_pdf(store, j9302, printed_at=PRINTED_AT, zone=CHICAGO).pdf)
    assert "08:05\u201312:20 CST (255 min)" in chicago and "Printed 2026-11-29 16:42 CST" in chicago
    utc = text_of(ticket_pdf(store, j9302, printed_at=PRINTED_AT, zone=dt.UTC).pdf)
    assert "14:05\u201318:20 UTC" in utc


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
    assert "Facility name not set (Settings)" in text and "$" not in text and "Total charge" not in text
    assert "ORDERED not documented" in text
    assert PdfReader(io.BytesIO(ticket.pdf)).pages[0].mediabox.width == 612  # letter by default


def test_paper_from_settings_or_per_call(store: Store, j9302: int) -> None:
    assert PdfReader(io.BytesIO(render(store, j9302, paper="a4").pdf)).pages[0].mediabox.width // 1 == 595
    save_facility_settings(store, dataclasses.replace(SETTINGS, paper_size=PaperSize.A4), "admin")
    assert PdfReader(io.BytesIO(render(store, j9302).pdf)).pages[0].mediabox.width // 1 == 595
    assert PdfReader(io.BytesIO(render(store, j9302, paper="letter").pdf)).pages[0].mediabox.width == 612
    with pytest.raises(ServiceError, match="letter or a4"):
        render(store, j9302, paper="legal")


def test_printing_marks_every_verified_drug_of_the_visit_at_once(store: Store) -> None:
    outcome = record_administration(store, two_drug_request(), "rn.alvarez")
    first, second = outcome.administration_ids
    unverified = render(store, first)
    assert not unverified.recordable and unverified.state is ChargeState.RECORDED
    with pytest.raises(InvalidStateError, match="only from: verified"):
        record_ticket_printed(store, first, unverified.sha256, "rn.patel", unverified.version)

    verify_administration(store, first, "charge.entry")
    partly = render(store, second)
    assert partly.recordable and partly.recordable_ids == (first,) and partly.visit_state is None
    text = text_of(partly.pdf)
    assert "RECORD STATE Differs by drug" in text and "VERIFIED" in text and "RECORDED" in text
    verify_administration(store, second, "charge.entry")
    both = render(store, second)
    assert both.recordable_ids == (first, second) and both.version > partly.version
    with pytest.raises(ConflictError, match="changed by someone else"):  # rendered before the second was verified
        record_ticket_printed(store, second, partly.sha256, "rn.patel", partly.version)
    marked = record_ticket_printed(store, second, both.sha256, "rn.patel", both.version)
    assert marked.id == second and marked.state is ChargeState.TICKET_PRINTED
    assert [m.id for m in marked.marked] == [first, second] and marked.not_marked == ()
    for administration_id in (first, second):
        assert get_administration(store, administration_id).ticket_pdf_sha256 == both.sha256

    again = visit_ticket_pdf(store, outcome.visit_id, zone=EASTERN)  # printed now: a reprint, other bytes
    assert again.reprint and again.recordable and again.sha256 != both.sha256
    assert "REPRINT" in text_of(again.pdf) and "TICKET PRINTED" not in text_of(again.pdf)
    assert "RECORD STATE Ticket printed" in text_of(again.pdf)
    record_visit_ticket_printed(store, outcome.visit_id, again.sha256, "biller", again.version)
    history = get_administration(store, first).history
    printed = [(h.from_state, h.changed_by) for h in history if h.to_state is ChargeState.TICKET_PRINTED]
    assert printed == [(ChargeState.VERIFIED, "rn.patel"), (ChargeState.TICKET_PRINTED, "biller")]


def test_a_voided_drug_is_struck_out_and_not_billed(store: Store) -> None:
    save_facility_settings(store, SETTINGS, "admin")
    outcome = record_administration(store, two_drug_request(), "rn.alvarez")
    first, second = outcome.administration_ids
    void_administration(store, second, "Given to the wrong patient.", "dana.kim")
    ticket = render(store, first)
    text = text_of(ticket.pdf)
    assert "Drug 2 J9228 ipilimumab (Yervoy) IV" in text and "VOID \u2014 NOT BILLED" in text
    assert "Voided by dana.kim on" in text and "Reason: Given to the wrong patient." in text
    assert "Lines not billed: J9228 x 70; J9228 JW x 30" in text
    assert "DRUGS 1 billed, 1 voided" in text and "VOID \u2014 DO NOT BILL" not in text  # the visit still bills
    claim = text.split("# Drug HCPCS")[1].split("Total")[0]
    assert "J9228" not in claim and "J9299" in claim
    assert {line.hcpcs for line in get_visit(store, outcome.visit_id).lines if line.hcpcs.startswith("J")} == {"J9299"}
    assert "voided drug 2 not billed" in text


def test_fully_voided_visit_carries_the_void_banner(store: Store, j9302: int) -> None:
    void_administration(store, j9302, "Wrong patient selected at the chair.", "dana.kim")
    ticket = render(store, j9302)
    text = text_of(ticket.pdf)
    assert not ticket.recordable and ticket.state is ChargeState.VOIDED and ticket.visit_state is ChargeState.VOIDED
    assert "VOID \u2014 DO NOT BILL FROM THIS TICKET" in text and "Reason: Wrong patient selected at the chair." in text
    assert "Voided by dana.kim" in text and "RECORD STATE Void" in text and "VOID: DO NOT BILL" in text


def test_a_correction_keeps_its_banner_in_the_same_visit(store: Store, j9302: int) -> None:
    corrected = j9302_request(prior_authorization="PA-88213-Y")
    new_id = void_and_replace(store, j9302, "Prior authorization number mistyped.", corrected, "rn.patel").id
    replacement = render(store, new_id)
    original = render(store, j9302)
    assert replacement.pdf == original.pdf  # one visit, one ticket
    text = text_of(replacement.pdf)
    assert "REPLACEMENT: corrected drugs in this visit drug 2 corrects drug 1" in text
    assert "PA-88213-Y" in text and "Corrected by drug 2." in text and "Corrects drug 1 (voided)." in text
    assert "Reason: Prior authorization number mistyped." in text and "DRUGS 1 billed, 1 voided" in text


def test_acknowledged_warning_is_printed_with_who_and_when(store: Store) -> None:
    administration_id = record_administration(store, least_waste_request(acknowledge_all=True), "rn.alvarez").id
    detail = get_administration(store, administration_id)
    (ack,) = detail.acknowledgements
    text = text_of(render(store, administration_id).pdf)
    assert "Warnings acknowledged" in text and f"({ack.code})" in text and "rn.alvarez" in text
    assert ack.acknowledged_at.astimezone(EASTERN).strftime("%Y-%m-%d %H:%M") in text


def test_a_visit_with_a_held_drug_gets_no_ticket_and_unknown_ids_are_not_found(store: Store) -> None:
    held = record_administration(store, unaccounted_request(hold_reason="waste not documented"), "rn").id
    with pytest.raises(InvalidStateError, match="held \\(waste not documented\\)"):
        ticket_pdf(store, held)
    with pytest.raises(NotFoundError, match="no administration 999"):
        ticket_pdf(store, 999)
    with pytest.raises(NotFoundError, match="no visit 999"):
        visit_ticket_pdf(store, 999)
    other = record_administration(store, two_drug_request(mrn="MRN009"), "rn")
    hold_administration(store, other.administration_ids[1], "check the waste log", "biller")
    with pytest.raises(InvalidStateError, match="check the waste log"):
        ticket_pdf(store, other.administration_ids[0])


def test_day_batch_holds_one_ticket_per_visit(store: Store, j9302: int) -> None:
    two = record_administration(store, two_drug_request(mrn="MRN005", name="Two Drugs"), "rn.alvarez")
    voided = record_administration(store, make_request(mrn="MRN002", name="John Roe"), "rn.alvarez")
    void_administration(store, voided.id, "duplicate entry", "biller")
    record_administration(store, unaccounted_request(mrn="MRN003", hold_reason="check waste"), "rn.alvarez")
    other_day = make_request(mrn="MRN004", administration=dataclasses.replace(
        make_request().administration, date_of_service=DOS + dt.timedelta(days=1)), infusion_start=None,
        infusion_stop=None)
    record_administration(store, other_day, "rn.alvarez")

    visits = [get_administration(store, j9302).visit_id, two.visit_id, voided.visit_id]
    numbers = [t.ticket_number for t in day_tickets(store, DOS)]
    assert numbers == [f"T-{i:06d}" for i in visits]  # the held visit and the next day are not
    pages = page_texts(day_batch_pdf(store, DOS))
    for number in numbers:
        assert sum(number in page for page in pages) == 1
    assert "Drug 2 J9228" in pages[1]
    assert "VOID" in pages[2] and "duplicate entry" in pages[2]
    assert all("Page 1 of 1" in page for page in pages)

    assert [t.ticket_number for t in day_tickets(store, DOS, nurse="rn alvarez")] == numbers[1:]
    with pytest.raises(NotFoundError, match="no tickets for 2026-11-29 by Nobody"):
        day_batch_pdf(store, DOS, nurse="Nobody")
    with pytest.raises(NotFoundError, match="no tickets for 2026-12-25"):
        day_batch_pdf(store, dt.date(2026, 12, 25))
    assert [t.ticket_number for t in day_tickets(store, DOS, chair=" chair 7")] == numbers[:1]  # j9302 only
    with pytest.raises(NotFoundError, match="no tickets for 2026-11-29 at chair 'Chair 9'"):
        day_batch_pdf(store, DOS, chair="Chair 9")
    assert len(day_tickets(store, DOS, chair="  ")) == len(numbers)  # a blank chair picks nothing out


def test_expected_allowance_shows_per_line_when_known(store: Store, j9302: int) -> None:
    """The place the reference data's payment limits fill in (issue 14): a column only when one is known."""
    def allowance(line: Any, day: dt.date) -> Decimal | None:
        assert day == DOS
        return Decimal("140.03") * line.units if line.hcpcs == "J9302" else None

    text = text_of(ticket_pdf(store, j9302, printed_at=PRINTED_AT, zone=EASTERN, allowance_for=allowance).pdf)
    assert "Expected allowance" in text and "$3,920.84" in text and "$280.06" in text
    assert "Expected allowance of lines 1, 2; not counted, no payment limit known: lines 3, 4 (96413, 96415) " \
        "$4,200.90" in text
    assert "Expected allowance" not in text_of(render(store, j9302).pdf)
