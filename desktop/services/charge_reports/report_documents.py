"""The reports as documents (tables of words and numbers, a waste chart) for the screen and for PDF."""

from __future__ import annotations

from decimal import Decimal

from desktop.records.payer_words import payer_words
from desktop.report_pdfs.report_document import ChartSeries, ReportChart, ReportDocument, ReportTable
from desktop.services.charge_reports.report_rows import ReconciliationReport, ReconItem, Report340b, WasteReport

ITEM_COLUMNS = ("#", "Date", "Patient", "MRN", "Drug", "Status", "Why")


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


def money(value: Decimal) -> str:
    """Dollars to the cent with thousands separators: $12,345.60."""
    return f"${value:,.2f}"


def _unpriced(codes: tuple[str, ...]) -> str:
    return (f" No payment limit was in force for {', '.join(codes)} on some dates: their units are not counted "
            "in dollars.") if codes else ""


def waste_document(report: WasteReport) -> ReportDocument:
    priced = bool(report.priced_with)
    drugs = sorted({(r.hcpcs, r.drug) for r in report.rows})
    months = report.months
    columns = ["Drug", "Month", "Administrations", "Discarded mg", "Discarded units", "JW units billed"]
    weights = [2.4, 1, 1, 1, 1, 1]
    if priced:
        columns += ["JW billed $", "Missed JW units", "Missed JW $"]
        weights += [1.1, 1, 1.1]
    rows = tuple(
        (f"{r.drug} ({r.hcpcs})", r.month, number(r.administrations), number(r.discarded_mg),
         number(r.discarded_units), number(r.jw_units_billed))
        + ((money(r.jw_dollars), number(r.missed_jw_units), money(r.missed_jw_dollars)) if priced else ())
        for r in report.rows)
    if priced:
        by_dollars = {(r.hcpcs, r.month): r.waste_dollars for r in report.rows}
        series = tuple(ChartSeries(f"{drug} ({hcpcs})", tuple(by_dollars.get((hcpcs, m), Decimal(0)) for m in months))
                       for hcpcs, drug in drugs)
        chart = ReportChart("Waste value per month, by drug (JW billed + missed)", months, series,
                            "dollars at the ASP payment limit")
    else:
        by_mg = {(r.hcpcs, r.month): r.discarded_mg for r in report.rows}
        series = tuple(ChartSeries(f"{drug} ({hcpcs})", tuple(by_mg.get((hcpcs, m), Decimal(0)) for m in months))
                       for hcpcs, drug in drugs)
        chart = ReportChart("Discarded mg per month, by drug", months, series, "mg discarded")
    facts = [("Discarded mg", number(report.total_mg())), ("JW units billed", number(report.total_jw_units()))]
    if priced:  # six boxes fit a page's width: the months show in the chart
        facts += [("JW billed", money(report.total_jw_dollars())), ("Missed JW", money(report.total_missed_dollars())),
                  ("Missed JW units", number(report.total_missed_units())), ("Drugs", number(len(drugs)))]
    else:
        facts += [("Drugs", number(len(drugs))), ("Months", number(len(months)))]
    note = ("Voided records are left out. Discarded units = discarded mg / mg per billing unit (not rounded); "
            "JW units billed count accepted charges only (not held).")
    if priced:
        note += (f" Dollars: units x the payment limit in force on each date of service ({report.priced_with}), "
                 "what Medicare allows; other payers pay their own prices. Missed JW: whole units of waste a JW "
                 "line could carry that no accepted JW line carries (documented waste that could not be billed, "
                 "held charges, drug not accounted for)." + _unpriced(report.unpriced_codes))
    else:
        note += " No ASP pricing file is in force for these dates: import one (Administration) for dollars."
    return ReportDocument(
        title="Drug waste", subtitle=_period(report.date_from, report.date_to), facts=tuple(facts),
        charts=(chart,) if rows else (),
        tables=(ReportTable("Waste by drug and month", tuple(columns), rows, frozenset(range(2, len(columns))),
                            weights=tuple(weights), note=note, empty="No waste was recorded for these dates."),),
    )


def units_340b_document(report: Report340b) -> ReportDocument:
    priced = bool(report.priced_with)
    columns = ["Payer class", "340B modifier", "340B-acquired vial", "Drug lines", "Units", "of which JW units"]
    if priced:
        columns += ["Dollars", "of which JW $"]
    rows = tuple((payer_words(r.payer_class), "no 340B modifier" if r.modifier == "none"
                  else r.modifier, "yes" if r.acquired_340b else "no", number(r.lines), number(r.units),
                  number(r.jw_units)) + ((money(r.dollars), money(r.jw_dollars)) if priced else ())
                 for r in report.rows)
    facts = [("Units with JG", number(report.units_with("JG"))), ("Units with TB", number(report.units_with("TB"))),
             ("Units without 340B modifier", number(report.units_with("none")))]
    if priced:
        facts += [("Dollars with JG", money(report.dollars_with("JG"))),
                  ("Dollars with TB", money(report.dollars_with("TB")))]
    note = ("Accepted charges (not held, not voided), administered and JW drug lines. A 340B-acquired vial "
            "without a modifier is expected only where the payer class does not use 340B modifiers.")
    if priced:
        note += (f" Dollars: units x the ASP payment limit in force on each date of service ({report.priced_with})."
                 + _unpriced(report.unpriced_codes))
    return ReportDocument(
        title="340B units", subtitle=_period(report.date_from, report.date_to), facts=tuple(facts),
        tables=(ReportTable(
            "Drug units by payer class and 340B modifier", tuple(columns), rows, frozenset(range(3, len(columns))),
            note=note, empty="No drug lines for these dates."),),
    )
