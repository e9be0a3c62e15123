"""HL7 v2.5.1 DFT^P03 batch file: one message per visit, one FT1 (+ ZFT, NTE) per transaction.

Layout, field sources and examples: resources/docs/interfaces.md (the interface specification). Conventions:
- a reversal is FT1-6 CD (credit) with the same positive quantity and amount as the charge it takes back; ZFT-2
  names that charge's transaction id (FT1-2);
- the NDC quantity and unit are structured in ZFT-5/ZFT-6 (a Z-segment, since v2.5.1 FT1 has no field for them;
  v2.7 put them in FT1-43), the NTE repeats them for people;
- control ids come from the run's number, never reused: FHS-11 ICC<run>, BHS-11 ICC<run>B, MSH-10 ICC<run>M<n>;
  a re-send carries new ones, and FHS-12/BHS-12 name the run it sends again.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator

from desktop.interop import er7
from desktop.interop.claim_codes import hl7_code_system, place_of_service_code
from desktop.interop.er7 import components, escape, joined_components, repeated, segment, subcomponents
from desktop.interop.export_model import (
    SENDING_APPLICATION,
    ExportLine,
    Provider,
    Purpose,
    RunHeader,
    Transaction,
    TransactionKind,
    VisitExport,
    control_id,
    decimal_text,
    money_text,
    split_name,
)

VERSION = "2.5.1"
NPI_AUTHORITY = subcomponents("NPI", "2.16.840.1.113883.4.6", "ISO")  # XCN-9: the NPI registry's OID
LOCAL_CHARGE_CODES = "L"  # table 0396: the receiver's charge master (FT1-7) is a local code system


def to_hl7(header: RunHeader, visits: Iterable[VisitExport]) -> str:
    """The whole batch file: FHS, BHS, one DFT^P03 per visit, BTS, FTS (every segment ends in CR)."""
    body = list(_messages(header, visits))
    lines = [_file_header(header, "FHS"), _file_header(header, "BHS"), *body,
             segment("BTS", {1: str(len(body)), 2: escape(_comment(header))}),
             segment("FTS", {1: "1"})]
    return er7.SEGMENT_END.join(lines) + er7.SEGMENT_END


def _comment(header: RunHeader) -> str:
    if header.purpose is Purpose.PREVIEW:
        return "PREVIEW: not billing transactions, do not post"
    if header.purpose is Purpose.RESEND and header.resend_of is not None:
        return f"Re-send of run {header.resend_of}: the same transactions, sent again on purpose"
    return f"Billing run {header.run_id}"


def _file_header(header: RunHeader, name: str) -> str:
    """FHS or BHS (same layout): sender, receiver, time, comment, control id and, for a re-send, the original's."""
    sender = header.sender
    own = header.control_id if name == "FHS" else header.batch_control_id
    again = None
    if header.resend_of is not None:
        again = control_id(header.resend_of) + ("" if name == "FHS" else "B")
    return segment(name, {
        2: er7.ENCODING_CHARACTERS, 3: escape(SENDING_APPLICATION), 4: _facility(header),
        5: escape(sender.receiving_application), 6: escape(sender.receiving_facility),
        7: er7.timestamp(header.created_at), 10: escape(_comment(header)), 11: own, 12: again or "",
    })


def _facility(header: RunHeader) -> str:
    return components(header.sender.hl7_facility, header.sender.npi, "L" if header.sender.npi else None)


def _messages(header: RunHeader, visits: Iterable[VisitExport]) -> Iterator[str]:
    run = _RunParts(header)
    for number, visit in enumerate(visits, start=1):
        yield er7.SEGMENT_END.join(message_segments(header, visit, header.message_control_id(number), run))


class _RunParts:
    """What every message of a run shares, encoded once (a month is twenty thousand messages: issue 16)."""

    def __init__(self, header: RunHeader) -> None:
        sender = header.sender
        created = er7.timestamp(header.created_at)
        self.msh_start = segment("MSH", {
            2: er7.ENCODING_CHARACTERS, 3: escape(SENDING_APPLICATION), 4: _facility(header),
            5: escape(sender.receiving_application), 6: escape(sender.receiving_facility), 7: created,
            9: "DFT^P03^DFT_P03", 10: "\0"}).removesuffix("\0")
        self.msh_end = f"|{header.processing_id}|{VERSION}"
        self.evn = segment("EVN", {1: "P03", 2: created, 5: components(header.created_by)})
        self.authority = subcomponents(sender.mrn_authority, sender.npi, "L" if sender.npi else None)
        self.rendering = _person(sender.rendering_provider)


