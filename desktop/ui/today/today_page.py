"""Layout of a day's visits: each visit with its drugs under it, and the actions on the chosen visit or drug."""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.today.today_model import COL_PATIENT, COL_STATUS, TodayModel
from desktop.ui.widgets import button, heading, named


class TodayPage(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("today_page")
        self.model = TodayModel()
        self.table = named(QTreeView(), "today_table", "Today's visits",
                           "Each visit with its drugs under it; choose a drug to void or correct it")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setUniformRowHeights(True)
        self.table.setAlternatingRowColors(False)
        self.table.setStyleSheet("QTreeView::item { min-height: 40px; }")  # touch targets on the cart screen
        header = self.table.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_PATIENT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_STATUS, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.day = named(QDateEdit(), "today_date", "Date of service shown")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("MM/dd/yyyy")
        self.day.setDate(QDate.currentDate())
        self.state = QLabel("Loading…")
        self.state.setObjectName("today_state")
        self.state.setWordWrap(True)
        self.state.setAccessibleName("Today's list status")
        self.refresh_button = button("&Refresh  (F5)", "today_refresh", "Refresh today's list")
        self.view_button = button("&View visit", "today_view", "View the chosen visit in full")
        self.void_button = button("V&oid…", "today_void", "Void the chosen drug, or the chosen visit, with a reason")
        self.correct_button = button("&Correct…", "today_correct", "Start a correction of the chosen drug")
        self.print_button = button("&Print ticket…", "today_print", "Print the charge ticket of the chosen visit")
        self.print_day_button = button("Print the &day's tickets…", "today_print_day",
                                       "Print every ticket of the date shown in one document")
        self.only_mine = named(QCheckBox("Only mine"), "today_only_mine",
                               "Print only the tickets of the signed-in nurse")
        self.progress = named(QProgressBar(), "today_progress", "Preparing the day's tickets")
        self.progress.setVisible(False)
        self.cancel_button = button("Cance&l", "today_cancel", "Stop preparing the day's tickets")
        self.cancel_button.setVisible(False)
        top = QHBoxLayout()
        top.addWidget(heading("Visits on"))
        top.addWidget(self.day)
        top.addStretch(1)
        top.addWidget(self.print_day_button)
        top.addWidget(self.only_mine)
        top.addWidget(self.progress)
        top.addWidget(self.cancel_button)
        actions = QGridLayout()
        for column, widget in enumerate((self.refresh_button, self.view_button, self.correct_button,
                                         self.void_button, self.print_button)):
            actions.addWidget(widget, 0, column)
        actions.setColumnStretch(5, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.state)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
