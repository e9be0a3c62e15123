"""The facility settings a billing system needs to post the exports: HL7 names, rendering provider, CDM numbers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from desktop.interop.claim_codes import ADMINISTRATION_CODES
from desktop.ui.widgets import add_row, hint, named

if TYPE_CHECKING:
    from desktop.billing.catalog import Drug
    from desktop.facade.admin_types import FacilitySettings

FIELDS = (  # setting, caption, accessible name, hint
    ("hl7_facility", "&HL7 facility code", "HL7 facility code", "MSH-4; blank: the facility NPI"),
    ("receiving_application", "&Receiving application", "Receiving application", "MSH-5, e.g. HB_BILLING"),
    ("receiving_facility", "Receiving facilit&y", "Receiving facility", "MSH-6"),
    ("mrn_authority", "MRN assigning a&uthority", "MRN assigning authority", "PID-3; blank: the HL7 facility code"),
    ("rendering_provider", "Rendering pro&vider", "Rendering provider", "the supervising physician, e.g. Maya Chen"),
    ("rendering_provider_npi", "Renderin&g provider NPI", "Rendering provider's NPI", "10 digits"),
)


class InterfaceSettings(QGroupBox):
    """Shown on the facility settings page; `fill` from stored settings, `apply` onto the settings to save."""

    def __init__(self) -> None:
        super().__init__("Billing system interface (exports)")
        self.setObjectName("settings_interface")
        self.edits: dict[str, QLineEdit] = {}
        grid = QGridLayout()
        for row, (key, caption, accessible, placeholder) in enumerate(FIELDS):
            edit = named(QLineEdit(), f"settings_{key}", accessible)
            edit.setPlaceholderText(placeholder)
            self.edits[key] = edit
            add_row(grid, row, caption, edit)
        self.codes = named(QTableWidget(0, 3), "settings_charge_codes", "Charge-master numbers")
        self.codes.setHorizontalHeaderLabels(["Code", "What", "Charge-master (CDM) number"])
        self.codes.verticalHeader().hide()
        self.codes.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.codes.setStyleSheet("QTableView { min-height: 300px; }")
        layout = QVBoxLayout(self)
        layout.addWidget(hint("What the billing system knows this facility by; the billing NPI and TIN are the "
                              "identifiers labelled NPI and TIN above. Field by field: resources/docs/"
                              "interfaces.md."))
        layout.addLayout(grid)
        layout.addWidget(hint("The billing system's charge-master number for each code (HL7 FT1-7); a code left "
                              "empty is sent as its HCPCS or CPT code."))
        layout.addWidget(self.codes)

    def fill(self, settings: FacilitySettings, drugs: Sequence[Drug]) -> None:
        for key, edit in self.edits.items():
            edit.setText(getattr(settings, key))
        rows = [(d.hcpcs, f"{d.brand} ({d.generic})") for d in drugs] + list(ADMINISTRATION_CODES)
        rows += [(c.hcpcs, "") for c in settings.charge_codes if c.hcpcs not in {code for code, _ in rows}]
        self.codes.setRowCount(len(rows))
        for row, (code, what) in enumerate(rows):
            for column, text in enumerate((code, what)):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.codes.setItem(row, column, item)
            self.codes.setItem(row, 2, QTableWidgetItem(settings.cdm_for(code) or ""))

    def apply(self, settings: FacilitySettings) -> FacilitySettings:
        """The settings with what is entered here."""
        from desktop.facade.admin_types import ChargeCode

        def cell(row: int, column: int) -> str:
            item = self.codes.item(row, column)
            return item.text().strip() if item is not None else ""

        codes = tuple(ChargeCode(cell(r, 0), cell(r, 2)) for r in range(self.codes.rowCount()) if cell(r, 2))
        text = {key: edit.text() for key, edit in self.edits.items()}
        return replace(settings, charge_codes=codes, hl7_facility=text["hl7_facility"],
                       receiving_application=text["receiving_application"],
                       receiving_facility=text["receiving_facility"], mrn_authority=text["mrn_authority"],
                       rendering_provider=text["rendering_provider"],
                       rendering_provider_npi=text["rendering_provider_npi"])
