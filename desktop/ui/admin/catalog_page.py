"""Catalog maintenance: the packages in use, a form to add or change one, and CSV import with a preview."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.billing.catalog import Package
from desktop.billing.model import DoseType
from desktop.billing.tables import NDC_UNITS
from desktop.ui.admin.catalog_import import CatalogImportDialog
from desktop.ui.widgets import add_row, button, heading, hint, message_label, named

HEADERS = ["HCPCS", "NDC", "Description", "Label mg", "Volume mL", "Dose type", "NDC unit", "Verified"]


class CatalogPage(QWidget):
    def __init__(self, store: object, user: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.user = user
        self.setObjectName("catalog_page")
        self.setAccessibleName("Drug catalog")
        self.version = QLabel("")
        self.version.setObjectName("catalog_version")
        self.table = named(QTableWidget(0, len(HEADERS)), "catalog_packages", "Catalog packages")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.hcpcs = named(QComboBox(), "catalog_hcpcs", "HCPCS code of the package")
        self.ndc = named(QLineEdit(), "catalog_ndc", "NDC as on the label, with hyphens")
        self.description = named(QLineEdit(), "catalog_description", "Package description")
        self.label_mg = named(QLineEdit(), "catalog_label_mg", "Label mg (unit size)")
        self.volume = named(QLineEdit(), "catalog_volume", "Volume mL (empty if none)")
        self.dose_type = named(QComboBox(), "catalog_dose_type", "Dose type")
        self.dose_type.addItem("Single-dose", DoseType.SINGLE.value)
        self.dose_type.addItem("Multiple-dose", DoseType.MULTIPLE.value)
        self.ndc_unit = named(QComboBox(), "catalog_ndc_unit", "NDC unit of measure")
        self.ndc_unit.addItems(list(NDC_UNITS))
        self.verified = named(QCheckBox("Checked against the package label"), "catalog_verified",
                              "Checked against the package label")
        self.source = named(QLineEdit(), "catalog_source", "Source of the entry")
        self.add = button("&Add package", "catalog_add", "Add package")
        self.change = button("C&hange package", "catalog_change", "Change the package with this NDC")
        self.import_csv = button("&Import CSV update\u2026", "catalog_import", "Import a catalog update CSV")
        self.export_csv = button("E&xport CSV\u2026", "catalog_export", "Export the catalog as CSV")
        self.message = message_label("catalog_message")
        self.message.setAccessibleName("Catalog message")
        self._build_layout()
        self.table.itemSelectionChanged.connect(self._load_selected)
        self.add.clicked.connect(lambda: self.save_package(adding=True))
        self.change.clicked.connect(lambda: self.save_package(adding=False))
        self.import_csv.clicked.connect(self._ask_import)
        self.export_csv.clicked.connect(self._ask_export)

    def _build_layout(self) -> None:
        form = QGroupBox("Add or change a package")
        grid = QGridLayout(form)
        add_row(grid, 0, "HC&PCS", self.hcpcs)
        add_row(grid, 1, "&NDC", self.ndc)
        add_row(grid, 2, "&Description", self.description)
        add_row(grid, 3, "&Label mg", self.label_mg)
        add_row(grid, 4, "&Volume mL", self.volume)
        add_row(grid, 5, "Dose &type", self.dose_type)
        add_row(grid, 6, "NDC &unit", self.ndc_unit)
        add_row(grid, 7, "&Source", self.source)
        grid.addWidget(self.verified, 16, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.add)
        actions.addWidget(self.change)
        grid.addLayout(actions, 17, 1)
        top = QHBoxLayout()
        top.addWidget(self.version, 1)
        top.addWidget(self.export_csv)
        top.addWidget(self.import_csv)
        body = QHBoxLayout()
        body.addWidget(self.table, 3)
        body.addWidget(form, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Drug catalog"))
        layout.addLayout(top)
        layout.addWidget(hint("Every change is stored as a new catalog version; recorded charges keep theirs. "
                              "CSV format: see the Import dialog or desktop/services/facility/catalog_csv.py."))
        layout.addWidget(self.message)
        layout.addLayout(body, 1)

    def reload(self) -> None:
        from desktop.services.facility.catalog import current_catalog

        catalog = current_catalog(self.store)  # type: ignore[arg-type]
        self.catalog = catalog
        self.version.setText(f"Catalog version in use: {catalog.version}")
        self.hcpcs.clear()
        for drug in catalog.drugs:
            self.hcpcs.addItem(f"{drug.hcpcs} \u2014 {drug.brand} ({drug.mg_per_unit} mg/unit)", drug.hcpcs)
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(catalog.packages))
        for row, p in enumerate(catalog.packages):
            values = (p.hcpcs, p.ndc, p.description, str(p.label_mg), "" if p.volume_ml is None else str(p.volume_ml),
                      p.dose_type.value, p.ndc_unit, "yes" if p.verified else "NO \u2013 check label")
            for column, text in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.setSortingEnabled(True)

    def _load_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        package = self.catalog.package(self.table.item(rows[0].row(), 1).text())
        if package is None:
            return
        self.hcpcs.setCurrentIndex(self.hcpcs.findData(package.hcpcs))
        self.ndc.setText(package.ndc)
        self.description.setText(package.description)
        self.label_mg.setText(str(package.label_mg))
        self.volume.setText("" if package.volume_ml is None else str(package.volume_ml))
        self.dose_type.setCurrentIndex(self.dose_type.findData(package.dose_type.value))
        self.ndc_unit.setCurrentText(package.ndc_unit)
        self.verified.setChecked(package.verified)
        self.source.setText(package.source)

    def _show(self, text: str, ok: bool = False) -> None:
        self.message.setText(("\u2714 " if ok else "\u26a0 ") + text if text else "")
        self.message.setProperty("role", "hint" if ok else "message")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setVisible(bool(text))

    def read_package(self) -> Package:
        def amount(field: QLineEdit, what: str) -> Decimal:
            try:
                return Decimal(field.text().strip())
            except InvalidOperation:
                raise ValueError(f"{what} {field.text().strip()!r} is not a number.") from None

        volume = self.volume.text().strip()
        return Package(
            ndc=self.ndc.text().strip(), hcpcs=str(self.hcpcs.currentData() or ""),
            label_mg=amount(self.label_mg, "Label mg"),
            volume_ml=amount(self.volume, "Volume mL") if volume else None,
            dose_type=DoseType(self.dose_type.currentData()),
            ndc_unit=self.ndc_unit.currentText(), description=self.description.text().strip() or "(no description)",
            verified=self.verified.isChecked(), source=self.source.text().strip() or f"entered by {self.user}",
        )

    def save_package(self, adding: bool) -> None:
        from desktop.services.errors import ServiceError
        from desktop.services.facility.catalog import save_catalog_entry

        try:
            version = save_catalog_entry(self.store, self.read_package(), self.user, adding=adding)  # type: ignore[arg-type]
        except (ServiceError, ValueError) as exc:
            self._show(str(exc))
            return
        self.reload()
        self._show(f"Saved as catalog version {version.version}.", ok=True)

    def preview_csv(self, text: str) -> CatalogImportDialog:
        """The preview dialog for a CSV update (not yet shown)."""
        from desktop.services.facility.catalog import preview_catalog_csv

        preview = preview_catalog_csv(self.store, text)  # type: ignore[arg-type]
        return CatalogImportDialog(self.store, self.user, preview, self)

    def _ask_import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Catalog update CSV", "", "CSV files (*.csv)")
        if not name:
            return
        try:
            text = Path(name).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            self._show(f"Cannot read {name}: {exc}")
            return
        dialog = self.preview_csv(text)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload()
            self._show(f"Catalog updated to version {dialog.applied.version}.", ok=True)  # type: ignore[union-attr]

    def _ask_export(self) -> None:
        from desktop.services.facility.catalog_csv import write_catalog_csv

        name, _ = QFileDialog.getSaveFileName(self, "Export catalog", "catalog.csv", "CSV files (*.csv)")
        if name:
            Path(name).write_text(write_catalog_csv(self.catalog.drugs, self.catalog.packages), encoding="utf-8")
            self._show(f"Catalog exported to {name}.", ok=True)

