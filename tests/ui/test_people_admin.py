"""Administrator pages with real widgets: settings, audit viewer, catalog import preview, users; screenshots."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.facade.workstation import Workstation
from desktop.services.demo import fill_demo
from desktop.ui.admin.audit_page import AuditPage
from desktop.ui.admin.catalog_page import CatalogPage
from desktop.ui.admin.settings_page import SettingsPage
from desktop.ui.admin.users_page import UsersPage
from desktop.ui.people.sign_in import SignInDialog
from desktop.ui.theme import apply_theme
from tests.services.test_settings_catalog import UPDATE
from tests.ui.admin_pages import doorway, loaded_settings, saved_words
from tests.ui.flows import type_into

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


def _show(qtbot: object, widget: object, width: int = 1500, height: int = 950) -> None:
    app = QApplication.instance()
    apply_theme(app)  # type: ignore[arg-type]
    qtbot.addWidget(widget)  # type: ignore[attr-defined]
    widget.resize(width, height)  # type: ignore[attr-defined]
    widget.show()  # type: ignore[attr-defined]
    qtbot.waitExposed(widget)  # type: ignore[attr-defined]


def _snap(widget: object, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    QApplication.processEvents()
    widget.grab().save(str(ARTIFACTS / name))  # type: ignore[attr-defined]


def test_settings_page_loads_saves_and_says_what_is_wrong(qtbot, store: object, tmp_path: Path) -> None:
    fill_demo(store, days=1, per_drug_per_day=1)  # type: ignore[arg-type]
    page = SettingsPage(*doorway(store, "admin", tmp_path))
    _show(qtbot, page, 1400, 1100)
    loaded_settings(qtbot, page)
    assert page.name.text() == "Riverside Infusion Center (demo)"
    assert page.identifiers.item(0, 1).text() == "1234567893"
    _snap(page, "people-settings.png")
    page.name.setText("Riverside Infusion Center")
    commercial = page.payers.cellWidget(3, 1)
    commercial.setCurrentIndex(commercial.findData("none"))
    page.auto_lock.setValue(3)
    page.prices.item(0, 2).setText("abc")
    assert "is not a number" in saved_words(qtbot, page) and page.message.isVisible()
    page.prices.item(0, 2).setText("12.50")
    assert "Settings saved" in saved_words(qtbot, page)
    from desktop.billing.model import PayerClass
    from desktop.services.facility.settings import get_facility_settings

    saved = get_facility_settings(store)  # type: ignore[arg-type]
    assert saved.facility_name == "Riverside Infusion Center" and saved.auto_lock_minutes == 3
    assert saved.override_for(PayerClass.COMMERCIAL).waste_modifiers == "none"  # type: ignore[union-attr]
    nurse_page = SettingsPage(*doorway(store, "nurse", tmp_path))
    qtbot.addWidget(nurse_page)
    loaded_settings(qtbot, nurse_page)
    assert "only administrator users may change the facility settings" in saved_words(qtbot, nurse_page)


def shown(qtbot: object, page: AuditPage, action: object) -> None:
    """Do `action` (Show) and wait for the events it reads off the GUI thread."""
    page.count.clear()
    action()  # type: ignore[operator]
    qtbot.waitUntil(lambda: page.count.text().endswith("shown"), timeout=10000)  # type: ignore[attr-defined]


def test_audit_viewer_filters_sorts_exports_and_checks_the_chain(qtbot, store: object, tmp_path: Path) -> None:
    fill_demo(store, days=2, per_drug_per_day=1)  # type: ignore[arg-type]
    page = AuditPage(*doorway(store, "admin", tmp_path))
    _show(qtbot, page)
    page.reload()
    qtbot.waitUntil(lambda: bool(page.chain.text()), timeout=20000)
    assert page.chain.text().startswith("\u2714 Chain verified")
    total = page.proxy.rowCount()
    assert total > 20
    assert page.proxy.index(0, 0).data() > page.proxy.index(total - 1, 0).data()  # newest first
    page.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert page.proxy.index(0, 0).data() == 1
    _snap(page, "people-audit.png")
    page.actor.setCurrentIndex(page.actor.findData("biller"))
    shown(qtbot, page, page.apply.click)
    assert 0 < page.proxy.rowCount() < total
    assert {page.proxy.index(r, 2).data() for r in range(page.proxy.rowCount())} == {"biller"}
    page.actor.setCurrentIndex(0)
    page.record.setText("1")
    shown(qtbot, page, page.apply.click)
    assert {page.proxy.index(r, 4).data() for r in range(page.proxy.rowCount())} == {"administration 1"}
    page.record.clear()
    page.kind.setCurrentIndex(page.kind.findData("create_account"))
    shown(qtbot, page, page.apply.click)
    assert page.proxy.rowCount() == 3
    out = tmp_path / "audit.csv"
    page.export_csv(out)
    qtbot.waitUntil(lambda: "exported" in page.count.text(), timeout=10000)
    assert page.count.text() == f"3 events exported to {out}"
    assert [r["action"] for r in csv.DictReader(out.open())] == ["create_account"] * 3
    refused = AuditPage(*doorway(store, "biller", tmp_path))
    qtbot.addWidget(refused)
    refused.reload()
    qtbot.waitUntil(lambda: bool(refused.message.text()), timeout=10000)
    assert "only administrator users may read the audit trail" in refused.message.text()


def loaded(qtbot: object, page: CatalogPage) -> None:
    page.reload()
    qtbot.waitUntil(lambda: page.catalog is not None, timeout=10000)  # type: ignore[attr-defined]


def previewed(qtbot: object, page: CatalogPage, text: str) -> object:
    """The import dialog of a CSV (read off the GUI thread)."""
    page.import_dialog = None
    page.preview_csv(text)
    qtbot.waitUntil(lambda: page.import_dialog is not None, timeout=10000)  # type: ignore[attr-defined]
    return page.import_dialog


def test_catalog_import_preview_then_apply(qtbot, store: object, tmp_path: Path) -> None:
    page = CatalogPage(*doorway(store, "admin", tmp_path))
    _show(qtbot, page)
    loaded(qtbot, page)
    before = page.version.text()
    dialog = previewed(qtbot, page, UPDATE)
    _show(qtbot, dialog, 1000, 520)
    items = [dialog.changes.item(i).text() for i in range(dialog.changes.count())]
    assert items[0].startswith("+ ADD: drug J9999") and items[2].startswith("\u270e CHANGE: package 0003-3774-12")
    assert dialog.summary.text() == "2 to add, 1 to change, 1 unchanged." and dialog.apply.isEnabled()
    _snap(dialog, "people-catalog-import-preview.png")
    dialog.apply.click()
    qtbot.waitUntil(lambda: page.version.text() != before, timeout=10000)  # reloaded from the broadcast
    assert dialog.result() == dialog.DialogCode.Accepted
    assert page.version.text() != before and ".local1-" in page.version.text()
    assert page.message.text().startswith("\u2714 Catalog updated to version")
    bad = previewed(qtbot, page, UPDATE.replace("12345-678-90", "12345-67890"))
    assert not bad.apply.isEnabled() and "PROBLEM" in bad.changes.item(0).text()


def test_catalog_form_refuses_a_duplicate_ndc_in_words(qtbot, store: object, tmp_path: Path) -> None:
    page = CatalogPage(*doorway(store, "admin", tmp_path))
    _show(qtbot, page)
    loaded(qtbot, page)

    def added() -> str:
        page.message.clear()
        page.add.click()
        qtbot.waitUntil(lambda: bool(page.message.text()), timeout=10000)
        return page.message.text()

    page.table.selectRow(0)
    assert "already in the catalog" in added()
    page.ndc.setText("0078-0669-99")
    page.label_mg.setText("0")
    assert "more than zero" in added()
    page.label_mg.setText("50")
    assert "Saved as catalog version" in added()


def test_users_page_creates_and_disables(qtbot, store: object, tmp_path: Path) -> None:
    fill_demo(store, days=1, per_drug_per_day=1)  # type: ignore[arg-type]
    page = UsersPage(*doorway(store, "admin", tmp_path))
    _show(qtbot, page, 1200, 800)
    page.reload()
    qtbot.waitUntil(lambda: page.table.rowCount() == 3, timeout=10000)
    type_into(page.username, "newnurse")
    type_into(page.password, "a long password")
    page.add_user.click()
    qtbot.waitUntil(lambda: page.table.rowCount() == 4 and page.message.isVisible(), timeout=10000)
    assert "Created newnurse (Nurse)" in page.message.text() and page.table.rowCount() == 4
    page.toggle.click()
    qtbot.waitUntil(lambda: "done (toggle)" in page.message.text(), timeout=10000)
    row = next(r for r in range(page.table.rowCount()) if page.table.item(r, 0).text() == "newnurse")
    qtbot.waitUntil(lambda: page.table.item(row, 3).text() == "disabled", timeout=10000)  # from the broadcast


def test_sign_in_dialog_screenshot(qtbot, store: object) -> None:
    fill_demo(store, days=1, per_drug_per_day=1)  # type: ignore[arg-type]
    dialog = SignInDialog(Workstation(store), username="nurse")
    _show(qtbot, dialog, 620, 320)
    _snap(dialog, "people-sign-in.png")
    for widget in (dialog.form.username, dialog.form.password, dialog.form.submit):
        assert widget.objectName() and widget.accessibleName()
