"""Demo data for trying every screen: users, facility settings, patients and charges in every state, via the services.

Demo accounts (change or disable them before real use):

    user name   password              role
    admin       demo-admin-pass       administrator
    nurse       demo-nurse-pass       nurse
    biller      demo-biller-pass      charge entry
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, Decimal

from desktop.billing.catalog import Catalog, Drug, Package
from desktop.billing.model import Administration, DoseType, DrugFamily, FacilityType, PackageUse, PayerClass
from desktop.records import DrugEntry, DrugFacts, VisitFacts
from desktop.records.charge_states import state_name
from desktop.records.requests import ChargeState, PatientInput, RecordRequest
from desktop.services.charge_review.transitions import (
    hold_administration,
    mark_ticket_printed,
    post_administration,
    verify_administration,
    void_administration,
)
from desktop.services.errors import ServiceError
from desktop.services.facility.settings import (
    FacilityIdentifier,
    FacilitySettings,
    UnitPrice,
    rules_in_effect,
    save_facility_settings,
)
from desktop.services.people.accounts import create_first_administrator, create_user
from desktop.services.people.roles import Role
from desktop.services.storage.store import Store
from desktop.services.visits.recording import record_administration, void_and_replace

DEMO_ACCOUNTS = (
    ("admin", "demo-admin-pass", Role.ADMINISTRATOR, "Alex Admin"),
    ("nurse", "demo-nurse-pass", Role.NURSE, "Nora Nurse, RN"),
    ("biller", "demo-biller-pass", Role.CHARGE_ENTRY, "Ben Biller"),
)
PATIENTS = (
    ("MRN100201", "Maria Gonzalez", dt.date(1958, 3, 14), "C34.90"),
    ("MRN100202", "James O'Connor", dt.date(1949, 11, 2), "C43.9"),
    ("MRN100203", "Aisha Rahman", dt.date(1971, 6, 23), "C50.911"),
    ("MRN100204", "Robert Chen", dt.date(1962, 1, 30), "C18.9"),
    ("MRN100205", "Linda Kowalski", dt.date(1955, 9, 9), "C85.90"),
    ("MRN100206", "David Okafor", dt.date(1967, 12, 5), "C64.9"),
    ("MRN100207", "Susan Miller", dt.date(1944, 4, 17), "C67.9"),
    ("MRN100208", "Thomas Nguyen", dt.date(1980, 8, 28), "C61"),
    ("MRN100209", "Patricia Johnson", dt.date(1952, 2, 11), "C34.90"),
    ("MRN100210", "Carlos Rivera", dt.date(1975, 10, 19), "C43.9"),
)
PAYERS = (
    (PayerClass.MEDICARE, "Medicare Part B"), (PayerClass.COMMERCIAL, "Blue Cross PPO"),
    (PayerClass.MEDICARE_ADVANTAGE, "Humana Medicare Advantage"), (PayerClass.MEDICAID, "State Medicaid"),
)
CHAIRS = 8  # demo records sit in "Chair 1" to "Chair 8"
# What happens to the n-th record after it is stored, in turn (findings decide "held" on their own too).
PLAN = ("recorded", "verified", "printed", "posted", "held", "voided", "verified", "posted", "corrected")


@dataclass(frozen=True, slots=True)
class DemoSummary:
    patients: int
    administrations: int
    by_state: dict[str, int]
    accounts: tuple[tuple[str, str, str], ...]  # user name, password, role

    def describe(self) -> str:
        states = ", ".join(f"{count} {state_name(ChargeState(state))}"
                           for state, count in sorted(self.by_state.items()))
        people = "\n".join(f"  {u:<8} {p:<18} {r}" for u, p, r in self.accounts)
        return (f"Demo data: {self.patients} patients, {self.administrations} administrations ({states}).\n"
                f"Sign in with:\n{people}")


def _settings(catalog: Catalog) -> FacilitySettings:
    prices = tuple(UnitPrice(d.hcpcs, (Decimal("2.75") * d.mg_per_unit * 3).quantize(Decimal("0.01")))
                   for d in catalog.drugs)
    return FacilitySettings(
        facility_name="Riverside Infusion Center (demo)",
        identifiers=(FacilityIdentifier("NPI", "1234567893"), FacilityIdentifier("TIN", "12-3456789"),
                     FacilityIdentifier("CCN", "140001")),
        address="100 River Road, Suite 200\nSpringfield, IL 62701",
        facility_type=FacilityType.DSH, unit_prices=prices,
    )


def _uses(drug: Drug, packages: tuple[Package, ...], n: int, acquired_340b: bool) -> tuple[PackageUse, ...]:
    """The largest single-dose package, plus the smallest one on every third record."""
    singles = sorted((p for p in packages if p.dose_type is DoseType.SINGLE), key=lambda p: p.label_mg)
    chosen = [singles[-1]] + ([singles[0]] if n % 3 == 2 and len(singles) > 1 else [])
    return tuple(PackageUse(
        label_mg=p.label_mg, count=1, dose_type=p.dose_type, acquired_340b=acquired_340b, ndc=p.ndc,
        lot=f"L{2400 + n}{i}", expiry=dt.date.today() + dt.timedelta(days=200), volume_ml=p.volume_ml,
        ndc_unit=p.ndc_unit, hcpcs=p.hcpcs) for i, p in enumerate(chosen))


def _request(catalog: Catalog, drug: Drug, n: int, day: dt.date, start: dt.datetime) -> RecordRequest:
    """The n-th demo drug; a patient's drugs of one day make one visit (one payer, one chair, in sequence)."""
    patient = n % len(PATIENTS)
    mrn, name, born, diagnosis = PATIENTS[patient]
    payer_class, payer = PAYERS[patient % len(PAYERS)]
    uses = _uses(drug, catalog.packages_for(drug.hcpcs), n, acquired_340b=n % 4 == 1)
    opened = sum((u.label_mg * u.count for u in uses), Decimal(0))
    given = (opened * Decimal(("0.92", "0.85", "0.97", "1")[n % 4])).quantize(Decimal(1), ROUND_DOWN)
    undocumented = n % 11 == 10 and given < opened  # every 11th: waste not documented, an error held for review
    discarded = Decimal(0) if undocumented else opened - given
    stop = start + dt.timedelta(minutes=30 + 30 * (n % 3))
    administration = Administration(
        date_of_service=day, hcpcs=drug.hcpcs, payer_class=payer_class, facility_type=FacilityType.DSH,
        packages=uses, administered_mg=given, discarded_mg=discarded,
        infusion_minutes=int((stop - start).total_seconds() // 60), route=drug.route, ordered_dose_mg=given,
        infusion_start=start, infusion_stop=stop,
    )
    facts = DrugFacts(waste_witness="Wes Witness, RN" if discarded else None,
                      discarded_by="Nora Nurse, RN" if discarded else None)
    visit = VisitFacts(diagnosis_codes=(diagnosis,), payer=payer, nurse="Nora Nurse, RN",
                       chair=f"Chair {1 + patient % CHAIRS}",
                       consent_recorded=patient % 7 != 6)  # one patient without consent, for the review to find
    return RecordRequest(
        patient=PatientInput(mrn=mrn, name=name, date_of_birth=born), date_of_service=day,
        payer_class=payer_class, drugs=(DrugEntry(administration, facts),), visit=visit,
        acknowledge_all=True, hold_reason="Waste not documented: ask the nurse" if undocumented else None,
        request_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"demo/{day.isoformat()}/{n}/{drug.hcpcs}")),
    )


