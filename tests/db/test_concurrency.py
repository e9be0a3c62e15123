"""Several processes on one PostgreSQL store: no lost update, no duplicate, every conflict reported."""

from __future__ import annotations

import multiprocessing
import uuid
from multiprocessing.queues import Queue
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
