"""Facility settings stored in the database (audited), and the rule tables they adjust for the engine.

Each field is one row of the `setting` table under a "facility." key, its value
JSON. A key that was never saved (or cannot be read) takes the default written
on the field below, so an empty database behaves like the shipped rules:
no name, DSH, the shipped payer policies, no prices, auto-lock after 5
minutes, US letter paper, lock-out for 15 minutes after 5 failed sign-ins,
this workstation's time zone, and no default 340B source (the nurse answers
for every vial).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any
from weakref import WeakKeyDictionary
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db import models
from db.audit import append_event, lock_chain
from desktop.billing.model import FacilityType, PayerClass, PlaceOfService
from desktop.billing.tables import WASTE_POLICIES, PayerPolicy, RuleSet
from desktop.records.fields import npi_valid
from desktop.records.payer_words import PAYER_WORDS
from desktop.records.requests import RecordRequest
from desktop.services.errors import ServiceError
from desktop.services.facility.facility_basics import Stock340b, workstation_time_zone, zone_problem
from desktop.services.people.roles import Permission, require
from desktop.services.storage.store import Store
from desktop.services.validation import check_text
from desktop.tickets.ticket_data import Facility, FacilityIdentifier, PaperSize

PREFIX = "facility."
DEFAULT_AUTO_LOCK_MINUTES = 5
MAX_AUTO_LOCK_MINUTES = 240
DEFAULT_LOCKOUT_FAILURES = 5
DEFAULT_LOCKOUT_MINUTES = 15
HCPCS_LENGTH = 5
HL7_NAMESPACE_LENGTH = 20  # HL7 v2.5.1 HD-1 (IS): MSH-4/5/6 and PID-3.4 namespaces
CDM_LENGTH = 20

__all__ = [
    "DEFAULT_AUTO_LOCK_MINUTES",
    "ChargeCode",
    "EngineInputs",
    "FacilityIdentifier",
    "FacilitySettings",
    "PaperSize",
    "PayerPolicyOverride",
    "Stock340b",
    "UnitPrice",
    "apply_payer_overrides",
    "at_facility",
    "engine_inputs",
    "facility_settings_saved",
    "get_facility_settings",
    "normalized",
    "rules_in_effect",
    "save_facility_settings",
    "validate_facility_settings",
    "workstation_time_zone",
    "zone_problem",
]


@dataclass(frozen=True, slots=True)
class PayerPolicyOverride:
    """The facility's own JW/JZ and 340B policy for one payer class, replacing the shipped one."""

    payer_class: PayerClass
    waste_modifiers: str  # required | jw_only | none (desktop.billing.tables.WASTE_POLICIES)
    uses_340b_modifier: bool


@dataclass(frozen=True, slots=True)
class UnitPrice:
    """The facility's charge for one billing unit of a HCPCS code (printed on tickets)."""

    hcpcs: str
    price: Decimal


@dataclass(frozen=True, slots=True)
class ChargeCode:
    """The receiving billing system's charge-master (CDM) number for a HCPCS code (HL7 FT1-7, table 0132)."""

    hcpcs: str
    cdm: str


