"""Users and roles for administrators: create, change role, disable or enable, reset password, unlock."""

from __future__ import annotations

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

from desktop.services.people.roles import ROLE_LABELS, Role
from desktop.ui.widgets import add_row, button, heading, message_label, named

HEADERS = ["User name", "Name", "Role", "Status"]


class UsersPage(QWidget):
    def __init__(self, store: object, user: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.user = user
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
        self.create = button("&Create user", "users_create", "Create user")
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
        for widget in (self.create, self.set_role, self.toggle, self.reset, self.unlock):
            actions.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Users and roles"))
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(form)
        layout.addLayout(actions)
        self.table.itemSelectionChanged.connect(self._load_selected)
        self.create.clicked.connect(self._create)
        self.set_role.clicked.connect(lambda: self._run("change_role"))
        self.toggle.clicked.connect(lambda: self._run("toggle"))
        self.reset.clicked.connect(lambda: self._run("reset"))
        self.unlock.clicked.connect(lambda: self._run("unlock"))

    def reload(self) -> None:
        from desktop.services.people.accounts import list_users

        self.accounts = list_users(self.store)  # type: ignore[arg-type]
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
        self.message.setText(("\u2714 " if ok else "\u26a0 ") + text)
        self.message.setProperty("role", "hint" if ok else "message")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setVisible(True)

    def _create(self) -> None:
        from desktop.services.errors import ServiceError
        from desktop.services.people.accounts import create_user

        try:
            account = create_user(self.store, self.username.text(), self.password.text(),  # type: ignore[arg-type]
                                  Role(self.role.currentData()), self.user, self.display_name.text())
        except ServiceError as exc:
            self._show(str(exc))
            return
        self.password.clear()
        self.reload()
        self._show(f"Created {account.username} ({account.role_label}).", ok=True)

    def _run(self, what: str) -> None:
        from desktop.services.errors import ServiceError
        from desktop.services.people import accounts as users

        name = self.username.text().strip().lower()
        try:
            if what == "change_role":
                account = users.change_role(self.store, name, Role(self.role.currentData()), self.user)  # type: ignore[arg-type]
            elif what == "toggle":
                current = next((a for a in self.accounts if a.username == name), None)
                account = users.set_user_disabled(self.store, name, not (current and current.disabled),  # type: ignore[arg-type]
                                                  self.user)
            elif what == "reset":
                account = users.reset_password(self.store, name, self.password.text(), self.user)  # type: ignore[arg-type]
            else:
                account = users.unlock_user(self.store, name, self.user)  # type: ignore[arg-type]
        except ServiceError as exc:
            self._show(str(exc))
            return
        self.password.clear()
        self.reload()
        self._show(f"{account.username}: done ({what.replace('_', ' ')}).", ok=True)
