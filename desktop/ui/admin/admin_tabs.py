"""The Administration area: settings, catalog, CMS data, users and audit trail as tabs, each loaded when shown."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QTabWidget, QWidget

from desktop.facade import AppFacade
from desktop.ui.admin.audit_page import AuditPage
from desktop.ui.admin.catalog_page import CatalogPage
from desktop.ui.admin.reference_page import ReferencePage
from desktop.ui.admin.settings_page import SettingsPage
from desktop.ui.admin.users_page import UsersPage
from desktop.ui.operations import OperationHub


class AdminTabs(QTabWidget):
    """Each tab asks the window for the current facade when it works: a hand-over at the lock screen needs
    nothing from here."""

    def __init__(self, facade: Callable[[], AppFacade], hub: OperationHub, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("admin_tabs")
        self.setAccessibleName("Administration")
        self.settings_page = SettingsPage(facade, hub)
        self.catalog_page = CatalogPage(facade, hub)
        self.reference_page = ReferencePage(facade, hub)
        self.users_page = UsersPage(facade, hub)
        self.audit_page = AuditPage(facade, hub)
        self.tab_pages: list[QWidget] = [self.settings_page, self.catalog_page, self.reference_page,
                                         self.users_page, self.audit_page]
        self._reloads: list[Callable[[], None]] = [self.settings_page.reload, self.catalog_page.reload,
                                                   self.reference_page.reload, self.users_page.reload,
                                                   self.audit_page.reload]
        titles = ("Settings", "Drug catalog", "CMS data", "Users", "Audit trail")
        for page, title in zip(self.tab_pages, titles, strict=True):
            self.addTab(page, title)
        self.currentChanged.connect(lambda _index: self.reload())

    def reload(self) -> None:
        self._reloads[self.currentIndex()]()
