"""The catalog update preview: what a CSV (or one entry) would add and change, applied only on request."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from desktop.facade import AppFacade
from desktop.ui.admin.admin_ops import audited, say
from desktop.ui.operations import CollectionOp, OperationHub, failure_words
from desktop.ui.widgets import button, heading, hint, message_label, named

if TYPE_CHECKING:
    from desktop.facade.admin_types import CatalogUpdatePreview, CatalogVersionView


class CatalogImportDialog(QDialog):
    """Shows a CatalogUpdatePreview; Apply stores it as a new catalog version off the GUI thread (then Accepted;
    the catalog page reloads from the broadcast)."""

    def __init__(self, facade: Callable[[], AppFacade], hub: OperationHub, preview: CatalogUpdatePreview,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.facade = facade
        self.hub = hub
        self.preview = preview
        self.applied: CatalogVersionView | None = None
        self.operation: CollectionOp[CatalogVersionView] | None = None
        self.setObjectName("catalog_import_dialog")
        self.setAccessibleName("Catalog update preview")
        self.setWindowTitle("Catalog update \u2014 preview")
        self.summary = QLabel(preview.summary())
        self.summary.setObjectName("catalog_import_summary")
        self.summary.setWordWrap(True)
        self.changes = named(QListWidget(), "catalog_import_changes", "Changes the update would make")
        for problem in preview.problems:
            self.changes.addItem(QListWidgetItem(f"\u26a0 PROBLEM: {problem}"))
        for change in preview.changes:
            marker = "+ ADD" if change.before is None else "\u270e CHANGE"
            self.changes.addItem(QListWidgetItem(f"{marker}: {change.describe().split(' ', 1)[1]}"))
        self.message = message_label("catalog_import_message")
        self.apply = button("&Apply update", "catalog_import_apply", "Apply the catalog update")
        self.apply.setEnabled(preview.can_apply)
        self.cancel = button("&Cancel", "catalog_import_cancel", "Cancel, change nothing")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.apply)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("What this update would do"))
        layout.addWidget(self.summary)
        layout.addWidget(self.changes, 1)
        layout.addWidget(hint("Nothing is changed until you apply. Applying stores a new catalog version; "
                              "charges already recorded keep the values they were computed with."))
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.apply.clicked.connect(self.apply_update)
        self.cancel.clicked.connect(self.reject)
        self.resize(900, 520)

    def apply_update(self) -> None:
        admin, preview = self.facade().admin, self.preview
        self.apply.setEnabled(False)
        self.operation = CollectionOp(self, lambda: admin.apply_catalog_update(preview), label="Updating the catalog",
                                      hub=self.hub, changes=audited("catalog")) \
            .success(self._applied).failure(self._failed).run_in_background()

    def _applied(self, version: CatalogVersionView) -> None:
        self.applied = version
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.apply.setEnabled(self.preview.can_apply)
        say(self.message, failure_words(error))
