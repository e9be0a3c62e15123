"""First run on an empty database: create the first administrator, then the facility settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from desktop.billing.model import FacilityType
from desktop.facade.workstation import Workstation, check_disk_encryption, encryption_warning
from desktop.ui.operations import CollectionOp, OpChanges, failure_words
from desktop.ui.widgets import add_row, hint, message_label, named

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel

    from desktop.facade.people_types import DiskEncryption, SignedIn

FACILITY_TYPE_LABELS = {
    FacilityType.DSH: "Disproportionate share hospital (DSH)",
    FacilityType.RURAL_SCH: "Rural sole community hospital",
    FacilityType.CHILDRENS: "Children's hospital",
    FacilityType.CANCER: "Free-standing cancer hospital",
    FacilityType.CAH: "Critical access hospital (CAH)",
    FacilityType.GRANTEE: "340B grantee (e.g. health center)",
    FacilityType.OTHER: "Other / not a 340B hospital",
}


def facility_type_combo(object_name: str) -> QComboBox:
    combo = named(QComboBox(), object_name, "340B facility type")
    for kind, label in FACILITY_TYPE_LABELS.items():
        combo.addItem(label, kind.value)  # Qt keeps plain text, not the enum
    return combo


class AdministratorPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Step 1 of 2: the first administrator")
        self.setSubTitle("Nothing can be recorded until an administrator account exists. This person will "
                         "create the other users and maintain the settings and catalog.")
        self.username = named(QLineEdit(), "first_run_username", "Administrator user name")
        self.display_name = named(QLineEdit(), "first_run_display_name", "Administrator full name")
        self.password = named(QLineEdit(), "first_run_password", "Password")
        self.repeat = named(QLineEdit(), "first_run_repeat", "Repeat the password")
        for field in (self.password, self.repeat):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = message_label("first_run_admin_message")
        self.disk_warning = message_label("first_run_disk_warning")  # shown when the OS says the disk is clear text
        self.disk_warning.setAccessibleName("Disk encryption warning")
        grid = QGridLayout(self)
        add_row(grid, 0, "&User name", self.username)
        add_row(grid, 1, "&Full name", self.display_name)
        add_row(grid, 2, "&Password (8 or more characters)", self.password)
        add_row(grid, 3, "&Repeat password", self.repeat, self.message)
        grid.addWidget(self.disk_warning, grid.rowCount(), 0, 1, grid.columnCount())

    def validatePage(self) -> bool:
        wizard = self.wizard()
        assert isinstance(wizard, FirstRunWizard)
        return wizard.create_administrator()


class FacilityPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Step 2 of 2: the facility")
        self.setSubTitle("Printed on every charge ticket. Payer policies and prices can be set later under "
                         "Settings.")
        self.name = named(QLineEdit(), "first_run_facility_name", "Facility name")
        self.npi = named(QLineEdit(), "first_run_npi", "NPI")
        self.tin = named(QLineEdit(), "first_run_tin", "Tax identification number")
        self.address = named(QPlainTextEdit(), "first_run_address", "Facility address")
        # Three lines at the theme's font. The theme's min-height for text boxes wins over setFixedHeight (it
        # showed one line); a style sheet on the widget itself wins over the theme.
        self.address.setTabChangesFocus(True)
        self.address.setStyleSheet("QPlainTextEdit { min-height: 5.2em; max-height: 6.5em; }")
        self.facility_type = facility_type_combo("first_run_facility_type")
        self.auto_lock = named(QSpinBox(), "first_run_auto_lock", "Auto-lock after minutes without input")
        self.auto_lock.setRange(1, 240)
        self.auto_lock.setValue(5)
        self.auto_lock.setSuffix(" minutes")
        self.message = message_label("first_run_facility_message")
        box = QWidget()
        grid = QGridLayout(box)
        add_row(grid, 0, "Facility &name", self.name)
        add_row(grid, 1, "NP&I", self.npi)
        add_row(grid, 2, "&TIN", self.tin)
        add_row(grid, 3, "&Address", self.address)
        add_row(grid, 4, "340B facility &type", self.facility_type)
        add_row(grid, 5, "Auto-&lock", self.auto_lock, self.message)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addWidget(hint("Shared chair workstations lock after this many minutes without input."))

    def validatePage(self) -> bool:
        wizard = self.wizard()
        assert isinstance(wizard, FirstRunWizard)
        return wizard.save_facility()


class FirstRunWizard(QWizard):
    """Runs only while no account exists; on Accepted, `signed` is the administrator, signed in.

    Each step's writes run off the GUI thread: Next (Finish) starts them and stays on the page; their success
    moves on (`working` is True meanwhile)."""

    def __init__(self, workstation: Workstation | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workstation = workstation
        self.signed: SignedIn | None = None
        self.facility_saved = False
        self.operation: CollectionOp[Any] | None = None
        self.setObjectName("first_run_wizard")
        self.setAccessibleName("First run")
        self.setWindowTitle("Welcome \u2014 set up Infusion Charge Capture")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.admin_page = AdministratorPage()
        self.facility_page = FacilityPage()
        self.addPage(self.admin_page)
        self.addPage(self.facility_page)
        for which, name in ((QWizard.WizardButton.NextButton, "first_run_next"),
                            (QWizard.WizardButton.FinishButton, "first_run_finish"),
                            (QWizard.WizardButton.CancelButton, "first_run_cancel"),
                            (QWizard.WizardButton.BackButton, "first_run_back")):
            widget = self.button(which)
            widget.setObjectName(name)
            widget.setAccessibleName(widget.text().replace("&", "").strip("<> "))
        self.resize(820, 560)
        self.show_disk_warning()

    @property
    def working(self) -> bool:
        return self.operation is not None and self.operation.running

    def show_disk_warning(self, found: DiskEncryption | None = None) -> None:
        """Warn the administrator once, at first run, if Windows reports BitLocker off on the data drive or macOS
        FileVault off (nothing on Linux, where a standard account cannot ask)."""
        warning = encryption_warning(found if found is not None else check_disk_encryption())
        self.admin_page.disk_warning.setText(warning or "")
        self.admin_page.disk_warning.setVisible(bool(warning))

    def create_administrator(self) -> bool:
        page = self.admin_page
        if self.signed is not None:
            return True  # created (or came back from step 2): the account exists
        if self.working:
            return False
        if page.password.text() != page.repeat.text():
            return self._problem(page.message, "The two passwords are not the same.")
        workstation = self.workstation
        if workstation is None:  # the start-up shows this page while the database opens (issue 16)
            return self._problem(page.message, "The database is still opening: press Next again in a moment.")
        username, password, name = page.username.text(), page.password.text(), page.display_name.text()
        self._problem(page.message, "")
        self._run(lambda: workstation.create_first_administrator(username, password, name), "users",
                  "Creating the administrator", self._administrator_created, page.message)
        return False

    def _administrator_created(self, signed: SignedIn) -> None:
        self.signed = signed
        self.admin_page.password.clear()
        self.admin_page.repeat.clear()
        self.next()  # validates again: the account exists now

    def save_facility(self) -> bool:
        page = self.facility_page
        if self.facility_saved:
            return True
        if self.working:
            return False
        if not page.name.text().strip():
            return self._problem(page.message, "Enter the facility's name: it is printed on every ticket.")
        workstation, signed = self.workstation, self.signed
        assert workstation is not None and signed is not None  # step 1 made the administrator
        identifiers = tuple((label, field.text().strip())
                            for label, field in (("NPI", page.npi), ("TIN", page.tin)) if field.text().strip())
        name, address = page.name.text(), page.address.toPlainText()
        kind, minutes = FacilityType(page.facility_type.currentData()), page.auto_lock.value()
        self._problem(page.message, "")
        self._run(lambda: workstation.save_facility(name, identifiers, address, kind, minutes,
                                                    signed.account.username),
                  "settings", "Saving the facility", self._facility_done, page.message)
        return False

    def _facility_done(self, _none: object) -> None:
        self.facility_saved = True
        self.accept()

    def _run(self, call: Callable[[], Any], kind: str, label: str, done: Callable[[Any], None],
             message: QLabel) -> None:
        self.operation = CollectionOp(self, call, label=label, changes=OpChanges.of(kind))
        self.operation.success(done).failure(lambda error: self._say(message, failure_words(error))) \
            .run_in_background()

    def _say(self, label: QLabel, text: str) -> None:
        self._problem(label, text)

    @staticmethod
    def _problem(label: QLabel, text: str) -> bool:
        label.setText(f"\u26a0 {text}" if text else "")
        label.setVisible(bool(text))
        return not text
