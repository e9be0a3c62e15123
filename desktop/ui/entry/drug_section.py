"""Drug section: scan the vials (the drug follows from the first), or find the drug by brand, generic, HCPCS or
NDC and add vials by size and count."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from desktop.billing.catalog import Drug, Package
from desktop.ui.entry.vials_table import VialsTable
from desktop.ui.scan_capture import ScanCapture
from desktop.ui.widgets import FieldMessages, boxed, button, caption, message_label, named


def drug_text(drug: Drug) -> str:
    return f"{drug.hcpcs}  {drug.brand} ({drug.generic}), {drug.mg_per_unit.normalize():f} mg/unit"


def package_text(package: Package) -> str:
    """The NDC first (what the nurse compares with the vial), then the size."""
    return f"{package.ndc}  {package.label_mg.normalize():f} mg {package.description}"


class DrugSection(QGroupBox):
    search_changed = Signal(str)
    drug_picked = Signal(object)
    add_requested = Signal()
    changed = Signal()

    def __init__(self) -> None:
        super().__init__("3  Drug and vials")
        self.drug: Drug | None = None
        self.scan = named(QLineEdit(), "scan_field", "Scan vial barcode",
                          "Put the cursor here (F2) and scan the vial's 2D barcode")
        self.scan.setPlaceholderText("scan the vial's 2D barcode (F2)")
        self.scan_capture = ScanCapture(self.scan)
        self.scan_message = message_label("scan_message")
        self.scan_messages = FieldMessages(self.scan, self.scan_message)
        self.search = named(QLineEdit(), "drug_search", "Find drug by brand, generic name, HCPCS or NDC")
        self.search.setPlaceholderText("brand, generic, HCPCS or NDC (Ctrl+D)")
        self.results = named(QListWidget(), "drug_results", "Matching drugs")
        self.results.setMaximumHeight(170)
        self.results.setVisible(False)
        self.chosen = QLabel("No drug chosen yet.")
        self.chosen.setObjectName("drug_chosen")
        self.chosen.setWordWrap(True)

        self.package = named(QComboBox(), "package_choice", "Vial size")
        self.package.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.package.setMinimumContentsLength(6)
        self.package.view().setMinimumWidth(460)  # the open list shows NDC and size in full
        self.count = named(QLineEdit("1"), "package_count", "Number of vials of this size")
        self.count.setMaximumWidth(60)
        self.count_message = message_label("package_count_message")
        self.count_messages = FieldMessages(self.count, self.count_message)
        self.add_button = button("&Add", "add_vials_button", "Add vials of this size")
        self.vials = VialsTable()
        self.stock_hint = self.vials.empty  # says the site's default 340B answer for new vials before any is added

        grid = QGridLayout(self)
        grid.setContentsMargins(4, 6, 4, 4)
        grid.setVerticalSpacing(4)
        grid.addWidget(caption("Scan", self.scan), 0, 0)
        grid.addWidget(self.scan, 0, 1)
        grid.addWidget(self.scan_message, 1, 1)
        grid.addWidget(caption("Drug", self.search), 2, 0)
        grid.addWidget(self.search, 2, 1)
        grid.addWidget(self.results, 3, 1)
        grid.addWidget(self.chosen, 4, 1)
        grid.addWidget(caption("Size", self.package), 5, 0)
        grid.addWidget(boxed(self.package, QLabel("\u00d7"), self.count, self.add_button), 5, 1)
        grid.addWidget(self.count_message, 6, 1)
        grid.addWidget(self.vials, 7, 0, 1, 2)
        grid.setColumnStretch(1, 1)

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
        self.chosen.setText(f"{drug.hcpcs}  {drug.brand} ({drug.generic})" if drug else "No drug chosen yet.")
        self.chosen.setToolTip(drug_text(drug) if drug else "")
        self.package.clear()
        for package in packages:
            self.package.addItem(package_text(package), package.ndc)
            self.package.setItemData(self.package.count() - 1, package_text(package), Qt.ItemDataRole.ToolTipRole)

    def focus_chain(self) -> list[QWidget]:
        return [self.scan, self.search, self.results, self.package, self.count, self.add_button]

    def clear(self) -> None:
        self.search.clear()
        self.results.clear()
        self.show_drug(None, ())
        self.count.setText("1")
        self.scan_capture.clear()
        self.scan_messages.show("")
        self.count_messages.show("")
        self.vials.clear()
