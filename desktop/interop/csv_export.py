"""CSV export: one row per claim line, with the 837P loop 2410 drug data; reversals carry negative units."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from desktop.interop.export_model import ExportLine, ExportRecord, decimal_text

MAX_MODIFIERS = 4  # a claim line carries at most four modifiers
COLUMNS = (
    "record_type", "transaction_type", "administration_id", "line_number", "date_of_service",
    "patient_mrn", "patient_name", "patient_birth_date", "payer", "payer_class", "diagnosis_codes",
    "hcpcs", *(f"modifier_{n}" for n in range(1, MAX_MODIFIERS + 1)), "units", "line_kind",
    "lin02_ndc_qualifier", "lin03_ndc11", "ctp04_ndc_quantity", "ctp05_ndc_unit", "box24a_ndc",
    "acquired_340b", "nurse", "prior_authorization", "state", "posting_time", "replaces_id", "void_reason",
)


def csv_rows(records: Iterable[ExportRecord]) -> Iterable[list[str]]:
    """The CSV rows (header first) as lists of text."""
    yield list(COLUMNS)
    for record in records:
        for line in record.lines:
            yield _row(record, line)


def _row(record: ExportRecord, line: ExportLine) -> list[str]:
    if len(line.modifiers) > MAX_MODIFIERS:
        raise ValueError(f"administration {record.administration_id} line {line.number} has more than four modifiers")
    modifiers = [*line.modifiers, *([""] * (MAX_MODIFIERS - len(line.modifiers)))]
    quantity = "" if line.ndc_quantity is None else decimal_text(line.ndc_quantity * record.sign)
    return [
        "reversal" if record.reversal else "charge", record.transaction_type, str(record.administration_id),
        str(line.number), record.date_of_service.isoformat(), record.patient_mrn, record.patient_name,
        record.patient_birth_date.isoformat(), record.payer or "", record.payer_class,
        ";".join(record.diagnosis_codes), line.hcpcs, *modifiers, str(line.units * record.sign), line.kind,
        (line.ndc_qualifier or "N4") if line.ndc11 else "", line.ndc11 or "", quantity, line.ndc_unit or "",
        line.box24a_ndc, "yes" if line.acquired_340b else "no", record.nurse or "",
        record.prior_authorization or "", record.state, record.posting_time.isoformat(),
        "" if record.replaces_id is None else str(record.replaces_id), record.void_reason or "",
    ]


def to_csv(records: Iterable[ExportRecord]) -> str:
    """The whole export as CSV text (RFC 4180 quoting, CRLF line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(csv_rows(records))
    return buffer.getvalue()
