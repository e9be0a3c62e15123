"""Loads and validates the rule data shipped in `resources/` (TOML): catalog, payer classes, JZ dates, 340B,
MUE, routes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from desktop.billing.catalog import MEASURES, Catalog, Drug, Package
from desktop.billing.model import DoseType, DrugFamily, FacilityType, PayerClass, PlaceOfService
from desktop.billing.ndc import NdcFormatError, to_ndc11
from desktop.billing.reference import NO_REFERENCE, ReferenceData
from desktop.billing.routes import RouteDataError, RouteTable, parse_routes
from desktop.billing.table_fields import (
    RuleDataError,
    date,
    describe_period,
    field_of,
    flag,
    in_force,
    one_of,
    optional_field,
    positive_decimal,
    positive_int,
    text,
)

__all__ = [
    "NDC_UNITS", "WASTE_POLICIES", "JzPeriod", "Modifier340bRow", "MueLimit", "PayerPolicy", "RuleDataError",
    "RuleSet", "load_rules", "parse_340b_rows", "parse_catalog", "parse_jz_periods", "parse_mue",
    "parse_payer_policies",
]

WASTE_POLICIES = ("required", "jw_only", "none")
JZ_STATUSES = ("none", "optional", "required")
NDC_UNITS = ("UN", "ML", "GR", "F2", "ME")
MUE_SETTINGS = {"practitioner": PlaceOfService.OFFICE, "outpatient_hospital": PlaceOfService.HOSPITAL_OUTPATIENT}


@dataclass(frozen=True, slots=True)
class PayerPolicy:
    payer_class: PayerClass
    label: str
    waste_modifiers: str  # required | jw_only | none
    uses_340b_modifier: bool
    jz_when_optional: bool = False  # put JZ in the months it was accepted but not yet required


@dataclass(frozen=True, slots=True)
class JzPeriod:
    """Whether the JZ modifier exists, is optional or is required on a date of service (billing-rules §4)."""

    effective_from: dt.date
    effective_to: dt.date | None
    status: str  # none | optional | required
    verified: bool
    source: str

    def describe(self) -> str:
        return describe_period(self.effective_from, self.effective_to)


@dataclass(frozen=True, slots=True)
class Modifier340bRow:
    effective_from: dt.date
    effective_to: dt.date | None
    facility_types: frozenset[FacilityType]
    modifier: str
    verified: bool
    source: str

    def applies(self, date_of_service: dt.date, facility_type: FacilityType) -> bool:
        return in_force(self.effective_from, self.effective_to, date_of_service) and (
            facility_type in self.facility_types
        )

    def describe(self) -> str:
        return describe_period(self.effective_from, self.effective_to)


@dataclass(frozen=True, slots=True)
class MueLimit:
    hcpcs: str
    max_units: int
    effective_from: dt.date
    effective_to: dt.date | None
    setting: PlaceOfService | None = None  # None: both the practitioner and the outpatient hospital table
    indicator: str = ""  # MUE adjudication indicator as published, e.g. "3 Date of Service Edit: Clinical"
    source: str = ""

    def applies(self, hcpcs: str, day: dt.date, place: PlaceOfService) -> bool:
        return (self.hcpcs == hcpcs and in_force(self.effective_from, self.effective_to, day)
                and self.setting in (None, place))


def _shipped_doc(name: str) -> dict[str, Any]:
    if name not in _DOCS:
        _DOCS[name] = _read(name)
    return _DOCS[name]


def shipped_routes() -> RouteTable:
    return _routes(_shipped_doc("routes.toml"))


def shipped_jz_periods() -> tuple[JzPeriod, ...]:
    return parse_jz_periods(_shipped_doc("payer_classes.toml"))


@dataclass(frozen=True)
class RuleSet:
    """Every table the engine reads, with the version of each."""

    catalog: Catalog
    payer_policies: Mapping[PayerClass, PayerPolicy]
    modifiers_340b: tuple[Modifier340bRow, ...]
    mue_limits: tuple[MueLimit, ...]
    versions: Mapping[str, str]
    jz_periods: tuple[JzPeriod, ...] = field(default_factory=shipped_jz_periods)
    routes: RouteTable = field(default_factory=shipped_routes)
    # CMS's crosswalk and payment limits in force on the date of service (issue 14); the services load them.
    reference: ReferenceData = NO_REFERENCE

    def with_payer_policy(self, policy: PayerPolicy) -> RuleSet:
        """A copy where one payer class follows a facility's own policy (from settings)."""
        policies = dict(self.payer_policies)
        policies[policy.payer_class] = policy
        return dataclasses.replace(self, payer_policies=policies)

    def jz_period(self, day: dt.date) -> JzPeriod | None:
        return next((p for p in self.jz_periods if in_force(p.effective_from, p.effective_to, day)), None)