@dataclass(frozen=True, slots=True)
class FacilitySettings:
    facility_name: str = ""
    identifiers: tuple[FacilityIdentifier, ...] = ()  # e.g. NPI, TIN, CCN, printed under the name
    address: str = ""  # lines separated by "\n"
    facility_type: FacilityType = FacilityType.DSH  # 340B covered-entity category (JG or TB)
    payer_overrides: tuple[PayerPolicyOverride, ...] = ()
    unit_prices: tuple[UnitPrice, ...] = ()
    auto_lock_minutes: int = DEFAULT_AUTO_LOCK_MINUTES
    paper_size: PaperSize = PaperSize.LETTER
    lockout_failures: int = DEFAULT_LOCKOUT_FAILURES  # failed sign-ins in a row that lock an account
    lockout_minutes: int = DEFAULT_LOCKOUT_MINUTES  # how long it stays locked
    # Hospital outpatient (UB-04/837I, revenue codes) or office (CMS-1500/837P): how visits are billed.
    place_of_service: PlaceOfService = PlaceOfService.HOSPITAL_OUTPATIENT
    # IANA name of the facility's zone: times are shown, printed and dated in it on every workstation.
    time_zone: str = field(default_factory=workstation_time_zone)
    stock_340b: Stock340b = Stock340b.ASK  # the default answer for a new vial's 340B source
    # What a billing system needs to post the exports (issue 19; resources/docs/interfaces.md). The billing NPI
    # and TIN are the identifiers labelled NPI and TIN above.
    hl7_facility: str = ""  # MSH-4.1 / FHS-4.1 namespace; blank: the facility NPI
    receiving_application: str = ""  # MSH-5
    receiving_facility: str = ""  # MSH-6
    mrn_authority: str = ""  # who assigns the MRNs (PID-3.4, FHIR Patient.identifier); blank: as hl7_facility
    rendering_provider: str = ""  # the supervising physician billed as rendering provider
    rendering_provider_npi: str = ""
    charge_codes: tuple[ChargeCode, ...] = ()  # CDM crosswalk; a code without one is sent as its HCPCS code

    @property
    def zone(self) -> ZoneInfo:
        """The facility's time zone (UTC if the stored name cannot be used on this computer)."""
        return ZoneInfo(self.time_zone) if zone_problem(self.time_zone) is None else ZoneInfo("UTC")

    def today(self) -> dt.date:
        """Today's date at the facility: the date of service of a visit entered now."""
        return dt.datetime.now(self.zone).date()

    def identifier(self, *labels: str) -> str:
        """The value of the facility identifier with one of these labels (any case), or ""."""
        wanted = {label.casefold() for label in labels}
        return next((i.value for i in self.identifiers if i.label.strip().casefold() in wanted), "")

    @property
    def billing_npi(self) -> str:
        return self.identifier("NPI")

    @property
    def billing_tin(self) -> str:
        return "".join(c for c in self.identifier("TIN", "Tax ID", "EIN") if c.isdigit())

    def cdm_for(self, hcpcs: str) -> str | None:
        """The receiver's charge-master number for a code, or None when none was set."""
        return next((c.cdm for c in self.charge_codes if c.hcpcs == hcpcs), None)

    def price_for(self, hcpcs: str) -> Decimal | None:
        """The price per billing unit for a code, or None when the facility set none."""
        code = hcpcs.strip().upper()
        return next((p.price for p in self.unit_prices if p.hcpcs == code), None)

    def override_for(self, payer_class: PayerClass) -> PayerPolicyOverride | None:
        return next((o for o in self.payer_overrides if o.payer_class is payer_class), None)

    def ticket_facility(self) -> Facility:
        """The facility block printed on charge tickets."""
        return Facility(name=self.facility_name, identifiers=self.identifiers, address=self.address)


def normalized(settings: FacilitySettings) -> FacilitySettings:
    """Text trimmed, HCPCS codes upper case and prices in code order, as they are stored."""
    return replace(
        settings,
        facility_name=settings.facility_name.strip(),
        identifiers=tuple(FacilityIdentifier(i.label.strip(), i.value.strip()) for i in settings.identifiers),
        address=settings.address.strip(),
        time_zone=settings.time_zone.strip() if isinstance(settings.time_zone, str) else settings.time_zone,
        unit_prices=tuple(sorted((UnitPrice(p.hcpcs.strip().upper(), p.price) for p in settings.unit_prices),
                                 key=lambda p: p.hcpcs)),
        hl7_facility=settings.hl7_facility.strip(), receiving_application=settings.receiving_application.strip(),
        receiving_facility=settings.receiving_facility.strip(), mrn_authority=settings.mrn_authority.strip(),
        rendering_provider=settings.rendering_provider.strip(),
        rendering_provider_npi=settings.rendering_provider_npi.strip(),
        charge_codes=tuple(sorted((ChargeCode(c.hcpcs.strip().upper(), c.cdm.strip()) for c in settings.charge_codes),
                                  key=lambda c: c.hcpcs)),
    )