def message_segments(header: RunHeader, visit: VisitExport, message_control_id: str,
                     run: _RunParts | None = None) -> list[str]:
    """The segments of one visit's DFT^P03, in order."""
    run = run or _RunParts(header)
    authority = run.authority
    family, given = split_name(visit.patient.name)
    patient = visit.patient
    lines = [
        run.msh_start + message_control_id + run.msh_end,
        run.evn,
        segment("PID", {
            1: "1", 3: joined_components(escape(patient.mrn), "", "", authority, "MR"),
            5: components(family, given), 7: er7.date(patient.birth_date), 8: patient.sex or "U",
            18: joined_components(str(visit.visit_id), "", "", authority, "AN"),
        }),
        segment("PV1", {
            1: "1", 2: "O", 3: components(None, None, visit.chair), 7: run.rendering,
            8: _person(visit.ordering_provider),
            19: joined_components(str(visit.visit_id), "", "", authority, "VN"),
            20: escape(visit.payer_class), 44: er7.date(visit.date_of_service),
        }),
    ]
    shared = _VisitParts(run, visit)
    for set_id, transaction in enumerate(visit.transactions, start=1):
        lines.append(_ft1(shared, transaction, set_id))
        notes = _notes(transaction)
        if notes:
            lines.append(segment("NTE", {1: "1", 3: repeated(escape(n) for n in notes)}))
        lines.append(_zft(shared, transaction, set_id))
    for set_id, code in enumerate(visit.diagnosis_codes, start=1):
        lines.append(segment("DG1", {1: str(set_id), 3: components(code, None, "I10"), 6: "F"}))
    return lines


class _VisitParts:
    """The fields every FT1 and ZFT of one visit repeats, encoded once."""

    def __init__(self, run: _RunParts, visit: VisitExport) -> None:
        self.day = er7.date(visit.date_of_service)
        self.diagnoses = repeated(components(code, None, "I10") for code in visit.diagnosis_codes)
        nurse = components(None, *split_name(visit.nurse)) if visit.nurse else ""
        self.performed = repeated(p for p in (run.rendering, nurse) if p)
        self.ordered = _person(visit.ordering_provider)
        self.place = place_of_service_code(visit.place_of_service)


@functools.lru_cache(maxsize=1024)
def _person(provider: Provider | None) -> str:
    """XCN of a provider: NPI, family and given name, the NPI registry as assigning authority."""
    if provider is None:
        return ""
    family, given = split_name(provider.name)
    if not provider.npi:
        return components(None, family, given)
    return joined_components(escape(provider.npi), escape(family), escape(given), "", "", "", "", "",
                             NPI_AUTHORITY, "L", "", "", "NPI")


def _ft1(shared: _VisitParts, transaction: Transaction, set_id: int) -> str:
    line = transaction.line
    system = hl7_code_system(line.hcpcs)
    amount = line.amount
    description = line.description
    return er7.fields("FT1", (
        str(set_id),  # 1
        "" if transaction.transaction_id is None else str(transaction.transaction_id),  # 2
        "", shared.day, er7.timestamp(transaction.posted_at),  # 3, 4, 5
        transaction.transaction_type or "CG",  # 6
        (components(line.cdm, description, LOCAL_CHARGE_CODES) if line.cdm
         else components(line.hcpcs, description, system)),  # 7
        escape(description), "", str(line.units),  # 8, 9, 10
        "" if amount is None else subcomponents(money_text(amount), "USD"),  # 11
        "" if line.unit_price is None else subcomponents(money_text(line.unit_price), "USD"),  # 12
        "", "", "", "", "", "",  # 13-18
        shared.diagnoses, shared.performed, shared.ordered, "", "",  # 19, 20, 21, 22, 23
        components(transaction.entered_by), components(line.hcpcs, None, system),  # 24, 25
        repeated(escape(m) for m in line.modifiers), "", "",  # 26, 27, 28
        components(line.ndc11, None, "NDC") if line.ndc11 else "",  # 29
    ))


def _zft(shared: _VisitParts, transaction: Transaction, set_id: int) -> str:
    """ZFT: what FT1 has no field for in v2.5.1 (resources/docs/interfaces.md lists each field)."""
    line = transaction.line
    return er7.fields("ZFT", (
        str(set_id),  # 1
        "" if transaction.reverses_id is None else str(transaction.reverses_id),  # 2
        (line.ndc_qualifier or "N4") if line.ndc11 else "", line.ndc11 or "",  # 3, 4
        "" if line.ndc_quantity is None else decimal_text(line.ndc_quantity), line.ndc_unit or "",  # 5, 6
        line.revenue_code or "", shared.place,  # 7, 8
        repeated(escape(lot) for lot in line.lots),  # 9
        repeated(er7.date(day) if day else "" for day in line.expiries),  # 10
        er7.timestamp(line.infusion_start) if line.infusion_start else "",  # 11
        er7.timestamp(line.infusion_stop) if line.infusion_stop else "",  # 12
        str(line.visit_line_number),  # 13
    ))


def _notes(transaction: Transaction) -> list[str]:
    """The NTE for people: the NDC data as one reads it, the lots, and why a reversal."""
    line = transaction.line
    notes = []
    if line.ndc11:
        quantity = "" if line.ndc_quantity is None else decimal_text(line.ndc_quantity)
        notes.append(f"NDC {line.ndc_qualifier or 'N4'} {line.ndc11} {line.ndc_unit or ''} {quantity}".strip())
    for lot, expiry in zip(line.lots, line.expiries, strict=False):
        notes.append(f"Lot {lot}" + (f" expires {expiry.isoformat()}" if expiry else ""))
    if transaction.kind is TransactionKind.REVERSAL:
        notes.append(f"Reverses transaction {transaction.reverses_id}" +
                     (f": {transaction.reason}" if transaction.reason else ""))
    return notes


__all__ = ["VERSION", "ExportLine", "message_segments", "to_hl7"]
