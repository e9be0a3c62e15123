"""Documentation completeness (billing-rules §7): findings for what a visit or a drug lacks, with the severity
per item and payer class read from resources/documentation.toml."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from desktop.billing.model import Administration, Finding, PayerClass, Severity
from desktop.billing.tables import RuleDataError
from desktop.records.payer_words import PAYER_WORDS
from desktop.records.visit import DrugFacts, VisitFacts

FILE = "documentation.toml"
OFF = "off"
PLACEHOLDERS = {"drug": "J9302 (ofatumumab)", "missing": "start and stop times", "mg": "25", "payer": "Medicare"}


@dataclass(frozen=True, slots=True)
class DocumentationItem:
    """One thing the payer expects documented, how much its absence matters per payer class, and the words."""

    name: str
    code: str
    severity: Severity | None  # None: not checked
    message: str
    by_payer: tuple[tuple[PayerClass, Severity | None], ...] = ()

    def severity_for(self, payer_class: PayerClass) -> Severity | None:
        return next((s for p, s in self.by_payer if p is payer_class), self.severity)


@dataclass(frozen=True, slots=True)
class DrugToCheck:
    """One drug of the visit as the checks see it: the engine's input, its documentation, its index in the
    visit (findings carry it) and the words that name it ("J9302 (ofatumumab)")."""

    administration: Administration
    facts: DrugFacts
    index: int
    name: str


VisitCheck = Callable[[VisitFacts], Iterator[tuple[str, dict[str, str]]]]
DrugCheck = Callable[[DrugToCheck], Iterator[tuple[str, dict[str, str]]]]


def _mg(amount: Decimal) -> str:
    return f"{amount.normalize():f}"


# The checks: each yields (field, values for the message) for every gap it finds.
def _diagnosis(visit: VisitFacts) -> Iterator[tuple[str, dict[str, str]]]:
    if not visit.diagnosis_codes:
        yield "diagnosis_codes", {}


def _consent(visit: VisitFacts) -> Iterator[tuple[str, dict[str, str]]]:
    if not visit.consent_recorded:
        yield "consent_recorded", {}


def _prior_authorization(visit: VisitFacts) -> Iterator[tuple[str, dict[str, str]]]:
    if not visit.prior_authorization:
        yield "prior_authorization", {}


def _ordering_provider(visit: VisitFacts) -> Iterator[tuple[str, dict[str, str]]]:
    name, npi = bool(visit.ordering_provider), bool(visit.ordering_provider_npi)
    if not name or not npi:
        missing = "name and NPI" if not name and not npi else ("NPI" if name else "name")
        yield ("ordering_provider" if not name else "ordering_provider_npi"), {"missing": missing}


def _notes(visit: VisitFacts) -> Iterator[tuple[str, dict[str, str]]]:
    if not visit.notes:
        yield "notes", {}


def _infusion_times(drug: DrugToCheck) -> Iterator[tuple[str, dict[str, str]]]:
    adm = drug.administration
    if getattr(adm, "carrier", False) or not adm.administered_mg or adm.infusion_minutes is not None:
        return  # a carrier bag is never billed on its own; nothing given, nothing to time; minutes documented
    if adm.infusion_start is None:
        yield "infusion_start", {"missing": "start and stop times" if adm.infusion_stop is None else "start time"}
    elif adm.infusion_stop is None:
        yield "infusion_stop", {"missing": "stop time"}


def _waste_witness(drug: DrugToCheck) -> Iterator[tuple[str, dict[str, str]]]:
    if drug.administration.discarded_mg and not drug.facts.waste_witness:
        yield "waste_witness", {"mg": _mg(drug.administration.discarded_mg)}


def _discarded_by(drug: DrugToCheck) -> Iterator[tuple[str, dict[str, str]]]:
    if drug.administration.discarded_mg and not drug.facts.discarded_by:
        yield "discarded_by", {"mg": _mg(drug.administration.discarded_mg)}


def _packages_without(attribute: str) -> DrugCheck:
    def check(drug: DrugToCheck) -> Iterator[tuple[str, dict[str, str]]]:
        packages = drug.administration.packages
        lacking = [i for i, p in enumerate(packages) if not getattr(p, attribute)]
        if not lacking:
            return
        vials = sum(packages[i].count for i in lacking)
        total = sum(p.count for p in packages)
        which = ("the vial" if total == 1 else f"all {total} vials") if vials == total else f"{vials} of {total} vials"
        yield f"packages[{lacking[0]}].{attribute}", {"missing": which}

    return check


VISIT_CHECKS: dict[str, VisitCheck] = {
    "diagnosis": _diagnosis, "consent": _consent, "prior_authorization": _prior_authorization,
    "ordering_provider": _ordering_provider, "notes": _notes,
}
DRUG_CHECKS: dict[str, DrugCheck] = {
    "infusion_times": _infusion_times, "waste_witness": _waste_witness, "discarded_by": _discarded_by,
    "lot": _packages_without("lot"), "expiry": _packages_without("expiry"),
}


def documentation_findings(
    visit: VisitFacts, drugs: Sequence[DrugToCheck], payer_class: PayerClass,
    items: Sequence[DocumentationItem] | None = None,
) -> tuple[Finding, ...]:
    """Every documentation gap of the visit (administration None) and of each drug (its index), as findings
    whose `field` names the input to fill in."""
    found: list[Finding] = []
    payer = PAYER_WORDS[payer_class]
    for item in items if items is not None else documentation_items():
        severity = item.severity_for(payer_class)
        if severity is None:
            continue
        if item.name in VISIT_CHECKS:
            for field, values in VISIT_CHECKS[item.name](visit):
                message = item.message.format_map({**PLACEHOLDERS, "payer": payer, **values})
                found.append(Finding(item.code, severity, message, None, field))
            continue
        for drug in drugs:
            for field, values in DRUG_CHECKS[item.name](drug):
                message = item.message.format_map({**PLACEHOLDERS, "payer": payer, "drug": drug.name,
                                                   **values})
                found.append(Finding(item.code, severity, message, drug.index, field))
    return tuple(found)


# the data file -----------------------------------------------------------------------------------------------

def _severity(value: Any, where: str) -> Severity | None:
    if value == OFF:
        return None
    try:
        return Severity(value)
    except ValueError:
        raise RuleDataError(f"resources/{FILE}, {where}: severity {value!r} must be error, warning, info or "
                            "off") from None


def parse_documentation(document: dict[str, Any]) -> tuple[DocumentationItem, ...]:
    """The items of a documentation.toml document; RuleDataError names the entry that is wrong."""
    entries = document.get("items")
    if not isinstance(entries, dict) or not entries:
        raise RuleDataError(f"resources/{FILE}: no [items.…] tables")
    items: list[DocumentationItem] = []
    codes: set[str] = set()
    for name, entry in entries.items():
        where = f"items.{name}"
        if name not in VISIT_CHECKS and name not in DRUG_CHECKS:
            known = ", ".join(sorted(VISIT_CHECKS | DRUG_CHECKS))
            raise RuleDataError(f"resources/{FILE}, {where}: no such check (known: {known})")
        if not isinstance(entry, dict):
            raise RuleDataError(f"resources/{FILE}, {where}: must be a table")
        code, message = entry.get("code"), entry.get("message")
        if not isinstance(code, str) or not code.isupper() or code in codes:
            raise RuleDataError(f"resources/{FILE}, {where}: 'code' must be a new UPPER_CASE code, not {code!r}")
        codes.add(code)
        if not isinstance(message, str) or not message.strip():
            raise RuleDataError(f"resources/{FILE}, {where}: 'message' is missing")
        try:
            message.format_map(PLACEHOLDERS)
        except (KeyError, ValueError, IndexError) as exc:
            raise RuleDataError(f"resources/{FILE}, {where}: the message uses an unknown placeholder ({exc}); "
                                f"known: {', '.join('{' + k + '}' for k in PLACEHOLDERS)}") from None
        by_payer = entry.get("payer_class", {})
        if not isinstance(by_payer, dict):
            raise RuleDataError(f"resources/{FILE}, {where}.payer_class: must be a table")
        overrides = []
        for payer, value in by_payer.items():
            try:
                payer_class = PayerClass(payer)
            except ValueError:
                raise RuleDataError(f"resources/{FILE}, {where}.payer_class: {payer!r} is not a payer class") from None
            overrides.append((payer_class, _severity(value, f"{where}.payer_class.{payer}")))
        items.append(DocumentationItem(name, code, _severity(entry.get("severity"), where), message.strip(),
                                       tuple(overrides)))
    return tuple(items)


@cache
def documentation_items() -> tuple[DocumentationItem, ...]:
    """The shipped items, read and checked once per process."""
    try:
        text = resources.files("resources").joinpath(FILE).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise RuleDataError(f"rule data file resources/{FILE} is missing") from exc
    try:
        return parse_documentation(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise RuleDataError(f"resources/{FILE} is not valid TOML: {exc}") from exc
