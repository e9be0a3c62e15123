"""The `calc` JSON format: a visit (or one administration, a visit of one) in, the engine's result out.

Documented in README ("The `calc` input"). `parse_visit` is shared with `record`, which reads its own
extra fields itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from desktop.billing.model import (
    Administration,
    ChargeResult,
    DoseType,
    FacilityType,
    PackageUse,
    PayerClass,
    PlaceOfService,
    Visit,
)
from desktop.billing.ndc import NdcFormatError, to_ndc11
from desktop.billing.revenue import revenue_code
from desktop.billing.tables import RuleSet
from desktop.interop.json_values import (
    InputError,
    amount,
    choice,
    date_value,
    expiry_value,
    flag,
    loads,
    moment_value,
    require,
    shown,
    text_value,
    whole_number,
)

__all__ = [
    "ADMINISTRATION_FIELDS", "InputError", "loads", "parse_administration", "parse_date", "parse_mg",
    "parse_visit", "result_to_json",
]

VISIT_FIELDS = frozenset({"date_of_service", "payer_class", "facility_type", "place_of_service"})
DRUG_FIELDS = frozenset(
    {
        "hcpcs", "packages", "administered_mg", "discarded_mg", "infusion_minutes", "free_drug", "route",
        "ordered_dose_mg", "infusion_start", "infusion_stop", "split_dose_reason", "carrier",
    }
)
ADMINISTRATION_FIELDS = VISIT_FIELDS | DRUG_FIELDS  # today's single-administration object
PACKAGE_FIELDS = frozenset({"ndc", "count", "acquired_340b", "lot", "expiry", "label_mg", "multi_dose", "serial"})
MAX_PACKAGES = 100
MAX_ADMINISTRATIONS = 50
MAX_MINUTES = 24 * 60
LONGEST = {"lot": 40, "serial": 40, "ndc": 20, "route": 40, "hcpcs": 10, "split_dose_reason": 500}

PAYER_CLASSES = tuple(p.value for p in PayerClass)
FACILITY_TYPES = tuple(f.value for f in FacilityType)
PLACES = tuple(p.value for p in PlaceOfService)

# Readers shared with `record` and `tickets` (their names predate the visit).
parse_date = date_value
parse_mg = amount


def _object(obj: Any, allowed: frozenset[str], where: str) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise InputError(f"{where or 'the input '}must be a JSON object")
    unknown = sorted(set(obj) - allowed)
    if unknown:
        raise InputError(f"{where}unknown field(s): {', '.join(shown(k) for k in unknown[:5])}")
    return obj


def parse_package(obj: Any, index: int, rules: RuleSet, where: str = "", hcpcs: str | None = None) -> PackageUse:
    where = f"{where}package {index + 1}: "
    entry = _object(obj, PACKAGE_FIELDS, where)
    try:
        return _package(entry, rules, hcpcs)
    except InputError as exc:
        raise InputError(f"{where}{exc}") from exc


def _crosswalk_label(ndc: str | None, hcpcs: str | None, rules: RuleSet) -> Any:
    """What one vial of a non-catalog NDC holds by CMS's crosswalk in force (issue 14), when it says so."""
    drug = rules.catalog.drug(hcpcs) if hcpcs else None
    if ndc is None or drug is None:
        return None
    try:
        entry = rules.reference.entry(to_ndc11(ndc), drug.hcpcs)
    except NdcFormatError:
        return None
    return None if entry is None else entry.label_amount(drug.measure)


