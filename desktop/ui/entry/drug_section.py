"""Drug section: search by brand, generic, HCPCS or NDC; add vials by scanning or by size and count."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
)

from desktop.billing.catalog import Drug, Package
from desktop.ui.entry.vials_table import VialsTable
from desktop.ui.scan_capture import ScanCapture
from desktop.ui.widgets import FieldMessages, button, hint, message_label, named


def drug_text(drug: Drug) -> str:
    return f"{drug.hcpcs}   {drug.brand} ({drug.generic}), {drug.mg_per_unit.normalize():f} mg per unit"


class DrugSection(QGroupBox):
    search_changed = Signal(str)
    drug_picked = Signal(object)
    add_requested = Signal()
    changed = Signal()

    def __init__(self) -> None:
        super().__init__("3  Drug and vials")
        self.drug: Drug | None = None
        self.search = named(QLineEdit(), "drug_search", "Find drug by brand, generic name, HCPCS or NDC")
        self.search.setPlaceholderText("Brand, generic, HCPCS or NDC (Ctrl+D)")
        self.results = named(QListWidget(), "drug_results", "Matching drugs")
        self.results.setMaximumHeight(170)
        self.results.setVisible(False)
        self.chosen = QLabel("No drug chosen yet.")
        self.chosen.setObjectName("drug_chosen")
        self.chosen.setProperty("role", "heading")
        self.chosen.setWordWrap(True)

        self.scan = named(QLineEdit(), "scan_field", "Scan vial barcode",
                          "Put the cursor here (F2) and scan the vial's 2D barcode")
        self.scan.setPlaceholderText("Scan vial barcode here (F2)")
        self.scan_capture = ScanCapture(self.scan)
        self.scan_message = message_label("scan_message")
        self.scan_messages = FieldMessages(self.scan, self.scan_message)

        self.package = named(QComboBox(), "package_choice", "Vial size")
        self.count = named(QLineEdit("1"), "package_count", "Number of vials of this size")
        self.count.setMaximumWidth(90)
        self.count_message = message_label("package_count_message")
        self.count_messages = FieldMessages(self.count, self.count_message)
        self.default_340b = named(QCheckBox("340B stock"), "default_340b", "New vials are 340B stock")
        self.add_button = button("&Add vials", "add_vials_button", "Add vials of this size")
        self.vials = VialsTable()

        pick = QHBoxLayout()
        pick.addWidget(self.package, 1)
        pick.addWidget(QLabel("x"))
        pick.addWidget(self.count)
        pick.addWidget(self.default_340b)
        pick.addWidget(self.add_button)

        grid = QGridLayout(self)
        grid.addWidget(self.search, 0, 0)
        grid.addWidget(self.results, 1, 0)
        grid.addWidget(self.chosen, 2, 0)
        grid.addWidget(self.scan, 3, 0)
        grid.addWidget(self.scan_message, 4, 0)
        grid.addWidget(hint("or pick a vial size and count:"), 5, 0)
        grid.addLayout(pick, 6, 0)
        grid.addWidget(self.count_message, 7, 0)
        grid.addWidget(self.vials, 8, 0)

        self.search.textEdited.connect(self.search_changed)
        self.results.itemActivated.connect(self._pick)
        self.results.itemClicked.connect(self._pick)
        self.add_button.clicked.connect(lambda _on: self.add_requested.emit())
        self.count.returnPressed.connect(self.add_requested)
        self.vials.changed.connect(self.changed)

    def show_results(self, drugs: tuple[Drug, ...]) -> None:
        self.results.clear()
        for drug in drugs:
            item = QListWidgetItem(drug_text(drug))
            item.setData(Qt.ItemDataRole.UserRole, drug.hcpcs)
            self.results.addItem(item)
        self.results.setVisible(bool(drugs) and bool(self.search.text().strip()))

    def pick_first(self) -> bool:
        item = self.results.item(0)
        if item is None or not self.results.isVisible():
            return False
        self._pick(item)
        return True

    def _pick(self, item: QListWidgetItem) -> None:
        self.drug_picked.emit(item.data(Qt.ItemDataRole.UserRole))

    def show_drug(self, drug: Drug | None, packages: tuple[Package, ...]) -> None:
        self.drug = drug
        self.results.setVisible(False)
        self.chosen.setText(drug_text(drug) if drug else "No drug chosen yet.")
        self.package.clear()
        for package in packages:
            self.package.addItem(f"{package.description}  ({package.ndc})", package.ndc)

    def clear(self) -> None:
        self.search.clear()
        self.results.clear()
        self.show_drug(None, ())
        self.count.setText("1")
        self.default_340b.setChecked(False)
        self.scan_capture.clear()
        self.scan_messages.show("")
        self.count_messages.show("")
        self.vials.clear()