def validate_facility_settings(settings: FacilitySettings) -> list[str]:
    """Every problem with the settings, in words; an empty list means they can be saved."""
    problems: list[str] = []
    if len(settings.facility_name) > 200:
        problems.append("The facility name is longer than 200 characters.")
    for ident in settings.identifiers:
        if not ident.label.strip() or not ident.value.strip():
            problems.append("Each facility identifier needs both a label (e.g. NPI) and a value.")
    labels = [i.label.strip().casefold() for i in settings.identifiers]
    if len(set(labels)) != len(labels):
        problems.append("A facility identifier label is listed twice.")
    if not isinstance(settings.facility_type, FacilityType):
        problems.append(f"{settings.facility_type!r} is not a 340B facility type.")
    seen: set[PayerClass] = set()
    for override in settings.payer_overrides:
        if override.payer_class in seen:
            problems.append(f"The payer class {override.payer_class.value} has two policy overrides.")
        seen.add(override.payer_class)
        if override.waste_modifiers not in WASTE_POLICIES:
            problems.append(f"The JW/JZ policy for {override.payer_class.value} must be one of "
                            f"{', '.join(WASTE_POLICIES)}.")
    codes = [p.hcpcs for p in settings.unit_prices]
    if len(set(codes)) != len(codes):
        problems.append("A HCPCS code has two prices.")
    for price in settings.unit_prices:
        if len(price.hcpcs) != HCPCS_LENGTH or not price.hcpcs.isalnum():
            problems.append(f"{price.hcpcs!r} is not a HCPCS code (one letter and four digits, e.g. J9299).")
        if not price.price.is_finite() or price.price < 0:
            problems.append(f"The price for {price.hcpcs} must be zero or more.")
    if not 1 <= settings.auto_lock_minutes <= MAX_AUTO_LOCK_MINUTES:
        problems.append(f"Auto-lock must be between 1 and {MAX_AUTO_LOCK_MINUTES} minutes.")
    if not 3 <= settings.lockout_failures <= 20:
        problems.append("Lock-out must follow between 3 and 20 failed sign-ins.")
    if not 1 <= settings.lockout_minutes <= 24 * 60:
        problems.append("An account must stay locked out between 1 minute and 24 hours.")
    if not isinstance(settings.place_of_service, PlaceOfService):
        problems.append("The place of service must be hospital outpatient or office.")
    if not isinstance(settings.paper_size, PaperSize):
        problems.append("The paper size must be letter or A4.")
    zone = zone_problem(settings.time_zone)
    if zone:
        problems.append(zone)
    if not isinstance(settings.stock_340b, Stock340b):
        problems.append("The default 340B source must be: ask for every vial, 340B stock or non-340B stock.")
    return problems + _interface_problems(settings)


def _interface_problems(settings: FacilitySettings) -> list[str]:
    """What a billing system could not take: HL7 namespaces too long, a bad NPI, a charge code twice."""
    problems: list[str] = []
    for label, value in (("HL7 facility code", settings.hl7_facility),
                         ("receiving application", settings.receiving_application),
                         ("receiving facility", settings.receiving_facility),
                         ("MRN assigning authority", settings.mrn_authority)):
        if len(value) > HL7_NAMESPACE_LENGTH or any(c in value for c in "|^~\\&"):
            problems.append(f"The {label} must be at most {HL7_NAMESPACE_LENGTH} characters, without | ^ ~ \\ &.")
    npi = settings.rendering_provider_npi
    if npi and not npi_valid(npi):
        problems.append(f"The rendering provider's NPI {npi!r} is not a valid NPI (10 digits, check digit).")
    if npi and not settings.rendering_provider:
        problems.append("The rendering provider needs a name as well as an NPI.")
    billing_npi = settings.billing_npi.strip()
    if billing_npi and not npi_valid(billing_npi):
        problems.append(f"The facility NPI {billing_npi!r} is not a valid NPI (10 digits, check digit).")
    codes = [c.hcpcs for c in settings.charge_codes]
    if len(set(codes)) != len(codes):
        problems.append("A HCPCS code has two charge-master numbers.")
    for code in settings.charge_codes:
        if len(code.hcpcs) != HCPCS_LENGTH or not code.hcpcs.isalnum():
            problems.append(f"{code.hcpcs!r} is not a HCPCS code (one letter and four digits, e.g. J9299).")
        if not code.cdm or len(code.cdm) > CDM_LENGTH:
            problems.append(f"The charge-master number for {code.hcpcs} must be 1 to {CDM_LENGTH} characters.")
    return problems


# storage -----------------------------------------------------------------


def _to_json(settings: FacilitySettings) -> dict[str, Any]:
    return {
        "name": settings.facility_name,
        "identifiers": [[i.label, i.value] for i in settings.identifiers],
        "address": settings.address,
        "facility_type": settings.facility_type.value,
        "payer_overrides": [
            {"payer_class": o.payer_class.value, "waste_modifiers": o.waste_modifiers,
             "uses_340b_modifier": o.uses_340b_modifier}
            for o in settings.payer_overrides
        ],
        "unit_prices": {p.hcpcs: str(p.price) for p in settings.unit_prices},
        "auto_lock_minutes": settings.auto_lock_minutes,
        "paper_size": settings.paper_size.value,
        "lockout_failures": settings.lockout_failures,
        "lockout_minutes": settings.lockout_minutes,
        "place_of_service": settings.place_of_service.value,
        "time_zone": settings.time_zone,
        "stock_340b": settings.stock_340b.value,
        "hl7_facility": settings.hl7_facility,
        "receiving_application": settings.receiving_application,
        "receiving_facility": settings.receiving_facility,
        "mrn_authority": settings.mrn_authority,
        "rendering_provider": [settings.rendering_provider, settings.rendering_provider_npi],
        "charge_codes": {c.hcpcs: c.cdm for c in settings.charge_codes},
    }