def _package(entry: dict[str, Any], rules: RuleSet, hcpcs: str | None = None) -> PackageUse:
    count = whole_number(require(entry, "count", ""), "count", 1, MAX_PACKAGES)
    acquired = flag(require(entry, "acquired_340b", ""), "acquired_340b")
    lot = None if entry.get("lot") is None else text_value(entry["lot"], "lot", LONGEST["lot"])
    serial = None if entry.get("serial") is None else text_value(entry["serial"], "serial", LONGEST["serial"]).strip()
    if serial is not None and count != 1:
        raise InputError(f"a serial names one vial, so 'count' must be 1 with serial {shown(serial)}")
    expiry = None if entry.get("expiry") is None else expiry_value(entry["expiry"], "expiry")
    ndc = None if entry.get("ndc") is None else text_value(entry["ndc"], "ndc", LONGEST["ndc"]).strip()
    multi = None if entry.get("multi_dose") is None else flag(entry["multi_dose"], "multi_dose")
    label = None if entry.get("label_mg") is None else amount(entry["label_mg"], "label_mg")
    catalogued = rules.catalog.package(ndc) if ndc else None
    if catalogued is not None:
        if label is not None and label != catalogued.label_mg:
            raise InputError(f"label_mg {shown(entry['label_mg'])} differs from the catalog's "
                             f"{catalogued.label_mg} for NDC {ndc}")
        if multi is not None and multi != (catalogued.dose_type is DoseType.MULTIPLE):
            raise InputError(f"multi_dose {str(multi).lower()} differs from the catalog: NDC {ndc} is a "
                             f"{catalogued.dose_type.value}-dose package")
        return catalogued.opened(count, acquired, lot, expiry, serial)
    if label is None:
        label = _crosswalk_label(ndc, hcpcs, rules)
    if label is None:
        raise InputError(f"NDC {ndc} is not in the catalog: give label_mg and multi_dose for it" if ndc
                         else "give the NDC of a catalog package, or label_mg and multi_dose")
    if label <= 0:
        raise InputError("'label_mg' must be more than 0")
    if ndc is not None:
        try:
            to_ndc11(ndc)
        except NdcFormatError as exc:
            raise InputError(str(exc)) from exc
    if multi is None:
        raise InputError("'multi_dose' is required for a package not in the catalog")
    return PackageUse(
        label_mg=label, count=count, dose_type=DoseType.MULTIPLE if multi else DoseType.SINGLE,
        acquired_340b=acquired, ndc=ndc, lot=lot, expiry=expiry, serial=serial,
    )


def _drug(entry: Mapping[str, Any], visit: Mapping[str, Any], rules: RuleSet, where: str,
          default_facility: FacilityType) -> Administration:
    """One administration; a problem in the visit's own fields is named without the administration."""
    date_of_service = date_value(require(visit, "date_of_service", ""), "date_of_service")
    payer = PayerClass(choice(require(visit, "payer_class", ""), "payer_class", PAYER_CLASSES))
    facility = visit.get("facility_type")
    facility_type = default_facility if facility is None else FacilityType(
        choice(facility, "facility_type", FACILITY_TYPES))
    try:
        return _administration(entry, rules, date_of_service, payer, facility_type)
    except InputError as exc:
        raise InputError(f"{where}{exc}") from exc


def _administration(entry: Mapping[str, Any], rules: RuleSet, date_of_service: dt.date, payer: PayerClass,
                    facility_type: FacilityType) -> Administration:
    hcpcs = require(entry, "hcpcs", "")
    if not isinstance(hcpcs, str) or rules.catalog.drug(text_value(hcpcs, "hcpcs", 100)) is None:
        raise InputError(f"unknown HCPCS code {shown(hcpcs)}: not in the drug catalog")
    packages = require(entry, "packages", "")
    if not isinstance(packages, list):
        raise InputError("'packages' must be a list")
    if len(packages) > MAX_PACKAGES:
        raise InputError(f"at most {MAX_PACKAGES} package rows")
    minutes = entry.get("infusion_minutes")
    ordered = entry.get("ordered_dose_mg")
    route = entry.get("route")
    if route is not None:
        route = text_value(route, "route", LONGEST["route"])
        if route.strip() and rules.routes.find(route) is None:
            raise InputError(f"unknown route {shown(route)}: use one of {rules.routes.names()}")
    reason = entry.get("split_dose_reason")
    return Administration(
        date_of_service=date_of_service,
        hcpcs=hcpcs.strip().upper(),
        payer_class=payer,
        facility_type=facility_type,
        packages=tuple(parse_package(p, i, rules, hcpcs=hcpcs.strip().upper()) for i, p in enumerate(packages)),
        administered_mg=amount(require(entry, "administered_mg", ""), "administered_mg"),
        discarded_mg=amount(require(entry, "discarded_mg", ""), "discarded_mg"),
        infusion_minutes=None if minutes is None else whole_number(minutes, "infusion_minutes", 0, MAX_MINUTES),
        free_drug=flag(entry.get("free_drug", False), "free_drug"),
        route=route,
        ordered_dose_mg=None if ordered is None else amount(ordered, "ordered_dose_mg"),
        infusion_start=_moment(entry, "infusion_start"),
        infusion_stop=_moment(entry, "infusion_stop"),
        split_dose_reason=None if reason is None else text_value(
            reason, "split_dose_reason", LONGEST["split_dose_reason"]).strip() or None,
        carrier=flag(entry.get("carrier", False), "carrier"),
    )


