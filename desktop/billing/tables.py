"""Loads and validates the rule data shipped in `resources/` (TOML): catalog, payer classes, 340B, MUE."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Any, TypeVar

from desktop.billing.catalog import Catalog, Drug, Package
from desktop.billing.model import DoseType, FacilityType, PayerClass
from desktop.billing.ndc import NdcFormatError, to_ndc11

T = TypeVar("T")
WASTE_POLICIES = ("required", "jw_only", "none")
NDC_UNITS = ("UN", "ML", "GR", "F2", "ME")


class RuleDataError(ValueError):
    """A data file under resources/ is missing, malformed or inconsistent."""


@dataclass(frozen=True, slots=True)
class PayerPolicy:
    payer_class: PayerClass
    label: str
    waste_modifiers: str  # required | jw_only | none
    uses_340b_modifier: bool


@dataclass(frozen=True, slots=True)
class Modifier340bRow:
    effective_from: dt.date
    effective_to: dt.date | None
    facility_types: frozenset[FacilityType]
    modifier: str
    verified: bool
    source: str

    def applies(self, date_of_service: dt.date, facility_type: FacilityType) -> bool:
        in_range = self.effective_from <= date_of_service and (
            self.effective_to is None or date_of_service <= self.effective_to
        )
        return in_range and facility_type in self.facility_types

    def describe(self) -> str:
        if self.effective_to is None:
            return f"from {self.effective_from.isoformat()}"
        return f"{self.effective_from.isoformat()} to {self.effective_to.isoformat()}"


@dataclass(frozen=True, slots=True)
class MueLimit:
    hcpcs: str
    max_units: int
    effective_from: dt.date
    effective_to: dt.date | None


@dataclass(frozen=True)
class RuleSet:
    """Every table the engine reads, with the version of each."""

    catalog: Catalog
    payer_policies: Mapping[PayerClass, PayerPolicy]
    modifiers_340b: tuple[Modifier340bRow, ...]
    mue_limits: tuple[MueLimit, ...]
    versions: Mapping[str, str]

    def with_payer_policy(self, policy: PayerPolicy) -> RuleSet:
        """A copy where one payer class follows a facility's own policy (from settings)."""
        policies = dict(self.payer_policies)
        policies[policy.payer_class] = policy
        return RuleSet(self.catalog, policies, self.modifiers_340b, self.mue_limits, self.versions)


def _field(entry: Mapping[str, Any], key: str, where: str, convert: Callable[[Any], T]) -> T:
    if key not in entry:
        raise RuleDataError(f"{where}: '{key}' is missing")
    try:
        return convert(entry[key])
    except (ValueError, TypeError, InvalidOperation) as exc:
        raise RuleDataError(f"{where}: '{key}' = {entry[key]!r} is not valid ({exc})") from exc


def _positive_decimal(value: Any) -> Decimal:
    if isinstance(value, float):
        raise ValueError("write amounts as strings, e.g. \"2.4\", not floats")
    amount = Decimal(str(value))
    if not amount.is_finite() or amount <= 0:
        raise ValueError("must be a positive number")
    return amount


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be non-empty text")
    return value.strip()


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    return dt.date.fromisoformat(str(value))


def _one_of(choices: tuple[str, ...]) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}")
        return str(value)

    return convert


def parse_catalog(doc: Mapping[str, Any], name: str = "catalog.toml") -> Catalog:
    drugs = []
    for i, entry in enumerate(doc.get("drug", [])):
        where = f"{name}, drug #{i + 1}"
        drugs.append(
            Drug(
                hcpcs=_field(entry, "hcpcs", where, _text).upper(),
                descriptor=_field(entry, "descriptor", where, _text),
                generic=_field(entry, "generic", where, _text),
                brand=_field(entry, "brand", where, _text),
                mg_per_unit=_field(entry, "mg_per_unit", where, _positive_decimal),
                route=_field(entry, "route", where, _text),
                verified=_field(entry, "verified", where, _bool),
                source=_field(entry, "source", where, _text),
            )
        )
    codes = [d.hcpcs for d in drugs]
    if len(set(codes)) != len(codes):
        raise RuleDataError(f"{name}: a HCPCS code is listed twice")
    packages = []
    seen: set[str] = set()
    for i, entry in enumerate(doc.get("package", [])):
        where = f"{name}, package #{i + 1}"
        ndc = _field(entry, "ndc", where, _text)
        try:
            ndc11 = to_ndc11(ndc)
        except NdcFormatError as exc:
            raise RuleDataError(f"{where}: {exc}") from exc
        if ndc11 in seen:
            raise RuleDataError(f"{where}: NDC {ndc} is listed twice")
        seen.add(ndc11)
        hcpcs = _field(entry, "hcpcs", where, _text).upper()
        if hcpcs not in codes:
            raise RuleDataError(f"{where}: HCPCS {hcpcs} has no drug entry")
        volume = entry.get("volume_ml")
        packages.append(
            Package(
                ndc=ndc,
                hcpcs=hcpcs,
                label_mg=_field(entry, "label_mg", where, _positive_decimal),
                volume_ml=None if volume is None else _field(entry, "volume_ml", where, _positive_decimal),
                dose_type=DoseType(_field(entry, "dose_type", where, _one_of(("single", "multiple")))),
                ndc_unit=_field(entry, "ndc_unit", where, _one_of(NDC_UNITS)),
                description=_field(entry, "description", where, _text),
                verified=_field(entry, "verified", where, _bool),
                source=_field(entry, "source", where, _text),
            )
        )
        if packages[-1].ndc_unit == "ML" and packages[-1].volume_ml is None:
            raise RuleDataError(f"{where}: an ML-billed package needs volume_ml")
    version = _field(doc, "version", name, _text)
    return Catalog(version=version, drugs=tuple(drugs), packages=tuple(packages))


