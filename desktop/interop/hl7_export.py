"""HL7 v2.5.1 DFT^P03: one message per administration, one FT1 per claim line, built and validated with hl7apy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from hl7apy.consts import VALIDATION_LEVEL
from hl7apy.core import Message, Segment

from desktop.interop.export_model import ExportLine, ExportRecord, decimal_text, split_name

VERSION = "2.5.1"
MESSAGE_SEPARATOR = "\n"  # segments end in CR; a newline between messages keeps the file readable


@dataclass(frozen=True, slots=True)
class Hl7Endpoints:
    sending_application: str = "INFUSION_CHARGE"
    sending_facility: str = "INFUSION_CENTER"
    receiving_application: str = "BILLING"
    receiving_facility: str = "BILLING"


def escape(text: str) -> str:
    """HL7 escape sequences for the delimiters, so free text never splits a field."""
    escaped = text.replace("\\", "\\E\\")
    for char, code in (("|", "\\F\\"), ("^", "\\S\\"), ("&", "\\T\\"), ("~", "\\R\\")):
        escaped = escaped.replace(char, code)
    return escaped.replace("\r", " ").replace("\n", " ")


def _ts(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S+0000")


def _code_system(hcpcs: str) -> str:
    """HL7 table 0396: CPT-4 (C4) for a numeric code such as 96413, HCPCS for level II codes such as J9302."""
    return "C4" if hcpcs[:1].isdigit() else "HCPCS"


def build_message(record: ExportRecord, control_id: str, sent_at: dt.datetime,
                  endpoints: Hl7Endpoints = Hl7Endpoints()) -> Message:
    """The DFT^P03 of one administration, validated (strict) before it is returned."""
    message = Message("DFT_P03", version=VERSION, validation_level=VALIDATION_LEVEL.STRICT)
    msh = message.msh
    msh.msh_3 = escape(endpoints.sending_application)
    msh.msh_4 = escape(endpoints.sending_facility)
    msh.msh_5 = escape(endpoints.receiving_application)
    msh.msh_6 = escape(endpoints.receiving_facility)
    msh.msh_7 = _ts(sent_at)
    msh.msh_9 = "DFT^P03^DFT_P03"
    msh.msh_10 = escape(control_id)
    msh.msh_11 = "P"
    msh.msh_12 = VERSION
    message.evn.evn_1 = "P03"
    message.evn.evn_2 = _ts(record.posting_time)
    family, given = split_name(record.patient_name)
    message.pid.pid_1 = "1"
    message.pid.pid_3 = f"{escape(record.patient_mrn)}^^^{escape(endpoints.sending_facility)}^MR"
    message.pid.pid_5 = f"{escape(family)}^{escape(given)}"
    message.pid.pid_7 = record.patient_birth_date.strftime("%Y%m%d")
    pv1 = message.add_segment("PV1")
    pv1.pv1_1 = "1"
    pv1.pv1_2 = "O"  # outpatient
    for line in record.lines:
        group = message.add_group("DFT_P03_FINANCIAL")
        _fill_ft1(group.add_segment("FT1"), record, line)
        if line.ndc11:
            group.add_segment("NTE").nte_3 = escape(
                f"NDC {line.ndc_qualifier or 'N4'} {line.ndc11} {line.ndc_unit or ''} "
                f"{decimal_text((line.ndc_quantity or 0) * record.sign)}".replace("  ", " ")
            )
    for number, code in enumerate(record.diagnosis_codes, start=1):
        dg1 = message.add_segment("DG1")
        dg1.dg1_1 = str(number)
        dg1.dg1_3 = f"{escape(code)}^^I10"
        dg1.dg1_6 = "F"  # final
    message.validate()
    return message


def _fill_ft1(ft1: Segment, record: ExportRecord, line: ExportLine) -> None:
    system = _code_system(line.hcpcs)
    reversal = "-R" if record.reversal else ""
    ft1.ft1_1 = str(line.number)
    ft1.ft1_2 = f"{record.administration_id}-{line.number}{reversal}"
    ft1.ft1_4 = record.date_of_service.strftime("%Y%m%d")
    ft1.ft1_5 = _ts(record.posting_time)
    ft1.ft1_6 = record.transaction_type
    ft1.ft1_7 = f"{escape(line.hcpcs)}^^{system}"
    what = {"administered": "drug given", "discarded": "drug discarded", "administration": "administration"}
    ft1.ft1_8 = escape(f"{line.hcpcs} {what.get(line.kind, line.kind)}" + (" (reversal)" if reversal else ""))
    ft1.ft1_10 = str(line.units * record.sign)
    for code in record.diagnosis_codes:
        ft1.add_field("FT1_19").value = f"{escape(code)}^^I10"
    ft1.ft1_25 = f"{escape(line.hcpcs)}^^{system}"
    for modifier in line.modifiers:
        ft1.add_field("FT1_26").value = escape(modifier)
    if line.ndc11:
        ft1.ft1_29 = f"{line.ndc11}^^NDC"


def to_hl7(records: Iterable[ExportRecord], sent_at: dt.datetime,
           endpoints: Hl7Endpoints = Hl7Endpoints()) -> str:
    """Every administration as its own DFT^P03; control ids are the administration id (R for a reversal)."""
    messages = []
    for record in records:
        control = f"ICC{record.administration_id}{'R' if record.reversal else ''}"
        messages.append(build_message(record, control, sent_at, endpoints).to_er7() + "\r")
    return MESSAGE_SEPARATOR.join(messages)