def _ticket_sha(store: Store, record_id: int) -> str:
    try:
        from desktop.services.charge_tickets.tickets import ticket_pdf

        return ticket_pdf(store, record_id).sha256
    except (ImportError, ServiceError):  # tickets not available: a stand-in digest keeps the state flow
        return hashlib.sha256(f"demo ticket {record_id}".encode()).hexdigest()


def _advance(store: Store, record_id: int, step: str, request: RecordRequest, biller: str, nurse: str) -> None:
    if step in ("verified", "printed", "posted"):
        verify_administration(store, record_id, biller)
    if step in ("printed", "posted"):
        mark_ticket_printed(store, record_id, _ticket_sha(store, record_id), biller)
    if step == "posted":
        post_administration(store, record_id, biller)
    if step == "held":
        hold_administration(store, record_id, "Prior authorization number missing: calling the payer", biller)
    if step == "voided":
        void_administration(store, record_id, "Entered for the wrong patient", nurse)
    if step == "corrected":
        given = request.administration.administered_mg - 1
        drug = request.drugs[0]
        fixed = replace(request, request_id=str(uuid.uuid5(uuid.NAMESPACE_URL, request.request_id + "/fix")),
                        drugs=(replace(drug, administration=replace(
                            drug.administration, administered_mg=given, ordered_dose_mg=given,
                            discarded_mg=drug.administration.discarded_mg + 1)),))
        void_and_replace(store, record_id, "Dose given was 1 mg less than first entered", fixed, nurse)


