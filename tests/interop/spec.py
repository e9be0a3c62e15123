"""Reading the interface specification (resources/docs/interfaces.md): its field tables and its example file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from hl7apy.consts import VALIDATION_LEVEL
from hl7apy.core import Message, Segment
from hl7apy.parser import parse_field, parse_message, parse_segment

EMPTY, ABSENT, SAME = "(empty)", "(absent)", "—"
STRICT = VALIDATION_LEVEL.STRICT
HL7_VERSION = "2.5.1"


def spec_text() -> str:
    return (resources.files("resources") / "docs" / "interfaces.md").read_text(encoding="utf-8")


@dataclass(frozen=True, slots=True)
class Row:
    """One row of a spec table: the field or element, and its example for the charge and the reversal."""

    name: str
    charge: str
    reversal: str


def _cell(text: str) -> str:
    text = text.strip().replace("\\|", "|")
    if text in ("*(empty)*", "*(absent)*"):
        return text.strip("*")
    if text.startswith("`") and text.endswith("`"):
        return text[1:-1]
    return text


def spec_rows(kind: str) -> list[Row]:
    """Every row of the tables marked `<!-- spec: kind -->`."""
    rows: list[Row] = []
    lines = spec_text().splitlines()
    for number, line in enumerate(lines):
        if line.strip() != f"<!-- spec: {kind} -->":
            continue
        for row in lines[number + 3:]:
            if not row.startswith("|"):
                break
            cells = [_cell(c) for c in re.split(r"(?<!\\)\|", row)[1:-1]]
            rows.append(Row(cells[0], cells[-2], cells[-1] if cells[-1] != SAME else cells[-2]))
    return rows


def spec_example(kind: str) -> str:
    """The example file under `<!-- spec-example: kind -->`, its lines as written."""
    text = spec_text()
    start = text.index(f"<!-- spec-example: {kind} -->")
    block = text[text.index("```", start) + 3:]
    return block[block.index("\n") + 1:block.index("```")]


# HL7 ----------------------------------------------------------------------


@dataclass(slots=True)
class Hl7File:
    """A batch file read back: header and trailer fields, and each message parsed strictly by hl7apy."""

    headers: dict[str, list[str]]  # FHS, BHS, BTS, FTS -> fields (index = field number)
    messages: list[Message]
    zfts: list[list[Segment]]  # per message, its ZFT segments in order
    raw: list[list[str]]  # per message, its segments as text


def _header_fields(segment: str) -> list[str]:
    """FHS/BHS fields by number: [name, '|', encoding characters, field 3, ...]; each checked by hl7apy."""
    name, encoding, *rest = segment.split("|")
    fields = [name, "|", encoding, *rest]
    for number, value in enumerate(fields[3:], start=3):
        if value:
            parse_field(value, name=f"{name}_{number}", version=HL7_VERSION, validation_level=STRICT)
    return fields


def read_hl7(text: str) -> Hl7File:
    """Split the file into its batch segments and messages; every message's standard segments are parsed and
    validated strictly (find_groups), every ZFT parsed strictly on its own; raises if anything does not."""
    assert text.endswith("\r") and "\n" not in text, "segments end in CR, nothing else"
    segments = text[:-1].split("\r")
    headers: dict[str, list[str]] = {}
    raw: list[list[str]] = []
    for segment in segments:
        name = segment[:3]
        if name in ("FHS", "BHS"):
            headers[name] = _header_fields(segment)
        elif name in ("BTS", "FTS"):
            parsed = parse_segment(segment, version=HL7_VERSION, validation_level=STRICT)
            assert parsed.validate() is True
            headers[name] = segment.split("|")
        elif name == "MSH":
            raw.append([segment])
        else:
            raw[-1].append(segment)
    assert [s[:3] for s in segments[:2]] == ["FHS", "BHS"] and [s[:3] for s in segments[-2:]] == ["BTS", "FTS"]
    messages, zfts = [], []
    for message in raw:
        standard = [s for s in message if not s.startswith("Z")]
        parsed = parse_message("\r".join(standard), validation_level=STRICT, find_groups=True)
        assert parsed.validate() is True
        messages.append(parsed)
        zfts.append([parse_segment(s, version=HL7_VERSION, validation_level=STRICT)
                     for s in message if s.startswith("ZFT")])
    return Hl7File(headers, messages, zfts, raw)


def _field(segment: Segment, field: int) -> str:
    repetitions = segment.children.get(f"{segment.name}_{field}")
    return "~".join(r.to_er7() for r in repetitions) if repetitions else ""


def hl7_value(read: Hl7File, name: str, message: int) -> str:
    """A field by name (`FT1-26`) in the given message: the first FT1/NTE/ZFT/DG1 of that message."""
    segment_name, _, number = name.partition("-")
    field = int(number)
    if segment_name in read.headers:
        fields = read.headers[segment_name]
        return fields[field] if field < len(fields) else ""
    parsed = read.messages[message]
    if segment_name == "ZFT":
        return _field(read.zfts[message][0], field)
    if segment_name in ("FT1", "NTE"):
        group = next(g for g in parsed.children.get("DFT_P03_FINANCIAL") if g.children.get(segment_name))
        return _field(group.children.get(segment_name)[0], field)
    if segment_name == "MSH" and field in (1, 2):
        return "|" if field == 1 else "^~\\&"
    return _field(parsed.children.get(segment_name)[0], field)


# FHIR ---------------------------------------------------------------------


def fhir_value(bundle: dict[str, Any], path: str, visit: int, fhir_json: Any) -> str | None:
    """An element by the spec's path notation, in the given visit's resources (0: first visit). None: absent."""
    entries = bundle["entry"]
    head, _, rest = path.partition(".")
    if head == "Bundle":
        node: Any = bundle
    else:
        match = re.fullmatch(r"entry\((\w+)\)", head)
        kind = match.group(1) if match else head
        by_visit = visit_entries(entries)[visit]
        entry = next(e for e in by_visit if e["resource"]["resourceType"] == kind)
        node = entry if match else entry["resource"]
    for step in re.findall(r"extension\([\w-]+\)|[\w#]+(?:\[\d+\])?", rest):
        ext = re.fullmatch(r"extension\(([\w-]+)\)", step)
        if ext:
            found = [x for x in node.get("extension", []) if x["url"].split("/")[-1] == ext.group(1)]
            if not found:
                return None
            node = found[0]
            continue
        key, _, index = step.partition("[")
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
        if index:
            position = int(index.rstrip("]"))
            if position >= len(node):
                return None
            node = node[position]
    return node if isinstance(node, str) else fhir_json.dumps(node)


def visit_entries(entries: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The entries grouped per visit: each visit starts with its Patient (when new) or its Account."""
    groups: list[list[dict[str, Any]]] = []
    current: list[dict[str, Any]] = []
    for entry in entries:
        kind = entry["resource"]["resourceType"]
        if kind == "Patient" or (kind == "Account" and any(e["resource"]["resourceType"] == "Account"
                                                             for e in current)):
            if current:
                groups.append(current)
            current = []
        current.append(entry)
    groups.append(current)
    return groups
