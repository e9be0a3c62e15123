"""UI benchmarks: cold start to an interactive main window vs a bare PySide6 window, and keystroke to preview."""

from __future__ import annotations

import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_RUNS", "5"))

# Both children start the same way: a fresh interpreter, a QApplication, a shown window, and the time
# until the event loop first runs (the window can take input), printed in seconds since process start.
BARE = """
import time, sys; t0 = time.perf_counter()
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv); w = QMainWindow(); w.resize(1600, 1000); w.show()
QTimer.singleShot(0, lambda: (print(time.perf_counter() - t0), app.quit())); app.exec()
"""
APP = """
import time, sys; t0 = time.perf_counter()
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv)
from desktop.services.visits.drafts import DraftStore
from desktop.services.storage.store import open_store
import datetime as dt
from desktop.facade import AppFacade
from desktop.services.people.identity import AuthMethod, SignedInPerson
from desktop.ui.main_window import MainWindow
from desktop.ui.theme import apply_theme
apply_theme(app)
store = open_store(sys.argv[1])
person = SignedInPerson("bench", None, AuthMethod.BOOTSTRAP, dt.datetime.now(dt.UTC))
w = MainWindow(AppFacade(store, person, DraftStore(Path(sys.argv[2])), store.url))
w.resize(1600, 1000); w.show()
QTimer.singleShot(0, lambda: (print(time.perf_counter() - t0), app.quit())); app.exec()
"""


def _child(code: str, *args: str) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"), PYTHONPATH=str(ROOT))
    wall = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env,
                   check=True, cwd=ROOT)
    return time.perf_counter() - wall  # wall clock, interpreter start included, the same for both


def cold_start() -> tuple[float, float]:
    bare, app = [], []
    with tempfile.TemporaryDirectory() as folder:
        for run in range(RUNS):
            bare.append(_child(BARE))
            app.append(_child(APP, f"sqlite:///{folder}/bench{run}.db", folder))  # empty database each run
    return statistics.median(bare), statistics.median(app)


def keystroke_to_preview() -> list[float]:
    """Milliseconds from a key press in the administered field until the preview shows the new units."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from desktop.facade import AppFacade
    from desktop.services.people.identity import AuthMethod, SignedInPerson
    from desktop.services.storage.store import open_store
    from desktop.services.visits.drafts import DraftStore
    from desktop.ui.main_window import MainWindow
    from desktop.ui.theme import apply_theme
    from tests.ui.flows import fill_j9302

    app = QApplication.instance() or QApplication([])
    apply_theme(app)  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{folder}/k.db")
        person = SignedInPerson("bench", None, AuthMethod.BOOTSTRAP, dt.datetime.now(dt.UTC))
        window = MainWindow(AppFacade(store, person, DraftStore(Path(folder)), store.url))
        window.resize(1600, 1000)
        window.show()
        fill_j9302(window)
        field = window.entry_page.amounts.administered
        times = []
        for _ in range(40):
            for key, text in ((Qt.Key.Key_Backspace, ""), (Qt.Key.Key_5, "5")):
                start = time.perf_counter()
                QTest.keyClick(field, key) if not text else QTest.keyClicks(field, text)
                app.processEvents()  # the preview's new widgets are laid out and shown
                times.append((time.perf_counter() - start) * 1000)
        assert "28 units" in window.entry_page.preview.line_labels[0].text()
        store.close()
    return times


def main() -> None:
    bare, app = cold_start()
    print(f"cold start, median of {RUNS} (wall clock incl. interpreter): bare PySide6 window {bare:.3f} s, "
          f"Infusion Charge Capture main window {app:.3f} s, ratio {app / bare:.2f}")
    times = sorted(keystroke_to_preview())
    print(f"keystroke in administered mg -> preview updated: median {statistics.median(times):.1f} ms, "
          f"p95 {times[int(len(times) * 0.95)]:.1f} ms, max {times[-1]:.1f} ms over {len(times)} keystrokes")


if __name__ == "__main__":
    main()
