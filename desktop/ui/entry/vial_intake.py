"""Vials onto the form: a scan (its serial kept; the same vial twice refused in words) or a size and count, each
row starting with the site's default 340B answer (or none, when the site asks for every vial)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from desktop.billing.catalog import Catalog
from desktop.facade.chair_types import Stock340b, VisitDetail
from desktop.interop.gs1 import Gs1ScanError, parse_vial_scan
from desktop.ui.entry.entry_page import EntryPage
from desktop.ui.entry.vials_table import VialRow
from desktop.ui.field_checks import check_count

DEFAULT_ANSWER = {Stock340b.ASK: None, Stock340b.STOCK_340B: True, Stock340b.NON_340B: False}


def stock_words(stock: Stock340b) -> str:
    """The empty vials list says how new vials start: the site's default 340B answer (a facility setting)."""
    if stock is Stock340b.ASK:
        return "No vials yet: scan a vial, or pick a size and count. Answer 340B stock Yes or No for each."
    return f"No vials yet: scan a vial, or pick a size and count. New vials: {stock.words} (site default)."


class VialIntake:
    """Adds scanned or picked vials to the page's table; the presenter supplies the catalog, the visit's stored
    drugs, the clock and the site's default 340B answer."""

    def __init__(self, page: EntryPage, catalog: Callable[[], Catalog], zone: Callable[[], ZoneInfo],
                 stock: Callable[[], Stock340b], visit: Callable[[], VisitDetail | None],
                 pick_drug: Callable[[str], None]) -> None:
        self.page = page
        self.catalog = catalog
        self.zone = zone
        self.stock = stock
        self.visit = visit
        self.pick_drug = pick_drug

    def _answer(self) -> tuple[bool | None, str]:
        stock = self.stock()
        return DEFAULT_ANSWER[stock], "" if stock is Stock340b.ASK else "site default"

    def already_scanned(self, serial: str) -> str:
        """Why a vial with this serial cannot be added (it is on the form or saved in this visit), or ""."""
        on_form = self.page.drug.vials.scanned_serials()
        if serial in on_form:
            at = on_form[serial]
            when = f"at {at.astimezone(self.zone()):%H:%M}" if at else "before"
            return (f"This vial was already scanned {when} (serial {serial}): one vial read twice is still one "
                    "vial, so it was not added again.")
        visit = self.visit()
        for drug in visit.active if visit else ():
            if any(use.serial == serial for use in drug.administration.packages):
                saved = drug.recorded_at.astimezone(self.zone())
                return (f"This vial (serial {serial}) is already recorded in this visit with "
                        f"{drug.administration.hcpcs}, saved at {saved:%H:%M}: it was not added again.")
        return ""

    def scan(self, raw: str) -> str:
        """Add the scanned vial; returns the words for the status line ("" when the scan was refused)."""
        section = self.page.drug
        catalog = self.catalog()
        try:
            vial = parse_vial_scan(raw, catalog)
        except Gs1ScanError as exc:
            section.scan_messages.show(str(exc))
            return ""
        if vial.package is None:
            section.scan_messages.show(f"NDC digits {vial.ndc10_digits} are not in the drug catalog; "
                                       "check the vial, or add it by size and count.")
            return ""
        serial = vial.serial or ""
        refused = self.already_scanned(serial) if serial else ""
        if refused:
            section.scan_messages.show(refused)
            return ""
        if section.drug is None:
            self.pick_drug(vial.package.hcpcs)
        section.scan_messages.show("")
        now = dt.datetime.now(self.zone())
        row = section.vials.row_for(vial.package, vial.lot or "", vial.expiry)
        if row is not None:
            row.add_scanned(serial, now)
        else:
            answer, words = self._answer()
            row = section.vials.add(vial.package, 1, answer, vial.lot or "", vial.expiry,
                                    (serial,) if serial else (), words)
            if serial:
                row.scanned_at[serial] = now
        kept = f", serial {serial}" if serial else " (no serial on this barcode)"
        return f"Scanned {vial.package.ndc}, lot {vial.lot or '?'}{kept}: {row.count} vial(s) in its row."

    def add_picked(self) -> VialRow | None:
        """The size and count chosen by hand; None (with words by the count) when they cannot be added."""
        section = self.page.drug
        count = check_count(section.count.text())
        section.count_messages.show(count.message)
        if count.value is None:
            return None
        package = self.catalog().package(str(section.package.currentData() or ""))
        if package is None:
            section.count_messages.show("Pick a drug first, then a vial size.")
            return None
        for row in section.vials.rows:  # more of a size already added by hand, lot not typed yet: one row
            if row.package.ndc == package.ndc and not row.serials and not row.lot.text().strip():
                row.set_count(row.count + count.value)
                section.count.setText("1")
                return row
        answer, words = self._answer()
        row = section.vials.add(package, count.value, answer, source_words=words)
        section.count.setText("1")
        return row
