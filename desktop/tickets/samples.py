"""Example tickets (the J9302 case of the billing rules and variants) for tests, benchmarks and previews."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from desktop.billing.model import Finding, LineKind, NdcDetail, PayerClass, Severity
from desktop.tickets.model import (
    AcknowledgedFinding,
    Facility,
    FacilityIdentifier,
    PaperSize,
    Patient,
    TicketData,
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
    address="400 River Road, Suite 2, Harrisburg PA 17101",
)


def _at(hour: int, minute: int, day: int = 4) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=EASTERN)


def j9302_ticket() -> TicketData:
    """Ofatumumab: 3 x 100 mg vials (NDC 0078-0669-13), 275 mg given, 25 mg discarded, 340B, Medicare."""
    ndc11 = "00078066913"
    lines = (
        TicketLine("J9302", LineKind.ADMINISTERED, 28, ("TB",), NdcDetail(ndc11, "N4", "ML", Decimal("13.75")),
                   J9302_PRICE_PER_UNIT * 28),
        TicketLine("J9302", LineKind.DISCARDED, 2, ("JW", "TB"), NdcDetail(ndc11, "N4", "ML", Decimal("1.25")),
                   J9302_PRICE_PER_UNIT * 2),
    )
    return TicketData(
        facility=FACILITY,
        ticket_number="T-2026-000417",
        patient=Patient("Okafor, Adaeze M.", "0048213", dt.date(1957, 11, 2)),
        date_of_service=dt.date(2026, 3, 4),
        payer="Medicare Part B (Novitas JL)",
        payer_class=PayerClass.MEDICARE,
        diagnosis_codes=("C91.10", "Z51.12"),
        ordered_dose_mg=Decimal("300"),
        route="IV",
        packages=(
            TicketPackage("ofatumumab (Arzerra) 100 mg/5 mL", ndc11, 3, True, lot="AZ4471B",
                          expiry=dt.date(2027, 6, 30), label_mg=Decimal("100")),
        ),
        administered_mg=Decimal("275"),
        discarded_mg=Decimal("25"),
        lines=lines,
        nurse="Rachel Patel, RN",
        printed_at=_at(17, 42),
        prior_auth="PA-88213-X",
        infusion_start=_at(9, 5),
        infusion_stop=_at(13, 20),
        discarded_by="Rachel Patel, RN",
        witness="Tomás Reyes, PharmD",
        findings=(
            AcknowledgedFinding(
                Finding("DOSE_BELOW_ORDER", Severity.WARNING,
                        "275 mg was given but 300 mg was ordered: document why (for example the infusion was "
                        "stopped); payers may expect a modifier on the administration line."),
                "Rachel Patel, RN",
                _at(13, 31),
            ),
        ),
        chair="Chair 7",
    )


def void_ticket() -> TicketData:
    return dataclasses.replace(
        j9302_ticket(),
        void=VoidMark("Wrong patient selected at the chair; re-entered as T-2026-000418.", "Dana Kim (billing)",
                      _at(17, 55)),
    )


def replacement_ticket() -> TicketData:
    return dataclasses.replace(j9302_ticket(), ticket_number="T-2026-000418", replaces_ticket="T-2026-000417",
                               printed_at=_at(18, 2))


def reprint_ticket() -> TicketData:
    return dataclasses.replace(j9302_ticket(), reprint=True, printed_at=_at(9, 15, day=5))


def a4_ticket() -> TicketData:
    return dataclasses.replace(j9302_ticket(), paper=PaperSize.A4)


def usual_largest_ticket() -> TicketData:
    """The largest usual ticket, 4 packages and 6 lines, which must still fit one page."""
    base = j9302_ticket()
    package = base.packages[0]
    small_vials = [dataclasses.replace(package, lot=f"AZ447{i}B", count=1) for i in range(3)]
    large_vial = dataclasses.replace(package, drug="ofatumumab (Arzerra) 1,000 mg/50 mL", ndc11="00078069061",
                                     label_mg=Decimal("1000"), count=1, lot="AZ9001C")
    packages = (*small_vials, large_vial)
    extra = (
        TicketLine("96413", LineKind.ADMINISTRATION, 1),
        TicketLine("96415", LineKind.ADMINISTRATION, 3),
        TicketLine("96417", LineKind.ADMINISTRATION, 1),
        TicketLine("96375", LineKind.ADMINISTRATION, 1),
    )
    return dataclasses.replace(base, packages=packages, lines=base.lines + extra, void=void_ticket().void)


def long_ticket(packages: int = 14, lines: int = 40) -> TicketData:
    """A ticket far past the usual size, to show how tables flow across pages."""
    base = j9302_ticket()
    many_packages = tuple(
        TicketPackage(f"ofatumumab (Arzerra) 100 mg/5 mL #{i + 1}", "00078066913", 1, i % 2 == 0,
                      lot=f"LOT{i + 1:04d}", expiry=dt.date(2027, 1 + i % 12, 1), label_mg=Decimal("100"))
        for i in range(packages)
    )
    many_lines = tuple(
        TicketLine("J9302", LineKind.ADMINISTERED, i + 1, ("TB",) if i % 2 == 0 else (),
                   NdcDetail("00078066913", "N4", "ML", Decimal(i + 1) / 2), J9302_PRICE_PER_UNIT * (i + 1))
        for i in range(lines)
    )
    return dataclasses.replace(base, ticket_number="T-2026-000999", packages=many_packages, lines=many_lines,
                               notes="Long ticket used to check page flow. " * 6)
