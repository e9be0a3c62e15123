"""The guide's pictures, taken from the real window offscreen on demo data, so they show the application as it is.

Each test drives a screen the way its user does and keeps the picture in resources/docs/images (committed, so
the guide shows them in the app, in the wheel, in the bundle and on the project's page). A changed screen
rewrites its picture: `git status` then shows which ones to look at and commit with the change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, QPoint, QRect, QThreadPool
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea

from desktop.facade.workstation import Workstation
from desktop.services import ChargeState, Store, open_store
from desktop.services.demo import fill_demo
from desktop.services.visits.drafts import DraftStore
from desktop.ui.help.pages import FINDINGS_PAGE, finding_anchor
from desktop.ui.help.viewer import show_guide
from desktop.ui.main_window import ADMIN_ROW, REPORTS_ROW, REVIEW_ROW, TODAY_ROW, MainWindow
from desktop.ui.people.first_run import FirstRunWizard
from desktop.ui.people.sign_in import SignInDialog
from desktop.ui.review.review_model import ROW_ROLE
from desktop.ui.theme import apply_theme
from tests.docs.screenshots import save_screenshot, settle
from tests.ui.conftest import facade_of
from tests.ui.flows import add_vials, enter_new_patient, fill_j9302, pick_drug, type_into

SCREEN = (1366, 768)  # the cart laptop the window is made to fit
WIDE = (1920, 1080)
DATABASE = "sqlite:///charges.sqlite3"  # what the status bar shows: a real path would differ on every run


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A database as `infusion-charge demo` makes it: accounts admin, nurse and biller, two days of charges."""
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('guide') / 'demo.sqlite3'}")
    fill_demo(store, days=2)
    yield store
    QThreadPool.globalInstance().waitForDone(10000)  # no background query outlives the store
    store.close()


@pytest.fixture(autouse=True)
def themed(qapp: QApplication) -> None:
    apply_theme(qapp)


@pytest.fixture
def window_for(qtbot: Any, demo: Store, tmp_path: Path) -> Callable[[str], MainWindow]:
    def open_window(user: str) -> MainWindow:
        window = MainWindow(facade_of(demo, user, DraftStore(tmp_path / "drafts", user=user), DATABASE))
        qtbot.addWidget(window)
        window.resize(*SCREEN)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield open_window
    qtbot.wait(20)
    QThreadPool.globalInstance().waitForDone(10000)


def scroll_form_to(window: MainWindow, widget: Any) -> None:
    area = window.entry_page.findChild(QScrollArea, "form_scroll")
    assert area is not None
    settle()
    area.ensureWidgetVisible(widget, 0, 0)


# --- Nurse at the chair ------------------------------------------------------------------------------------

def test_sign_in(qtbot: Any, demo: Store) -> None:
    dialog = SignInDialog(Workstation(demo))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    save_screenshot(dialog, "sign-in.png")


def test_chair_entry_with_the_claim_preview(window_for: Callable[[str], MainWindow]) -> None:
    window = window_for("nurse")
    fill_j9302(window)
    page = window.entry_page
    assert [label.objectName() for label in page.preview.line_labels][:2] == ["preview_line_0", "preview_line_1"]
    assert page.accept_button.isEnabled()
    scroll_form_to(window, page.amounts)
    save_screenshot(window, "chair-entry.png")


