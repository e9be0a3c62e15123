"""CSV export: one row per transaction (one claim line of a visit), with the 837 loop 2410 drug data.

A reversal is its own row (record_type reversal, transaction_type CD) with the same positive units and amount
as the charge it names in reverses_transaction_id: the type, never the sign, says it takes back. Columns,
sources and examples: resources/docs/interfaces.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
from collections.abc import Iterable, Iterator

from desktop.interop.claim_codes import place_of_service_code
from desktop.interop.export_model import RunHeader, Transaction, VisitExport, decimal_text, money_text

MAX_MODIFIERS = 4  # a claim line carries at most four modifiers
COLUMNS = (
    "run_id", "file_control_id", "purpose", "record_type", "transaction_type", "transaction_id",
    "reverses_transaction_id", "visit_id", "visit_line_number", "administration_id", "date_of_service",
    "place_of_service", "patient_mrn", "patient_name", "patient_birth_date", "patient_sex", "payer", "payer_class",
    "diagnosis_codes", "prior_authorization", "ordering_provider", "ordering_npi", "rendering_provider",
    "rendering_npi", "billing_npi", "billing_tin", "nurse", "charge_code", "hcpcs",
    *(f"modifier_{n}" for n in range(1, MAX_MODIFIERS + 1)), "units", "line_kind", "revenue_code", "unit_price",
    "line_charge", "lin02_ndc_qualifier", "lin03_ndc11", "ndc10", "ctp04_ndc_quantity", "ctp05_ndc_unit",
    "box24a_ndc", "acquired_340b", "lots", "expiries", "infusion_start", "infusion_stop", "posting_time",
    "entered_by", "reason",
)


def csv_rows(header: RunHeader, visits: Iterable[VisitExport]) -> Iterator[list[str]]:
    """The CSV rows (column names first) as lists of text."""
    yield list(COLUMNS)
    sender = header.sender
    rendering = sender.rendering_provider
    run = (str(header.run_id), header.control_id, header.purpose.value)
    facility = (rendering.name if rendering else "", (rendering.npi or "") if rendering else "", sender.npi,
                sender.tin)
    for visit in visits:
        ordering = visit.ordering_provider
        patient = visit.patient
        shared = (
            visit.date_of_service.isoformat(), place_of_service_code(visit.place_of_service), patient.mrn,
            patient.name, patient.birth_date.isoformat(), patient.sex or "U", visit.payer or "", visit.payer_class,
            ";".join(visit.diagnosis_codes), visit.prior_authorization or "", ordering.name if ordering else "",
            (ordering.npi or "") if ordering else "", *facility, visit.nurse or "",
        )
        for transaction in visit.transactions:
            yield _row(run, visit.visit_id, shared, transaction)


def _row(run: tuple[str, ...], visit_id: int, shared: tuple[str, ...], transaction: Transaction) -> list[str]:
    line = transaction.line
    if len(line.modifiers) > MAX_MODIFIERS:
        raise ValueError(f"visit {visit_id} line {line.visit_line_number} has more than four modifiers")
    modifiers = [*line.modifiers, *([""] * (MAX_MODIFIERS - len(line.modifiers)))]
    amount = line.amount
    return [
        *run, transaction.kind.value, transaction.transaction_type,
        "" if transaction.transaction_id is None else str(transaction.transaction_id),
        "" if transaction.reverses_id is None else str(transaction.reverses_id), str(visit_id),
        str(line.visit_line_number), "" if line.administration_id is None else str(line.administration_id),
        *shared, line.cdm or line.hcpcs, line.hcpcs, *modifiers, str(line.units), line.kind,
        line.revenue_code or "", "" if line.unit_price is None else money_text(line.unit_price),
        "" if amount is None else money_text(amount), (line.ndc_qualifier or "N4") if line.ndc11 else "",
        line.ndc11 or "", line.ndc10 or "", "" if line.ndc_quantity is None else decimal_text(line.ndc_quantity),
        line.ndc_unit or "", line.box24a_ndc, "yes" if line.acquired_340b else "no", ";".join(line.lots),
        ";".join(day.isoformat() if day else "" for day in line.expiries),
        _iso(line.infusion_start), _iso(line.infusion_stop), _iso(transaction.posted_at),
        transaction.entered_by, transaction.reason or "",
    ]


@functools.lru_cache(maxsize=8192)
def _iso(moment: dt.datetime | None) -> str:
    """ISO 8601 with the offset; a drug's times and a visit's posting repeat on each of their lines."""
    return "" if moment is None else moment.isoformat()


def to_csv(header: RunHeader, visits: Iterable[VisitExport]) -> str:
    """The whole export as CSV text (RFC 4180 quoting, CRLF line ends)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(csv_rows(header, visits))
    return buffer.getvalue()
