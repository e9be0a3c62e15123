"""Example tickets (the J9302 case of the billing rules, a three-drug visit, and variants) for tests, benchmarks
and previews. Names, lots, serials and the dexamethasone NDC are made up; the other NDCs are the catalog's."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from desktop.billing.model import Finding, LineKind, NdcDetail, PayerClass, Severity
from desktop.tickets.ticket_data import (
    AcknowledgedFinding,
    Facility,
    FacilityIdentifier,
    PaperSize,
    Patient,
    TicketData,
    TicketDrug,
    TicketFact,
    TicketLine,
    TicketPackage,
    VoidMark,
)

EASTERN = ZoneInfo("America/New_York")
J9302_PRICE_PER_UNIT = Decimal("148.27")

FACILITY = Facility(
    name="Riverside Infusion Center",
    identifiers=(
        FacilityIdentifier("NPI", "1234567893"),
        FacilityIdentifier("Tax ID", "12-3456789"),
        FacilityIdentifier("340B ID", "DSH390123"),
    ),
    address="400 River Road, Suite 2\nHarrisburg PA 17101",
)


def _at(hour: int, minute: int, day: int = 4) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=EASTERN)


def visit_facts(**changes: str) -> tuple[TicketFact, ...]:
    """The documented facts of the sample visit, labelled as the record's definition labels them."""
    values = {
        "Payer": "Medicare Part B (Novitas JL)", "Prior authorization": "PA-88213-X",
        "Diagnoses": "C91.10, Z51.12", "Ordering provider": "Dr. Maya Chen", "Ordering NPI": "1245319599",
        "Administering nurse": "Rachel Patel, RN", "Chair": "Chair 7", "Consent recorded": "yes",
    } | changes
    return tuple(TicketFact(label, value) for label, value in values.items())


def _drug_facts(discarded_by: str = "Rachel Patel, RN", witness: str = "Tomás Reyes, PharmD") -> tuple[TicketFact, ...]:
    return (TicketFact("Waste witness", witness), TicketFact("Discarded by", discarded_by))


def j9302_drug() -> TicketDrug:
    """Ofatumumab: 3 x 100 mg vials (NDC 0078-0669-13), 275 mg given, 25 mg discarded, 340B."""
    ndc11 = "00078066913"
    lines = (
        TicketLine("J9302", LineKind.ADMINISTERED, 28, ("TB",), NdcDetail(ndc11, "N4", "ML", Decimal("13.75")),
                   J9302_PRICE_PER_UNIT * 28, drug=1),
        TicketLine("J9302", LineKind.DISCARDED, 2, ("JW", "TB"), NdcDetail(ndc11, "N4", "ML", Decimal("1.25")),
                   J9302_PRICE_PER_UNIT * 2, drug=1),
    )
    return TicketDrug(
        number=1, hcpcs="J9302", name="ofatumumab (Arzerra)",
        packages=(TicketPackage("100 mg/5 mL", ndc11, 3, True, lot="AZ4471B",
                                expiry=dt.date(2027, 6, 30), label_mg=Decimal("100")),),
        administered_mg=Decimal("275"), discarded_mg=Decimal("25"), lines=lines, route="IV",
        ordered_dose_mg=Decimal("300"), infusion_start=_at(9, 5), infusion_stop=_at(13, 20), facts=_drug_facts(),
    )


def j9302_ticket() -> TicketData:
    """The J9302 visit: one drug, 96413 and 3 x 96415 (4 h 15 min), Medicare."""
    codes = (
        TicketLine("96413", LineKind.ADMINISTRATION, 1, reason="initial chemotherapy infusion, first hour"),
        TicketLine("96415", LineKind.ADMINISTRATION, 3, reason="each additional hour of the infusion (255 min)"),
    )
    return TicketData(
        facility=FACILITY,
        ticket_number="T-2026-000417",
        patient=Patient("Okafor, Adaeze M.", "0048213", dt.date(1957, 11, 2)),
        date_of_service=dt.date(2026, 3, 4),
        payer_class=PayerClass.MEDICARE,
        drugs=(j9302_drug(),),
        code_lines=codes,
        nurse="Rachel Patel, RN",
        printed_at=_at(17, 42),
        facts=visit_facts(),
        state="Verified",
        place_of_service="Hospital outpatient",
        code_revision="Administration codes: revision 1 of this visit (computed 2026-03-04 13:31 EST: recorded).",
        witnesses=("Tomás Reyes, PharmD",),
        findings=(
            AcknowledgedFinding(
                Finding("DOSE_BELOW_ORDER", Severity.WARNING,
                        "275 mg was given but 300 mg was ordered: document why (for example the infusion was "
                        "stopped); payers may expect a modifier on the administration line."),
                "Rachel Patel, RN", _at(13, 31), drug=1,
            ),
        ),
    )


