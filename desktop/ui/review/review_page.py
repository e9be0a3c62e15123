"""The review queue page: filters on top, the queue and the chosen record side by side, actions and results below."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.services.store import Store
from desktop.ui.review.detail_pane import DetailPane
from desktop.ui.review.filters_bar import FiltersBar
from desktop.ui.review.review_model import COL_FINDINGS, COL_PATIENT, COL_STATUS, ReviewModel
from desktop.ui.review.review_presenter import ReviewPresenter
from desktop.ui.widgets import button, heading, named


class ReviewQueuePage(QWidget):
    """Add to the main window as a page: `ReviewQueuePage(store, lambda: backend.user)`."""

    def __init__(self, store: Store, user_provider: Callable[[], str], *, load: bool = True) -> None:
        super().__init__()
        self.setObjectName("review_page")
        self.setAccessibleName("Review queue")
        self.filters = FiltersBar()
        self.summary = named(QLabel("Loading\u2026"), "review_summary", "Queue summary")
        self.summary.setWordWrap(True)
        self.model = ReviewModel(self)
        self.table = named(QTableView(), "review_table", "Review queue",
                           "Administrations matching the filters; select several rows with Shift or Ctrl")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(44)
        corner = self.table.findChild(QAbstractButton, "qt_tableview_cornerbutton")
        if corner is not None:
            corner.setAccessibleName("Select all rows")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setSortIndicator(1, Qt.SortOrder.DescendingOrder)
        widths = (56, 124, 170, 96, 76, 66, 128, 128, 230, 150)
        for column, width in enumerate(widths):
            self.table.setColumnWidth(column, width)
        for column in (COL_PATIENT, COL_STATUS, COL_FINDINGS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        self.detail = DetailPane()
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("review_split")
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 1)
        self.verify_button = button("&Verify", "review_verify", "Verify the selected charges")
        self.hold_button = button("&Hold\u2026", "review_hold", "Hold the selected charges with a reason")
        self.release_button = button("&Release hold", "review_release", "Release the hold on the selected charges")
        self.post_button = button("&Post", "review_post", "Post the selected charges")
        self.void_button = button("V&oid\u2026", "review_void", "Void the selected charges with a reason")
        self.replace_button = button("Void and re&place\u2026", "review_void_replace",
                                     "Void the selected charges and record them again with the current rules")
        self.correct_button = button("&Correct in entry\u2026", "review_correct",
                                     "Open the chosen record in the entry form to correct it")
        self.refresh_button = button("Re&fresh (F5)", "review_refresh", "Reload the queue")
        self.action_buttons = (self.verify_button, self.hold_button, self.release_button, self.post_button,
                               self.void_button, self.replace_button, self.correct_button)
        actions = QGridLayout()  # two rows: the queue fits beside the navigation on a 1366-pixel screen
        for index, widget in enumerate((*self.action_buttons, self.refresh_button)):
            actions.addWidget(widget, index // 4, index % 4)
        actions.setColumnStretch(4, 1)
        self.status = named(QLabel(""), "review_status", "Result of the last action")
        self.status.setWordWrap(True)
        self.status.setProperty("role", "hint")
        self.results = named(QListWidget(), "review_results", "What happened to each row")
        self.results.setMaximumHeight(130)
        self.results.setVisible(False)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(heading("Review queue"))
        top.addWidget(self.summary, 1)
        layout.addLayout(top)
        layout.addWidget(self.filters)
        layout.addWidget(split, 1)
        layout.addLayout(actions)
        layout.addWidget(self.status)
        layout.addWidget(self.results)
        # F5 is the main window's Refresh, which reloads whichever area is showing.
        self.presenter = ReviewPresenter(self, store, user_provider)
        self.correction_requested = self.presenter.correction_requested  # connect to the entry form's correction
        if load:
            self.presenter.start()
