"""The reports as documents (tables of words and numbers, a waste chart) for the screen and for PDF."""

from __future__ import annotations

from decimal import Decimal

from desktop.services.report_views import ReconciliationReport, ReconItem, Report340b, WasteReport
from desktop.tickets.reports.model import ChartSeries, ReportChart, ReportDocument, ReportTable

ITEM_COLUMNS = ("#", "Date", "Patient", "MRN", "Drug", "Status", "Why")
PAYER_WORDS = {"medicare": "Medicare", "medicare_advantage": "Medicare Advantage", "medicaid": "Medicaid",
               "commercial": "Commercial", "self_pay": "Self-pay"}


def number(value: Decimal | int) -> str:
    """Thousands separators, no exponent, no trailing zeros: 12,345.5."""
    if isinstance(value, int):
        return f"{value:,}"
    text = f"{value.normalize():,f}"
    return text


def _period(date_from: object, date_to: object) -> str:
    return f"dates of service {date_from}" if date_from == date_to else f"dates of service {date_from} to {date_to}"


def _items(title: str, items: tuple[ReconItem, ...], empty: str) -> ReportTable:
    rows = tuple((str(i.id), i.date_of_service.isoformat(), i.patient_name, i.patient_mrn, i.hcpcs, i.state, i.why)
                 for i in items)
    return ReportTable(f"{title} ({len(items)})", ITEM_COLUMNS, rows, frozenset({0}), empty=empty,
                       weights=(0.6, 1.1, 1.8, 1.1, 0.8, 1.2, 3.4))


def reconciliation_document(report: ReconciliationReport) -> ReportDocument:
    holds = tuple((h.reason, str(h.count), ", ".join(f"#{i}" for i in h.ids)) for h in report.held_by_reason)
    return ReportDocument(
        title="Reconciliation", subtitle=_period(report.date_from, report.date_to),
        facts=(("Administrations", number(report.administrations)), ("Posted", number(report.posted)),
               ("Without accepted charge", number(len(report.without_accepted_charge))),
               ("Not posted", number(len(report.not_posted))),
               ("Tickets not printed", number(len(report.tickets_not_printed))), ("Voided", number(len(report.voids)))),
        tables=(
            _items("Administrations without an accepted charge", report.without_accepted_charge,
                   "Every administration has an accepted charge."),
            _items("Charges not posted", report.not_posted, "Every accepted charge is posted."),
            _items("Tickets not printed", report.tickets_not_printed, "Every ticket is printed."),
            ReportTable(f"Held charges by reason ({sum(h.count for h in report.held_by_reason)})",
                        ("Reason", "Held", "Administrations"), holds, frozenset({1}), empty="Nothing is held.",
                        weights=(3, 0.7, 4)),
            _items("Voided", report.voids, "Nothing was voided."),
        ),
    )


def waste_document(report: WasteReport) -> ReportDocument:
    rows = tuple((f"{r.drug} ({r.hcpcs})", r.month, number(r.administrations), number(r.discarded_mg),
                  number(r.discarded_units), number(r.jw_units_billed)) for r in report.rows)
    drugs = sorted({(r.hcpcs, r.drug) for r in report.rows})
    months = report.months
    by_key = {(r.hcpcs, r.month): r.discarded_mg for r in report.rows}
    series = tuple(ChartSeries(f"{drug} ({hcpcs})", tuple(by_key.get((hcpcs, m), Decimal(0)) for m in months))
                   for hcpcs, drug in drugs)
    return ReportDocument(
        title="Drug waste", subtitle=_period(report.date_from, report.date_to),
        facts=(("Discarded mg", number(report.total_mg())), ("JW units billed", number(report.total_jw_units())),
               ("Drugs", number(len(drugs))), ("Months", number(len(months)))),
        charts=(ReportChart("Discarded mg per month, by drug", months, series, "mg discarded"),) if rows else (),
        tables=(ReportTable(
            "Waste by drug and month", ("Drug", "Month", "Administrations", "Discarded mg", "Discarded units",
                                        "JW units billed"), rows, frozenset({2, 3, 4, 5}), weights=(2.4, 1, 1, 1, 1, 1),
            note="Voided records are left out. Discarded units = discarded mg / mg per billing unit (not rounded); "
                 "JW units billed count accepted charges only (not held).",
            empty="No waste was recorded for these dates."),),
    )


def units_340b_document(report: Report340b) -> ReportDocument:
    rows = tuple((PAYER_WORDS.get(r.payer_class, r.payer_class), "no 340B modifier" if r.modifier == "none"
                  else r.modifier, "yes" if r.acquired_340b else "no", number(r.lines), number(r.units),
                  number(r.jw_units)) for r in report.rows)
    return ReportDocument(
        title="340B units", subtitle=_period(report.date_from, report.date_to),
        facts=(("Units with JG", number(report.units_with("JG"))), ("Units with TB", number(report.units_with("TB"))),
               ("Units without 340B modifier", number(report.units_with("none")))),
        tables=(ReportTable(
            "Drug units by payer class and 340B modifier",
            ("Payer class", "340B modifier", "340B-acquired vial", "Drug lines", "Units", "of which JW units"),
            rows, frozenset({3, 4, 5}),
            note="Accepted charges (not held, not voided), administered and JW drug lines. A 340B-acquired vial "
                 "without a modifier is expected only where the payer class does not use 340B modifiers.",
            empty="No drug lines for these dates."),),
    )