def parse_catalog(doc: Mapping[str, Any], name: str = "catalog.toml", routes: RouteTable | None = None) -> Catalog:
    vocabulary = routes or shipped_routes()
    drugs = []
    for i, entry in enumerate(doc.get("drug", [])):
        where = f"{name}, drug #{i + 1}"
        drug = Drug(
            hcpcs=field_of(entry, "hcpcs", where, text).upper(),
            descriptor=field_of(entry, "descriptor", where, text),
            generic=field_of(entry, "generic", where, text),
            brand=field_of(entry, "brand", where, text),
            mg_per_unit=field_of(entry, "mg_per_unit", where, positive_decimal),
            route=field_of(entry, "route", where, text),
            verified=field_of(entry, "verified", where, flag),
            source=field_of(entry, "source", where, text),
            # stored catalog versions from before families and measures read as chemotherapy in mg
            family=DrugFamily(optional_field(entry, "family", where, one_of(tuple(DrugFamily))) or "chemo"),
            measure=optional_field(entry, "measure", where, one_of(MEASURES)) or "mg",
            other_routes=optional_field(entry, "other_routes", where, str) or "",
        )
        unknown = [code for code in drug.routes if vocabulary.by_code(code) is None]
        if unknown:
            raise RuleDataError(f"{where}: route {', '.join(unknown)} is not a code of resources/routes.toml "
                                f"(route = \"IV\", other_routes = \"IM, SC\")")
        drugs.append(drug)
    codes = [d.hcpcs for d in drugs]
    if len(set(codes)) != len(codes):
        raise RuleDataError(f"{name}: a HCPCS code is listed twice")
    packages = []
    seen: set[str] = set()
    for i, entry in enumerate(doc.get("package", [])):
        where = f"{name}, package #{i + 1}"
        ndc = field_of(entry, "ndc", where, text)
        try:
            ndc11 = to_ndc11(ndc)
        except NdcFormatError as exc:
            raise RuleDataError(f"{where}: {exc}") from exc
        if ndc11 in seen:
            raise RuleDataError(f"{where}: NDC {ndc} is listed twice")
        seen.add(ndc11)
        hcpcs = field_of(entry, "hcpcs", where, text).upper()
        if hcpcs not in codes:
            raise RuleDataError(f"{where}: HCPCS {hcpcs} has no drug entry")
        packages.append(
            Package(
                ndc=ndc,
                hcpcs=hcpcs,
                label_mg=field_of(entry, "label_mg", where, positive_decimal),
                volume_ml=optional_field(entry, "volume_ml", where, positive_decimal),
                dose_type=DoseType(field_of(entry, "dose_type", where, one_of(("single", "multiple")))),
                ndc_unit=field_of(entry, "ndc_unit", where, one_of(NDC_UNITS)),
                description=field_of(entry, "description", where, text),
                verified=field_of(entry, "verified", where, flag),
                source=field_of(entry, "source", where, text),
            )
        )
        if packages[-1].ndc_unit == "ML" and packages[-1].volume_ml is None:
            raise RuleDataError(f"{where}: an ML-billed package needs volume_ml")
    version = field_of(doc, "version", name, text)
    return Catalog(version=version, drugs=tuple(drugs), packages=tuple(packages))


def parse_payer_policies(doc: Mapping[str, Any], name: str = "payer_classes.toml") -> dict[PayerClass, PayerPolicy]:
    policies = {}
    for i, entry in enumerate(doc.get("payer_class", [])):
        where = f"{name}, payer_class #{i + 1}"
        payer = PayerClass(field_of(entry, "name", where, one_of(tuple(p.value for p in PayerClass))))
        policies[payer] = PayerPolicy(
            payer_class=payer,
            label=field_of(entry, "label", where, text),
            waste_modifiers=field_of(entry, "waste_modifiers", where, one_of(WASTE_POLICIES)),
            uses_340b_modifier=field_of(entry, "uses_340b_modifier", where, flag),
            jz_when_optional=bool(optional_field(entry, "jz_when_optional", where, flag)),
        )
    missing = [p.value for p in PayerClass if p not in policies]
    if missing:
        raise RuleDataError(f"{name}: no entry for payer class {', '.join(missing)}")
    return policies


def _no_overlap(rows: list[Any], name: str, what: str, same_scope: Any) -> None:
    for a_index, a in enumerate(rows):
        for b in rows[a_index + 1:]:
            overlap_dates = a.effective_from <= (b.effective_to or dt.date.max) and b.effective_from <= (
                a.effective_to or dt.date.max
            )
            if overlap_dates and same_scope(a, b):
                raise RuleDataError(f"{name}: two rows apply to the same {what} on the same date")


