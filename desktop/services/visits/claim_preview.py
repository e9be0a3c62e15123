"""The visit's claim as the chair sees it while typing, computed exactly as the recording service will save it:
the stored drugs of the visit plus the one being entered, engine findings plus documentation findings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from desktop.billing.catalog import Catalog, Package
from desktop.billing.model import (
    Administration,
    ChargeResult,
    DoseType,
    FacilityType,
    Finding,
    PackageUse,
    PayerClass,
    PlaceOfService,
    Visit,
)
from desktop.billing.tables import RuleSet, load_rules
from desktop.records import DrugEntry, DrugFacts, VisitFacts
from desktop.records.completeness import DocumentationItem, DrugToCheck, documentation_findings
from desktop.records.requests import VisitDetail

TIME_FIELDS = frozenset({"infusion_start", "infusion_stop"})


@dataclass(frozen=True, slots=True)
class VialEntry:
    """One row of the vials table: a catalog NDC, how many were opened, their serials and their 340B source.

    `serials` holds the GS1 serial (AI 21) of each scanned vial of the row; `count` is at least their number
    (vials added by size have none). `acquired_340b` is None until someone answered for the row.
    """

    ndc: str
    count: int
    acquired_340b: bool | None
    lot: str = ""
    expiry: dt.date | None = None
    serials: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ChargeForm:
    """What the nurse has entered so far for one drug of the visit; None means the field is still empty.

    `start` and `stop` are timezone-aware (the facility's zone), so minutes are real elapsed minutes.
    """

    date_of_service: dt.date
    hcpcs: str
    payer_class: PayerClass
    vials: tuple[VialEntry, ...] = ()
    administered_mg: Decimal | None = None
    discarded_mg: Decimal | None = None
    start: dt.datetime | None = None
    stop: dt.datetime | None = None
    route: str | None = None
    free_drug: bool = False
    facility_type: FacilityType = FacilityType.DSH
    ordered_dose_mg: Decimal | None = None
    visit: VisitFacts = field(default_factory=VisitFacts)
    facts: DrugFacts = field(default_factory=DrugFacts)


@dataclass(frozen=True, slots=True)
class VisitClaim:
    """The whole visit computed with new drugs added: what the preview shows and the recording service saves."""

    result: ChargeResult  # every drug line, the visit's administration codes, the engine's findings
    findings: tuple[Finding, ...]  # what decides this save: the new drugs' and the visit's, documentation included
    first_new: int  # the first new drug's index in the visit


@dataclass(frozen=True, slots=True)
class ChargePreview:
    """The visit's claim with the drug being entered, or the words saying what is still needed for it.

    `result.lines` are the whole visit's; `result.findings` are those that decide the save (the drug being
    entered and the visit). `new_index` is the drug's index in the visit; `stored` how many drugs the visit
    held already. With stored drugs and an incomplete form, `result` is the stored drugs' claim alone.
    """

    result: ChargeResult | None
    waiting_for: str = ""
    opened_mg: Decimal = Decimal(0)
    unknown_ndcs: tuple[str, ...] = field(default_factory=tuple)
    new_index: int | None = None
    stored: int = 0


def elapsed_minutes(start: dt.datetime | None, stop: dt.datetime | None) -> int | None:
    """Real minutes from start to stop (a daylight-saving change counts as it happened); None when either
    is missing or stop is not after start."""
    if start is None or stop is None:
        return None
    seconds = (stop.astimezone(dt.UTC) - start.astimezone(dt.UTC)).total_seconds()
    return int(seconds // 60) if seconds >= 0 else None


def _package_uses(vial: VialEntry, package: Package) -> list[PackageUse]:
    """One use per scanned vial (each keeps its serial), and one for the vials added without a scan."""
    base = PackageUse(
        label_mg=package.label_mg, count=1, dose_type=package.dose_type, acquired_340b=bool(vial.acquired_340b),
        ndc=package.ndc, lot=vial.lot or None, expiry=vial.expiry, volume_ml=package.volume_ml,
        ndc_unit=package.ndc_unit, hcpcs=package.hcpcs,
    )
    uses = [replace(base, serial=serial) for serial in vial.serials]
    unscanned = vial.count - len(vial.serials)
    if unscanned > 0:
        uses.append(replace(base, count=unscanned))
    return uses


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
    uses: list[PackageUse] = []
    for vial in form.vials:
        package = catalog.package(vial.ndc)
        if package is not None:
            uses += _package_uses(vial, package)
    return Administration(
        date_of_service=form.date_of_service,
        hcpcs=form.hcpcs.strip().upper(),
        payer_class=form.payer_class,
        facility_type=form.facility_type,
        packages=tuple(uses),
        administered_mg=form.administered_mg or Decimal(0),
        discarded_mg=form.discarded_mg or Decimal(0),
        infusion_minutes=elapsed_minutes(form.start, form.stop),
        free_drug=form.free_drug,
        route=form.route or None,
        ordered_dose_mg=form.ordered_dose_mg,
        infusion_start=form.start,
        infusion_stop=form.stop,
    )


def drug_words(catalog: Catalog, hcpcs: str) -> str:
    """How findings name a drug: "J9302 (ofatumumab)", or the code alone when the catalog does not know it."""
    drug = catalog.drug(hcpcs)
    return f"{hcpcs} ({drug.generic})" if drug is not None else hcpcs


def visit_claim(base: Visit, drugs: Sequence[DrugEntry], facts: VisitFacts, rules: RuleSet,
                documentation: Sequence[DocumentationItem] | None = None) -> VisitClaim:
    """The visit `base` (its stored drugs) with `drugs` added, computed by the engine over the whole visit,
    and the findings that decide whether the new drugs can be saved: the engine's findings of the new drugs
    and of the visit as a whole, then the documentation gaps (resources/documentation.toml)."""
    from desktop.billing.engine import compute_visit  # the engine is imported when first needed

    first = len(base.administrations)
    visit = replace(base, administrations=base.administrations + tuple(d.administration for d in drugs))
    result = compute_visit(visit, rules)
    to_check = [DrugToCheck(d.administration, d.facts, first + i, drug_words(rules.catalog, d.administration.hcpcs))
                for i, d in enumerate(drugs)]
    gaps = documentation_findings(facts, to_check, base.payer_class, documentation)
    # Missing times are a documentation gap with its own severity: the engine's note saying the same goes.
    untimed = {f.administration for f in gaps if f.field in TIME_FIELDS}
    engine = tuple(f for f in result.findings
                   if (f.administration is None or f.administration >= first)
                   and not (f.code == "NO_INFUSION_TIME" and f.administration in untimed))
    return VisitClaim(result, engine + gaps, first)


def stored_visit(stored: VisitDetail) -> Visit:
    """The engine's visit for the drugs a stored visit still bills."""
    return Visit(
        date_of_service=stored.date_of_service, payer_class=stored.payer_class, facility_type=stored.facility_type,
        administrations=tuple(a.administration for a in stored.active),
        place_of_service=stored.place_of_service or PlaceOfService.HOSPITAL_OUTPATIENT,
    )


