"""Readers of CMS's quarterly files as downloaded: the ASP NDC-HCPCS crosswalk, the ASP pricing file and the
practitioner and outpatient hospital MUE tables (billing-rules §9).

CMS publishes them as CSV in ISO-8859-1 with title and note lines above the header row (8 above the crosswalk's,
9 above the pricing file's, a quoted copyright notice above the MUE tables'), the year inside a column name
(`_2026_CODE`), NDCs in 5-4-2 form with dashes, numbers with or without thousands separators and blank columns
at the end of rows. The header is found by its names, not by a fixed line count (public loaders disagree: 8 or
9 lines for the pricing file), so the kind of file is recognised from it; every problem in a row is named with
its line in the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from desktop.interop.cms_headers import (
    CROSSWALK_COLUMNS,
    FAMILIES,
    FAMILY_WORDS,
    KIND_WORDS,
    MUE_COLUMNS,
    MUE_VALUE,
    PRICE_COLUMNS,
    CmsFileError,
    CmsKind,
    crosswalk_code_column,
    find_column,
    header_name,
    quarter_label,
    recognise,
    stated_effective,
)

__all__ = [
    "FAMILIES", "FAMILY_WORDS", "KIND_WORDS", "CmsFile", "CmsFileError", "CmsKind", "CmsRow", "CrosswalkRow",
    "MueRow", "PriceRow", "decode", "quarter_label", "read_cms_file", "stated_effective",
]

HEADER_SEARCH_RECORDS = 60  # title and note records a header may follow
MAX_PROBLEMS = 50  # problems listed one by one; the rest are counted
PROGRESS_EVERY = 1000  # rows between progress reports


@dataclass(frozen=True, slots=True)
class CrosswalkRow:
    line: int
    hcpcs: str
    short_description: str
    labeler: str
    ndc: str  # 5-4-2 with dashes, as published
    drug_name: str
    dosage: str  # the code's billing unit, e.g. "10 MG"
    package_size: Decimal | None
    package_quantity: Decimal | None
    billing_units: Decimal | None
    units_per_package: Decimal | None

    @property
    def ndc11(self) -> str:
        return self.ndc.replace("-", "")

    @property
    def key(self) -> tuple[str, str]:
        return (self.ndc11, self.hcpcs)


@dataclass(frozen=True, slots=True)
class PriceRow:
    line: int
    hcpcs: str
    short_description: str
    dosage: str
    payment_limit: Decimal | None  # dollars per billing unit; None: the row has no limit (e.g. blank)
    notes: str

    @property
    def key(self) -> str:
        return self.hcpcs


@dataclass(frozen=True, slots=True)
class MueRow:
    line: int
    hcpcs: str
    mue_value: int
    indicator: int  # 1 line edit, 2 date of service edit (policy), 3 date of service edit (clinical)
    indicator_text: str  # as published, e.g. "3 Date of Service Edit: Clinical"
    rationale: str

    @property
    def key(self) -> str:
        return self.hcpcs


CmsRow = CrosswalkRow | PriceRow | MueRow


@dataclass(frozen=True)
class CmsFile:
    """A file read: its kind, the rows, and every problem (a file with problems is never applied)."""

    kind: CmsKind
    file_name: str
    header_line: int
    header_year: int | None  # the year in the crosswalk's code column name (_2026_CODE)
    effective: dt.date | None  # the quarter the title lines or the file name state; None: not said
    effective_in_title: bool  # True: the title lines said it (else the file name did, or nothing)
    title: str
    rows: tuple[CmsRow, ...]
    notes_skipped: int  # rows of notes among or below the data
    problems: tuple[str, ...]
    problem_count: int  # all problems, `problems` lists the first MAX_PROBLEMS


# ------------------------------------------------------------------------------------------------ text


def decode(data: bytes) -> str:
    """CMS files are ISO-8859-1 (often Windows-1252 in practice: curly quotes); a UTF-8 BOM means UTF-8 and a
    UTF-16 one UTF-16 (a file saved again by a spreadsheet). A ZIP (CMS's download, or an Excel workbook) is
    refused in words."""
    if data.startswith(b"PK\x03\x04"):
        raise CmsFileError("This is a ZIP file (CMS's download, or an Excel workbook): open it and import the CSV "
                           "file inside.")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:  # bytes Windows-1252 leaves undefined: plain ISO-8859-1 never fails
        return data.decode("latin-1")


_CODE = re.compile(r"^[A-Z0-9]{5}$")
_NDC = re.compile(r"^\d{5}-\d{4}-\d{2}$")
_NUMBER = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")

# ------------------------------------------------------------------------------------------------ values


class _RowProblem(ValueError):
    pass


def _text(row: list[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    value = row[index].strip()
    if "  " in value or "\n" in value or "\r" in value or "\t" in value:  # rare: collapse only then
        return " ".join(value.split())
    return value


def _number(text: str, what: str, *, whole: bool = False) -> Decimal | None:
    """A number as CMS writes it ("1,234.5", "0.512", "$12.00"); blank is None; negatives are refused."""
    value = text.strip().removeprefix("$").strip()
    if not value:
        return None
    negative = value.startswith("-")
    digits = value.lstrip("-").strip()
    if not _NUMBER.match(digits) or digits in ("", "."):
        raise _RowProblem(f"{what} {text.strip()!r} is not a number")
    try:
        amount = Decimal(digits.replace(",", ""))
    except InvalidOperation:
        raise _RowProblem(f"{what} {text.strip()!r} is not a number") from None
    if negative and amount != 0:
        raise _RowProblem(f"{what} is {text.strip()}: it cannot be negative")
    if whole and amount != amount.to_integral_value():
        raise _RowProblem(f"{what} {text.strip()!r} is not a whole number")
    return amount


def _code(text: str, what: str = "HCPCS code") -> str:
    code = text.strip().upper()
    if not _CODE.match(code):
        raise _RowProblem(f"{what} {text.strip()!r} is not a HCPCS/CPT code (five letters or digits, e.g. J9299)")
    return code


# ------------------------------------------------------------------------------------------------ reading


@dataclass
class _Layout:
    kind: CmsKind
    line: int
    names: list[str]
    year: int | None
    columns: dict[str, int | None]
    last: int = 0

    @property
    def needed(self) -> int:
        """The index of the last column read: a row shorter than this is cut short."""
        return max(i for i in self.columns.values() if i is not None)


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        for row in reader:
            yield start, row
            start = reader.line_num + 1
    except csv.Error as exc:
        raise _Truncated(start, str(exc)) from exc


class _Truncated(Exception):
    def __init__(self, line: int, detail: str) -> None:
        super().__init__(detail)
        self.line = line
        self.detail = detail


def _layout(kind: CmsKind, line: int, names: list[str]) -> _Layout:
    year: int | None = None
    if kind is CmsKind.CROSSWALK:
        code = crosswalk_code_column(names)
        columns: dict[str, int | None] = {k: find_column(names, a) for k, a in CROSSWALK_COLUMNS.items()}
        columns["hcpcs"] = None if code is None else code[0]
        year = None if code is None else code[1]
        required: tuple[str, ...] = ("hcpcs", "ndc", "dosage", "package_quantity", "units_per_package")
    elif kind is CmsKind.ASP:
        columns = {k: find_column(names, a) for k, a in PRICE_COLUMNS.items()}
        required = ("hcpcs", "payment_limit")
    else:
        columns = {k: find_column(names, a) for k, a in MUE_COLUMNS.items()}
        columns["value"] = next((i for i, n in enumerate(names) if MUE_VALUE.match(n)), None)
        required = ("hcpcs", "value", "indicator")
    missing = [k for k in required if columns.get(k) is None]
    if missing:
        raise CmsFileError(f"{kind.sentence_words} header on line {line} has no column for "
                           f"{', '.join(m.replace('_', ' ') for m in missing)}: the file's layout changed or it is "
                           "not the file CMS publishes.")
    layout = _Layout(kind, line, names, year, columns)
    layout.last = layout.needed
    return layout


def _row(layout: _Layout, line: int, row: list[str]) -> CmsRow:
    c = layout.columns
    needed = layout.last
    if len(row) <= needed and any(cell.strip() for cell in row):
        raise _RowProblem(f"the row ends after {len(row)} of {needed + 1} columns (is the file cut short?)")
    if layout.kind is CmsKind.CROSSWALK:
        ndc = _text(row, c["ndc"])
        if not _NDC.match(ndc):
            raise _RowProblem(f"NDC {ndc!r} is not in the 5-4-2 form the crosswalk uses (e.g. 00003-3734-13)")
        return CrosswalkRow(
            line=line, hcpcs=_code(_text(row, c["hcpcs"])), short_description=_text(row, c["short_description"]),
            labeler=_text(row, c["labeler"]), ndc=ndc, drug_name=_text(row, c["drug_name"]),
            dosage=_text(row, c["dosage"]),
            package_size=_number(_text(row, c["package_size"]), "PKG SIZE"),
            package_quantity=_number(_text(row, c["package_quantity"]), "PKG QTY"),
            billing_units=_number(_text(row, c["billing_units"]), "BILLUNITS"),
            units_per_package=_number(_text(row, c["units_per_package"]), "BILLUNITSPKG"),
        )
    if layout.kind is CmsKind.ASP:
        hcpcs = _code(_text(row, c["hcpcs"]))
        limit_text = _text(row, c["payment_limit"])
        limit = None if limit_text.upper() in ("N/A", "NA") else _number(limit_text, f"the payment limit for {hcpcs}")
        return PriceRow(line=line, hcpcs=hcpcs, short_description=_text(row, c["short_description"]),
                        dosage=_text(row, c["dosage"]), payment_limit=limit, notes=_text(row, c["notes"]))
    hcpcs = _code(_text(row, c["hcpcs"]))
    value = _number(_text(row, c["value"]), f"the MUE value of {hcpcs}", whole=True)
    if value is None:
        raise _RowProblem(f"the MUE value of {hcpcs} is blank")
    indicator_text = _text(row, c["indicator"])
    match = re.match(r"^([123])\b", indicator_text)
    if match is None:
        raise _RowProblem(f"the MUE adjudication indicator {indicator_text!r} of {hcpcs} is not 1, 2 or 3")
    return MueRow(line=line, hcpcs=hcpcs, mue_value=int(value), indicator=int(match.group(1)),
                  indicator_text=indicator_text, rationale=_text(row, c["rationale"]))


def _is_note(layout: _Layout, row: list[str]) -> bool:
    """A blank row, or a row of notes among or below the data: words (a sentence, not a code cut short) in one
    or two cells, and no code where a code goes."""
    if _CODE.match(_text(row, layout.columns["hcpcs"]).upper()):
        return False  # a data row (the usual case: decided without looking at the other cells)
    filled = [" ".join(cell.split()) for cell in row if cell.strip()]
    if not filled:
        return True
    sentence = " " in filled[0] or len(filled[0]) > 12
    return len(filled) <= 2 and sentence


def read_cms_file(
    data: bytes,
    file_name: str = "",
    expected: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CmsFile:
    """Read one CMS file. `expected` (crosswalk, asp or mue) refuses another kind with words; `progress(done,
    total)` is called with lines read now and then. CmsFileError for a file that cannot be read at all; problems
    in rows are collected, each naming its line."""
    text = decode(data)
    total_lines = text.count("\n") + 1
    preamble: list[str] = []
    layout: _Layout | None = None
    rows: list[CmsRow] = []
    problems: list[str] = []
    problem_count = notes = read = 0
    records = _records(text)
    try:
        for line, row in records:
            if layout is None:
                names = [header_name(cell) for cell in row]
                # Only the title and the file name say which crosswalk it is (notes may name the others).
                kind = recognise(names, f"{next((t for t in preamble if t), '')} {file_name}")
                if kind is None:
                    if len(preamble) >= HEADER_SEARCH_RECORDS:
                        break
                    preamble.append(" ".join(" ".join(cell.split()) for cell in row if cell.strip()))
                    continue
                if not isinstance(kind, CmsKind):
                    raise CmsFileError(_looks_like(kind, expected))
                if expected is not None and kind.family != expected:
                    raise CmsFileError(_looks_like(kind.words, expected))
                layout = _layout(kind, line, names)
                continue
            if _is_note(layout, row):
                notes += any(cell.strip() for cell in row)
                continue
            try:
                rows.append(_row(layout, line, row))
            except _RowProblem as exc:
                problem_count += 1
                if len(problems) < MAX_PROBLEMS:
                    problems.append(f"line {line}: {exc}")
            read += 1
            if progress is not None and read % PROGRESS_EVERY == 0:
                progress(line, total_lines)
    except _Truncated as exc:
        if layout is None:
            raise CmsFileError(f"line {exc.line}: the file cannot be read as CSV ({exc.detail})") from None
        problem_count += 1
        problems.append(f"line {exc.line}: a quoted value never ends: the file looks cut short (truncated "
                        "download?)")
    if layout is None:
        wanted = FAMILY_WORDS.get(expected or "", "one of CMS's ASP crosswalk, ASP pricing file or MUE tables")
        raise CmsFileError(f"No header row the program knows was found in the first {HEADER_SEARCH_RECORDS} "
                           f"lines: this does not look like a CMS file it reads; expected {wanted}.")
    if not rows and not problems:
        raise CmsFileError(f"{layout.kind.sentence_words} has a header (line {layout.line}) but no rows: the "
                           "file looks cut short.")
    if progress is not None:
        progress(total_lines, total_lines)
    problem_count += _duplicates(rows, problems)
    return CmsFile(
        kind=layout.kind, file_name=file_name, header_line=layout.line, header_year=layout.year,
        effective=stated_effective([*preamble, file_name]), effective_in_title=stated_effective(preamble) is not None,
        title=next((t for t in preamble if t), ""),
        rows=tuple(rows), notes_skipped=notes, problems=tuple(problems), problem_count=problem_count,
    )


def _looks_like(found: str, expected: str | None) -> str:
    wanted = FAMILY_WORDS.get(expected or "", "one of CMS's ASP crosswalk, ASP pricing file or MUE tables")
    return f"This looks like {found}; expected {wanted}."


def _duplicates(rows: list[CmsRow], problems: list[str]) -> int:
    """The same key twice with different values is a problem (an identical repeat is read once)."""
    seen: dict[object, CmsRow] = {}
    unique: list[CmsRow] = []
    count = 0
    for row in rows:
        first = seen.get(row.key)
        if first is None:
            seen[row.key] = row
            unique.append(row)
            continue
        if _values(first) != _values(row):
            count += 1
            if len(problems) < MAX_PROBLEMS:
                what = f"NDC {row.ndc} under {row.hcpcs}" if isinstance(row, CrosswalkRow) else row.hcpcs
                problems.append(f"line {row.line}: {what} is listed again with other values than on line "
                                f"{first.line}")
    rows[:] = unique
    return count


def _values(row: CmsRow) -> tuple[object, ...]:
    return tuple(getattr(row, name) for name in row.__slots__ if name != "line")