def parse_payer_policies(doc: Mapping[str, Any], name: str = "payer_classes.toml") -> dict[PayerClass, PayerPolicy]:
    policies = {}
    for i, entry in enumerate(doc.get("payer_class", [])):
        where = f"{name}, payer_class #{i + 1}"
        payer = PayerClass(_field(entry, "name", where, _one_of(tuple(p.value for p in PayerClass))))
        policies[payer] = PayerPolicy(
            payer_class=payer,
            label=_field(entry, "label", where, _text),
            waste_modifiers=_field(entry, "waste_modifiers", where, _one_of(WASTE_POLICIES)),
            uses_340b_modifier=_field(entry, "uses_340b_modifier", where, _bool),
        )
    missing = [p.value for p in PayerClass if p not in policies]
    if missing:
        raise RuleDataError(f"{name}: no entry for payer class {', '.join(missing)}")
    return policies


def parse_340b_rows(doc: Mapping[str, Any], name: str = "modifiers_340b.toml") -> tuple[Modifier340bRow, ...]:
    rows = []
    kinds = tuple(f.value for f in FacilityType)
    for i, entry in enumerate(doc.get("row", [])):
        where = f"{name}, row #{i + 1}"
        types = _field(entry, "facility_types", where, list)
        for kind in types:
            if kind not in kinds:
                raise RuleDataError(f"{where}: facility type {kind!r} is not one of {', '.join(kinds)}")
        end = entry.get("effective_to")
        row = Modifier340bRow(
            effective_from=_field(entry, "effective_from", where, _date),
            effective_to=None if end is None else _field(entry, "effective_to", where, _date),
            facility_types=frozenset(FacilityType(k) for k in types),
            modifier=_field(entry, "modifier", where, _one_of(("JG", "TB"))),
            verified=_field(entry, "verified", where, _bool),
            source=_field(entry, "source", where, _text),
        )
        if row.effective_to is not None and row.effective_to < row.effective_from:
            raise RuleDataError(f"{where}: effective_to is before effective_from")
        rows.append(row)
    for a_index, a in enumerate(rows):
        for b in rows[a_index + 1 :]:
            overlap_dates = a.effective_from <= (b.effective_to or dt.date.max) and b.effective_from <= (
                a.effective_to or dt.date.max
            )
            if overlap_dates and a.facility_types & b.facility_types:
                raise RuleDataError(f"{name}: two rows apply to the same facility type on the same date")
    return tuple(rows)


def parse_mue(doc: Mapping[str, Any], name: str = "mue.toml") -> tuple[MueLimit, ...]:
    limits = []
    for i, entry in enumerate(doc.get("mue", [])):
        where = f"{name}, mue #{i + 1}"
        end = entry.get("effective_to")
        limits.append(
            MueLimit(
                hcpcs=_field(entry, "hcpcs", where, _text).upper(),
                max_units=_field(entry, "max_units", where, int),
                effective_from=_field(entry, "effective_from", where, _date),
                effective_to=None if end is None else _field(entry, "effective_to", where, _date),
            )
        )
    return tuple(limits)


def _read(name: str) -> dict[str, Any]:
    try:
        text = resources.files("resources").joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise RuleDataError(f"rule data file resources/{name} is missing") from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleDataError(f"resources/{name} is not valid TOML: {exc}") from exc


_CACHE: dict[str, RuleSet] = {}


def load_rules() -> RuleSet:
    """The shipped rule tables, validated; read once per process."""
    if "default" not in _CACHE:
        docs = {n: _read(n) for n in ("catalog.toml", "payer_classes.toml", "modifiers_340b.toml", "mue.toml")}
        _CACHE["default"] = RuleSet(
            catalog=parse_catalog(docs["catalog.toml"]),
            payer_policies=parse_payer_policies(docs["payer_classes.toml"]),
            modifiers_340b=parse_340b_rows(docs["modifiers_340b.toml"]),
            mue_limits=parse_mue(docs["mue.toml"]),
            versions={
                "catalog": _field(docs["catalog.toml"], "version", "catalog.toml", _text),
                "payer_classes": _field(docs["payer_classes.toml"], "version", "payer_classes.toml", _text),
                "modifiers_340b": _field(docs["modifiers_340b.toml"], "version", "modifiers_340b.toml", _text),
                "mue": _field(docs["mue.toml"], "version", "mue.toml", _text),
            },
        )
    return _CACHE["default"]
