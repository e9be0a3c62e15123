"""Review queue on 1,000,000 administrations (visits of one to three drugs): open it and apply a filter, as a ratio
to the bare SQL that gives the same answer.

Three levels, medians of --rounds:
  * bare SQL: the same page (200 visits, then their drugs with units and finding counts) and the counts by visit
    state, hand-written, via sqlite3;
  * services: fetch_review_page + count_queue;
  * the Qt page: ReviewQueuePage built offscreen until its first page and counts are shown, then Apply.
Peak memory is measured in a separate pass with tracemalloc (Python allocations during the operation).

Run: .venv/bin/python -m benchmarks.bench_review [PATH] [--administrations 1000000] [--rounds 15]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from benchmarks.bench_store_generate import DAYS, FIRST_DAY, generate
from benchmarks.timing import median_of
from desktop.services import ChargeState, Store, open_store
from desktop.services.charge_review.review_queue import ReviewFilter, count_queue, fetch_review_page

LAST_DAY = FIRST_DAY + dt.timedelta(days=DAYS - 1)
OPEN_FILTER = ReviewFilter(date_from=LAST_DAY - dt.timedelta(days=30), date_to=LAST_DAY, states=(
    ChargeState.RECORDED, ChargeState.VERIFIED, ChargeState.TICKET_PRINTED, ChargeState.HELD))
APPLIED_FILTER = ReviewFilter(states=(ChargeState.HELD,), hcpcs="J9302")  # all dates: visits with a held J9302
PAGE_SQL = (
    "SELECT v.id, v.version, v.date_of_service, p.name, p.mrn, v.payer_class, v.nurse, v.date_of_service "
    "FROM visit v JOIN patient p ON p.id = v.patient_id "
    "WHERE {where} ORDER BY v.date_of_service DESC, v.id DESC LIMIT 200"
)
DRUGS_SQL = (
    "SELECT a.visit_id, a.id, a.version, a.hcpcs, a.state, "
    "(SELECT coalesce(sum(c.units), 0) FROM charge_line c WHERE c.administration_id = a.id "
    "AND c.kind IN ('administered', 'discarded')), "
    "(SELECT count(*) FROM finding f WHERE f.administration_id = a.id AND f.severity = 'error'), "
    "(SELECT count(*) FROM finding f WHERE f.administration_id = a.id AND f.severity = 'warning'), "
    "a.hold_reason, a.replaces_id FROM administration a WHERE a.visit_id IN ({ids}) "
    "ORDER BY a.visit_id, a.position, a.id"
)
COUNT_SQL = (
    "SELECT low, high, count(*) FROM (SELECT min(CASE WHEN a.state <> 'voided' THEN a.state END) AS low, "
    "max(CASE WHEN a.state <> 'voided' THEN a.state END) AS high FROM visit v "
    "JOIN administration a ON a.visit_id = v.id WHERE {where} GROUP BY v.id) GROUP BY low, high"
)
OPEN_WHERE = ("v.date_of_service >= ? AND v.date_of_service <= ? AND EXISTS (SELECT 1 FROM administration d "
              "WHERE d.visit_id = v.id AND d.state IN ('recorded', 'verified', 'ticket_printed', 'held'))")
APPLIED_WHERE = ("EXISTS (SELECT 1 FROM administration d WHERE d.visit_id = v.id AND d.state IN ('held') "
                 "AND d.hcpcs = 'J9302')")
# Counting every match over all dates is quicker from the drugs (as the service does): the fair baseline too.
APPLIED_COUNT_WHERE = ("v.id IN (SELECT d.visit_id FROM administration d WHERE d.state IN ('held') "
                       "AND d.hcpcs = 'J9302')")


def bare_queue(raw: sqlite3.Connection, where: str, parameters: tuple[str, ...], count_where: str = "") -> object:
    """The page, its visits' drugs and the counts, as hand-written SQL would read them."""
    visits = raw.execute(PAGE_SQL.format(where=where), parameters).fetchall()
    ids = [v[0] for v in visits]
    drugs = raw.execute(DRUGS_SQL.format(ids=",".join("?" * len(ids))), ids).fetchall() if ids else []
    return visits, drugs, raw.execute(COUNT_SQL.format(where=count_where or where), parameters).fetchall()


