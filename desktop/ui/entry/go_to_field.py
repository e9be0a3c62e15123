"""Where a finding's `field` is on the chair screen, so a click on the finding takes the nurse there."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QWidget

from desktop.ui.entry.entry_page import EntryPage
from desktop.ui.entry.form_fields import finding_widgets

PACKAGE_FIELD = re.compile(r"^packages(?:\[(\d+)\])?(?:\.(\w+))?$")


def package_rows(page: EntryPage) -> list[int]:
    """For each package the engine sees (in order), the vial row it came from: a row gives one package per
    scanned vial (each keeps its serial) and one for its vials added without a scan (preview.build_administration)."""
    owners: list[int] = []
    for number, row in enumerate(page.drug.vials.rows):
        owners += [number] * len(row.serials)
        if row.count > len(row.serials):
            owners.append(number)
    return owners


def field_widget(page: EntryPage, field: str) -> QWidget | None:
    """The input named by a finding's field ("infusion_start", "packages[2].lot", "consent_recorded", ...)."""
    widget = finding_widgets(page).get(field)
    if widget is not None:
        return widget
    match = PACKAGE_FIELD.match(field)
    rows = page.drug.vials.rows
    if match is None:
        return None
    if not rows:
        return page.drug.scan
    owners = package_rows(page)
    index = int(match[1]) if match[1] is not None else 0
    row = rows[owners[index]] if index < len(owners) else rows[0]
    return {"lot": row.lot, "expiry": row.expiry, "count": row.more}.get(match[2] or "", row.is_340b)
