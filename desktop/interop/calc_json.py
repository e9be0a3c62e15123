"""The `calc` JSON format: one administration in, the engine's result out (documented in README)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from desktop.billing.model import (
    Administration,
    ChargeResult,
    DoseType,
    FacilityType,
    PackageUse,
    PayerClass,
)
from desktop.billing.ndc import NdcFormatError, to_ndc11
from desktop.billing.tables import RuleSet

ADMINISTRATION_FIELDS = frozenset(
    {
        "date_of_service", "hcpcs", "payer_class", "facility_type", "packages",
        "administered_mg", "discarded_mg", "infusion_minutes", "free_drug", "route", "ordered_dose_mg",
    }
)
PACKAGE_FIELDS = frozenset({"ndc", "count", "acquired_340b", "lot", "expiry", "label_mg", "multi_dose"})
MAX_MG = Decimal(100_000)  # no single administration of these drugs comes near 100 g
MAX_PACKAGES = 100
MAX_MINUTES = 24 * 60


class InputError(ValueError):
    """The input cannot be read as an administration; the message says why, in one line."""


def loads(text: str) -> Any:
    """Parse JSON keeping every number exact (Decimal), refusing NaN and Infinity."""

    def reject(name: str) -> Any:
        raise InputError(f"{name} is not a number")

    try:
        return json.loads(text, parse_float=Decimal, parse_constant=reject)
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc


def _require(obj: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in obj or obj[key] is None:
        raise InputError(f"{where}'{key}' is required")
    return obj[key]


def parse_mg(value: Any, name: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str | float):
        raise InputError(f"'{name}' must be a number of mg, not {type(value).__name__}")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise InputError(f"'{name}' must be a number of mg, not {value!r}") from exc
    if not amount.is_finite():
        raise InputError(f"'{name}' must be a finite number")
    if amount < 0:
        raise InputError(f"'{name}' cannot be negative ({value})")
    if amount > MAX_MG:
        raise InputError(f"'{name}' of {value} mg is not a plausible amount")
    return amount


def _whole(value: Any, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"'{name}' must be a whole number, not {value!r}")
    if not low <= value <= high:
        raise InputError(f"'{name}' must be between {low} and {high}, not {value}")
    return value


def _flag(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise InputError(f"'{name}' must be true or false, not {value!r}")
    return value


def parse_date(value: Any, name: str) -> dt.date:
    if not isinstance(value, str):
        raise InputError(f"'{name}' must be an ISO date like 2026-11-29")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"'{name}' must be an ISO date like 2026-11-29, not {value!r}") from exc


def parse_expiry(value: Any, name: str) -> dt.date:
    """An expiry date; a year-month means the end of that month, as printed on vials."""
    if isinstance(value, str) and len(value) == 7:
        try:
            first = dt.date.fromisoformat(value + "-01")
        except ValueError as exc:
            raise InputError(f"'{name}' must be YYYY-MM-DD or YYYY-MM, not {value!r}") from exc
        following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return following - dt.timedelta(days=1)
    return parse_date(value, name)


def _choice(value: Any, name: str, choices: type[PayerClass] | type[FacilityType]) -> Any:
    names = [c.value for c in choices]
    if value not in names:
        raise InputError(f"'{name}' must be one of {', '.join(names)}, not {value!r}")
    return choices(value)


def _check_fields(obj: Any, allowed: frozenset[str], where: str) -> Mapping[str, Any]:
    if not isinstance(obj, dict):
        raise InputError(f"{where or 'the input '}must be a JSON object")
    unknown = sorted(set(obj) - allowed)
    if unknown:
        raise InputError(f"{where}unknown field(s): {', '.join(unknown)}")
    return obj


def parse_package(obj: Any, index: int, rules: RuleSet) -> PackageUse:
    where = f"package {index + 1}: "
    entry = _check_fields(obj, PACKAGE_FIELDS, where)
    count = _whole(_require(entry, "count", where), "count", 1, MAX_PACKAGES)
    acquired = _flag(_require(entry, "acquired_340b", where), "acquired_340b")
    lot = entry.get("lot")
    if lot is not None and (not isinstance(lot, str) or len(lot) > 40):
        raise InputError(f"{where}'lot' must be text of at most 40 characters")
    expiry = None if entry.get("expiry") is None else parse_expiry(entry["expiry"], "expiry")
    ndc = entry.get("ndc")
    if ndc is not None and not isinstance(ndc, str):
        raise InputError(f"{where}'ndc' must be text like 0078-0669-13")
    catalogued = rules.catalog.package(ndc) if ndc else None
    if catalogued is not None:
        if "label_mg" in entry and parse_mg(entry["label_mg"], "label_mg") != catalogued.label_mg:
            raise InputError(
                f"{where}label_mg {entry['label_mg']} differs from the catalog's {catalogued.label_mg} mg for NDC {ndc}"
            )
        return catalogued.opened(count, acquired, lot, expiry)
    if "label_mg" not in entry:
        raise InputError(f"{where}NDC {ndc} is not in the catalog: give label_mg and multi_dose for it")
    label = parse_mg(entry["label_mg"], "label_mg")
    if label <= 0:
        raise InputError(f"{where}'label_mg' must be more than 0")
    if ndc is not None:
        try:
            to_ndc11(ndc)
        except NdcFormatError as exc:
            raise InputError(f"{where}{exc}") from exc
    multi = _flag(_require(entry, "multi_dose", where), "multi_dose")
    return PackageUse(
        label_mg=label, count=count, dose_type=DoseType.MULTIPLE if multi else DoseType.SINGLE,
        acquired_340b=acquired, ndc=ndc, lot=lot, expiry=expiry,
    )


def parse_administration(
    obj: Any,
    rules: RuleSet,
    *,
    extra_fields: frozenset[str] = frozenset(),
    default_facility: FacilityType = FacilityType.DSH,
) -> Administration:
    """An Administration from the calc JSON object; InputError names the first problem."""
    entry = _check_fields(obj, ADMINISTRATION_FIELDS | extra_fields, "")
    hcpcs = _require(entry, "hcpcs", "")
    if not isinstance(hcpcs, str) or rules.catalog.drug(hcpcs) is None:
        raise InputError(f"unknown HCPCS code {hcpcs!r}: not in the drug catalog")
    packages = _require(entry, "packages", "")
    if not isinstance(packages, list):
        raise InputError("'packages' must be a list")
    if len(packages) > MAX_PACKAGES:
        raise InputError(f"at most {MAX_PACKAGES} package rows")
    facility = entry.get("facility_type")
    minutes = entry.get("infusion_minutes")
    ordered = entry.get("ordered_dose_mg")
    route = entry.get("route")
    if route is not None and not isinstance(route, str):
        raise InputError("'route' must be text")
    return Administration(
        date_of_service=parse_date(_require(entry, "date_of_service", ""), "date_of_service"),
        hcpcs=hcpcs.strip().upper(),
        payer_class=_choice(_require(entry, "payer_class", ""), "payer_class", PayerClass),
        facility_type=default_facility if facility is None else _choice(facility, "facility_type", FacilityType),
        packages=tuple(parse_package(p, i, rules) for i, p in enumerate(packages)),
        administered_mg=parse_mg(_require(entry, "administered_mg", ""), "administered_mg"),
        discarded_mg=parse_mg(_require(entry, "discarded_mg", ""), "discarded_mg"),
        infusion_minutes=None if minutes is None else _whole(minutes, "infusion_minutes", 0, MAX_MINUTES),
        free_drug=_flag(entry.get("free_drug", False), "free_drug"),
        route=route,
        ordered_dose_mg=None if ordered is None else parse_mg(ordered, "ordered_dose_mg"),
    )


def result_to_json(result: ChargeResult) -> dict[str, Any]:
    """The engine's result as plain JSON values; quantities are decimal strings to stay exact."""
    lines = []
    for line in result.lines:
        item: dict[str, Any] = {
            "hcpcs": line.hcpcs,
            "modifiers": list(line.modifiers),
            "units": line.units,
            "kind": line.kind.value,
            "reason": line.reason,
        }
        if line.ndc is not None:
            item |= {
                "ndc": line.ndc.ndc11,
                "ndc_qualifier": line.ndc.qualifier,
                "ndc_unit": line.ndc.unit,
                "ndc_quantity": str(line.ndc.quantity),
            }
        lines.append(item)
    return {
        "lines": lines,
        "findings": [{"code": f.code, "severity": f.severity.value, "message": f.message} for f in result.findings],
        "explanations": list(result.explanations),
        "rule_versions": dict(result.rule_versions),
    }
