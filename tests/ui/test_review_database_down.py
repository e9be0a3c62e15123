"""Issue 20.3 in the review queue, on a PostgreSQL server of the test's own: a Verify of several visits that fails
half way says per visit what changed; a failed filter shows words and no stale rows; the error goes once the
server is back."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication

from db.workstation import StoreTimeouts
from desktop.services import ChargeState, Store, open_store
from desktop.services.visits.visit_queries import get_visit
from desktop.ui.review.review_page import ReviewQueuePage
from desktop.ui.theme import apply_theme
from tests.own_postgres import OwnPostgres, own_postgres  # noqa: F401  (fixture)
from tests.services.conftest import pg_schema_url
from tests.ui.admin_pages import doorway
from tests.ui.review_samples import DOS, seed_queue, two_drug_request
from tests.ui.test_review_queue import select

pytestmark = pytest.mark.postgres
SHORT = StoreTimeouts(connect=2, statement=3, lock=1, busy=1)


@pytest.fixture
def pg_store(own_postgres: OwnPostgres) -> Iterator[Store]:  # noqa: F811
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(own_postgres.url)
    with admin.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    admin.dispose()
    store = open_store(pg_schema_url(own_postgres.url, schema), timeouts=SHORT)
    yield store
    QThreadPool.globalInstance().waitForDone(20_000)
    store.close()


@pytest.fixture
def page(qtbot: Any, pg_store: Store, tmp_path: Path) -> ReviewQueuePage:
    seed_queue(pg_store)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app)
    widget = ReviewQueuePage(*doorway(pg_store, "biller.lee", tmp_path), load=False)
    widget.filters.today = DOS
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    with qtbot.waitSignal(widget.model.loaded, timeout=10_000):
        widget.filters.clear(emit=False)
        widget.presenter.start()
    return widget


def _recorded_ids(page: ReviewQueuePage) -> list[int]:
    return sorted(r.id for r in page.model.rows if r.state is ChargeState.RECORDED)


def _states(store: Store, visit_id: int) -> list[ChargeState]:
    return [a.state for a in get_visit(store, visit_id).administrations]


def test_a_verify_that_fails_half_way_says_per_visit_what_changed(
    qtbot: Any, page: ReviewQueuePage, pg_store: Store, own_postgres: OwnPostgres, artifacts_dir: Path  # noqa: F811
) -> None:
    # Three recorded visits, the middle one of two drugs; another workstation holds that visit's second drug.
    from tests.services.charge_samples import record

    before = record(pg_store, two_drug_request("R90", "Extra Before")).visit_id
    middle = record(pg_store, two_drug_request("R91", "Extra Middle")).visit_id
    after = record(pg_store, two_drug_request("R92", "Extra After")).visit_id
    with qtbot.waitSignal(page.model.loaded, timeout=10_000):
        page.presenter.reload()
    select(page, [before, middle, after])
    ids = [r.id for r in page.presenter.selected_rows()]  # the order the action goes through them
    assert sorted(ids) == sorted([before, middle, after]) and ids[1] == middle
    held_drug = get_visit(pg_store, middle).administrations[1].id
    holder = sa.create_engine(str(pg_store.engine.url.render_as_string(hide_password=False)))
    with holder.connect() as other:
        other.exec_driver_sql(f"SELECT id FROM administration WHERE id = {held_drug} FOR UPDATE")
        with qtbot.waitSignal(page.presenter.action_finished, timeout=30_000) as finished:
            page.verify_button.click()
        other.rollback()
    holder.dispose()
    result = finished.args[0]
    assert [r.ok for r in result.results] == [True, False, True], [r.message for r in result.results]
    status = page.status.text()
    assert status.startswith("2 of 3 visits verified (4 drugs); 1 not changed"), status
    assert "Nothing was changed" not in status
    lines = [page.results.item(i).text() for i in range(page.results.count())]
    first = [a.id for a in get_visit(pg_store, ids[0]).administrations]
    assert lines[0] == f"\u2714 Visit #{ids[0]} (Extra After, {DOS.isoformat()}): verified J9299 #{first[0]}, " \
        f"J9228 #{first[1]}."
    assert "another workstation is holding" in lines[1] and "try again" in lines[1]
    assert lines[1].endswith("Nothing in this visit changed.")
    assert lines[2].startswith(f"\u2714 Visit #{ids[2]} ")  # the next visit is not held: it is done
    assert not any("sqlalche" in line or "OperationalError" in line for line in lines)
    assert _states(pg_store, ids[0]) == [ChargeState.VERIFIED] * 2
    assert _states(pg_store, middle) == [ChargeState.RECORDED] * 2  # its first drug too: all or nothing
    assert _states(pg_store, ids[2]) == [ChargeState.VERIFIED] * 2
    page.grab().save(str(artifacts_dir / "review_verify_half_way_1366.png"))


def test_a_verify_with_the_server_gone_says_which_rows_were_not_tried(
    qtbot: Any, page: ReviewQueuePage, pg_store: Store, own_postgres: OwnPostgres  # noqa: F811
) -> None:
    ids = _recorded_ids(page)
    select(page, ids)
    own_postgres.stop()
    try:
        with qtbot.waitSignal(page.presenter.action_finished, timeout=30_000) as finished:
            page.verify_button.click()
    finally:
        own_postgres.start()
    result = finished.args[0]
    assert not any(r.ok for r in result.results)
    assert "cannot be reached" in result.results[0].message
    assert all("not tried" in r.message for r in result.results[1:])
    assert page.status.text().startswith(f"0 of {len(ids)} visits verified; {len(ids)} not changed")


def test_a_filter_that_fails_shows_words_and_no_stale_rows_then_recovers(
    qtbot: Any, page: ReviewQueuePage, own_postgres: OwnPostgres, artifacts_dir: Path  # noqa: F811
) -> None:
    assert page.model.rows
    own_postgres.stop()
    try:
        with qtbot.waitSignal(page.model.failed, timeout=30_000):
            page.presenter.reload()
        status = page.status.text()
        assert "could not be loaded" in status and "cannot be reached" in status and "Refresh" in status
        assert "sqlalche" not in status and "[SQL" not in status and "OperationalError" not in status
        assert page.model.rowCount() == 0  # the earlier filter's rows are gone
        page.grab().save(str(artifacts_dir / "review_database_down_1366.png"))
        page.resize(1920, 1080)
        page.grab().save(str(artifacts_dir / "review_database_down_1920.png"))
    finally:
        own_postgres.start()
    qtbot.waitUntil(lambda: not page.presenter.busy, timeout=5_000)
    with qtbot.waitSignal(page.model.loaded, timeout=30_000):
        page.refresh_button.click()
    assert page.model.rows and page.status.text() == ""  # the old error went with the server's return
