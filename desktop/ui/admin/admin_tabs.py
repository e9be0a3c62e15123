"""The Administration area: settings, catalog, users and audit trail as tabs, each loaded when shown."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget

from desktop.ui.admin.audit_page import AuditPage
from desktop.ui.admin.catalog_page import CatalogPage
from desktop.ui.admin.reference_page import ReferencePage
from desktop.ui.admin.settings_page import SettingsPage
from desktop.ui.admin.users_page import UsersPage


class AdminTabs(QTabWidget):
    def __init__(self, store: object, user: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("admin_tabs")
        self.setAccessibleName("Administration")
        self.tab_pages: list[QWidget] = [
            SettingsPage(store, user), CatalogPage(store, user), ReferencePage(store, user), UsersPage(store, user),
            AuditPage(store, user),
        ]
        titles = ("Settings", "Drug catalog", "CMS data", "Users", "Audit trail")
        for page, title in zip(self.tab_pages, titles, strict=True):
            self.addTab(page, title)
        self.currentChanged.connect(lambda _index: self.reload())

    def set_user(self, user: str) -> None:
        for page in self.tab_pages:
            page.user = user  # type: ignore[attr-defined]

    def reload(self) -> None:
        self.currentWidget().reload()  # type: ignore[union-attr]
