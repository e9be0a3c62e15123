"""The catalog update preview: what a CSV (or one entry) would add and change, applied only on request."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from desktop.ui.widgets import button, heading, hint, message_label, named


class CatalogImportDialog(QDialog):
    """Shows a CatalogUpdatePreview; Apply stores it as a new catalog version (then Accepted)."""

    def __init__(self, store: object, user: str, preview: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.user = user
        self.preview = preview
        self.applied: object | None = None
        self.setObjectName("catalog_import_dialog")
        self.setAccessibleName("Catalog update preview")
        self.setWindowTitle("Catalog update \u2014 preview")
        self.summary = QLabel(preview.summary())  # type: ignore[attr-defined]
        self.summary.setObjectName("catalog_import_summary")
        self.summary.setWordWrap(True)
        self.changes = named(QListWidget(), "catalog_import_changes", "Changes the update would make")
        for problem in preview.problems:  # type: ignore[attr-defined]
            self.changes.addItem(QListWidgetItem(f"\u26a0 PROBLEM: {problem}"))
        for change in preview.changes:  # type: ignore[attr-defined]
            marker = "+ ADD" if change.before is None else "\u270e CHANGE"
            self.changes.addItem(QListWidgetItem(f"{marker}: {change.describe().split(' ', 1)[1]}"))
        self.message = message_label("catalog_import_message")
        self.apply = button("&Apply update", "catalog_import_apply", "Apply the catalog update")
        self.apply.setEnabled(preview.can_apply)  # type: ignore[attr-defined]
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
        from desktop.services.errors import ServiceError
        from desktop.services.facility.catalog import apply_catalog_update

        try:
            self.applied = apply_catalog_update(self.store, self.preview, self.user)  # type: ignore[arg-type]
        except ServiceError as exc:
            self.message.setText(f"\u26a0 {exc}")
            self.message.setVisible(True)
            return
        self.accept()
