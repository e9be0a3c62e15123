"""The facility settings page: ticket header, 340B type and default stock, payer policy overrides, prices, time
zone, auto-lock, paper."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.billing.model import FacilityType, PayerClass
from desktop.billing.tables import RuleSet
from desktop.facade import AppFacade
from desktop.ui.admin.admin_ops import audited, say
from desktop.ui.admin.interface_settings import InterfaceSettings
from desktop.ui.operations import CollectionOp, OperationHub, failure_words
from desktop.ui.people.first_run import facility_type_combo
from desktop.ui.widgets import add_row, button, heading, hint, message_label, named
from desktop.ui.worker import BackgroundQuery

if TYPE_CHECKING:
    from desktop.facade.admin_types import FacilitySettings, SettingsToEdit

WASTE_LABELS = {"required": "JW for waste, JZ when none", "jw_only": "JW for waste only, never JZ",
                "none": "No JW/JZ"}
SHIPPED = "As shipped"
IDENTIFIER_ROWS = 4
STOCK_LABELS = {"ask": "No default: the nurse answers for every vial", "340b": "340B stock",
                "non_340b": "Non-340B stock"}


def _table(name: str, accessible: str, headers: list[str], rows: int) -> QTableWidget:
    table = named(QTableWidget(rows, len(headers)), name, accessible)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return table


def _tall(table: QTableWidget, pixels: int) -> None:
    """The theme's min-height for item views would win over setMinimumHeight; a widget style wins over it."""
    table.setStyleSheet(f"QTableView {{ min-height: {pixels}px; }}")


def _spin(name: str, accessible: str, low: int, high: int, suffix: str) -> QSpinBox:
    spin = named(QSpinBox(), name, accessible)
    spin.setRange(low, high)
    spin.setSuffix(suffix)
    return spin