def three_drug_ticket() -> TicketData:
    """Dexamethasone push before nivolumab then ipilimumab: 96413, 96417, 96375; ipilimumab with JW waste."""
    nivolumab = TicketDrug(
        number=2, hcpcs="J9299", name="nivolumab (Opdivo)",
        packages=(TicketPackage("240 mg/24 mL", "00003373413", 1, False, lot="NV2231A",
                                expiry=dt.date(2027, 1, 31), label_mg=Decimal("240"), serial="10045873312"),),
        administered_mg=Decimal("240"), discarded_mg=Decimal("0"), route="IV", ordered_dose_mg=Decimal("240"),
        infusion_start=_at(9, 30), infusion_stop=_at(10, 0), facts=_drug_facts("", ""),
        lines=(TicketLine("J9299", LineKind.ADMINISTERED, 240, (), NdcDetail("00003373413", "N4", "ML", Decimal("24")),
                          Decimal("28.41") * 240, drug=2),),
    )
    ipilimumab = TicketDrug(
        number=3, hcpcs="J9228", name="ipilimumab (Yervoy)",
        packages=(TicketPackage("50 mg/10 mL", "00003232711", 2, False, lot="YV7710C",
                                expiry=dt.date(2026, 12, 31), label_mg=Decimal("50")),),
        administered_mg=Decimal("70"), discarded_mg=Decimal("30"), route="IV", ordered_dose_mg=Decimal("70"),
        infusion_start=_at(10, 10), infusion_stop=_at(10, 40), facts=_drug_facts(),
        lines=(
            TicketLine("J9228", LineKind.ADMINISTERED, 70, (), NdcDetail("00003232711", "N4", "ML", Decimal("14")),
                       Decimal("159.02") * 70, drug=3),
            TicketLine("J9228", LineKind.DISCARDED, 30, ("JW",), NdcDetail("00003232711", "N4", "ML", Decimal("6")),
                       Decimal("159.02") * 30, drug=3),
        ),
    )
    dexamethasone = TicketDrug(
        number=1, hcpcs="J1100", name="dexamethasone sodium phosphate",
        packages=(TicketPackage("10 mg/1 mL", "00000000000", 2, False, lot="DX0912",
                                expiry=dt.date(2027, 9, 30), label_mg=Decimal("10")),),
        administered_mg=Decimal("12"), discarded_mg=Decimal("8"), route="IV push", ordered_dose_mg=Decimal("12"),
        infusion_start=_at(9, 10), infusion_stop=_at(9, 12), facts=_drug_facts(),
        lines=(TicketLine("J1100", LineKind.ADMINISTERED, 12, (), NdcDetail("00000000000", "N4", "ML", Decimal("1.2")),
                          None, drug=1),),
    )
    codes = (
        TicketLine("96413", LineKind.ADMINISTRATION, 1, charge=Decimal("412.00"),
                   reason="initial service: nivolumab, chemotherapy infusion 30 min"),
        TicketLine("96417", LineKind.ADMINISTRATION, 1, charge=Decimal("198.00"),
                   reason="second chemotherapy drug, given after nivolumab: sequential infusion"),
        TicketLine("96375", LineKind.ADMINISTRATION, 1,
                   reason="dexamethasone IV push, sequential to the chemotherapy initial service"),
    )
    base = j9302_ticket()
    return dataclasses.replace(
        base, ticket_number="T-000512", drugs=(dexamethasone, nivolumab, ipilimumab), code_lines=codes,
        facts=visit_facts(Diagnoses="C43.9, Z51.12", **{"Prior authorization": "PA-55120"}),
        code_revision="Administration codes: revision 3 of this visit (computed 2026-03-04 10:44 EST: ipilimumab "
                      "added).",
        findings=(), state="Recorded",
    )


def void_ticket() -> TicketData:
    base = j9302_ticket()
    void = VoidMark("Wrong patient selected at the chair; re-entered as T-2026-000418.", "Dana Kim (billing)",
                    _at(17, 55))
    drugs = tuple(dataclasses.replace(d, void=void, state="") for d in base.drugs)
    return dataclasses.replace(base, drugs=drugs, code_lines=(), void=void, state="Void")


def replacement_ticket() -> TicketData:
    return dataclasses.replace(j9302_ticket(), ticket_number="T-2026-000418", replaces_ticket="T-2026-000417",
                               printed_at=_at(18, 2))


def reprint_ticket() -> TicketData:
    return dataclasses.replace(j9302_ticket(), reprint=True, printed_at=_at(9, 15, day=5))


def a4_ticket() -> TicketData:
    return dataclasses.replace(j9302_ticket(), paper=PaperSize.A4)


def usual_largest_ticket() -> TicketData:
    """The largest usual ticket: three drugs, one voided and corrected by a fourth, which must fit one page."""
    three = three_drug_ticket()
    voided = dataclasses.replace(
        three.drugs[2], void=VoidMark("Wrong vial size entered.", "Rachel Patel, RN", _at(10, 50)),
        replaced_by="drug 4")
    corrected = dataclasses.replace(
        three.drugs[2], number=4, replaces="drug 3",
        packages=(*three.drugs[2].packages,
                  TicketPackage("200 mg/40 mL", "00003232822", 1, False, lot="YV9001D",
                                expiry=dt.date(2027, 2, 28), label_mg=Decimal("200"))),
        lines=tuple(dataclasses.replace(x, drug=4) for x in three.drugs[2].lines))
    return dataclasses.replace(three, drugs=(*three.drugs[:2], voided, corrected),
                               findings=j9302_ticket().findings, state="Differs by drug")


def long_ticket(drugs: int = 6, packages: int = 4) -> TicketData:
    """A ticket far past the usual size, to show how a visit flows across pages."""
    base = j9302_ticket()
    template = base.drugs[0]
    many = tuple(
        dataclasses.replace(
            template, number=n,
            packages=tuple(TicketPackage(f"100 mg/5 mL #{n}.{i + 1}", "00078066913", 1,
                                         i % 2 == 0, lot=f"LOT{n}{i + 1:03d}", expiry=dt.date(2027, 1 + i % 12, 1),
                                         label_mg=Decimal("100")) for i in range(packages)),
            lines=tuple(dataclasses.replace(x, drug=n) for x in template.lines))
        for n in range(1, drugs + 1)
    )
    return dataclasses.replace(base, ticket_number="T-2026-000999", drugs=many,
                               notes="Long ticket used to check page flow. " * 6)