def _waiting_for(form: ChargeForm) -> str:
    if not form.hcpcs.strip():
        return "Pick a drug (or scan a vial) to see the claim lines."
    if not form.vials:
        return "Scan or add the vials you opened."
    if form.administered_mg is None:
        return "Enter the mg given to see the claim lines."
    return ""


def preview_visit(
    form: ChargeForm, stored: VisitDetail | None = None, rules: RuleSet | None = None,
    facility_type: FacilityType | None = None, place_of_service: PlaceOfService | None = None,
) -> ChargePreview:
    """The claim of the visit `stored` (the patient's open visit of that date, or None for a new one) with the
    drug on the form added, as the recording service will compute it.

    Pass the `rules`, `facility_type` and `place_of_service` the recording service will use
    (settings.engine_inputs); a None facility type keeps the form's own.
    """
    rules = rules or load_rules()
    if facility_type is not None and facility_type is not form.facility_type:
        form = replace(form, facility_type=facility_type)
    catalog = rules.catalog
    unknown = tuple(v.ndc for v in form.vials if catalog.package(v.ndc) is None)
    opened = opened_mg(form.vials, catalog)
    if stored is not None and stored.active:
        base = stored_visit(stored)
    else:
        base = Visit(form.date_of_service, form.payer_class, form.facility_type, (),
                     place_of_service or PlaceOfService.HOSPITAL_OUTPATIENT)
    count = len(base.administrations)
    waiting = _waiting_for(form)
    if waiting:
        if not count:
            return ChargePreview(None, waiting, opened, unknown)
        claim = visit_claim(base, (), form.visit, rules, documentation=())
        return ChargePreview(replace(claim.result, findings=()), waiting, opened, unknown, None, count)
    adm = replace(build_administration(form, catalog), date_of_service=base.date_of_service,
                  payer_class=base.payer_class, facility_type=base.facility_type)
    claim = visit_claim(base, (DrugEntry(adm, form.facts),), form.visit, rules)
    return ChargePreview(replace(claim.result, findings=claim.findings), "", opened, unknown, count, count)


def preview_charge(
    form: ChargeForm, rules: RuleSet | None = None, facility_type: FacilityType | None = None
) -> ChargePreview:
    """The claim of a new visit holding only the drug on the form (see `preview_visit`)."""
    return preview_visit(form, None, rules, facility_type)


def serial_clashes(stored: Sequence[tuple[str, Administration]], new: Sequence[Administration]) -> list[str]:
    """Words for every vial serial (GS1 AI 21) the new drugs repeat, from the visit's stored drugs (each named
    by its words, e.g. "J9299 recorded at 09:04") or from another new vial: one vial cannot be opened twice."""
    seen: dict[str, str] = {}
    for words, adm in stored:
        for use in adm.packages:
            if use.serial:
                seen.setdefault(use.serial, words)
    clashes: list[str] = []
    for number, adm in enumerate(new, start=1):
        for use in adm.packages:
            if not use.serial:
                continue
            if use.serial in seen:
                clashes.append(f"vial serial {use.serial} ({use.ndc or adm.hcpcs}) is already in this visit "
                               f"({seen[use.serial]})")
            else:
                seen[use.serial] = f"drug {number} of this entry, {adm.hcpcs}"
    return clashes