class SettingsPage(QWidget):
    """Loads the stored settings on `reload()` (each time the page is shown: a form being edited is never
    reloaded under the person's hands); Save stores them off the GUI thread (audited) and broadcasts "settings"."""

    saved = Signal(object)  # FacilitySettings

    def __init__(self, facade: Callable[[], AppFacade], hub: OperationHub, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.facade = facade
        self.hub = hub
        self.loader = BackgroundQuery(self)
        self.operation: CollectionOp[FacilitySettings] | None = None
        self.rules: RuleSet | None = None  # the rules in effect when loaded: the shipped payer policies
        self._payer_choices: list[tuple[QComboBox, QComboBox]] = []
        self.setObjectName("settings_page")
        self.setAccessibleName("Facility settings")
        self.name = named(QLineEdit(), "settings_facility_name", "Facility name")
        self.address = named(QPlainTextEdit(), "settings_address", "Facility address")
        self.address.setFixedHeight(80)
        self.facility_type = facility_type_combo("settings_facility_type")
        self.stock_340b = named(QComboBox(), "settings_stock_340b", "Default 340B source of new vials")
        for key, label in STOCK_LABELS.items():
            self.stock_340b.addItem(label, key)
        self.time_zone = named(QComboBox(), "settings_time_zone", "Facility time zone",
                               "Times are shown and printed in this zone on every workstation, and it decides "
                               "the date of service")
        self.time_zone.setEditable(True)  # type a name; the list completes it
        self.time_zone.addItems(sorted(zoneinfo.available_timezones()))
        self.identifiers = _table("settings_identifiers", "Facility identifiers", ["Label", "Number"],
                                  IDENTIFIER_ROWS)
        _tall(self.identifiers, 200)
        self.payers = _table("settings_payer_policies", "Payer policy overrides",
                             ["Payer class", "JW/JZ waste modifiers", "340B modifier (JG/TB)"], len(PayerClass))
        self.payers.verticalHeader().setDefaultSectionSize(46)  # room for the choice boxes at the large font
        _tall(self.payers, 46 * len(PayerClass) + 56)
        self.prices = _table("settings_prices", "Price per billing unit", ["HCPCS", "Drug", "Price per unit ($)"], 0)
        _tall(self.prices, 380)
        self.auto_lock = _spin("settings_auto_lock", "Auto-lock after minutes without input", 1, 240, " minutes")
        self.paper = named(QComboBox(), "settings_paper", "Ticket paper size")
        self.paper.addItem("US Letter", "letter")
        self.paper.addItem("A4", "a4")
        self.lockout_failures = _spin("settings_lockout_failures", "Failed sign-ins before lock-out", 3, 20,
                                      " failed sign-ins")
        self.lockout_minutes = _spin("settings_lockout_minutes", "Lock-out minutes", 1, 1440, " minutes")
        self.interface = InterfaceSettings()
        self.loaded: FacilitySettings | None = None  # what reload() read: settings not on this page are kept
        self.save = button("&Save settings", "settings_save", "Save settings")
        self.message = message_label("settings_message")
        self.message.setAccessibleName("Settings message")
        self._build_layout()
        self.save.clicked.connect(self.save_settings)

    def _build_layout(self) -> None:
        ticket = QGroupBox("Printed on tickets")
        grid = QGridLayout(ticket)
        add_row(grid, 0, "Facility &name", self.name)
        add_row(grid, 1, "&Address", self.address)
        add_row(grid, 2, "&Identifiers", self.identifiers)
        rules = QGroupBox("Billing rules")
        rules_layout = QVBoxLayout(rules)
        rules_grid = QGridLayout()
        add_row(rules_grid, 0, "340B facility &type", self.facility_type)
        add_row(rules_grid, 1, "Default 340B &source", self.stock_340b)
        rules_layout.addLayout(rules_grid)
        rules_layout.addWidget(hint("Payer policies differ by state and contract: override the shipped policy "
                                    "for a payer class where yours differs."))
        rules_layout.addWidget(self.payers)
        rules_layout.addWidget(hint("Prices are printed on tickets as units \u00d7 price; leave empty for none."))
        rules_layout.addWidget(self.prices)
        workstation = QGroupBox("Workstations and printing")
        work_grid = QGridLayout(workstation)
        add_row(work_grid, 0, "Auto-&lock after", self.auto_lock)
        add_row(work_grid, 1, "Lock out after", self.lockout_failures)
        add_row(work_grid, 2, "Lock-out &lasts", self.lockout_minutes)
        add_row(work_grid, 3, "&Paper size", self.paper)
        add_row(work_grid, 4, "Time &zone", self.time_zone)
        body = self._body = QWidget()
        column = QVBoxLayout(body)
        for box in (ticket, rules, workstation, self.interface):
            column.addWidget(box)
        scroll = QScrollArea()
        scroll.setObjectName("settings_scroll")
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.save, 0, Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Facility settings"))
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)

    def reload(self) -> None:
        self.loader.run(self.facade().admin.settings_to_edit, self._fill, lambda exc: self._show(failure_words(exc)))

    def _fill(self, loaded: SettingsToEdit) -> None:
        settings, rules = loaded.settings, loaded.rules
        self.stock_340b.setCurrentIndex(self.stock_340b.findData(settings.stock_340b.value))
        self.time_zone.setCurrentText(settings.time_zone)
        self.name.setText(settings.facility_name)
        self.address.setPlainText(settings.address)
        self.facility_type.setCurrentIndex(self.facility_type.findData(settings.facility_type.value))
        labels = ["NPI", "TIN", "CCN", ""]
        stored = list(settings.identifiers)
        for row in range(IDENTIFIER_ROWS):
            label, value = (stored[row].label, stored[row].value) if row < len(stored) else (labels[row], "")
            self.identifiers.setItem(row, 0, QTableWidgetItem(label))
            self.identifiers.setItem(row, 1, QTableWidgetItem(value))
        self._fill_payers(settings, rules)
        drugs = rules.catalog.drugs
        self.prices.setRowCount(len(drugs))
        for row, drug in enumerate(drugs):
            for column, text in enumerate((drug.hcpcs, f"{drug.brand} ({drug.generic}), {drug.mg_per_unit} mg/unit")):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.prices.setItem(row, column, item)
            price = settings.price_for(drug.hcpcs)
            self.prices.setItem(row, 2, QTableWidgetItem("" if price is None else str(price)))
        self.auto_lock.setValue(settings.auto_lock_minutes)
        self.paper.setCurrentIndex(self.paper.findData(settings.paper_size.value))
        self.lockout_failures.setValue(settings.lockout_failures)
        self.lockout_minutes.setValue(settings.lockout_minutes)
        self.interface.fill(settings, drugs)
        self.loaded, self.rules = settings, rules
        self._body.setMinimumHeight(self._body.sizeHint().height())  # scroll, never squeeze the tables
        self._show("")

    def _fill_payers(self, settings: FacilitySettings, rules: RuleSet) -> None:
        self._payer_choices = []
        for row, payer in enumerate(PayerClass):
            shipped = rules.payer_policies[payer]
            override = settings.override_for(payer)
            self.payers.setItem(row, 0, QTableWidgetItem(shipped.label))
            waste = named(QComboBox(), f"settings_waste_{payer.value}", f"JW/JZ policy for {shipped.label}")
            waste.addItem(SHIPPED, None)
            for key, label in WASTE_LABELS.items():
                waste.addItem(label, key)
            waste.setCurrentIndex(waste.findData(override.waste_modifiers) if override else 0)
            uses = named(QComboBox(), f"settings_340b_{payer.value}", f"340B modifier for {shipped.label}")
            uses.addItem(SHIPPED, None)
            uses.addItem("Yes, add JG/TB", True)
            uses.addItem("No 340B modifier", False)
            uses.setCurrentIndex(uses.findData(override.uses_340b_modifier) if override else 0)
            self.payers.setCellWidget(row, 1, waste)
            self.payers.setCellWidget(row, 2, uses)
            self._payer_choices.append((waste, uses))

    def _show(self, text: str, ok: bool = False) -> None:
        say(self.message, text, ok)

    def read_settings(self) -> FacilitySettings:
        """The settings as entered; raises ValueError naming a price that is not a number."""
        from desktop.facade.admin_types import (
            FacilityIdentifier,
            FacilitySettings,
            PaperSize,
            PayerPolicyOverride,
            Stock340b,
            UnitPrice,
        )

        if self.rules is None:
            raise ValueError("The settings are still loading: save again in a moment.")

        def cell(table: QTableWidget, row: int, column: int) -> str:
            item = table.item(row, column)
            return item.text().strip() if item is not None else ""

        identifiers = tuple(FacilityIdentifier(cell(self.identifiers, r, 0), cell(self.identifiers, r, 1))
                            for r in range(IDENTIFIER_ROWS) if cell(self.identifiers, r, 1))
        shipped = self.rules.payer_policies
        overrides = []
        for payer, (waste_choice, uses_choice) in zip(PayerClass, self._payer_choices, strict=True):
            waste, uses = waste_choice.currentData(), uses_choice.currentData()
            if waste is not None or uses is not None:
                overrides.append(PayerPolicyOverride(
                    payer, waste if waste is not None else shipped[payer].waste_modifiers,
                    uses if uses is not None else shipped[payer].uses_340b_modifier))
        prices = []
        for row in range(self.prices.rowCount()):
            text = cell(self.prices, row, 2).lstrip("$")
            if text:
                try:
                    prices.append(UnitPrice(cell(self.prices, row, 0), Decimal(text)))
                except InvalidOperation:
                    raise ValueError(f"The price for {cell(self.prices, row, 0)} ({text!r}) is not a number.") from None
        return self.interface.apply(replace(
            self.loaded or FacilitySettings(), facility_name=self.name.text(), identifiers=identifiers,
            address=self.address.toPlainText(),
            facility_type=FacilityType(self.facility_type.currentData()), payer_overrides=tuple(overrides),
            unit_prices=tuple(prices), auto_lock_minutes=self.auto_lock.value(),
            paper_size=PaperSize(self.paper.currentData()), lockout_failures=self.lockout_failures.value(),
            lockout_minutes=self.lockout_minutes.value(), time_zone=self.time_zone.currentText().strip(),
            stock_340b=Stock340b(self.stock_340b.currentData()),
        ))

    def save_settings(self) -> None:
        try:
            settings = self.read_settings()
        except ValueError as exc:
            self._show(str(exc))
            return
        admin = self.facade().admin
        self.save.setEnabled(False)
        self.operation = CollectionOp(self, lambda: admin.save_settings(settings), label="Saving the settings",
                                      hub=self.hub, changes=audited("settings")) \
            .success(self._saved).failure(self._failed).run_in_background()

    def _saved(self, saved: FacilitySettings) -> None:
        self.save.setEnabled(True)
        self.loaded = saved
        self._show("Settings saved.", ok=True)
        self.saved.emit(saved)

    def _failed(self, error: Exception) -> None:
        self.save.setEnabled(True)
        self._show(failure_words(error))
