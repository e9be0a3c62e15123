"""Several processes on one PostgreSQL store: no lost update, no duplicate, every conflict reported."""

from __future__ import annotations

import multiprocessing
import os
import uuid
from multiprocessing.queues import Queue
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from desktop.services import (
    ConflictError,
    InvalidStateError,
    get_administration,
    open_store,
    record_administration,
    verify_administration,
    verify_audit_chain,
    void_administration,
)
from tests.services.conftest import make_request

WORKERS = 4
TARGETS = 12
NEW_PER_WORKER = 8
SHARED_REQUEST = str(uuid.UUID(int=42))


def _worker(url: str, name: str, targets: list[tuple[int, int]], results: Queue[Any]) -> None:
    store = open_store(url)
    won, lost = [], []
    for admin_id, version in targets:  # everyone saw the same version; only one change may win
        try:
            if name.endswith(("0", "2")):
                verify_administration(store, admin_id, name, version)
            else:
                void_administration(store, admin_id, f"void by {name}", name, version)
            won.append(admin_id)
        except (ConflictError, InvalidStateError) as exc:
            lost.append((admin_id, type(exc).__name__, str(exc)))
    created = []
    for i in range(NEW_PER_WORKER):  # one shared patient, created by whoever comes first
        created.append(record_administration(store, make_request(mrn="SHARED", request_id=str(uuid.uuid4()),
                                                                    split_dose_reason="repeated on purpose"),
                                             name).id)
        if i == 0:
            created.append(record_administration(store, make_request(mrn="SHARED", request_id=SHARED_REQUEST,
                                                                    split_dose_reason="repeated on purpose"),
                                                 name).id)
    store.close()
    results.put((name, won, lost, created))


@pytest.mark.postgres
@pytest.mark.slow
def test_parallel_workstations(pg_schema: str) -> None:
    store = open_store(pg_schema)
    targets = [record_administration(store, make_request(mrn=f"T{i}"), "setup") for i in range(TARGETS)]
    store.engine.dispose()  # no pooled connection may be shared with the forked children
    context = multiprocessing.get_context("fork")
    results: Queue[Any] = context.Queue()
    workers = [
        context.Process(target=_worker, args=(pg_schema, f"ws{n}", [(t.id, t.version) for t in targets], results))
        for n in range(WORKERS)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(30)
        assert worker.exitcode == 0
    winners: dict[int, list[str]] = {}
    for name, won, lost, _created in outcomes:
        for admin_id in won:
            winners.setdefault(admin_id, []).append(name)
        for _admin_id, kind, message in lost:
            assert kind == "ConflictError" and "changed by someone else" in message
    assert all(len(winners.get(t.id, [])) == 1 for t in targets), winners
    for target in targets:  # the winner's change is what is stored, and nobody else's
        detail = get_administration(store, target.id)
        winner = winners[target.id][0]
        assert [h.changed_by for h in detail.history] == ["setup", winner]
        assert detail.version == 2
    shared_ids = {i for *_, created in outcomes for i in created}
    assert len(shared_ids) == WORKERS * NEW_PER_WORKER + 1  # the shared retry was stored once
    with store.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM patient WHERE mrn = 'SHARED'")).scalar() == 1
        total = connection.execute(sa.text("SELECT count(*) FROM administration")).scalar()
        assert total == TARGETS + WORKERS * NEW_PER_WORKER + 1
    assert verify_audit_chain(store).ok
    store.close()


# --- Sixteen workstations starting at once on one PostgreSQL (issue 15 §3) ------------------------------------

WORKSTATIONS = 16
ROUNDS = int(os.environ.get("INFUSION_CHARGE_WORKSTATION_ROUNDS", "10"))
BEFORE_RECORD_FIELDS = "0005_review_patient_name"


def _start_workstation(url: str, barrier: Any, results: Queue[Any], name: str) -> None:
    barrier.wait(60)
    try:
        store = open_store(url)
        try:
            record_administration(store, make_request(mrn=f"WS-{name}", request_id=str(uuid.uuid4())), name)
        finally:
            store.close()
        results.put((name, "ok"))
    except BaseException as exc:  # every failure is reported, none is lost in a child's traceback
        results.put((name, f"{type(exc).__name__}: {exc}"))


def _start_all(url: str) -> list[str]:
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(WORKSTATIONS), context.Queue()
    children = [context.Process(target=_start_workstation, args=(url, barrier, results, f"ws{n}"))
                for n in range(WORKSTATIONS)]
    for child in children:
        child.start()
    outcomes = [results.get(timeout=300) for _ in children]
    for child in children:
        child.join(60)
    return [f"{name}: {outcome}" for name, outcome in outcomes if outcome != "ok"]


def _schema_url(postgres_url: str, schema: str) -> str:
    from tests.services.conftest import pg_schema_url

    engine = sa.create_engine(postgres_url)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    engine.dispose()
    return pg_schema_url(postgres_url, schema)


def _drop(postgres_url: str, schema: str) -> None:
    engine = sa.create_engine(postgres_url)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    engine.dispose()


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.parametrize("start", ["first start", "upgrade"])
def test_sixteen_workstations_start_at_once(
    postgres_url: str, start: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each round a fresh schema (empty, or at an older revision); 16 processes open it at once, then each records
    one administration (one at a time, on the chain's lock: generous timeouts, as the start is what is tested)."""
    settings = tmp_path / "workstation.toml"
    settings.write_text("[timeouts]\nstatement = 300\nlock = 300\n", encoding="utf-8")
    monkeypatch.setenv("INFUSION_CHARGE_WORKSTATION_CONFIG", str(settings))
    from alembic import command

    from db.engine import create_store_engine
    from db.migrate import alembic_config, head_revision

    failures: list[str] = []
    for round_number in range(ROUNDS):
        schema = f"ws_{uuid.uuid4().hex[:10]}"
        url = _schema_url(postgres_url, schema)
        try:
            if start == "upgrade":
                engine = create_store_engine(url)
                config = alembic_config()
                with engine.begin() as connection:
                    config.attributes["connection"] = connection
                    command.upgrade(config, BEFORE_RECORD_FIELDS)
                engine.dispose()
            failures += [f"round {round_number}: {failure}" for failure in _start_all(url)]
            assert failures == [], f"{len(failures)} of {WORKSTATIONS} starts failed: {failures[:5]}"
            store = open_store(url)
            with store.engine.connect() as connection:
                assert connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == (
                    head_revision())
                assert connection.execute(sa.text("SELECT count(*) FROM administration")).scalar() == WORKSTATIONS
                keyed = connection.execute(sa.text(
                    "SELECT count(*) FROM audit_event WHERE action = 'chain_keyed'")).scalar()
            assert keyed == 1, "the chain was keyed more than once"
            assert verify_audit_chain(store).ok
            store.close()
        finally:
            _drop(postgres_url, schema)
