"""What a CMS file is, from its header row and its title: the kinds the program reads, the header names of each
(as public loaders of these files read them: `_2026_CODE` or `HCPCS Level II Code`, `NDC2` or `NDC`,
`BILLUNITSPKG`; `HCPCS Code`, `Payment Limit`; `HCPCS/CPT Code` and `... Services MUE Values`), the other files
people pick by mistake, and the quarter a title or file name states."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from enum import StrEnum


class CmsKind(StrEnum):
    CROSSWALK = "crosswalk"
    ASP = "asp"
    MUE_PRACTITIONER = "mue_practitioner"
    MUE_OUTPATIENT = "mue_outpatient_hospital"

    @property
    def words(self) -> str:
        return KIND_WORDS[self]

    @property
    def label(self) -> str:
        """A short name for tables: "ASP pricing file"."""
        return KIND_LABELS[self]

    @property
    def sentence_words(self) -> str:
        """The words at the start of a sentence: "The ASP pricing file (payment limits)"."""
        words = KIND_WORDS[self]
        return words[0].upper() + words[1:]

    @property
    def family(self) -> str:
        """What `--kind` names: crosswalk, asp or mue (both MUE tables)."""
        return "mue" if self in (CmsKind.MUE_PRACTITIONER, CmsKind.MUE_OUTPATIENT) else self.value


KIND_WORDS = {
    CmsKind.CROSSWALK: "the ASP NDC-HCPCS crosswalk",
    CmsKind.ASP: "the ASP pricing file (payment limits)",
    CmsKind.MUE_PRACTITIONER: "the practitioner services MUE table",
    CmsKind.MUE_OUTPATIENT: "the outpatient hospital services MUE table",
}
KIND_LABELS = {
    CmsKind.CROSSWALK: "NDC-HCPCS crosswalk",
    CmsKind.ASP: "ASP pricing file",
    CmsKind.MUE_PRACTITIONER: "Practitioner MUE table",
    CmsKind.MUE_OUTPATIENT: "Outpatient hospital MUE table",
}
FAMILY_WORDS = {"crosswalk": KIND_WORDS[CmsKind.CROSSWALK], "asp": KIND_WORDS[CmsKind.ASP],
                "mue": "an MUE table (practitioner or outpatient hospital)"}
FAMILIES = tuple(FAMILY_WORDS)


class CmsFileError(ValueError):
    """A file that is not one the program reads, or not the kind asked for: the words say which it looks like."""



def header_name(cell: str) -> str:
    """A header cell as compared: blanks and line breaks inside the quotes collapsed, lower case."""
    return " ".join(cell.split()).casefold()

_YEAR_CODE = re.compile(r"^_?(\d{4})_code$")
CROSSWALK_COLUMNS = {
    "short_description": ("short description", "short description defer to dcdrg"),
    "labeler": ("labeler name",),
    "ndc": ("ndc2", "ndc"),
    "drug_name": ("drug name",),
    "dosage": ("hcpcs dosage",),
    "package_size": ("pkg size",),
    "package_quantity": ("pkg qty",),
    "billing_units": ("billunits",),
    "units_per_package": ("billunitspkg",),
}
PRICE_COLUMNS = {
    "hcpcs": ("hcpcs code",),
    "short_description": ("short description",),
    "dosage": ("hcpcs code dosage", "dosage"),
    "payment_limit": ("payment limit",),
    "notes": ("notes",),
}
MUE_VALUE = re.compile(r"^(practitioner|outpatient hospital|dme supplier) services mue values?$")
MUE_COLUMNS = {
    "hcpcs": ("hcpcs/cpt code", "hcpcs/ cpt code", "hcpcs / cpt code"),
    "indicator": ("mue adjudication indicator",),
    "rationale": ("mue rationale",),
}


def find_column(names: list[str], aliases: tuple[str, ...]) -> int | None:
    return next((names.index(a) for a in aliases if a in names), None)


def crosswalk_code_column(names: list[str]) -> tuple[int, int | None] | None:
    for i, name in enumerate(names):
        match = _YEAR_CODE.match(name)
        if match:
            return i, int(match.group(1))
    found = find_column(names, ("hcpcs code", "hcpcs level ii code defer to dcdrg", "hcpcs"))
    return None if found is None else (found, None)


def recognise(names: list[str], title: str) -> CmsKind | str | None:
    """The kind of a header row: a CmsKind the program reads, words naming another file, or None (not a header)."""
    has = set(names)
    if "billunitspkg" in has and ({"ndc2", "ndc"} & has):
        for other in ("opps", "awp", "prep"):
            if re.search(rf"\b{other}\b", title, re.IGNORECASE):
                return f"the {other.upper()} NDC-HCPCS crosswalk"
        return CmsKind.CROSSWALK
    if "ndc or alternate id" in has:
        return "the NOC NDC-HCPCS crosswalk (drugs not otherwise classified)"
    if "payment limit" in has and ({"drug generic name", "drug generic name (trade name)"} & has):
        return "the NOC pricing file (drugs not otherwise classified)"
    if "payment limit" in has and "hcpcs code" in has:
        return CmsKind.ASP
    for name in names:
        match = MUE_VALUE.match(name)
        if match:
            setting = match.group(1)
            if setting == "practitioner":
                return CmsKind.MUE_PRACTITIONER
            if setting == "outpatient hospital":
                return CmsKind.MUE_OUTPATIENT
            return "the DME supplier services MUE table"
    if {"column 1", "column 2"} <= has:
        return "an NCCI procedure-to-procedure (PTP) edit table"
    if {"kind", "hcpcs", "ndc", "label_mg"} <= has:
        return "the program's own catalog CSV (import it on the Drug catalog page)"
    return None


# ------------------------------------------------------------------------------------------------ dates

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_MONTH = "|".join(_MONTHS)
_DAY_MONTH_YEAR = re.compile(rf"\b({_MONTH})\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.IGNORECASE)
_MONTH_YEAR = re.compile(r"\b(january|april|july|october)\s+(\d{4})\b", re.IGNORECASE)
_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})[-/_.](\d{1,2})[-/_.](\d{4})(?!\d)")
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_QUARTER = re.compile(r"\b(?:q([1-4])[\s_-]*(\d{4})|(\d{4})[\s_-]*q([1-4]))\b", re.IGNORECASE)


def quarter_label(day: dt.date) -> str:
    """"2026 Q1" for a quarter's first day, else "from 2026-02-15"."""
    if day.day == 1 and day.month in (1, 4, 7, 10):
        return f"{day.year} Q{(day.month - 1) // 3 + 1}"
    return f"from {day.isoformat()}"


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        found = dt.date(year, month, day)
    except ValueError:
        return None
    return found if 2000 <= found.year <= 2100 else None


def stated_effective(texts: list[str]) -> dt.date | None:
    """The date the file says it is effective from: "effective January 1, 2026", "Eff_01-01-2026", "January 2026
    ASP Pricing File" (a quarter's month), "2026 Q1". The title lines first, then the file name."""
    for text in texts:
        readers: list[Callable[[str], dt.date | None]] = [
            lambda t: next((_date(int(m[3]), _MONTHS.index(m[1].lower()) + 1, int(m[2]))
                            for m in _DAY_MONTH_YEAR.finditer(t)), None),
            lambda t: next((_date(int(m[3]), int(m[1]), int(m[2])) for m in _NUMERIC.finditer(t)), None),
            lambda t: next((_date(int(m[1]), int(m[2]), int(m[3])) for m in _ISO.finditer(t)), None),
            lambda t: next((_date(int(m[2]), _MONTHS.index(m[1].lower()) + 1, 1) for m in _MONTH_YEAR.finditer(t)),
                           None),
            lambda t: next((_date(int(m[2] or m[3]), (int(m[1] or m[4]) - 1) * 3 + 1, 1)
                            for m in _QUARTER.finditer(t)), None),
        ]
        for read in readers:
            found = read(text)
            if found is not None:
                return found
    return None
