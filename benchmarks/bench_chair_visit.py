"""Benchmark: the chair's visit preview per keystroke and recording a visit, a 5-drug visit against a 1-drug visit
in the same run (ratios, median and p95 of the keystrokes, median of the recordings)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DRUGS = ("J9299", "J9228", "J9271", "J9022", "J9173")  # five antibodies of the catalog, one vial each
KEYSTROKES = 40


def _drug(hcpcs: str, number: int, day: dt.date) -> object:
    """One vial of the drug, all of it given, 30 minutes each, one after another from 08:00 on `day`."""
    from desktop.billing.model import Administration, FacilityType, PayerClass
    from desktop.billing.tables import load_rules
    from desktop.records import DrugEntry, DrugFacts

    catalog = load_rules().catalog
    package = catalog.packages_for(hcpcs)[0]
    start = dt.datetime.combine(day, dt.time(8, 0), tzinfo=dt.UTC) + dt.timedelta(minutes=45 * number)
    adm = Administration(
        date_of_service=day, hcpcs=hcpcs, payer_class=PayerClass.MEDICARE, facility_type=FacilityType.DSH,
        packages=(package.opened(1, False, f"LOT{number}", dt.date(2027, 6, 30)),), administered_mg=package.label_mg,
        discarded_mg=Decimal(0), route="IV", ordered_dose_mg=package.label_mg, infusion_start=start,
        infusion_stop=start + dt.timedelta(minutes=30), infusion_minutes=30,
    )
    return DrugEntry(adm, DrugFacts())


def _request(mrn: str, drugs: int, day: dt.date) -> object:
    from desktop.billing.model import PayerClass
    from desktop.records import VisitFacts
    from desktop.services import PatientInput, RecordRequest

    visit = VisitFacts(diagnosis_codes=("C43.9",), payer="Medicare Part B", consent_recorded=True, notes="cycle 2",
                       ordering_provider="Dr. Chen", ordering_provider_npi="1234567893")
    return RecordRequest(
        patient=PatientInput(mrn=mrn, name="Bench, Pat", date_of_birth=dt.date(1960, 1, 2)), date_of_service=day,
        payer_class=PayerClass.MEDICARE, drugs=tuple(_drug(h, n, day) for n, h in enumerate(DRUGS[:drugs])),  # type: ignore[misc]
        visit=visit, request_id=str(uuid.uuid4()), acknowledge_all=True,
    )


def recording(folder: Path, rounds: int) -> tuple[list[float], list[float], list[float]]:
    """Seconds to record a visit of one drug, a visit of five in one request, and a fifth drug added to a visit of
    four (the chair's case), each for a new patient."""
    from desktop.services import open_store, record_administration

    store = open_store(f"sqlite:///{folder / 'record.db'}")
    day = dt.date.today()
    one, five, fifth = [], [], []
    for number in range(rounds):
        for drugs, into in ((1, one), (5, five)):
            request = _request(f"R{drugs}-{number}", drugs, day)
            start = time.perf_counter()
            record_administration(store, request, "bench")  # type: ignore[arg-type]
            into.append(time.perf_counter() - start)
        four = _request(f"F-{number}", 5, day)
        record_administration(store, replace(four, drugs=four.drugs[:4]), "bench")  # type: ignore[attr-defined, arg-type]
        last = replace(four, drugs=four.drugs[4:], request_id=str(uuid.uuid4()))  # type: ignore[attr-defined]
        start = time.perf_counter()
        record_administration(store, last, "bench")  # type: ignore[arg-type]
        fifth.append(time.perf_counter() - start)
    store.close()
    return one, five, fifth


def keystrokes(folder: Path, stored_drugs: int) -> list[float]:
    """Milliseconds from a key in "mg given" until the preview of the whole visit is shown, the form holding the
    J9302 drug and the visit `stored_drugs` drugs already saved today (loaded once, as at the chair)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from desktop.facade import AppFacade
    from desktop.services import open_store, record_administration
    from desktop.services.people.identity import AuthMethod, SignedInPerson
    from desktop.services.visits.drafts import DraftStore
    from desktop.ui.main_window import MainWindow
    from desktop.ui.theme import apply_theme
    from tests.ui.flows import fill_j9302

    app = QApplication.instance() or QApplication([])
    apply_theme(app)  # type: ignore[arg-type]
    store = open_store(f"sqlite:///{folder / f'keys{stored_drugs}.db'}")
    if stored_drugs:
        request = _request("100234", stored_drugs, dt.date.today())
        record_administration(store, replace(request, patient=replace(  # type: ignore[arg-type, attr-defined]
            request.patient, name="Rivera, Ana", date_of_birth=dt.date(1956, 3, 14))), "bench")  # type: ignore[attr-defined]
    window = MainWindow(AppFacade(store, SignedInPerson("bench", None, AuthMethod.BOOTSTRAP, dt.datetime.now(dt.UTC)),
                                  DraftStore(folder / f"drafts{stored_drugs}"), store.url))
    window.resize(1366, 768)
    window.show()
    fill_j9302(window)
    window.entry.visits.load(force=True)
    deadline = time.monotonic() + 10
    while window.entry.visits.chair is None and time.monotonic() < deadline:
        app.processEvents()
    window.entry.refresh()
    preview = window.entry.preview
    assert preview is not None and preview.stored == stored_drugs, (preview and preview.stored, stored_drugs)
    field = window.entry_page.amounts.administered
    times = []
    for _ in range(KEYSTROKES // 2):
        for key, text in ((Qt.Key.Key_Backspace, ""), (Qt.Key.Key_5, "5")):
            start = time.perf_counter()
            QTest.keyClick(field, key) if not text else QTest.keyClicks(field, text)
            app.processEvents()  # the preview's new widgets are laid out and shown
            times.append((time.perf_counter() - start) * 1000)
    assert "28 units" in " ".join(label.text() for label in window.entry_page.preview.line_labels)
    window.close()
    store.close()
    return sorted(times)


def _p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_RUNS", "7")))
    rounds = parser.parse_args().rounds
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as folder:
        single, visit = keystrokes(Path(folder), 0), keystrokes(Path(folder), 4)
        print(f"keystroke -> visit preview (ms over {KEYSTROKES} keys): 1 drug median {statistics.median(single):.1f} "
              f"p95 {_p95(single):.1f}; 5 drugs (4 saved + the one typed) median {statistics.median(visit):.1f} "
              f"p95 {_p95(visit):.1f}; ratio of medians {statistics.median(visit) / statistics.median(single):.2f}, "
              f"of p95 {_p95(visit) / _p95(single):.2f}")
        one, five, fifth = recording(Path(folder), rounds)
        base = statistics.median(one)
        five_ms, fifth_ms = statistics.median(five), statistics.median(fifth)
        print(f"recording, median of {rounds}: a 1-drug visit {base * 1000:.1f} ms; a 5-drug visit in one request "
              f"{five_ms * 1000:.1f} ms (ratio {five_ms / base:.2f}); the 5th drug added to a visit of 4 "
              f"{fifth_ms * 1000:.1f} ms (ratio {fifth_ms / base:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
