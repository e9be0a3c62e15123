"""Reads a catalog update CSV into drug and package entries, with every problem named by its row.

The format (UTF-8, comma-separated, first line the header; column order free):

    kind,hcpcs,ndc,descriptor,generic,brand,mg_per_unit,route,label_mg,volume_ml,dose_type,ndc_unit,description,verified,source

- `kind` is `drug` or `package`.
- A drug row fills hcpcs, descriptor, generic, brand, mg_per_unit (mg in one
  billing unit), route, verified, source; the package columns stay empty.
- A package row fills ndc (hyphenated as on the label, e.g. 0003-3772-11), hcpcs
  (a drug in the catalog or in the same file), label_mg, volume_ml (may be empty
  unless ndc_unit is ML), dose_type (single or multiple), ndc_unit (UN, ML, GR,
  F2, ME), description, verified, source.
- Optional drug columns: family (chemo, therapeutic or hydration; default chemo),
  measure (mg, mcg or mL: the unit of mg_per_unit and label_mg; default mg),
  other_routes (further route codes the code allows, e.g. IM).
- `verified` is yes or no (yes = checked against the label or a primary source;
  no = charges with it carry a warning to check the label).
- A row whose HCPCS (drug) or NDC (package) is already in the catalog changes that
  entry; any other row adds one. Nothing is removed by an import, so an old NDC
  still resolves on old charges.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from desktop.billing.catalog import MEASURES, Drug, Package
from desktop.billing.model import DoseType, DrugFamily
from desktop.billing.ndc import NdcFormatError, to_ndc11
from desktop.billing.tables import NDC_UNITS

COLUMNS = ("kind", "hcpcs", "ndc", "descriptor", "generic", "brand", "mg_per_unit", "route", "label_mg",
           "volume_ml", "dose_type", "ndc_unit", "description", "verified", "source", "family", "measure",
           "other_routes")
DRUG_FIELDS = ("hcpcs", "descriptor", "generic", "brand", "mg_per_unit", "route", "verified", "source")
PACKAGE_FIELDS = ("ndc", "hcpcs", "label_mg", "volume_ml", "dose_type", "ndc_unit", "description", "verified",
                  "source")
YES, NO = ("yes", "y", "true", "1"), ("no", "n", "false", "0")


@dataclass(frozen=True, slots=True)
class CsvEntries:
    drugs: tuple[Drug, ...]
    packages: tuple[Package, ...]
    problems: tuple[str, ...]


def positive_amount(text: str, what: str) -> Decimal:
    try:
        amount = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError(f"{what} {text!r} is not a number") from None
    if not amount.is_finite() or amount <= 0:
        raise ValueError(f"{what} must be more than zero")
    return amount


def hcpcs_code(text: str) -> str:
    code = text.strip().upper()
    if len(code) != 5 or not code[0].isalpha() or not code[1:].isdigit():
        raise ValueError(f"HCPCS {text!r} is not one letter and four digits, e.g. J9299")
    return code


def checked_ndc(text: str) -> str:
    ndc = text.strip()
    try:
        to_ndc11(ndc)
    except NdcFormatError as exc:
        raise ValueError(str(exc)) from None
    return ndc


def _flag(text: str) -> bool:
    value = text.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValueError(f"verified must be yes or no, not {text!r}")


def _required(row: dict[str, str], key: str) -> str:
    value = (row.get(key) or "").strip()
    if not value:
        raise ValueError(f"{key} is empty")
    return value


def drug_from_row(row: dict[str, str]) -> Drug:
    return Drug(
        hcpcs=hcpcs_code(_required(row, "hcpcs")), descriptor=_required(row, "descriptor"),
        generic=_required(row, "generic"), brand=_required(row, "brand"),
        mg_per_unit=positive_amount(_required(row, "mg_per_unit"), "mg_per_unit"), route=_required(row, "route"),
        verified=_flag(_required(row, "verified")), source=_required(row, "source"),
        family=_one(row, "family", tuple(DrugFamily), "chemo"), measure=_one(row, "measure", MEASURES, "mg"),
        other_routes=(row.get("other_routes") or "").strip(),
    )


def _one(row: dict[str, str], key: str, choices: tuple[str, ...], default: str) -> Any:
    value = (row.get(key) or "").strip() or default
    if value not in choices:
        raise ValueError(f"{key} must be one of {', '.join(choices)}, not {value!r}")
    return DrugFamily(value) if key == "family" else value


def package_from_row(row: dict[str, str]) -> Package:
    volume = (row.get("volume_ml") or "").strip()
    dose = _required(row, "dose_type").lower()
    if dose not in ("single", "multiple"):
        raise ValueError(f"dose_type must be single or multiple, not {dose!r}")
    unit = _required(row, "ndc_unit").upper()
    if unit not in NDC_UNITS:
        raise ValueError(f"ndc_unit must be one of {', '.join(NDC_UNITS)}, not {unit!r}")
    if unit == "ML" and not volume:
        raise ValueError("a package billed in ML needs volume_ml")
    return Package(
        ndc=checked_ndc(_required(row, "ndc")), hcpcs=hcpcs_code(_required(row, "hcpcs")),
        label_mg=positive_amount(_required(row, "label_mg"), "label_mg"),
        volume_ml=positive_amount(volume, "volume_ml") if volume else None, dose_type=DoseType(dose),
        ndc_unit=unit, description=_required(row, "description"), verified=_flag(_required(row, "verified")),
        source=_required(row, "source"),
    )


def read_catalog_csv(text: str) -> CsvEntries:
    """Entries of every good row, and the problem with every other row (line numbers as in the file)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("kind", *sorted(set(DRUG_FIELDS) | set(PACKAGE_FIELDS))) if c not in header]
    if missing:
        return CsvEntries((), (), (f"The header line lacks the column(s) {', '.join(missing)}; "
                                   f"expected: {','.join(COLUMNS)}",))
    reader.fieldnames = header
    drugs: list[Drug] = []
    packages: list[Package] = []
    problems: list[str] = []
    for row in reader:
        line = reader.line_num
        cells = {k: (v or "") for k, v in row.items() if k is not None}
        if not any(v.strip() for v in cells.values()):
            continue
        kind = cells.get("kind", "").strip().lower()
        try:
            if kind == "drug":
                drugs.append(drug_from_row(cells))
            elif kind == "package":
                packages.append(package_from_row(cells))
            else:
                raise ValueError(f"kind must be drug or package, not {kind!r}")
        except ValueError as exc:
            problems.append(f"Line {line}: {exc}.")
    return CsvEntries(tuple(drugs), tuple(packages), tuple(problems))


def write_catalog_csv(drugs: tuple[Drug, ...], packages: tuple[Package, ...]) -> str:
    """The catalog in the import format (a starting point for an update file)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for d in drugs:
        writer.writerow({"kind": "drug", "hcpcs": d.hcpcs, "descriptor": d.descriptor, "generic": d.generic,
                         "brand": d.brand, "mg_per_unit": str(d.mg_per_unit), "route": d.route,
                         "verified": "yes" if d.verified else "no", "source": d.source,
                         "family": d.family.value, "measure": d.measure, "other_routes": d.other_routes})
    for p in packages:
        writer.writerow({"kind": "package", "hcpcs": p.hcpcs, "ndc": p.ndc, "label_mg": str(p.label_mg),
                         "volume_ml": "" if p.volume_ml is None else str(p.volume_ml),
                         "dose_type": p.dose_type.value, "ndc_unit": p.ndc_unit, "description": p.description,
                         "verified": "yes" if p.verified else "no", "source": p.source})
    return out.getvalue()
