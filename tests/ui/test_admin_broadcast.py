"""The Administration area in the main window: pages work through the window's facade off the GUI thread, refresh
from the "what changed" broadcast, and a long CMS file read can be cancelled."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication

from desktop.services.demo import fill_demo
from desktop.services.visits.drafts import DraftStore
from desktop.ui.main_window import ADMIN_ROW, MainWindow
from desktop.ui.operations import OpChanges
from desktop.ui.theme import apply_theme
from tests.interop.cms_samples import CATALOG_ROWS, crosswalk_bytes, made_up_rows
from tests.ui.admin_pages import doorway
from tests.ui.conftest import facade_of
from tests.ui.flows import type_into

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


def test_an_account_made_on_the_users_tab_reaches_the_users_table_and_the_audit_tab(qtbot: Any, store: Any,
                                                                                    tmp_path: Path) -> None:
    fill_demo(store, days=1, per_drug_per_day=1)
    apply_theme(QApplication.instance())  # type: ignore[arg-type]
    window = MainWindow(facade_of(store, "admin", DraftStore(tmp_path / "drafts"), str(store.url)))
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    heard: list[OpChanges] = []
    window.hub.changed.connect(heard.append)
    window.nav.setCurrentRow(ADMIN_ROW)
    tabs = window.admin
    qtbot.waitUntil(lambda: tabs.settings_page.loaded is not None, timeout=10000)
    tabs.setCurrentWidget(tabs.users_page)
    users = tabs.users_page
    qtbot.waitUntil(lambda: users.table.rowCount() == 3, timeout=10000)
    type_into(users.username, "newnurse")
    type_into(users.password, "a long password")
    users.add_user.click()
    assert not users.add_user.isEnabled()  # running off the GUI thread; the page says when it is done
    qtbot.waitUntil(lambda: users.table.rowCount() == 4, timeout=10000)  # reloaded from the broadcast
    assert heard[-1] == OpChanges(frozenset({"users", "audit"}))
    assert "Created newnurse (Nurse)" in users.message.text() and users.add_user.isEnabled()

    tabs.setCurrentWidget(tabs.audit_page)
    audit = tabs.audit_page
    qtbot.waitUntil(lambda: audit.chain.text().startswith("\u2714 Chain verified"), timeout=20000)
    shown = audit.model.rowCount()
    users.unlock.click()  # a change made elsewhere while the audit trail is on screen
    qtbot.waitUntil(lambda: audit.model.rowCount() > shown, timeout=10000)
    unlocked = [e for e in audit.model.events[shown:] if e.action == "unlock_account"]
    assert [(e.actor, e.entity_id) for e in unlocked] == [("admin", "newnurse")]
    QThreadPool.globalInstance().waitForDone(10000)


def test_reading_a_large_cms_file_can_be_cancelled(qtbot: Any, store: Any, tmp_path: Path) -> None:
    from desktop.ui.admin.reference_page import ReferencePage

    source = tmp_path / "October 2026 ASP NDC-HCPCS Crosswalk.csv"
    source.write_bytes(crosswalk_bytes([*CATALOG_ROWS, *made_up_rows(60000)], dt.date(2026, 10, 1)))
    apply_theme(QApplication.instance())  # type: ignore[arg-type]
    page = ReferencePage(*doorway(store, "admin", tmp_path))
    qtbot.addWidget(page)
    page.show()
    moves: list[tuple[int, int]] = []
    cancelled = threading.Event()

    def held(done: int, total: int) -> None:  # on the reading thread: it waits there until Cancel was pressed
        moves.append((done, total))
        cancelled.wait(20)

    page.relay.moved.connect(held, Qt.ConnectionType.DirectConnection)
    page.path.setText(str(source))
    page.preview_button.click()
    assert page.cancel_button.isVisible() and not page.preview_button.isEnabled()
    qtbot.waitUntil(lambda: bool(moves), timeout=20000)
    ARTIFACTS.mkdir(exist_ok=True)
    for size in ((1366, 768), (1920, 1080)):
        page.resize(*size)
        QApplication.processEvents()
        page.grab().save(str(ARTIFACTS / f"reference-reading-{size[0]}x{size[1]}.png"))
    page.cancel_button.click()
    cancelled.set()
    qtbot.waitUntil(lambda: not page.operation.running, timeout=20000)  # type: ignore[union-attr]
    assert page.status.text() == "Not read: Cancelled: nothing was changed."
    assert page.preview is None and moves[-1][0] < moves[-1][1]
    assert page.preview_button.isEnabled() and not page.cancel_button.isVisible() and not page.apply_button.isEnabled()
