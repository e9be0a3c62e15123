"""An unsaved form survives a crash: kept as a draft file, offered back and restored on the next start."""

from __future__ import annotations

import json
from pathlib import Path

from desktop.facade import AppFacade
from desktop.services.visits.drafts import DraftStore
from desktop.ui.main_window import MainWindow
from tests.ui.conftest import facade_of
from tests.ui.flows import fill_j9302


def test_unsaved_form_comes_back_after_a_crash(qtbot, window: MainWindow, facade: AppFacade) -> None:
    fill_j9302(window)
    window.entry_page.visit.diagnoses.setText("C91.10, Z51.12")
    qtbot.waitUntil(lambda: facade.drafts.path.exists(), timeout=3000)  # written by the idle timer
    qtbot.wait(1000)  # let the last change reach the draft
    # The "crash": the window is dropped without closing; a new one starts on the same folders.
    again = MainWindow(facade_of(facade.store, facade.user, DraftStore(facade.drafts.folder), "same"))
    qtbot.addWidget(again)
    draft = again.facade.drafts.load()
    assert draft is not None and "Rivera, Ana" in draft.describe()
    again.entry.restore_draft(draft.fields)
    page = again.entry_page
    assert page.patient.mrn.text() == "100234" and page.visit.diagnoses.text() == "C91.10, Z51.12"
    assert page.drug.drug is not None and page.drug.drug.hcpcs == "J9302"
    [row] = page.drug.vials.rows
    assert row.count == 3 and row.is_340b.isChecked() and row.lot.text() == "OF2201"
    assert page.amounts.administered.text() == "275" and page.amounts.discarded.text() == "25"
    assert "28 units" in page.preview.line_labels[0].text()


def test_draft_is_written_atomically_and_a_damaged_one_is_set_aside(tmp_path: Path) -> None:
    drafts = DraftStore(tmp_path)
    drafts.save({"mrn": "1", "hcpcs": "J9302"}, "nurse")
    drafts.save({"mrn": "2", "hcpcs": "J9302"}, "nurse")
    assert [p.name for p in tmp_path.iterdir()] == ["chair-draft.json"]  # no temp files left behind
    assert json.loads(drafts.path.read_text())["fields"]["mrn"] == "2"
    drafts.path.write_text('{"format": 1, "fields": ')  # torn write from an older version or a bad disk
    assert drafts.load() is None
    assert (tmp_path / "chair-draft.unreadable.json").exists()


def test_saving_discards_the_draft(qtbot, window: MainWindow, facade: AppFacade) -> None:
    fill_j9302(window)
    window.entry.save_draft()
    assert facade.drafts.load() is not None
    with qtbot.waitSignal(window.entry.saved, timeout=5000):
        window.entry.accept()
    assert facade.drafts.load() is None


def test_drafts_live_in_the_database_folder_and_old_ones_are_kept(tmp_path: Path, monkeypatch) -> None:
    from db.engine import default_sqlite_path

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    drafts = DraftStore()
    assert drafts.folder == default_sqlite_path().parent == tmp_path / "data" / "infusion-charge-capture"
    old = tmp_path / "data" / "infusion-charge" / "chair-draft.json"  # where drafts were written before
    old.parent.mkdir(parents=True)
    DraftStore(old.parent).save({"mrn": "100234", "patient_label": "Rivera, Ana"}, "nurse.kim")
    draft = drafts.load()
    assert draft is not None and "Rivera, Ana" in draft.describe()
    assert drafts.path.exists() and not old.exists()  # moved once, then handled like any draft
    drafts.discard()
    assert drafts.load() is None
