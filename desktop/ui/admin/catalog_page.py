"""Catalog maintenance: the packages in use, a form to add or change one, and CSV import with a preview."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
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

from desktop.billing.catalog import Catalog, Package
from desktop.billing.model import DoseType
from desktop.billing.tables import NDC_UNITS
from desktop.facade import AppFacade
from desktop.ui.admin.admin_ops import audited, say
from desktop.ui.admin.catalog_import import CatalogImportDialog
from desktop.ui.operations import CollectionOp, OpChanges, OperationHub, failure_words
from desktop.ui.widgets import add_row, button, heading, hint, message_label, named
from desktop.ui.worker import BackgroundQuery

if TYPE_CHECKING:
    from desktop.facade.admin_types import CatalogUpdatePreview, CatalogVersionView

T = TypeVar("T")
HEADERS = ["HCPCS", "NDC", "Description", "Label mg", "Volume mL", "Dose type", "NDC unit", "Verified"]


class CatalogPage(QWidget):
    """The catalog in use and its changes; every read and write runs off the GUI thread, and the page reloads
    when the broadcast says the catalog changed (here, in the import dialog, or on another page)."""

    def __init__(self, facade: Callable[[], AppFacade], hub: OperationHub, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.facade = facade
        self.hub = hub
        self.catalog: Catalog | None = None
        self.import_dialog: CatalogImportDialog | None = None  # the last preview shown
        self.operation: CollectionOp[Any] | None = None
        self.loader = BackgroundQuery(self)
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
        hub.changed.connect(self._changed)

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
                              "CSV format: see the Import dialog or desktop/services/catalog_csv.py."))
        layout.addWidget(self.message)
        layout.addLayout(body, 1)

    def _changed(self, changes: OpChanges) -> None:
        if changes.touches("catalog"):
            self.reload()

    def reload(self) -> None:
        self.loader.run(self.facade().admin.catalog, self._show_catalog, lambda exc: self._show(failure_words(exc)))

    def _show_catalog(self, catalog: Catalog) -> None:
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
        ndc = self.table.item(rows[0].row(), 1) if rows else None
        package = self.catalog.package(ndc.text()) if ndc is not None and self.catalog is not None else None
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
        say(self.message, text, ok)

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
            verified=self.verified.isChecked(), source=self.source.text().strip() or f"entered by {self.facade().user}",
        )

    def _run(self, call: Callable[[], T], label: str, changes: OpChanges, done: Callable[[T], None]) -> None:
        """One catalog operation at a time, off the GUI thread; its words come back on the message line."""
        if self.operation is not None and self.operation.running:
            return

        def failed(error: Exception) -> None:
            self._busy(False)
            self._show(failure_words(error))

        def succeeded(value: T) -> None:
            self._busy(False)
            done(value)

        self._busy(True)
        self.operation = CollectionOp(self, call, label=label, hub=self.hub, changes=changes) \
            .success(succeeded).failure(failed).run_in_background()

    def _busy(self, busy: bool) -> None:
        for widget in (self.add, self.change, self.import_csv, self.export_csv):
            widget.setEnabled(not busy)

    def save_package(self, adding: bool) -> None:
        try:
            package = self.read_package()
        except ValueError as exc:
            self._show(str(exc))
            return
        admin = self.facade().admin

        def saved(version: CatalogVersionView) -> None:
            self._show(f"Saved as catalog version {version.version}.", ok=True)

        self._run(lambda: admin.save_package(package, adding=adding), "Saving a catalog package",
                  audited("catalog"), saved)

    def preview_csv(self, text: str) -> None:
        """Read a catalog update CSV off the GUI thread, then show what it would do (`import_dialog`); the
        person applies it there."""
        admin = self.facade().admin
        self._run(lambda: admin.preview_catalog_csv(text), "Reading the catalog update", OpChanges(),
                  self._show_preview)

    def _show_preview(self, preview: CatalogUpdatePreview) -> None:
        dialog = self.import_dialog = CatalogImportDialog(self.facade, self.hub, preview, self)
        dialog.accepted.connect(lambda: self._updated(dialog))
        dialog.open()

    def _updated(self, dialog: CatalogImportDialog) -> None:
        if dialog.applied is not None:
            self._show(f"Catalog updated to version {dialog.applied.version}.", ok=True)

    def _ask_import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Catalog update CSV", "", "CSV files (*.csv)")
        if not name:
            return
        try:
            text = Path(name).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            self._show(f"Cannot read {name}: {exc}")
            return
        self.preview_csv(text)

    def _ask_export(self) -> None:
        catalog = self.catalog
        if catalog is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, "Export catalog", "catalog.csv", "CSV files (*.csv)")
        if name:
            self.export_to(Path(name))

    def export_to(self, path: Path) -> None:
        """Write the catalog shown to `path` as CSV, off the GUI thread."""
        admin, catalog = self.facade().admin, self.catalog
        if catalog is None:
            return
        self._run(lambda: admin.export_catalog_csv(catalog, path), "Exporting the catalog", OpChanges(),
                  lambda _path: self._show(f"Catalog exported to {path}.", ok=True))