def test_chair_entry_with_warnings_to_check(qtbot: Any, window_for: Callable[[str], MainWindow]) -> None:
    window = window_for("nurse")
    window.resize(*WIDE)  # the picture shows the preview column only: wide enough to read without scrolling
    page = window.entry_page
    enter_new_patient(window, "200555", "Okafor, Ben", "07/02/1961")
    type_into(page.visit.diagnoses, "C34.90")
    pick_drug(window, "opdivo")
    add_vials(window, 1, ndc="0003-3734-13", is_340b=False)  # a 240 mg vial for a 219 mg dose
    type_into(page.amounts.administered, "219")
    page.amounts.discarded.selectAll()
    type_into(page.amounts.discarded, "21")
    assert "LEAST_WASTE" in page.preview.warning_boxes
    assert page.findChild(QLabel, "explain_LEAST_WASTE") is not None
    preview = page.findChild(QScrollArea, "preview_scroll")
    assert preview is not None
    settle()
    least_waste = next(f for f in page.preview.finding_frames if f.objectName() == "finding_LEAST_WASTE")
    preview.ensureWidgetVisible(least_waste, 0, 0)
    top_left = preview.mapTo(window, QPoint(0, 0))
    bottom = page.accept_button.mapTo(window, QPoint(0, page.accept_button.height())).y()
    column = QRect(top_left.x() - 8, top_left.y() - 8, window.width() - top_left.x() + 8, bottom - top_left.y() + 16)
    save_screenshot(window, "chair-entry-warning.png", column)


def test_today(qtbot: Any, window_for: Callable[[str], MainWindow]) -> None:
    window = window_for("nurse")
    window.nav.setCurrentRow(TODAY_ROW)
    qtbot.waitUntil(lambda: window.today_page.table.model().rowCount() > 0, timeout=10000)
    save_screenshot(window, "today.png")


# --- Charge entry ------------------------------------------------------------------------------------------

def test_review_queue_with_a_held_charge(qtbot: Any, window_for: Callable[[str], MainWindow]) -> None:
    window = window_for("biller")
    window.nav.setCurrentRow(REVIEW_ROW)
    page = window.review_page
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and not page.presenter.busy, timeout=10000)
    held = next(row for row in range(page.model.rowCount())
                if page.model.data(page.model.index(row, 0), ROW_ROLE).state is ChargeState.HELD)
    page.table.selectionModel().select(
        page.model.index(held, 0), QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    qtbot.waitUntil(lambda: page.presenter.detail is not None, timeout=10000)
    save_screenshot(window, "review-queue.png")


def test_reports(qtbot: Any, window_for: Callable[[str], MainWindow]) -> None:
    window = window_for("biller")
    window.nav.setCurrentRow(REPORTS_ROW)
    reports = window.reports_page
    today = dt.date.today()
    reports.set_report("waste", today - dt.timedelta(days=1), today)
    reports.show_button.click()
    qtbot.waitUntil(lambda: reports.document is not None, timeout=10000)
    save_screenshot(window, "reports.png")


# --- Administrator -----------------------------------------------------------------------------------------

def test_first_run(qtbot: Any, tmp_path: Path) -> None:
    empty = open_store(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    try:
        wizard = FirstRunWizard(Workstation(empty))
        qtbot.addWidget(wizard)
        wizard.show()
        qtbot.waitExposed(wizard)
        save_screenshot(wizard, "first-run.png")
    finally:
        empty.close()


@pytest.mark.parametrize(("tab", "name"), [(0, "admin-settings.png"), (1, "admin-catalog.png"),
                                           (2, "admin-reference.png"), (3, "admin-users.png"),
                                           (4, "admin-audit.png")])
def test_administration(tab: int, name: str, qtbot: Any, window_for: Callable[[str], MainWindow]) -> None:
    window = window_for("admin")
    window.nav.setCurrentRow(ADMIN_ROW)
    window.admin.setCurrentIndex(tab)
    QThreadPool.globalInstance().waitForDone(10000)  # the tab loads (and the audit chain is checked) off the GUI thread
    qtbot.wait(50)
    save_screenshot(window, name)


# --- The guide itself --------------------------------------------------------------------------------------

def test_the_guide_window_open_at_a_finding(qtbot: Any, window_for: Callable[[str], MainWindow]) -> None:
    window = window_for("nurse")
    guide = show_guide(FINDINGS_PAGE, finding_anchor("LEAST_WASTE"), window)
    guide.resize(*SCREEN)
    qtbot.waitExposed(guide)
    guide.open(FINDINGS_PAGE, finding_anchor("LEAST_WASTE"))  # again, now laid out at this size
    settle()
    assert guide.browser.verticalScrollBar().value() > 0
    save_screenshot(guide, "guide-window.png")
