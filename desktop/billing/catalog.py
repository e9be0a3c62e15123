"""The drug catalog: HCPCS codes with their billing unit, and the packages (NDCs) behind them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from desktop.billing.model import DoseType, DrugFamily, PackageUse
from desktop.billing.ndc import NdcFormatError, digits, to_ndc11

MEASURES = ("mg", "mcg", "mL")


@dataclass(frozen=True, slots=True)
class Drug:
    """A HCPCS drug code. `mg_per_unit` is the amount per billing unit in `measure` (mg, mcg or mL)."""

    hcpcs: str
    descriptor: str
    generic: str
    brand: str
    mg_per_unit: Decimal
    route: str  # the usual route code (resources/routes.toml), e.g. "IV"
    verified: bool
    source: str
    # Catalog versions stored before families existed held only chemotherapy and complex biologics.
    family: DrugFamily = DrugFamily.CHEMO
    measure: str = "mg"
    other_routes: str = ""  # further route codes the code allows, comma-separated, e.g. "IM"

    @property
    def routes(self) -> tuple[str, ...]:
        """Every route code the drug's code allows, the usual one first."""
        extra = (part.strip().upper() for part in self.other_routes.split(","))
        return (self.route.strip().upper(), *(code for code in extra if code))


@dataclass(frozen=True, slots=True)
class Package:
    ndc: str  # as labeled, hyphenated
    hcpcs: str
    label_mg: Decimal
    volume_ml: Decimal | None
    dose_type: DoseType
    ndc_unit: str
    description: str
    verified: bool
    source: str

    @property
    def ndc11(self) -> str:
        return to_ndc11(self.ndc)

    def opened(
        self, count: int, acquired_340b: bool, lot: str | None = None, expiry: dt.date | None = None,
        serial: str | None = None,
    ) -> PackageUse:
        """This package as opened for an administration, carrying the catalog's facts."""
        return PackageUse(
            label_mg=self.label_mg, count=count, dose_type=self.dose_type, acquired_340b=acquired_340b,
            ndc=self.ndc, lot=lot, expiry=expiry, volume_ml=self.volume_ml, ndc_unit=self.ndc_unit,
            hcpcs=self.hcpcs, serial=serial,
        )


@dataclass(frozen=True)
class Catalog:
    version: str
    drugs: tuple[Drug, ...]
    packages: tuple[Package, ...]

    def __post_init__(self) -> None:
        # Indexes built once per catalog, so no call re-reads the tables (issue 16).
        object.__setattr__(self, "_by_hcpcs", {d.hcpcs: d for d in self.drugs})
        object.__setattr__(self, "_by_ndc11", {p.ndc11: p for p in self.packages})
        object.__setattr__(self, "_by_ndc_text", {p.ndc: p for p in self.packages})
        by_ndc10: dict[str, Package] = {}
        for package in self.packages:
            by_ndc10.setdefault(digits(package.ndc), package)
        object.__setattr__(self, "_by_ndc10", by_ndc10)
        per_code: dict[str, list[Package]] = {}
        for package in self.packages:
            per_code.setdefault(package.hcpcs, []).append(package)
        object.__setattr__(self, "_per_code", {code: tuple(found) for code, found in per_code.items()})
        object.__setattr__(self, "_single_sizes", {
            code: frozenset(p.label_mg for p in found if p.dose_type is DoseType.SINGLE)
            for code, found in per_code.items()
        })

    def drug(self, hcpcs: str) -> Drug | None:
        found: Drug | None = self._by_hcpcs.get(hcpcs.strip().upper())  # type: ignore[attr-defined]
        return found

    def package(self, ndc: str) -> Package | None:
        """Find a package by any written form: labeled (hyphenated), 11-digit, or bare digits."""
        exact: Package | None = self._by_ndc_text.get(ndc)  # type: ignore[attr-defined]
        if exact is not None:
            return exact
        bare = digits(ndc)
        if len(bare) == 11:
            found: Package | None = self._by_ndc11.get(bare)  # type: ignore[attr-defined]
            return found
        if "-" in ndc:
            try:
                found = self._by_ndc11.get(to_ndc11(ndc))  # type: ignore[attr-defined]
            except NdcFormatError:
                return None
            return found
        if len(bare) == 10:
            return self.package_by_ndc10_digits(bare)
        return None

    def package_by_ndc10_digits(self, ten_digits: str) -> Package | None:
        """A scanned GTIN carries ten unsegmented digits; only the catalog knows the segments."""
        found: Package | None = self._by_ndc10.get(ten_digits)  # type: ignore[attr-defined]
        return found

    def packages_for(self, hcpcs: str) -> tuple[Package, ...]:
        found: tuple[Package, ...] = self._per_code.get(hcpcs.strip().upper(), ())  # type: ignore[attr-defined]
        return found

    def single_dose_sizes(self, hcpcs: str) -> frozenset[Decimal]:
        """Label amounts of the code's single-dose packages (for the least-waste check)."""
        found: frozenset[Decimal] = self._single_sizes.get(hcpcs, frozenset())  # type: ignore[attr-defined]
        return found

    def search(self, text: str) -> tuple[Drug, ...]:
        """Drugs whose brand, generic name, HCPCS or an NDC contains the text (case-insensitive)."""
        needle = text.strip().lower()
        if not needle:
            return self.drugs
        bare = digits(needle)
        hits = []
        for drug in self.drugs:
            words = f"{drug.brand} {drug.generic} {drug.hcpcs} {drug.descriptor}".lower()
            ndc_hit = len(bare) >= 4 and any(
                bare in digits(p.ndc) or bare in p.ndc11 for p in self.packages_for(drug.hcpcs)
            )
            if needle in words or ndc_hit:
                hits.append(drug)
        return tuple(hits)
