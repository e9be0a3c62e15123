"""Layout of today's administrations: the table and the actions on the chosen record."""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
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
        self.table = named(QTableView(), "today_table", "Today's administrations")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(52)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_PATIENT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_STATUS, QHeaderView.ResizeMode.Stretch)
        self.day = named(QDateEdit(), "today_date", "Date of service shown")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("MM/dd/yyyy")
        self.day.setDate(QDate.currentDate())
        self.state = QLabel("Loading…")
        self.state.setObjectName("today_state")
        self.state.setWordWrap(True)
        self.state.setAccessibleName("Today's list status")
        self.refresh_button = button("&Refresh  (F5)", "today_refresh", "Refresh today's list")
        self.view_button = button("&View", "today_view", "View the chosen record")
        self.void_button = button("V&oid…", "today_void", "Void the chosen record with a reason")
        self.correct_button = button("&Correct…", "today_correct", "Start a correction of the chosen record")
        self.print_button = button("&Print ticket…", "today_print", "Print the charge ticket of the chosen record")
        self.print_day_button = button("Print the &day's tickets…", "today_print_day",
                                       "Print every ticket of the date shown in one document")
        self.only_mine = named(QCheckBox("Only mine"), "today_only_mine",
                               "Print only the tickets of the signed-in nurse")
        top = QHBoxLayout()
        top.addWidget(heading("Administrations on"))
        top.addWidget(self.day)
        top.addStretch(1)
        actions = QHBoxLayout()
        for widget in (self.refresh_button, self.view_button, self.correct_button, self.void_button,
                       self.print_button):
            actions.addWidget(widget)
        actions.addStretch(1)
        actions.addWidget(self.print_day_button)
        actions.addWidget(self.only_mine)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.state)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
