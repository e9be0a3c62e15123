"""The main window: areas to move between, menus with shortcuts, and a status bar with database and user."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QMainWindow, QMessageBox, QStackedWidget, QWidget

from desktop.billing.model import PayerClass
from desktop.ui.backend import ChairBackend
from desktop.ui.entry.entry_page import EntryPage
from desktop.ui.entry.entry_presenter import EntryPresenter
from desktop.ui.placeholder_page import PlaceholderPage
from desktop.ui.today.today_page import TodayPage
from desktop.ui.today.today_presenter import TodayPresenter
from desktop.ui.widgets import named

AREAS = ("Chair entry", "Today", "Review queue", "Reports", "Settings")


class MainWindow(QMainWindow):
    def __init__(self, backend: ChairBackend) -> None:
        super().__init__()
        self.setObjectName("main_window")
        self.setAccessibleName("Infusion Charge Capture")
        self.setWindowTitle("Infusion Charge Capture")
        self.backend = backend
        labels = {payer: policy.label for payer, policy in backend.rules.payer_policies.items()}
        ordered = {p: labels[p] for p in PayerClass if p in labels}
        self.entry_page = EntryPage(ordered)
        self.entry = EntryPresenter(self.entry_page, backend)
        self.today_page = TodayPage()
        self.today = TodayPresenter(self.today_page, backend)
        self.pages = QStackedWidget()
        self.pages.setObjectName("pages")
        self.nav = named(QListWidget(), "nav_list", "Areas")
        self.nav.setFixedWidth(210)
        for page in (
            self.entry_page,
            self.today_page,
            PlaceholderPage("review_page", "Review queue", "Held charges and warnings for billing to review."),
            PlaceholderPage("reports_page", "Reports", "Daily totals, waste and 340B reports."),
            PlaceholderPage("settings_page", "Settings", "Facility type, payer policies, printers, users."),
        ):
            self.pages.addWidget(page)
        for number, area in enumerate(AREAS, start=1):
            self.nav.addItem(f"{area}\nCtrl+{number}" if number <= 2 else f"{area}\n(coming later)")
        self.nav.currentRowChanged.connect(self.show_area)

        body = QWidget()
        layout = QHBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(body)
        self._build_status_bar()
        self._build_menus()

        self.entry.saved.connect(lambda _outcome: self.today.reload())
        self.today.correction_requested.connect(self._correct)
        self.nav.setCurrentRow(0)

    def _build_status_bar(self) -> None:
        self.database_label = QLabel(f"Database: {self.backend.database_label}")
        self.database_label.setObjectName("status_database")
        self.user_label = QLabel(f"Signed in: {self.backend.user}")
        self.user_label.setObjectName("status_user")
        self.statusBar().addWidget(self.database_label, 1)
        self.statusBar().addPermanentWidget(self.user_label)

    def _action(self, menu_title: str, text: str, shortcut: str | QKeySequence.StandardKey, slot: object) -> QAction:
        menu = self._menus.get(menu_title) or self.menuBar().addMenu(menu_title)
        self._menus[menu_title] = menu
        action = QAction(text, self)
        action.setObjectName("action_" + text.replace("&", "").replace(" ", "_").replace("…", "").lower())
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)  # type: ignore[arg-type]
        menu.addAction(action)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        self._menus: dict[str, object] = {}
        page = self.entry_page
        self._action("&File", "&New administration", "Ctrl+N", self.entry.cancel)
        self._action("&File", "&Accept charge", "Ctrl+S", self.entry.accept)
        self._action("&File", "Save as &held…", "Ctrl+H", self.entry.hold)
        self._action("&File", "&Quit", QKeySequence.StandardKey.Quit, self.close)
        self._action("&Go", "&Chair entry", "Ctrl+1", lambda: self.nav.setCurrentRow(0))
        self._action("&Go", "&Today", "Ctrl+2", lambda: self.nav.setCurrentRow(1))
        self._action("&Go", "Find &patient", "Ctrl+F", lambda: self._focus(page.patient.search))
        self._action("&Go", "Find &drug", "Ctrl+D", lambda: self._focus(page.drug.search))
        self._action("&Go", "&Scan vial", "F2", lambda: self._focus(page.drug.scan))
        self._action("&Go", "&Given mg", "Ctrl+G", lambda: self._focus(page.amounts.administered))
        self._action("&Go", "&Refresh today", "F5", self.today.reload)
        self._action("&Help", "&About", "F1", self._about)

    def _focus(self, widget: QWidget) -> None:
        self.nav.setCurrentRow(0)
        widget.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def show_area(self, row: int) -> None:
        self.pages.setCurrentIndex(row)
        if row == 1:
            self.today.reload()

    def _correct(self, detail: object) -> None:
        self.nav.setCurrentRow(0)
        self.entry.start_correction(detail)  # type: ignore[arg-type]

    def _about(self) -> None:
        QMessageBox.about(self, "About", "Infusion Charge Capture\nChairside drug charge capture.")

    def closeEvent(self, event: object) -> None:
        self.entry.save_draft()  # an unsaved form survives closing as well as crashing
        super().closeEvent(event)  # type: ignore[arg-type]