def peak_kib(action: Callable[[], object]) -> float:
    tracemalloc.start()
    action()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path, nargs="?", default=Path(tempfile.gettempdir()) / "infusion-bench-1m.sqlite3")
    parser.add_argument("--administrations", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    if not args.path.exists():
        generate(args.path, args.administrations)
    store = open_store(f"sqlite:///{args.path}")  # also brings the indexes up to date (migrations)
    raw = sqlite3.connect(args.path)
    total = raw.execute("SELECT count(*) FROM administration").fetchone()[0]
    visits = raw.execute("SELECT count(*) FROM visit").fetchone()[0]
    window = (OPEN_FILTER.date_from.isoformat(), OPEN_FILTER.date_to.isoformat())  # type: ignore[union-attr]

    def bare_open() -> object:
        return bare_queue(raw, OPEN_WHERE, window)

    def bare_filter() -> object:
        return bare_queue(raw, APPLIED_WHERE, (), APPLIED_COUNT_WHERE)

    def service(review_filter: ReviewFilter) -> Callable[[], object]:
        return lambda: (fetch_review_page(store, review_filter, user="bench"), count_queue(store, review_filter))

    rows = {"open": (bare_open, service(OPEN_FILTER)), "filter": (bare_filter, service(APPLIED_FILTER))}
    print(f"store of {total:,} administrations in {visits:,} visits; medians of {args.rounds} rounds")
    for name, (bare, svc) in rows.items():
        t_bare, t_svc = median_of(bare, args.rounds), median_of(svc, args.rounds)
        m_bare, m_svc = peak_kib(bare), peak_kib(svc)
        print(f"{name:7s} bare SQL {t_bare * 1000:7.2f} ms ({m_bare:7.0f} KiB peak) | services {t_svc * 1000:7.2f} ms "
              f"({m_svc:7.0f} KiB peak) | ratio {t_svc / t_bare:.1f}x")
    ui_open, ui_filter, ui_open_kib, ui_filter_kib = ui_timings(store, args.rounds)
    t_open, t_filter = median_of(bare_open, args.rounds), median_of(bare_filter, args.rounds)
    print(f"Qt page: open until first page and counts shown {ui_open * 1000:.1f} ms ({ui_open_kib:.0f} KiB peak), "
          f"ratio {ui_open / t_open:.1f}x to bare SQL")
    print(f"Qt page: Apply a filter until shown {ui_filter * 1000:.1f} ms ({ui_filter_kib:.0f} KiB peak), "
          f"ratio {ui_filter / t_filter:.1f}x to bare SQL")
    store.close()
    raw.close()


def ui_timings(store: Store, rounds: int) -> tuple[float, float, float, float]:
    """Median ms to open the page (first page + counts shown) and to apply the filter, and peak memory of each."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from desktop.facade import AppFacade
    from desktop.services.people.identity import AuthMethod, SignedInPerson
    from desktop.services.visits.drafts import DraftStore
    from desktop.ui.operations import OperationHub
    from desktop.ui.review.review_page import ReviewQueuePage

    app = QApplication.instance() or QApplication([])
    person = SignedInPerson("bench", None, AuthMethod.BOOTSTRAP, dt.datetime.now(dt.UTC))
    facade = AppFacade(store, person, DraftStore(Path(tempfile.mkdtemp(prefix="bench-drafts-"))), "bench")

    def settle(page: ReviewQueuePage) -> None:
        while page.model.loading or "matching" not in page.summary.text():
            app.processEvents()
            time.sleep(0.0005)

    def open_page() -> ReviewQueuePage:
        page = ReviewQueuePage(lambda: facade, OperationHub(), load=False)
        page.filters.today = LAST_DAY
        page.filters.clear(emit=False)
        page.presenter.start()
        settle(page)
        return page

    def apply(page: ReviewQueuePage) -> None:
        page.filters.all_dates.setChecked(True)
        page.filters.state.setCurrentText("Held")
        page.filters.drug.setCurrentText("J9302")
        page.filters.apply()
        settle(page)

    opened, applied = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        page = open_page()
        opened.append(time.perf_counter() - start)
        start = time.perf_counter()
        apply(page)
        applied.append(time.perf_counter() - start)
        page.deleteLater()
        app.processEvents()
    page = open_page()
    open_kib = peak_kib(open_page)
    filter_kib = peak_kib(lambda: apply(page))
    return statistics.median(opened), statistics.median(applied), open_kib, filter_kib


if __name__ == "__main__":
    main()
