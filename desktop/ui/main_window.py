"""The main window: areas to move between, menus with shortcuts, and a status bar with database and user."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QMainWindow, QMenu, QMessageBox, QStackedWidget, QWidget

from desktop.facade import AppFacade
from desktop.facade.people_types import Permission
from desktop.ui.admin.admin_tabs import AdminTabs
from desktop.ui.entry.entry_page import EntryPage
from desktop.ui.entry.entry_presenter import EntryPresenter
from desktop.ui.help.pages import GUIDE_PAGES
from desktop.ui.help.viewer import show_guide
from desktop.ui.operations import OperationHub
from desktop.ui.reports.reports_page import ReportsPage
from desktop.ui.review.review_page import ReviewQueuePage
from desktop.ui.today.today_page import TodayPage
from desktop.ui.today.today_presenter import TodayPresenter
from desktop.ui.widgets import fit_buttons, named, scrolled
from desktop.ui.worker import BackgroundQuery

if TYPE_CHECKING:
    from desktop.facade.day_types import AdministrationDetail
    from desktop.ui.people.lock import SessionGuard

# The areas, in order, with what the signed-in person must be allowed to do to see each.
AREAS = (
    ("Chair entry", Permission.RECORD),
    ("Today", Permission.VIEW_DAY),
    ("Review queue", Permission.REVIEW),
    ("Reports", Permission.REPORTS),
    ("Administration", Permission.MANAGE_SETTINGS),
)
TODAY_ROW, REVIEW_ROW, REPORTS_ROW, ADMIN_ROW = 1, 2, 3, 4


def database_words(label: str) -> str:
    """Which database, in words for the status bar: never its URL (a path, a user name, options)."""
    if label.startswith("sqlite"):
        name = label.rsplit("/", 1)[-1]
        return f"Database: this computer ({name})" if name else "Database: this computer"
    scheme, _, rest = label.partition("://")
    host = rest.rsplit("@", 1)[-1].split("/", 1)[0].split("?", 1)[0]
    return f"Database: shared server {host}" if scheme and host else "Database: shared server"


class MainWindow(QMainWindow):
    """Holds the signed-in person's facade (swapped at a hand-over) and the window's OperationHub; every page gets
    `facade=lambda: window.facade` and `hub=window.hub`, and refreshes itself from `hub.changed`."""

    def __init__(self, facade: AppFacade) -> None:
        super().__init__()
        self.setObjectName("main_window")
        self.setAccessibleName("Infusion Charge Capture")
        self.setWindowTitle("Infusion Charge Capture")
        self.facade = facade
        self.hub = OperationHub(self)
        self.permissions_query = BackgroundQuery(self)
        self.permissions_known = False  # the areas stay hidden until the person's role is read
        self.guard: SessionGuard | None = None  # set once a signed-in session guards the window
        # The frame first, then the pages inside it: a widget that gets a parent is styled again with all it
        # holds (the application's style sheet), so pages built apart and moved in were styled three times over.
        body = QWidget()
        self.setCentralWidget(body)
        self.nav = named(QListWidget(body), "nav_list", "Areas")
        self.nav.setFixedWidth(180)  # narrow: on a 1366 x 768 cart screen the chair form needs the width
        self.pages = QStackedWidget(body)
        self.pages.setObjectName("pages")
        layout = QHBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.pages, 1)
        self.entry_page = EntryPage(facade.payer_labels())
        self.entry = EntryPresenter(self.entry_page, self.current_facade, self.hub)
        self.pages.addWidget(self.entry_page)
        # The other areas are built when first shown (or first asked for): signing in builds the chair only.
        self._areas: dict[int, QObject] = {}
        for _area in AREAS[1:]:
            self.pages.addWidget(QWidget())  # stands in for the area until it is built
        self._review_started = False
        self._buttons_fitted = False
        for number, (area, _permission) in enumerate(AREAS, start=1):
            self.nav.addItem(f"{area}\nCtrl+{number}")
            self.nav.item(number - 1).setHidden(True)
        self.nav.currentRowChanged.connect(self.show_area)
        self._build_status_bar()
        self._build_menus()
        for action in self._go_actions:
            action.setEnabled(False)  # until the role is read, like the areas' rows
        self.show_user(facade.user)

    def current_facade(self) -> AppFacade:
        """The signed-in person's doorway now: what every page is given (as this method) to call."""
        return self.facade

    @property
    def today(self) -> TodayPresenter:
        today = self._area(TODAY_ROW)
        assert isinstance(today, TodayPresenter)
        return today

    @property
    def today_page(self) -> TodayPage:
        return self.today.page

    @property
    def review_page(self) -> ReviewQueuePage:
        page = self._area(REVIEW_ROW)
        assert isinstance(page, ReviewQueuePage)
        return page

    @property
    def reports_page(self) -> ReportsPage:
        page = self._area(REPORTS_ROW)
        assert isinstance(page, ReportsPage)
        return page

    @property
    def admin(self) -> AdminTabs:
        page = self._area(ADMIN_ROW)
        assert isinstance(page, AdminTabs)
        return page

    def _build_area(self, row: int) -> tuple[QWidget, QObject]:
        """The area's page and what the window keeps of it (Today: its presenter)."""
        facade, hub = self.current_facade, self.hub
        if row == TODAY_ROW:
            today_page = TodayPage()
            today = TodayPresenter(today_page, facade, hub)
            today.correction_requested.connect(self._correct)
            return today_page, today
        page: QWidget
        if row == REVIEW_ROW:
            review = ReviewQueuePage(facade, hub, load=False)
            review.correction_requested.connect(self._correct)
            page = review
        elif row == REPORTS_ROW:
            page = ReportsPage(facade, hub)
        else:
            page = AdminTabs(facade, hub)
        return page, page

    def _area(self, row: int) -> QObject:
        """The area's page (Today: its presenter), built and put in the stack the first time it is needed."""
        built = self._areas.get(row)
        if built is not None:
            return built
        page, built = self._build_area(row)
        self._areas[row] = built
        stand_in = self.pages.widget(row)
        # A stack is as large as its largest page: wrapped, a wide page scrolls on a small screen instead of
        # making the whole window too big for a 1366 x 768 cart laptop.
        self.pages.insertWidget(row, scrolled(page))
        if stand_in is not None:
            self.pages.removeWidget(stand_in)
            stand_in.deleteLater()
        if self._buttons_fitted:
            fit_buttons(page)
        return built

    def set_facade(self, facade: AppFacade, label: str | None = None) -> None:
        """A hand-over at the lock screen: the next person's doorway; pages ask for it at their next call."""
        self.facade = facade
        self.show_user(facade.user, label)
        self.hub.person_changed.emit(facade.user)

    def show_user(self, user: str, label: str | None = None) -> None:
        """Who is signed in: the status bar now, and (once their role is read) only the areas they may use."""
        self.user_label.setText(f"Signed in: {label or user}")
        facade = self.facade
        self.permissions_query.run(facade.permissions, self._show_areas, self._permissions_failed)

    def _show_areas(self, allowed: frozenset[Permission]) -> None:
        self.permissions_known = True
        for row, (_area, permission) in enumerate(AREAS):
            self.nav.item(row).setHidden(permission not in allowed)
            self._go_actions[row].setEnabled(permission in allowed)
        visible = [row for row in range(len(AREAS)) if not self.nav.item(row).isHidden()]
        if visible and (self.nav.currentRow() not in visible):
            self.nav.setCurrentRow(visible[0])

    def _permissions_failed(self, error: Exception) -> None:
        """The role could not be read (the database is away): the chair stays usable, its save says why."""
        from desktop.ui.operations import failure_words

        self._show_areas(frozenset({Permission.RECORD}))
        self.statusBar().showMessage(f"\u26a0 Could not read your role: {failure_words(error)}", 15_000)

    def _build_status_bar(self) -> None:
        self.database_label = QLabel(database_words(self.facade.database_label))
        self.database_label.setObjectName("status_database")
        self.user_label = QLabel(f"Signed in: {self.facade.user}")
        self.user_label.setObjectName("status_user")
        self.statusBar().addWidget(self.database_label, 1)
        self.statusBar().addPermanentWidget(self.user_label)

    def _action(self, menu_title: str, text: str, shortcut: str | QKeySequence.StandardKey,
                slot: Callable[..., object]) -> QAction:
        menu = self._menus.get(menu_title) or self.menuBar().addMenu(menu_title)
        self._menus[menu_title] = menu
        action = QAction(text, self)
        action.setObjectName("action_" + text.replace("&", "").replace(" ", "_").replace("…", "").lower())
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        self._menus: dict[str, QMenu] = {}
        page = self.entry_page
        self._action("&File", "&New administration", "Ctrl+N", self.entry.cancel)
        self._action("&File", "&Accept charge", "Ctrl+S", self.entry.accept)
        self._action("&File", "Save as &held…", "Ctrl+H", self.entry.hold)
        self._action("&File", "&Quit", QKeySequence.StandardKey.Quit, self.close)
        self._go_actions = [
            self._action("&Go", f"&{area}", f"Ctrl+{row + 1}", lambda _c=False, r=row: self.nav.setCurrentRow(r))
            for row, (area, _permission) in enumerate(AREAS)
        ]
        self._action("&Go", "Find &patient", "Ctrl+F", lambda: self._focus(page.patient.search))
        self._action("&Go", "Find &drug", "Ctrl+D", lambda: self._focus(page.drug.search))
        self._action("&Go", "&Scan vial", "F2", lambda: self._focus(page.drug.scan))
        self._action("&Go", "&Given mg", "Ctrl+G", lambda: self._focus(page.amounts.administered))
        self._action("&Go", "&Refresh", "F5", self.refresh_area)
        for guide in GUIDE_PAGES:  # the user guide shipped in resources/docs
            self._action("&Help", guide.title, guide.shortcut,
                         lambda _c=False, f=guide.file: show_guide(f, parent=self))
        self._action("&Help", "&About", "", self._about)

    def add_lock_action(self, lock: Callable[[], None]) -> None:
        """File > Lock / switch user (Ctrl+L), once a signed-in session guards the window."""
        self._action("&File", "&Lock / switch user", "Ctrl+L", lock)

    def _focus(self, widget: QWidget) -> None:
        self.nav.setCurrentRow(0)
        widget.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def show_area(self, row: int) -> None:
        if row > 0:
            self._area(row)
        self.pages.setCurrentIndex(row)
        if row == REVIEW_ROW:
            if not self._review_started:
                self._review_started = True
                self.review_page.presenter.start()
            # else it reloads itself when shown if a broadcast touched a visit while it was hidden
        else:
            self.refresh_area()

    def refresh_area(self) -> None:
        """F5: reload what the current area shows."""
        row = self.pages.currentIndex()
        if row == TODAY_ROW:
            self.today.reload()
        elif row == REVIEW_ROW and self._review_started:
            self.review_page.presenter.reload()
        elif row == ADMIN_ROW:
            self.admin.reload()

    def _correct(self, detail: AdministrationDetail) -> None:
        self.nav.setCurrentRow(0)
        self.entry.start_correction(detail)

    def _about(self) -> None:
        QMessageBox.about(self, "About", "Infusion Charge Capture\nChairside drug charge capture.")

    def showEvent(self, event: QShowEvent) -> None:
        if not self._buttons_fitted:  # only now are the theme's font and padding known
            self._buttons_fitted = True
            fit_buttons(self)
        super().showEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.entry.save_draft()  # an unsaved form survives closing as well as crashing
        super().closeEvent(event)
