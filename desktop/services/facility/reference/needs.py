"""What the crosswalk does not say and the program's catalog must: per NDC of a crosswalk, the catalog facts still
missing ("needs: single- or multiple-dose") or disagreeing with CMS, for an administrator to complete on the
catalog page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from desktop.billing.amounts import amount_text
from desktop.billing.catalog import Catalog
from desktop.billing.reference import CrosswalkEntry
from desktop.interop.cms_files import CrosswalkRow


@dataclass(frozen=True, slots=True)
class CatalogNeed:
    """A crosswalk NDC (or code) the catalog must complete or check before the program bills it as CMS says."""

    hcpcs: str
    ndc: str  # 5-4-2; "" for a code not in the catalog at all
    needs: str  # "needs: ..." or "check: ..."


def _entry(row: CrosswalkRow) -> CrosswalkEntry:
    return CrosswalkEntry(row.ndc11, row.hcpcs, row.dosage, row.package_quantity, row.units_per_package,
                          row.drug_name)


def catalog_needs(rows: Sequence[CrosswalkRow], catalog: Catalog) -> tuple[tuple[CatalogNeed, ...], int]:
    """The needs of the catalog's drugs' NDCs (one line per NDC), then one line per code the catalog lacks; and
    the number of NDCs under codes the catalog lacks."""
    found: list[CatalogNeed] = []
    missing_codes: dict[str, int] = {}
    for row in rows:
        drug = catalog.drug(row.hcpcs)
        if drug is None:
            missing_codes[row.hcpcs] = missing_codes.get(row.hcpcs, 0) + 1
            continue
        label = _entry(row).label_amount(drug.measure)
        package = catalog.package(row.ndc)
        if package is None:
            wants = ["single- or multiple-dose"]
            if label is None:
                wants.append(f"the amount per vial in {drug.measure} (CMS dosage {row.dosage!r} with "
                             f"{row.units_per_package} units per package of {row.package_quantity})")
            found.append(CatalogNeed(row.hcpcs, row.ndc, "needs: " + "; ".join(wants)))
        elif package.hcpcs != row.hcpcs:
            found.append(CatalogNeed(row.hcpcs, row.ndc, f"check: the catalog lists this NDC under {package.hcpcs}"))
        elif label is not None and label != package.label_mg:
            found.append(CatalogNeed(row.hcpcs, row.ndc,
                                     f"check: the catalog says {amount_text(package.label_mg, drug.measure)} per "
                                     f"vial, CMS gives {amount_text(label, drug.measure)}"))
    for code, count in sorted(missing_codes.items()):
        ndcs = "1 NDC" if count == 1 else f"{count} NDCs"
        found.append(CatalogNeed(code, "", f"needs: a drug entry (family, unit of measure, route) before its {ndcs} "
                                           "can be billed"))
    return tuple(found), sum(missing_codes.values())
