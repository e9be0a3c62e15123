"""Turns the chairside form's values into the engine's Administration and returns its live claim preview."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal

from desktop.billing.catalog import Catalog, Package
from desktop.billing.model import (
    Administration,
    ChargeResult,
    DoseType,
    FacilityType,
    PackageUse,
    PayerClass,
)
from desktop.billing.tables import RuleSet, load_rules


@dataclass(frozen=True, slots=True)
class VialEntry:
    """One row of the packages table: a catalog NDC, how many were opened, and where they came from."""

    ndc: str
    count: int
    acquired_340b: bool
    lot: str = ""
    expiry: dt.date | None = None
    serial: str = ""


@dataclass(frozen=True, slots=True)
class ChargeForm:
    """What the nurse has entered so far; None means the field is still empty."""

    date_of_service: dt.date
    hcpcs: str
    payer_class: PayerClass
    vials: tuple[VialEntry, ...] = ()
    administered_mg: Decimal | None = None
    discarded_mg: Decimal | None = None
    start: dt.time | None = None
    stop: dt.time | None = None
    route: str | None = None
    free_drug: bool = False
    facility_type: FacilityType = FacilityType.DSH
    ordered_dose_mg: Decimal | None = None


@dataclass(frozen=True, slots=True)
class ChargePreview:
    """The engine's answer, or the words saying what is still needed before it can answer."""

    result: ChargeResult | None
    waiting_for: str = ""
    opened_mg: Decimal = Decimal(0)
    unknown_ndcs: tuple[str, ...] = field(default_factory=tuple)


def infusion_minutes(start: dt.time | None, stop: dt.time | None) -> int | None:
    """Minutes from start to stop on the day of service; None when either is missing or stop is earlier."""
    if start is None or stop is None:
        return None
    minutes = (stop.hour * 60 + stop.minute) - (start.hour * 60 + start.minute)
    return minutes if minutes >= 0 else None


def _package_use(vial: VialEntry, package: Package) -> PackageUse:
    return PackageUse(
        label_mg=package.label_mg,
        count=vial.count,
        dose_type=package.dose_type,
        acquired_340b=vial.acquired_340b,
        ndc=package.ndc,
        lot=vial.lot or None,
        expiry=vial.expiry,
        volume_ml=package.volume_ml,
        ndc_unit=package.ndc_unit,
        hcpcs=package.hcpcs,
    )


def opened_mg(vials: tuple[VialEntry, ...], catalog: Catalog) -> Decimal:
    """Labeled mg of every opened package (all dose types) known to the catalog."""
    total = Decimal(0)
    for vial in vials:
        package = catalog.package(vial.ndc)
        if package is not None:
            total += package.label_mg * vial.count
    return total


def opened_single_dose_mg(vials: tuple[VialEntry, ...], catalog: Catalog) -> Decimal:
    total = Decimal(0)
    for vial in vials:
        package = catalog.package(vial.ndc)
        if package is not None and package.dose_type is DoseType.SINGLE:
            total += package.label_mg * vial.count
    return total


def suggest_discarded_mg(form: ChargeForm, catalog: Catalog) -> Decimal | None:
    """Opened single-dose mg minus administered mg, the amount the nurse is expected to discard."""
    if form.administered_mg is None:
        return None
    leftover = opened_single_dose_mg(form.vials, catalog) - form.administered_mg
    return leftover if leftover > 0 else Decimal(0)


def build_administration(form: ChargeForm, catalog: Catalog) -> Administration:
    uses = []
    for vial in form.vials:
        package = catalog.package(vial.ndc)
        if package is not None:
            uses.append(_package_use(vial, package))
    return Administration(
        date_of_service=form.date_of_service,
        hcpcs=form.hcpcs.strip().upper(),
        payer_class=form.payer_class,
        facility_type=form.facility_type,
        packages=tuple(uses),
        administered_mg=form.administered_mg or Decimal(0),
        discarded_mg=form.discarded_mg or Decimal(0),
        infusion_minutes=infusion_minutes(form.start, form.stop),
        free_drug=form.free_drug,
        route=form.route or None,
        ordered_dose_mg=form.ordered_dose_mg,
    )


def preview_charge(
    form: ChargeForm, rules: RuleSet | None = None, facility_type: FacilityType | None = None
) -> ChargePreview:
    """The claim lines and findings for the form as it stands, for the live preview.

    Pass the `rules` and `facility_type` the recording service will use
    (settings.engine_inputs) so the preview shows what will be saved; a None
    facility type keeps the form's own.
    """
    rules = rules or load_rules()
    if facility_type is not None and facility_type is not form.facility_type:
        form = replace(form, facility_type=facility_type)
    catalog = rules.catalog
    unknown = tuple(v.ndc for v in form.vials if catalog.package(v.ndc) is None)
    opened = opened_mg(form.vials, catalog)
    if not form.hcpcs.strip():
        return ChargePreview(None, "Pick a drug to see the claim lines.", opened, unknown)
    if not form.vials:
        return ChargePreview(None, "Scan or add the vials you opened.", opened, unknown)
    if form.administered_mg is None:
        return ChargePreview(None, "Enter the mg given to see the claim lines.", opened, unknown)
    from desktop.billing.engine import compute  # the engine is imported when first needed

    result = compute(build_administration(form, catalog), rules)
    return ChargePreview(result, "", opened, unknown)