def _period(entry: Mapping[str, Any], where: str) -> tuple[dt.date, dt.date | None]:
    start = field_of(entry, "effective_from", where, date)
    end = optional_field(entry, "effective_to", where, date)
    if end is not None and end < start:
        raise RuleDataError(f"{where}: effective_to is before effective_from")
    return start, end


def parse_jz_periods(doc: Mapping[str, Any], name: str = "payer_classes.toml") -> tuple[JzPeriod, ...]:
    rows = []
    for i, entry in enumerate(doc.get("jz_period", [])):
        where = f"{name}, jz_period #{i + 1}"
        start, end = _period(entry, where)
        rows.append(JzPeriod(start, end, field_of(entry, "status", where, one_of(JZ_STATUSES)),
                             field_of(entry, "verified", where, flag), field_of(entry, "source", where, text)))
    _no_overlap(rows, name, "JZ period", lambda a, b: True)
    return tuple(rows)


def parse_340b_rows(doc: Mapping[str, Any], name: str = "modifiers_340b.toml") -> tuple[Modifier340bRow, ...]:
    rows = []
    kinds = tuple(f.value for f in FacilityType)
    for i, entry in enumerate(doc.get("row", [])):
        where = f"{name}, row #{i + 1}"
        types = field_of(entry, "facility_types", where, list)
        for kind in types:
            if kind not in kinds:
                raise RuleDataError(f"{where}: facility type {kind!r} is not one of {', '.join(kinds)}")
        start, end = _period(entry, where)
        rows.append(Modifier340bRow(
            effective_from=start,
            effective_to=end,
            facility_types=frozenset(FacilityType(k) for k in types),
            modifier=field_of(entry, "modifier", where, one_of(("JG", "TB"))),
            verified=field_of(entry, "verified", where, flag),
            source=field_of(entry, "source", where, text),
        ))
    _no_overlap(rows, name, "facility type", lambda a, b: bool(a.facility_types & b.facility_types))
    return tuple(rows)


def parse_mue(doc: Mapping[str, Any], name: str = "mue.toml") -> tuple[MueLimit, ...]:
    limits = []
    for i, entry in enumerate(doc.get("mue", [])):
        where = f"{name}, mue #{i + 1}"
        start, end = _period(entry, where)
        setting = optional_field(entry, "setting", where, one_of(tuple(MUE_SETTINGS)))
        limits.append(
            MueLimit(
                hcpcs=field_of(entry, "hcpcs", where, text).upper(),
                max_units=field_of(entry, "max_units", where, positive_int),
                effective_from=start,
                effective_to=end,
                setting=None if setting is None else MUE_SETTINGS[setting],
                indicator=optional_field(entry, "indicator", where, text) or "",
                source=optional_field(entry, "source", where, text) or "",
            )
        )
    _no_overlap(limits, name, "code and setting",
                lambda a, b: a.hcpcs == b.hcpcs and (a.setting is None or b.setting is None or a.setting == b.setting))
    return tuple(limits)


def _routes(doc: Mapping[str, Any]) -> RouteTable:
    try:
        return parse_routes(doc)
    except RouteDataError as exc:
        raise RuleDataError(str(exc)) from exc


def _read(name: str) -> dict[str, Any]:
    try:
        data = resources.files("resources").joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise RuleDataError(f"rule data file resources/{name} is missing") from exc
    try:
        return tomllib.loads(data)
    except tomllib.TOMLDecodeError as exc:
        raise RuleDataError(f"resources/{name} is not valid TOML: {exc}") from exc


RULE_FILES = ("catalog.toml", "payer_classes.toml", "modifiers_340b.toml", "mue.toml", "routes.toml")
_DOCS: dict[str, dict[str, Any]] = {}
_CACHE: dict[str, RuleSet] = {}


def load_rules() -> RuleSet:
    """The shipped rule tables, validated; read once per process."""
    if "default" not in _CACHE:
        docs = {n: _shipped_doc(n) for n in RULE_FILES}
        routes = _routes(docs["routes.toml"])
        _CACHE["default"] = RuleSet(
            catalog=parse_catalog(docs["catalog.toml"], routes=routes),
            payer_policies=parse_payer_policies(docs["payer_classes.toml"]),
            modifiers_340b=parse_340b_rows(docs["modifiers_340b.toml"]),
            mue_limits=parse_mue(docs["mue.toml"]),
            versions={n.removesuffix(".toml"): field_of(docs[n], "version", n, text) for n in RULE_FILES},
            jz_periods=parse_jz_periods(docs["payer_classes.toml"]),
            routes=routes,
        )
    return _CACHE["default"]
