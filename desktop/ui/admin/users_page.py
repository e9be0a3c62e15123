"""Users and roles for administrators: create, change role, disable or enable, reset password, unlock."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.facade import AppFacade
from desktop.ui.admin.admin_ops import audited, say
from desktop.ui.operations import CollectionOp, OpChanges, OperationHub, failure_words
from desktop.ui.widgets import add_row, button, heading, message_label, named
from desktop.ui.worker import BackgroundQuery

if TYPE_CHECKING:
    from desktop.facade.admin_types import AccountView

HEADERS = ["User name", "Name", "Role", "Status"]


class UsersPage(QWidget):
    def __init__(self, facade: Callable[[], AppFacade], hub: OperationHub, parent: QWidget | None = None) -> None:
        from desktop.facade.admin_types import ROLE_LABELS

        super().__init__(parent)
        self.facade = facade
        self.hub = hub
        self.accounts: list[AccountView] = []
        self.operation: CollectionOp[AccountView] | None = None
        self.loader = BackgroundQuery(self)
        self.setObjectName("users_page")
        self.setAccessibleName("Users and roles")
        self.table = named(QTableWidget(0, len(HEADERS)), "users_table", "Users")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.username = named(QLineEdit(), "users_username", "User name")
        self.display_name = named(QLineEdit(), "users_display_name", "Full name")
        self.role = named(QComboBox(), "users_role", "Role")
        for role, label in ROLE_LABELS.items():
            self.role.addItem(label, role.value)
        self.password = named(QLineEdit(), "users_password", "Password (new users and resets)")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_user = button("&Create user", "users_create", "Create user")
        self.set_role = button("Set &role", "users_set_role", "Set the role of the selected user")
        self.toggle = button("&Disable / enable", "users_toggle", "Disable or enable the selected user")
        self.reset = button("Reset &password", "users_reset", "Reset the selected user's password")
        self.unlock = button("&Unlock", "users_unlock", "Unlock the selected user")
        self.message = message_label("users_message")
        self.message.setAccessibleName("Users message")
        form = QGroupBox("User")
        grid = QGridLayout(form)
        add_row(grid, 0, "&User name", self.username)
        add_row(grid, 1, "&Full name", self.display_name)
        add_row(grid, 2, "R&ole", self.role)
        add_row(grid, 3, "Pass&word", self.password)
        actions = QHBoxLayout()
        for widget in (self.add_user, self.set_role, self.toggle, self.reset, self.unlock):
            actions.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Users and roles"))
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(form)
        layout.addLayout(actions)
        self.table.itemSelectionChanged.connect(self._load_selected)
        self.add_user.clicked.connect(self._create)
        self.set_role.clicked.connect(lambda: self._run("change_role"))
        self.toggle.clicked.connect(lambda: self._run("toggle"))
        self.reset.clicked.connect(lambda: self._run("reset"))
        self.unlock.clicked.connect(lambda: self._run("unlock"))
        hub.changed.connect(self._changed)

    def _changed(self, changes: OpChanges) -> None:
        if changes.touches("users"):  # an account made, changed or unlocked, here or on a people screen
            self.reload()

    def reload(self) -> None:
        admin = self.facade().admin
        self.loader.run(admin.users, self._show_accounts, lambda exc: self._show(failure_words(exc)))

    def _show_accounts(self, accounts: list[AccountView]) -> None:
        self.accounts = accounts
        self.table.setRowCount(len(self.accounts))
        for row, account in enumerate(self.accounts):
            status = "disabled" if account.disabled else "locked out" if account.is_locked() else "active"
            for column, text in enumerate((account.username, account.display_name, account.role_label, status)):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def _load_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            account = self.accounts[rows[0].row()]
            self.username.setText(account.username)
            self.display_name.setText(account.display_name)
            self.role.setCurrentIndex(self.role.findData(account.role.value))

    def _show(self, text: str, ok: bool = False) -> None:
        say(self.message, text, ok)

    def _busy(self, busy: bool) -> None:
        for widget in (self.add_user, self.set_role, self.toggle, self.reset, self.unlock):
            widget.setEnabled(not busy)

    def _start(self, call: Callable[[], AccountView], label: str, done: Callable[[AccountView], str]) -> None:
        """Run an account change off the GUI thread; the table reloads from the broadcast."""

        def succeeded(account: AccountView) -> None:
            self._busy(False)
            self.password.clear()
            self._show(done(account), ok=True)

        def failed(error: Exception) -> None:
            self._busy(False)
            self._show(failure_words(error))

        self._busy(True)
        self.operation = CollectionOp(self, call, label=label, hub=self.hub, changes=audited("users")) \
            .success(succeeded).failure(failed).run_in_background()

    def _create(self) -> None:
        from desktop.facade.admin_types import Role

        admin = self.facade().admin
        username, password, display = self.username.text(), self.password.text(), self.display_name.text()
        role = Role(self.role.currentData())
        self._start(lambda: admin.create_user(username, password, role, display), "Creating a user",
                    lambda account: f"Created {account.username} ({account.role_label}).")

    def _run(self, what: str) -> None:
        from desktop.facade.admin_types import Role

        admin = self.facade().admin
        name = self.username.text().strip().lower()
        call: Callable[[], AccountView]
        if what == "change_role":
            role = Role(self.role.currentData())
            call = lambda: admin.change_role(name, role)  # noqa: E731
        elif what == "toggle":
            current = next((a for a in self.accounts if a.username == name), None)
            disable = not (current and current.disabled)
            call = lambda: admin.set_disabled(name, disable)  # noqa: E731
        elif what == "reset":
            password = self.password.text()
            call = lambda: admin.reset_password(name, password)  # noqa: E731
        else:
            call = lambda: admin.unlock(name)  # noqa: E731
        self._start(call, "Changing a user", lambda account: f"{account.username}: done ({what.replace('_', ' ')}).")