def _from_json(values: Mapping[str, Any]) -> FacilitySettings:
    """Settings from stored values; a missing or unreadable value keeps its default."""
    result = FacilitySettings()
    readers: dict[str, Callable[[Any], dict[str, Any]]] = {
        "name": lambda v: {"facility_name": str(v)},
        "identifiers": lambda v: {"identifiers": tuple(FacilityIdentifier(str(a), str(b)) for a, b in v)},
        "address": lambda v: {"address": str(v)},
        "facility_type": lambda v: {"facility_type": FacilityType(v)},
        "payer_overrides": lambda v: {"payer_overrides": tuple(
            PayerPolicyOverride(PayerClass(o["payer_class"]), str(o["waste_modifiers"]),
                                bool(o["uses_340b_modifier"])) for o in v)},
        "unit_prices": lambda v: {"unit_prices": tuple(UnitPrice(str(k), Decimal(str(p))) for k, p in v.items())},
        "auto_lock_minutes": lambda v: {"auto_lock_minutes": int(v)},
        "paper_size": lambda v: {"paper_size": PaperSize(v)},
        "lockout_failures": lambda v: {"lockout_failures": int(v)},
        "lockout_minutes": lambda v: {"lockout_minutes": int(v)},
        "place_of_service": lambda v: {"place_of_service": PlaceOfService(v)},
        "time_zone": lambda v: {"time_zone": str(v)} if zone_problem(v) is None else {},
        "stock_340b": lambda v: {"stock_340b": Stock340b(v)},
        "hl7_facility": lambda v: {"hl7_facility": str(v)},
        "receiving_application": lambda v: {"receiving_application": str(v)},
        "receiving_facility": lambda v: {"receiving_facility": str(v)},
        "mrn_authority": lambda v: {"mrn_authority": str(v)},
        "rendering_provider": lambda v: {"rendering_provider": str(v[0]), "rendering_provider_npi": str(v[1])},
        "charge_codes": lambda v: {"charge_codes": tuple(ChargeCode(str(k), str(c)) for k, c in v.items())},
    }
    for key, read in readers.items():
        if key in values:
            try:
                result = replace(result, **read(values[key]))
            except (ValueError, TypeError, KeyError, AttributeError, InvalidOperation):
                continue  # a damaged value falls back to its default rather than stopping the app
    return result


def _stored_values(session: Session) -> dict[str, Any]:
    rows = session.execute(
        select(models.Setting.key, models.Setting.value).where(models.Setting.key.startswith(PREFIX)))
    return _parsed(tuple((key, value) for key, value in rows))


def _parsed(rows: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, text in rows:
        try:
            values[key.removeprefix(PREFIX)] = json.loads(text)
        except ValueError:
            continue
    return values


def read_facility_settings(session: Session) -> FacilitySettings:
    """The settings as stored, within a session another service already holds."""
    return _from_json(_stored_values(session))


def get_facility_settings(store: Store) -> FacilitySettings:
    """The facility's settings; defaults (see the module text) for anything never saved."""
    with store.session_scope(write=False) as session:
        return read_facility_settings(session)


def facility_settings_saved(store: Store) -> bool:
    """True once an administrator has saved the facility settings (first run is then done)."""
    with store.session_scope(write=False) as session:
        return bool(_stored_values(session))


def save_facility_settings(store: Store, settings: FacilitySettings, user: str) -> FacilitySettings:
    """Store every field, with an audit event holding the settings before and after."""
    user = check_text(user, "the user name")
    settings = normalized(settings)
    problems = validate_facility_settings(settings)
    if problems:
        raise ServiceError("The settings were not saved:\n" + "\n".join(f"- {p}" for p in problems))
    after = _to_json(settings)
    with store.session_scope() as session:
        lock_chain(session)
        require(session, user, Permission.MANAGE_SETTINGS)
        stored = _stored_values(session)
        before = _to_json(_from_json(stored)) if stored else None
        now = dt.datetime.now(dt.UTC)
        for key, value in after.items():
            row = session.get(models.Setting, PREFIX + key)
            text = json.dumps(value, sort_keys=True)
            if row is None:
                session.add(models.Setting(key=PREFIX + key, value=text, updated_at=now))
            elif row.value != text:
                row.value, row.updated_at = text, now
        append_event(session, actor=user, action="settings_change", entity="settings", entity_id="facility",
                     before=before, after=after, occurred_at=now)
    return _from_json(after)


# the engine's rules --------------------------------------------------------


def apply_payer_overrides(rules: RuleSet, settings: FacilitySettings) -> RuleSet:
    """The rule tables with the facility's payer-class JW/JZ and 340B policies in place of the shipped ones."""
    for override in settings.payer_overrides:
        shipped = rules.payer_policies.get(override.payer_class)
        label = shipped.label if shipped else PAYER_WORDS[override.payer_class]
        rules = rules.with_payer_policy(PayerPolicy(
            payer_class=override.payer_class, label=label, waste_modifiers=override.waste_modifiers,
            uses_340b_modifier=override.uses_340b_modifier,
        ))
    return rules


@dataclass(frozen=True, slots=True)
class EngineInputs:
    """What the engine computes a new record with at this facility, read fresh for each record."""

    rules: RuleSet
    facility_type: FacilityType | None  # None until the settings were saved: the request's own type stands
    place_of_service: PlaceOfService = PlaceOfService.HOSPITAL_OUTPATIENT
    time_zone: str = field(default_factory=workstation_time_zone)  # the facility's: times and dates of service
    stock_340b: Stock340b = Stock340b.ASK  # the default answer for a new vial's 340B source

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone) if zone_problem(self.time_zone) is None else ZoneInfo("UTC")