def _moment(entry: Mapping[str, Any], key: str) -> Any:
    return None if entry.get(key) is None else moment_value(entry[key], key)


def parse_administration(
    obj: Any,
    rules: RuleSet,
    *,
    extra_fields: frozenset[str] = frozenset(),
    default_facility: FacilityType = FacilityType.DSH,
) -> Administration:
    """An Administration from today's single-administration object; InputError names the first problem."""
    entry = _object(obj, ADMINISTRATION_FIELDS | extra_fields, "")
    return _drug(entry, entry, rules, "", default_facility)


def parse_visit(
    obj: Any,
    rules: RuleSet,
    *,
    extra_visit_fields: frozenset[str] = frozenset(),
    extra_administration_fields: frozenset[str] = frozenset(),
    default_facility: FacilityType = FacilityType.DSH,
) -> Visit:
    """A Visit from the calc JSON: `{..visit fields, "administrations": [...]}`, or one administration's object
    (a visit of one). The extra fields are accepted and left for the caller (`record`) to read."""
    if isinstance(obj, dict) and "administrations" in obj:
        entry = _object(obj, VISIT_FIELDS | {"administrations"} | extra_visit_fields, "")
        items = entry["administrations"]
        if not isinstance(items, list) or not items:
            raise InputError("'administrations' must list at least one drug given")
        if len(items) > MAX_ADMINISTRATIONS:
            raise InputError(f"at most {MAX_ADMINISTRATIONS} administrations in one visit")
        administrations = tuple(
            _drug(_object(item, DRUG_FIELDS | extra_administration_fields, f"administration {i + 1}: "), entry,
                  rules, f"administration {i + 1}: ", default_facility)
            for i, item in enumerate(items)
        )
    else:
        entry = _object(obj, ADMINISTRATION_FIELDS | extra_visit_fields | extra_administration_fields, "")
        administrations = (_drug(entry, entry, rules, "", default_facility),)
    place = entry.get("place_of_service")
    _refuse_repeated_serials(administrations)
    first = administrations[0]
    return Visit(
        date_of_service=first.date_of_service,
        payer_class=first.payer_class,
        facility_type=first.facility_type,
        place_of_service=PlaceOfService.HOSPITAL_OUTPATIENT if place is None else PlaceOfService(
            choice(place, "place_of_service", PLACES)),
        administrations=administrations,
    )


def _refuse_repeated_serials(administrations: tuple[Administration, ...]) -> None:
    seen: dict[str, tuple[int, int]] = {}
    for i, adm in enumerate(administrations):
        for p, package in enumerate(adm.packages):
            if package.serial is None:
                continue
            if package.serial in seen:
                first_adm, first_package = seen[package.serial]
                raise InputError(
                    f"administration {i + 1}, package {p + 1}: this vial (serial {shown(package.serial)}) is already "
                    f"listed as administration {first_adm + 1}, package {first_package + 1}: one vial read twice"
                )
            seen[package.serial] = (i, p)


def result_to_json(result: ChargeResult, place: PlaceOfService | None = None) -> dict[str, Any]:
    """The engine's result as plain JSON values; quantities are decimal strings to stay exact."""
    lines = []
    for line in result.lines:
        item: dict[str, Any] = {
            "hcpcs": line.hcpcs,
            "modifiers": list(line.modifiers),
            "units": line.units,
            "kind": line.kind.value,
            "reason": line.reason,
            "administration": line.administration,
        }
        if line.ndc is not None:
            item |= {
                "ndc": line.ndc.ndc11,
                "ndc_qualifier": line.ndc.qualifier,
                "ndc_unit": line.ndc.unit,
                "ndc_quantity": str(line.ndc.quantity),
            }
        code = None if place is None else revenue_code(line, place)
        if code is not None:
            item["revenue_code"] = code
        lines.append(item)
    findings = []
    for found in result.findings:
        entry: dict[str, Any] = {"code": found.code, "severity": found.severity.value, "message": found.message}
        if found.administration is not None:
            entry["administration"] = found.administration
        if found.field is not None:
            entry["field"] = found.field
        findings.append(entry)
    return {
        "lines": lines,
        "findings": findings,
        "explanations": list(result.explanations),
        "rule_versions": dict(result.rule_versions),
    }
