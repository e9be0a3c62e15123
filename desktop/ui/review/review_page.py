"""The review queue page: filters, the visits and the chosen visit (side by side when wide enough), actions below."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.review.detail_pane import DetailPane
from desktop.ui.review.filters_bar import FiltersBar
from desktop.ui.review.review_model import (
    COL_DATE,
    COL_DRUGS,
    COL_FINDINGS,
    COL_MRN,
    COL_NURSE,
    COL_PATIENT,
    COL_PAYER,
    COL_STATUS,
    COL_UNITS,
    SORT_KEYS,
    ReviewModel,
)
from desktop.ui.review.review_presenter import ReviewPresenter
from desktop.ui.widgets import button, heading, named

if TYPE_CHECKING:
    from desktop.facade import AppFacade
    from desktop.ui.operations import OperationHub

# Below this width the queue and the visit take turns (Enter opens the visit, Esc goes back), so that every
# column of the queue stays visible on a 1366-pixel screen; above it they stand side by side.
SIDE_BY_SIDE_WIDTH = 1600
QUEUE_SHARE = 0.68  # of a wide page, for the queue at first (the splitter moves)
# Columns that hold short values get what their longest usual value needs; the rest share what is left, so that
# every column stays on screen (long words are elided; the tooltip and the visit's pane say them in full).
FITTED = {COL_DATE: "0000-00-00", COL_MRN: "M000000", COL_UNITS: "000", COL_PAYER: "Commercial",
          COL_FINDINGS: "\u2716 0  \u26a0 0"}
SHARES = {COL_PATIENT: 4, COL_DRUGS: 3, COL_NURSE: 3, COL_STATUS: 9}
CELL_PADDING = 10
ROW_HEIGHT = 52  # two lines of the theme's 14 pt text: a long name wraps instead of being cut
FITTED_ROWS = 200  # the rows whose values the fitted columns are measured on (the first page)
SORT_ARROW = 18
HEADER_PADDING = 14


class QueueTable(QTableView):
    """The queue's table: its columns are fitted to the width it has whenever that width changes."""

    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt override
        super().resizeEvent(event)
        self.fit_columns()

    def fit_columns(self) -> None:
        model = self.model()
        if model is None:
            return
        bold = QFont(self.horizontalHeader().font())
        bold.setBold(True)  # the theme's header sections are bold, with 6 px padding and a border each side
        text, caption = self.fontMetrics(), QFontMetrics(bold)

        def needs(column: int, sample: str = "") -> int:
            title = str(model.headerData(column, Qt.Orientation.Horizontal))
            arrow = SORT_ARROW if column in SORT_KEYS else 0
            return max(text.horizontalAdvance(sample), caption.horizontalAdvance(title) + arrow + HEADER_PADDING) \
                + CELL_PADDING

        shown = range(min(model.rowCount(), FITTED_ROWS))

        def longest(column: int, sample: str) -> str:
            """The longest value the first rows show, within twice the usual one (an odd MRN is elided)."""
            values = [str(model.data(model.index(row, column)) or "") for row in shown]
            width = max([text.horizontalAdvance(v) for v in values], default=0)
            return sample if width <= text.horizontalAdvance(sample) else max(
                (v for v in values if text.horizontalAdvance(v) <= 2 * text.horizontalAdvance(sample)),
                key=text.horizontalAdvance, default=sample)

        widths = {column: needs(column, longest(column, sample)) for column, sample in FITTED.items()}
        free = self.viewport().width() - sum(widths.values())
        sharing = dict(SHARES)
        while sharing:  # a column whose share is under what its caption needs gets that; the rest share again
            shares = sum(sharing.values())
            short = {c: needs(c) for c, share in sharing.items() if free * share // shares < needs(c)}
            if not short:
                widths.update({c: free * share // shares for c, share in sharing.items()})
                break
            widths.update(short)
            free -= sum(short.values())
            sharing = {c: share for c, share in sharing.items() if c not in short}
        for column, width in widths.items():
            self.setColumnWidth(column, width)


class ReviewQueuePage(QWidget):
    """Add to the main window as a page: `ReviewQueuePage(lambda: window.facade, window.hub)`; it loads when
    `presenter.start()` is called (at once with `load=True`), then whenever a change to visits is broadcast."""

    def __init__(self, facade: Callable[[], AppFacade], hub: OperationHub, *, load: bool = True) -> None:
        super().__init__()
        self.setObjectName("review_page")
        self.setAccessibleName("Review queue")
        self.detail_open = False  # on a narrow page: the visit is shown instead of the queue
        self.was_wide: bool | None = None
        self.filters = FiltersBar()
        self.summary = named(QLabel("Loading\u2026"), "review_summary", "Queue summary")
        self.summary.setWordWrap(True)
        self.model = ReviewModel(self)
        self.table = named(QueueTable(), "review_table", "Review queue",
                           "Visits matching the filters; select several rows with Shift or Ctrl; Enter opens one")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.setWordWrap(True)  # a name or a state in two lines rather than cut
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        corner = self.table.findChild(QAbstractButton, "qt_tableview_cornerbutton")
        if corner is not None:
            corner.setAccessibleName("Select all rows")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setSortIndicator(COL_DATE, Qt.SortOrder.DescendingOrder)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.model.modelReset.connect(self.table.fit_columns)  # the first page's values decide the fitted widths
        self.detail = DetailPane()
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.setObjectName("review_split")
        self.split.setChildrenCollapsible(False)
        self.split.addWidget(self.table)
        self.split.addWidget(self.detail)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        self.verify_button = button("&Verify", "review_verify", "Verify the selected visits")
        self.hold_button = button("&Hold\u2026", "review_hold", "Hold the selected visits with a reason")
        self.release_button = button("&Release hold", "review_release", "Release the hold on the selected visits")
        self.post_button = button("&Post", "review_post", "Post the selected visits")
        self.void_button = button("V&oid visit\u2026", "review_void", "Void every drug of the selected visits")
        self.open_button = button("Open visi&t (Enter)", "review_open", "Show the chosen visit in full")
        self.refresh_button = button("Re&fresh (F5)", "review_refresh", "Reload the queue")
        self.visit_buttons = (self.verify_button, self.hold_button, self.release_button, self.post_button,
                              self.void_button)
        # The drug-level actions live in the visit's pane, beside the drug they act on.
        self.replace_button = self.detail.replace_button
        self.correct_button = self.detail.correct_button
        self.void_drug_button = self.detail.void_drug_button
        self.action_buttons = (*self.visit_buttons, *self.detail.drug_buttons)
        self.action_bar = QWidget()
        self.action_bar.setObjectName("review_actions")
        row = QHBoxLayout(self.action_bar)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (*self.visit_buttons, self.open_button, self.refresh_button):
            row.addWidget(widget)
        row.addStretch(1)
        self.status = named(QLabel(""), "review_status", "Result of the last action")
        self.status.setWordWrap(True)
        self.status.setProperty("role", "hint")
        # A multi-visit action shows how far it is and can be stopped after the visit in hand.
        self.progress = named(QProgressBar(), "review_progress", "Progress of the action")
        self.progress.setVisible(False)
        self.cancel_button = button("Canc&el", "review_cancel", "Stop the action after the visit in hand")
        self.cancel_button.setVisible(False)
        self.results = named(QListWidget(), "review_results", "What happened to each visit")
        self.results.setMaximumHeight(110)
        self.results.setVisible(False)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(heading("Review queue"))
        top.addWidget(self.summary, 1)
        layout.addLayout(top)
        layout.addWidget(self.filters)
        layout.addWidget(self.split, 1)
        layout.addWidget(self.action_bar)
        working = QHBoxLayout()
        working.addWidget(self.status, 1)
        working.addWidget(self.progress)
        working.addWidget(self.cancel_button)
        layout.addLayout(working)
        layout.addWidget(self.results)
        self.table.activated.connect(lambda _index: self.set_detail_open(True))
        self.open_button.clicked.connect(lambda: self.set_detail_open(True))
        self.detail.back_button.clicked.connect(lambda: self.set_detail_open(False))
        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.detail)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(lambda: self.set_detail_open(False))
        # F5 is the main window's Refresh, which reloads whichever area is showing.
        self.presenter = ReviewPresenter(self, facade, hub)
        self.correction_requested = self.presenter.correction_requested  # connect to the entry form's correction
        self._arrange()
        if load:
            self.presenter.start()

    @property
    def side_by_side(self) -> bool:
        return self.width() >= SIDE_BY_SIDE_WIDTH

    def set_detail_open(self, wanted: bool) -> None:
        """On a narrow page, show the chosen visit instead of the queue (or go back); wide pages show both."""
        self.detail_open = wanted and self.table.selectionModel().hasSelection()
        self._arrange()
        if self.detail_open and not self.side_by_side:
            self.detail.browser.setFocus()
        elif not wanted:
            self.table.setFocus()

    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt override
        super().resizeEvent(event)
        self._arrange()

    def showEvent(self, event: QShowEvent) -> None:  # Qt override
        super().showEvent(event)
        self.presenter.shown()  # a change broadcast while hidden is read now

    def show_progress(self, shown: bool) -> None:
        """The bar and Cancel while an action on several visits runs."""
        self.progress.setRange(0, 0)  # busy until the first visit is done
        self.progress.setVisible(shown)
        self.cancel_button.setVisible(shown)
        self.cancel_button.setEnabled(shown)

    def step(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setFormat(f"{done} of {total}")

    def _arrange(self) -> None:
        wide = self.side_by_side
        if wide and self.was_wide is not True:  # the queue keeps room for every column beside the visit
            queue = int(self.width() * QUEUE_SHARE)
            self.split.setSizes([queue, max(self.width() - queue, 1)])
        self.was_wide = wide
        turn = not wide and self.detail_open  # the visit has the page to itself
        self.table.setVisible(wide or not self.detail_open)
        self.detail.setVisible(wide or self.detail_open)
        self.filters.setVisible(not turn)
        self.action_bar.setVisible(not turn)
        self.open_button.setVisible(not wide)
        self.detail.set_full_page(turn)
