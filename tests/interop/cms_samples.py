"""CMS files in the published format for tests and benchmarks, generated: ISO-8859-1 bytes, CRLF lines, title and
note lines above the header (8 for the crosswalk, 9 for the pricing file, a quoted multi-line copyright notice for
the MUE tables), the header names CMS uses (`_2026_CODE`, `NDC2`, `BILLUNITSPKG`; `"HCPCS/\\nCPT Code"`), NDCs
5-4-2 with dashes, thousands separators, trailing blank columns.

The header names and preamble lengths are those public loaders of these files read (billing-rules §9). The
title and note wording, the made-up codes and NDCs (J0xxx, 6xxxx-...), every payment limit and every MUE value
are MADE UP for tests; the catalog drugs' NDCs and dosages are the catalog's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

CRLF = "\r\n"
CROSSWALK_HEADER = ("_{year}_CODE", "Short Description", "LABELER NAME", "NDC2", "Drug Name", "HCPCS dosage",
                    "PKG SIZE", "PKG QTY", "BILLUNITS", "BILLUNITSPKG")
PRICE_HEADER = ("HCPCS Code", "Short Description", "HCPCS Code Dosage", "Payment Limit", "Vaccine AWP%",
                "Vaccine Limit", "Blood AWP%", "Blood Limit", "Clotting Factor", "Notes")
MONTHS = {1: "January", 4: "April", 7: "July", 10: "October"}


@dataclass(frozen=True)
class XwalkRow:
    hcpcs: str
    ndc: str  # 5-4-2
    dosage: str
    size: str
    qty: str
    units: str
    units_per_package: str
    descriptor: str = "Injection, test drug"
    labeler: str = "Test Labeler Inc."
    drug: str = "TESTDRUG"


# The catalog's drugs as the crosswalk would list them (dosage = the code's billing unit; BILLUNITSPKG = units in
# the package). Labels match resources/catalog.toml except where a test changes them.
CATALOG_ROWS = (
    XwalkRow("J9302", "00078-0669-13", "10 MG", "5", "1", "1", "10", "Inj ofatumumab 10 mg", "Novartis", "ARZERRA"),
    XwalkRow("J9302", "00078-0690-61", "10 MG", "50", "1", "1", "100", "Inj ofatumumab 10 mg", "Novartis", "ARZERRA"),
    XwalkRow("J9299", "00003-3734-13", "1 MG", "24", "1", "1", "240", "Inj nivolumab", "E.R. Squibb", "OPDIVO"),
    XwalkRow("J9299", "00003-3772-11", "1 MG", "4", "1", "1", "40", "Inj nivolumab", "E.R. Squibb", "OPDIVO"),
    # a carton of 25 vials of 10 mg: BILLUNITSPKG counts the whole package
    XwalkRow("J1100", "63323-0506-41", "1 MG", "1", "25", "1", "250", "Dexamethasone sodium phos",
             "Fresenius Kabi USA", "DEXAMETHASONE SODIUM PHOSPHATE"),
    XwalkRow("J2469", "58063-0797-25", "25 MCG", "5", "1", "1", "10", "Palonosetron HCl", "Helsinn", "ALOXI"),
    # made up: an NDC of a catalog drug that the catalog does not list (needs its dose type)
    XwalkRow("J9299", "69999-0101-01", "1 MG", "10", "1", "1", "100", "Inj nivolumab", "Made-up Pharma", "NIVO"),
)


def made_up_rows(count: int, first_code: int = 5000) -> list[XwalkRow]:
    """`count` crosswalk rows for made-up codes Q5000... (five NDCs per code, none in the catalog), numbers with
    separators here and there ("1,000"), an accented labeler (ISO-8859-1 bytes)."""
    rows = []
    for i in range(count):
        code = f"Q{5000 + (first_code - 5000 + i // 5) % 4000:04d}"
        units = 1000 if i % 97 == 0 else (i % 40) + 1
        rows.append(XwalkRow(
            code, f"6{i // 10000 % 10:01d}{i % 1000:03d}-{i % 10000:04d}-{i % 100:02d}", "10 MG", f"{(i % 9) + 1}",
            "1", "1", f"{units:,}", f"Inj made-up drug {code}", "Laboratoires Hémato SA" if i % 7 == 0 else "Lab",
            f"MADEUP{i % 50}"))
    return rows


def _line(cells: Iterable[str], trailing: int = 2) -> str:
    def quoted(cell: str) -> str:
        return f'"{cell}"' if any(c in cell for c in ',"\r\n') else cell
    return ",".join([quoted(c.replace('"', '""')) for c in cells] + [""] * trailing)


def quarter_words(effective: dt.date) -> str:
    return f"{MONTHS.get(effective.month, effective.strftime('%B'))} {effective.year}"


def crosswalk_bytes(rows: Iterable[XwalkRow], effective: dt.date = dt.date(2026, 1, 1),
                    year: int | None = None) -> bytes:
    """The ASP NDC-HCPCS crosswalk: 8 lines of title and notes, the header, the rows."""
    width = len(CROSSWALK_HEADER)
    preamble = [
        _line([f"{quarter_words(effective)} ASP NDC-HCPCS Crosswalk"], width - 1),
        _line([f"Effective {effective:%B} {effective.day}, {effective.year}"], width - 1),
        _line([], width),
        _line(["Note: this crosswalk is for the ASP pricing file only; see the OPPS and AWP files for others."],
              width - 1),
        _line(["Billing units per package (BILLUNITSPKG) = billing units in the whole NDC package."], width - 1),
        _line(["NDCs are shown in 5-4-2 form."], width - 1),
        _line([], width),
        _line([], width),
    ]
    header = _line([h.format(year=year or effective.year) for h in CROSSWALK_HEADER])
    body = [_line([r.hcpcs, r.descriptor, r.labeler, r.ndc, r.drug, r.dosage, r.size, r.qty, r.units,
                   r.units_per_package]) for r in rows]
    return (CRLF.join([*preamble, header, *body]) + CRLF).encode("iso-8859-1")


def price_bytes(limits: Iterable[tuple[str, str, str]], effective: dt.date = dt.date(2026, 1, 1)) -> bytes:
    """The ASP pricing file: 9 lines of title and notes, the header, one row per (code, dosage, limit)."""
    width = len(PRICE_HEADER)
    preamble = [
        _line([f"{quarter_words(effective)} ASP Pricing File"], width - 1),
        _line(["Payment allowance limits for Medicare Part B drugs"], width - 1),
        _line([f"Effective {effective:%B} {effective.day}, {effective.year}"], width - 1),
        _line([], width),
        _line(["The payment limit is per HCPCS billing unit (the dosage column)."], width - 1),
        _line(["Note: Payment limits are for Medicare fee-for-service; other payers set their own."], width - 1),
        _line(["Note: Limits in this file apply to single-source and multiple-source drugs alike."], width - 1),
        _line([], width),
        _line([], width),
    ]
    header = _line(PRICE_HEADER)
    body = [_line([code, f"Inj {code}", dosage, limit, "", "", "", "", "", ""]) for code, dosage, limit in limits]
    return (CRLF.join([*preamble, header, *body]) + CRLF).encode("iso-8859-1")


COPYRIGHT = ("CPT codes, descriptions and other data only are copyright 2025 American Medical Association. All "
             "Rights Reserved.\r\n\r\nApplicable FARS/DFARS Restrictions Apply to Government Use.")


def mue_bytes(values: Iterable[tuple[str, int, int]], setting: str = "Outpatient Hospital") -> bytes:
    """An MUE table: the quoted copyright notice (line breaks inside), the header whose first name breaks a
    line ("HCPCS/<CRLF>CPT Code"), one row per (code, value, indicator)."""
    words = {1: "1 Line Edit", 2: "2 Date of Service Edit: Policy", 3: "3 Date of Service Edit: Clinical"}
    header = f'"HCPCS/{CRLF}CPT Code",{setting} Services MUE Values,MUE Adjudication Indicator,MUE Rationale'
    body = [f"{code},{value},{words[mai]},Nature of Service/Procedure" for code, value, mai in values]
    return (CRLF.join([f'"{COPYRIGHT}",,,', header, *body]) + CRLF).encode("iso-8859-1")


def money(value: Decimal) -> str:
    return f"{value:,.3f}"