def engine_inputs(store: Store, date_of_service: dt.date | None = None) -> EngineInputs:
    """The store's rule tables with the newest stored catalog, the CMS data in force on the date of service
    (crosswalk, payment limits, MUE values; today when no date is given) and the facility's payer overrides,
    and its 340B facility type."""
    with store.session_scope(write=False) as session:
        return engine_inputs_in(session, store, date_of_service)


# Per open store: the stored texts the engine inputs were last computed from, and those inputs. Each record reads
# the texts again in its own transaction (one small query, the newest catalog's id and the CMS versions in force)
# and builds the inputs anew only when one of them changed, here or at another workstation: no JSON parsed, no
# rules rebuilt otherwise.
_INPUTS: WeakKeyDictionary[object, tuple[RuleSet, tuple[object, ...], EngineInputs]] = WeakKeyDictionary()


def engine_inputs_in(session: Session, store: Store, date_of_service: dt.date | None = None) -> EngineInputs:
    """engine_inputs within a transaction the caller holds (a record computes with what is stored as it writes)."""
    from desktop.services.facility.catalog import newest_catalog
    from desktop.services.facility.reference.in_force import reference_on, versions_in_force, with_reference

    texts = tuple((key, value) for key, value in session.execute(
        select(models.Setting.key, models.Setting.value).where(models.Setting.key.startswith(PREFIX))
        .order_by(models.Setting.key)))
    day = date_of_service or dt.date.today()
    in_force = versions_in_force(session, day)
    stamp = (texts, session.execute(select(func.max(models.CatalogVersion.id))).scalar(),
             tuple(sorted((kind, v.id) for kind, v in in_force.items())))
    cached = _INPUTS.get(store.engine)
    if cached is not None and cached[0] is store.rules and cached[1] == stamp:
        return cached[2]
    values = _parsed(texts)
    catalog = newest_catalog(session, store.rules.catalog)
    reference = reference_on(session, day, (d.hcpcs for d in catalog.drugs)) if in_force else None
    settings = _from_json(values)
    rules = store.rules
    if catalog is not rules.catalog:  # an administrator's catalog version replaces the shipped one
        rules = replace(rules, catalog=catalog, versions={**rules.versions, "catalog": catalog.version})
    if reference is not None:
        rules = with_reference(rules, reference)
    inputs = EngineInputs(apply_payer_overrides(rules, settings),
                          settings.facility_type if "facility_type" in values else None, settings.place_of_service,
                          settings.time_zone, settings.stock_340b)
    _INPUTS[store.engine] = (store.rules, stamp, inputs)
    return inputs


def rules_in_effect(store: Store, date_of_service: dt.date | None = None) -> RuleSet:
    """The rules new charges are computed with now: newest catalog version, the CMS data in force on the date
    of service (today by default) and the facility's overrides."""
    return engine_inputs(store, date_of_service).rules


def at_facility(request: RecordRequest, inputs: EngineInputs) -> RecordRequest:
    """The request with the facility's 340B type and place of service (the facility's, not a per-record choice
    unless the request names a place), and every drug carrying the visit's date and payer class."""
    place = request.place_of_service or inputs.place_of_service
    drugs = tuple(
        replace(drug, administration=replace(
            drug.administration, date_of_service=request.date_of_service, payer_class=request.payer_class,
            facility_type=inputs.facility_type or drug.administration.facility_type))
        for drug in request.drugs
    )
    return replace(request, drugs=drugs, place_of_service=place)