def _tables_with_rows(store: Store) -> list[str]:
    """The audited tables that hold any row (a brand-new database has none)."""
    from sqlalchemy import select

    from db.audit_coverage import covered_tables

    with store.session_scope(write=False) as session:
        return [t.name for t in covered_tables() if session.execute(select(t).limit(1)).first() is not None]


def fill_demo(store: Store, days: int = 3, per_drug_per_day: int = 2) -> DemoSummary:
    """Fill an empty database (no accounts yet) with demo accounts, settings, patients and charges."""
    filled = _tables_with_rows(store)
    if filled:
        raise ServiceError("This database is not empty (it has rows in: " + ", ".join(filled) + "): demo data, "
                           "with its published passwords, goes only into a new, empty database. Nothing was added.")
    (admin, admin_pw, _, admin_name), *others = DEMO_ACCOUNTS
    create_first_administrator(store, admin, admin_pw, admin_name)
    for username, password, role, display in others:
        create_user(store, username, password, role, admin, display)
    catalog = rules_in_effect(store).catalog
    save_facility_settings(store, _settings(catalog), admin)
    zone = dt.datetime.now().astimezone().tzinfo or dt.UTC
    states: dict[str, int] = {}
    n = 0
    for back in range(days - 1, -1, -1):
        day = dt.date.today() - dt.timedelta(days=back)
        next_start: dict[int, dt.datetime] = {}  # each patient's drugs of the day follow one another
        for drug in (d for d in catalog.drugs if d.family is DrugFamily.CHEMO):  # the antibodies, not premeds
            for _ in range(per_drug_per_day):
                patient = n % len(PATIENTS)
                start = next_start.get(patient, dt.datetime.combine(day, dt.time(8 + patient % 4, 0), tzinfo=zone))
                request = _request(catalog, drug, n, day, start)
                next_start[patient] = start + dt.timedelta(minutes=30 + 30 * (n % 3) + 10)
                outcome = record_administration(store, request, "nurse")
                if outcome.state is ChargeState.RECORDED and back > 0:  # today's records wait for review
                    _advance(store, outcome.id, PLAN[n % len(PLAN)], request, "biller", "nurse")
                n += 1
    from desktop.services.visits.visit_queries import list_administrations

    for summary in list_administrations(store):
        states[summary.state.value] = states.get(summary.state.value, 0) + 1
    return DemoSummary(patients=len({PATIENTS[i % len(PATIENTS)][0] for i in range(n)}),
                       administrations=sum(states.values()), by_state=states,
                       accounts=tuple((u, p, r.label) for u, p, r, _ in DEMO_ACCOUNTS))
