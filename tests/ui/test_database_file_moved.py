"""Issue 20.1: the database file deleted or replaced under the running window: no "Saved", the form and draft stay."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desktop.services.storage.store import open_store
from desktop.ui.main_window import MainWindow
from tests.ui.flows import fill_j9302, snap


def _accept(window: MainWindow, qtbot) -> None:
    """Enter, then the save's answer (it runs off the GUI thread)."""
    with qtbot.waitSignal(window.entry.save_failed, timeout=10_000):
        QTest.keyClick(window.entry_page.amounts.witness, Qt.Key.Key_Return)


def test_deleted_database_file_refuses_the_save_and_keeps_form_and_draft(
    window: MainWindow, store, facade, tmp_path: Path, artifacts_dir: Path, qtbot
) -> None:
    page = window.entry_page
    fill_j9302(window)
    assert page.accept_button.isEnabled()
    path = tmp_path / "charges.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)

    _accept(window, qtbot)
    qtbot.wait(1000)  # timers that refresh the preview must not turn it back into "Ready"

    status = page.status.text()
    assert "Not saved" in status and "deleted or moved away" in status, status
    assert "Saved record" not in status
    assert page.patient.mrn.text() == "100234" and len(page.drug.vials.rows) == 1  # the form is kept
    draft = facade.drafts.load()
    assert draft is not None and draft.fields["mrn"] == "100234"  # and a draft survives a restart
    assert not path.exists()  # no empty database was made in its place
    snap(window, artifacts_dir / "entry_database_file_deleted.png")


def test_replaced_database_file_refuses_the_save(window: MainWindow, tmp_path: Path, qtbot) -> None:
    other = tmp_path / "someone-elses.db"
    open_store(f"sqlite:///{other}").close()
    fill_j9302(window)
    os.replace(other, tmp_path / "charges.db")

    _accept(window, qtbot)

    status = window.entry_page.status.text()
    assert "Not saved" in status and "replaced by another file" in status, status
    assert window.entry_page.patient.mrn.text() == "100234"


def test_failure_stays_on_screen_after_the_preview_refreshes(window: MainWindow, tmp_path: Path, qtbot) -> None:
    page = window.entry_page
    fill_j9302(window)
    (tmp_path / "charges.db").unlink()
    _accept(window, qtbot)
    qtbot.wait(1200)  # draft timer, settings reload and preview refresh all run
    page.amounts.witness.setText("Lee, RN ")  # the nurse touches the form again
    assert "Not saved" in page.status.text() and "Ready" not in page.status.text()
