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


def test_settings_page_loads_saves_and_says_what_is_wrong(qtbot, store: object) -> None:
    fill_demo(store, days=1, per_drug_per_day=1)  # type: ignore[arg-type]
    page = SettingsPage(store, "admin")
    _show(qtbot, page, 1400, 1100)
    page.reload()
    assert page.name.text() == "Riverside Infusion Center (demo)"
    assert page.identifiers.item(0, 1).text() == "1234567893"
    _snap(page, "people-settings.png")
    page.name.setText("Riverside Infusion Center")
    commercial = page.payers.cellWidget(3, 1)
    commercial.setCurrentIndex(commercial.findData("none"))
    page.auto_lock.setValue(3)
    page.prices.item(0, 2).setText("abc")
    page.save.click()
    assert "is not a number" in page.message.text() and page.message.isVisible()
    page.prices.item(0, 2).setText("12.50")
    page.save.click()
    assert "Settings saved" in page.message.text()
    from desktop.billing.model import PayerClass
    from desktop.services.settings import get_facility_settings

    saved = get_facility_settings(store)  # type: ignore[arg-type]
    assert saved.facility_name == "Riverside Infusion Center" and saved.auto_lock_minutes == 3
    assert saved.override_for(PayerClass.COMMERCIAL).waste_modifiers == "none"  # type: ignore[union-attr]
    nurse_page = SettingsPage(store, "nurse")
    qtbot.addWidget(nurse_page)
    nurse_page.reload()
    nurse_page.save.click()
    assert "only administrator users may change the facility settings" in nurse_page.message.text()


def test_audit_viewer_filters_sorts_exports_and_checks_the_chain(qtbot, store: object, tmp_path: Path) -> None:
    fill_demo(store, days=2, per_drug_per_day=1)  # type: ignore[arg-type]
    page = AuditPage(store, "admin")
    _show(qtbot, page)
    page.reload()
    assert page.chain.text().startswith("\u2714 Chain verified")
    total = page.proxy.rowCount()
    assert total > 20
    assert page.proxy.index(0, 0).data() > page.proxy.index(total - 1, 0).data()  # newest first
    page.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert page.proxy.index(0, 0).data() == 1
    _snap(page, "people-audit.png")
    page.actor.setCurrentIndex(page.actor.findData("biller"))
    page.apply.click()
    assert 0 < page.proxy.rowCount() < total
    assert {page.proxy.index(r, 2).data() for r in range(page.proxy.rowCount())} == {"biller"}
    page.actor.setCurrentIndex(0)
    page.record.setText("1")
    page.apply.click()
    assert {page.proxy.index(r, 4).data() for r in range(page.proxy.rowCount())} == {"administration 1"}
    page.record.clear()
    page.kind.setCurrentIndex(page.kind.findData("create_account"))
    page.apply.click()
    assert page.proxy.rowCount() == 3
    out = tmp_path / "audit.csv"
    assert page.export_csv(out) == 3
    assert [r["action"] for r in csv.DictReader(out.open())] == ["create_account"] * 3
    refused = AuditPage(store, "biller")
    qtbot.addWidget(refused)
    refused.reload()
    assert "only administrator users may read the audit trail" in refused.message.text()


def test_catalog_import_preview_then_apply(qtbot, store: object) -> None:
    page = CatalogPage(store, "admin")
    _show(qtbot, page)
    page.reload()
    before = page.version.text()
    dialog = page.preview_csv(UPDATE)
    _show(qtbot, dialog, 1000, 520)
    items = [dialog.changes.item(i).text() for i in range(dialog.changes.count())]
    assert items[0].startswith("+ ADD: drug J9999") and items[2].startswith("\u270e CHANGE: package 0003-3774-12")
    assert dialog.summary.text() == "2 to add, 1 to change, 1 unchanged." and dialog.apply.isEnabled()
    _snap(dialog, "people-catalog-import-preview.png")
    dialog.apply.click()
    assert dialog.result() == dialog.DialogCode.Accepted
    page.reload()
    assert page.version.text() != before and ".local1-" in page.version.text()
    bad = page.preview_csv(UPDATE.replace("12345-678-90", "12345-67890"))
    qtbot.addWidget(bad)
    assert not bad.apply.isEnabled() and "PROBLEM" in bad.changes.item(0).text()


def test_catalog_form_refuses_a_duplicate_ndc_in_words(qtbot, store: object) -> None:
    page = CatalogPage(store, "admin")
    _show(qtbot, page)
    page.reload()
    page.table.selectRow(0)
    page.add.click()
    assert "already in the catalog" in page.message.text()
    page.ndc.setText("0078-0669-99")
    page.label_mg.setText("0")
    page.add.click()
    assert "more than zero" in page.message.text()
    page.label_mg.setText("50")
    page.add.click()
    assert "Saved as catalog version" in page.message.text()


def test_users_page_creates_and_disables(qtbot, store: object) -> None:
    fill_demo(store, days=1, per_drug_per_day=1)  # type: ignore[arg-type]
    page = UsersPage(store, "admin")
    _show(qtbot, page, 1200, 800)
    page.reload()
    assert page.table.rowCount() == 3
    type_into(page.username, "newnurse")
    type_into(page.password, "a long password")
    page.create.click()
    assert "Created newnurse (Nurse)" in page.message.text() and page.table.rowCount() == 4
    page.toggle.click()
    assert page.table.item(page.table.rowCount() - 1, 3).text() in ("disabled", "active")


def test_sign_in_dialog_screenshot(qtbot, store: object) -> None:
    fill_demo(store, days=1, per_drug_per_day=1)  # type: ignore[arg-type]
    dialog = SignInDialog(Workstation(store), username="nurse")
    _show(qtbot, dialog, 620, 320)
    _snap(dialog, "people-sign-in.png")
    for widget in (dialog.form.username, dialog.form.password, dialog.form.submit):
        assert widget.objectName() and widget.accessibleName()
