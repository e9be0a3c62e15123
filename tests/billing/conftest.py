"""Builders for administrations, and a test catalog with the drugs of the worked examples."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from desktop.billing.model import (
    Administration,
    DoseType,
    FacilityType,
    PackageUse,
    PayerClass,
    PlaceOfService,
    Visit,
)
from desktop.billing.tables import RuleSet, load_rules, parse_catalog

DOS = dt.date(2026, 11, 29)


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    return load_rules()


@pytest.fixture(scope="session")
def example_rules(rules: RuleSet) -> RuleSet:
    """The shipped rules plus the two outside drugs the worked examples use (infliximab, a 1-unit drug)."""
    doc: dict[str, Any] = {
        "version": "test",
        "drug": [
            {"hcpcs": d.hcpcs, "descriptor": d.descriptor, "generic": d.generic, "brand": d.brand,
             "mg_per_unit": str(d.mg_per_unit), "route": d.route, "verified": True, "source": "test"}
            for d in rules.catalog.drugs
        ]
        + [
            {"hcpcs": "J1745", "descriptor": "Injection, infliximab, excludes biosimilar, 10 mg",
             "generic": "infliximab", "brand": "Remicade", "mg_per_unit": "10", "route": "IV",
             "verified": True, "source": "Noridian example"},
            {"hcpcs": "J9999", "descriptor": "Test drug, 1 unit", "generic": "unitdrug", "brand": "Unit",
             "mg_per_unit": "1", "route": "IV", "verified": True, "source": "CMS ch.17 example"},
        ],
        "package": [
            {"ndc": p.ndc, "hcpcs": p.hcpcs, "label_mg": str(p.label_mg), "dose_type": p.dose_type.value,
             "ndc_unit": p.ndc_unit, "description": p.description, "verified": True, "source": "test"}
            | ({"volume_ml": str(p.volume_ml)} if p.volume_ml else {})
            for p in rules.catalog.packages
        ],
    }
    return RuleSet(parse_catalog(doc), rules.payer_policies, rules.modifiers_340b, rules.mue_limits, rules.versions)


def vials(rules: RuleSet, ndc: str, count: int, *, acquired_340b: bool = False,
          expiry: dt.date | None = None, lot: str | None = "L1") -> PackageUse:
    entry = rules.catalog.package(ndc)
    assert entry is not None, ndc
    return entry.opened(count, acquired_340b, lot, expiry)


def loose(label_mg: str, count: int, *, multi: bool = False, acquired_340b: bool = False) -> PackageUse:
    """A package not in the catalog (no NDC)."""
    return PackageUse(
        label_mg=Decimal(label_mg), count=count,
        dose_type=DoseType.MULTIPLE if multi else DoseType.SINGLE, acquired_340b=acquired_340b,
    )


def administration(
    hcpcs: str, packages: list[PackageUse], given: str, discarded: str, *,
    payer: PayerClass = PayerClass.MEDICARE, facility: FacilityType = FacilityType.DSH,
    date_of_service: dt.date = DOS, minutes: int | None = 60, free_drug: bool = False, route: str | None = None,
) -> Administration:
    return Administration(
        date_of_service=date_of_service, hcpcs=hcpcs, payer_class=payer, facility_type=facility,
        packages=tuple(packages), administered_mg=Decimal(given), discarded_mg=Decimal(discarded),
        infusion_minutes=minutes, free_drug=free_drug, route=route,
    )


CHICAGO = ZoneInfo("America/Chicago")


def at(hour: int, minute: int, day: dt.date = DOS, *, fold: int = 0) -> dt.datetime:
    """A Chicago wall-clock time on the date of service (fold=1: the second 01:xx of a fall-back night)."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=CHICAGO, fold=fold)


def given(rules: RuleSet, hcpcs: str, ndc: str | None, count: int, amount: str, discarded: str = "0", *,
          start: dt.datetime | None = None, stop: dt.datetime | None = None, label: str | None = None,
          date_of_service: dt.date = DOS, **extra: Any) -> Administration:
    """One drug of a visit: catalog vials (or a loose package of `label`), amounts, times."""
    package = vials(rules, ndc, count) if ndc else loose(label or "1", count)
    return Administration(
        date_of_service=date_of_service, hcpcs=hcpcs, payer_class=PayerClass.MEDICARE,
        facility_type=FacilityType.DSH, packages=(package,), administered_mg=Decimal(amount),
        discarded_mg=Decimal(discarded), infusion_start=start, infusion_stop=stop, **extra,
    )


def visit_of(*administrations: Administration, place: PlaceOfService = PlaceOfService.HOSPITAL_OUTPATIENT,
             date_of_service: dt.date = DOS) -> Visit:
    return Visit(date_of_service=date_of_service, payer_class=PayerClass.MEDICARE, facility_type=FacilityType.DSH,
                 administrations=tuple(administrations), place_of_service=place)
