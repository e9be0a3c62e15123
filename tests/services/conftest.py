"""Store fixtures: every service test runs on a real SQLite file and on the real PostgreSQL server."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import fields, replace
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from desktop.billing.model import Administration, FacilityType, PackageUse, PayerClass
from desktop.billing.tables import load_rules
from desktop.records import DrugEntry, DrugFacts, VisitFacts
from desktop.services import PatientInput, RecordRequest, Store, open_store

DOS = dt.date(2026, 11, 29)
EASTERN = dt.timezone(dt.timedelta(hours=-5))


def pg_schema_url(base_url: str, schema: str) -> str:
    """The server URL with a private search_path, so each test gets an empty schema of its own."""
    url = make_url(base_url)
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


@pytest.fixture
def pg_schema(postgres_url: str) -> Iterator[str]:
    schema = "t_" + uuid.uuid4().hex[:12]
    engine = sa.create_engine(postgres_url)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        yield pg_schema_url(postgres_url, schema)
    finally:
        with engine.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'charges.sqlite3'}"
    return str(request.getfixturevalue("pg_schema"))


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    yield opened
    opened.close()


def nivolumab(administered: str = "219", discarded: str = "1", ndcs: tuple[str, ...] = ("0003-3774-12", "0003-3756-14"),
              **changes: Any) -> Administration:
    """Nivolumab J9299 from catalog vials (default 100 mg + 120 mg, 219 mg given: no findings)."""
    rules = load_rules()
    packages = []
    for ndc in ndcs:
        entry = rules.catalog.package(ndc)
        assert entry is not None
        packages.append(PackageUse(
            label_mg=entry.label_mg, count=1, dose_type=entry.dose_type, acquired_340b=False, ndc=entry.ndc,
            lot="LOT1", expiry=dt.date(2027, 5, 31), volume_ml=entry.volume_ml, ndc_unit=entry.ndc_unit,
            hcpcs=entry.hcpcs,
        ))
    adm = Administration(
        date_of_service=DOS, hcpcs="J9299", payer_class=PayerClass.MEDICARE, facility_type=FacilityType.DSH,
        packages=tuple(packages), administered_mg=Decimal(administered), discarded_mg=Decimal(discarded),
        infusion_minutes=30, route="IV",
    )
    return replace(adm, **changes)


START = dt.datetime(2026, 11, 29, 9, 0, tzinfo=EASTERN)
STOP = dt.datetime(2026, 11, 29, 9, 30, tzinfo=EASTERN)
VISIT_FIELDS = frozenset(f.name for f in fields(VisitFacts))
DRUG_FIELDS = frozenset(f.name for f in fields(DrugFacts))
ENGINE_FIELDS = frozenset({"ordered_dose_mg", "infusion_start", "infusion_stop", "route", "split_dose_reason"})


def make_request(mrn: str = "MRN001", name: str = "Jane Doe", **changes: Any) -> RecordRequest:
    """A one-drug visit (nivolumab by default, fully documented); keyword arguments change any fact of the
    visit (payer, nurse, ...), of the drug (waste_witness, ...), of its engine input (times, ordered dose)
    or of the request (hold_reason, acknowledged_codes, ...)."""
    visit = VisitFacts(diagnosis_codes=("C34.90",), payer="Medicare Part B", nurse="RN Alvarez",
                       notes="tolerated well", consent_recorded=True)
    visit = replace(visit, **{k: changes.pop(k) for k in list(changes) if k in VISIT_FIELDS})
    facts = replace(DrugFacts(waste_witness="RN Brooks"),
                    **{k: changes.pop(k) for k in list(changes) if k in DRUG_FIELDS})
    adm = changes.pop("administration", None) or nivolumab()
    day = adm.date_of_service  # the default times fall on the drug's own date of service
    defaults = {"ordered_dose_mg": Decimal("219.0"), "infusion_start": START.replace(day.year, day.month, day.day),
                "infusion_stop": STOP.replace(day.year, day.month, day.day)}
    engine = {k: v for k, v in defaults.items() if getattr(adm, k) is None}  # the caller's drug keeps its own
    engine |= {k: changes.pop(k) for k in list(changes) if k in ENGINE_FIELDS}  # what the caller names wins
    adm = replace(adm, **engine)
    patient = changes.pop("patient", None) or PatientInput(mrn=mrn, name=name, date_of_birth=dt.date(1960, 1, 2))
    request = RecordRequest(
        patient=patient,
        date_of_service=adm.date_of_service, payer_class=adm.payer_class,
        drugs=(DrugEntry(adm, facts),), visit=visit,
    )
    return replace(request, **changes)


def least_waste_request(**changes: Any) -> RecordRequest:
    """219 mg from one 240 mg vial: a LEAST_WASTE warning that needs acknowledging."""
    return make_request(administration=nivolumab("219", "21", ("0003-3734-13",)), **changes)


def unaccounted_request(**changes: Any) -> RecordRequest:
    """219 mg given, nothing discarded from 220 mg: an UNACCOUNTED_DRUG error."""
    return make_request(administration=nivolumab("219", "0"), **changes)


__all__ = ["DOS", "least_waste_request", "make_request", "nivolumab", "unaccounted_request"]
