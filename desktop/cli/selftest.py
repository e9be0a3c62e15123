"""`infusion-charge --self-test`: proves an installed copy (frozen or from source) has every part it needs."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

EXIT_OK = 0
EXIT_FAILED = 1

# The J9302 worked example (billing-rules.md): 3 x 100 mg ofatumumab vials, 275 mg given, 25 mg discarded.
J9302_ADMINISTRATION = {
    "date_of_service": "2026-03-04",
    "hcpcs": "J9302",
    "payer_class": "medicare",
    "facility_type": "dsh",
    "packages": [{"ndc": "0078-0669-13", "count": 3, "acquired_340b": False}],
    "administered_mg": "275",
    "discarded_mg": "25",
}


class SelfTestFailure(Exception):
    """A step ran but its result is wrong."""


def _needs_offscreen() -> bool:
    # A workstation has a display; a build server or an ssh session does not, and Qt would abort.
    if os.environ.get("QT_QPA_PLATFORM"):
        return False
    if sys.platform.startswith("linux"):
        return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return False


def step_database(state: dict[str, Any]) -> str:
    from db.migrate import head_revision
    from desktop.services.storage.store import open_store

    folder = Path(state["folder"])
    store = open_store(f"sqlite:///{folder / 'selftest.sqlite3'}")
    try:
        report = store.migration
        head = head_revision()
        if report is None or report.to_revision != head or not report.created:
            raise SelfTestFailure(f"migrations did not bring a new database to {head}: {report}")
    finally:
        store.close()
    return f"new SQLite database migrated to {head}"


def step_billing(state: dict[str, Any]) -> str:
    from desktop.billing.engine import compute
    from desktop.billing.model import LineKind
    from desktop.billing.tables import load_rules
    from desktop.interop.calc_json import parse_administration

    rules = load_rules()
    result = compute(parse_administration(J9302_ADMINISTRATION, rules), rules)
    drug = [(line.units, "JW" in line.modifiers) for line in result.lines if line.kind is not LineKind.ADMINISTRATION]
    if drug != [(28, False), (2, True)] or result.has_errors:
        raise SelfTestFailure(f"J9302 gave {drug} (errors: {result.has_errors}); expected 28 units and 2 units JW")
    return "J9302: 28 units administered, 2 units JW"


def step_ticket(state: dict[str, Any]) -> str:
    from desktop.tickets.samples import j9302_ticket
    from desktop.tickets.ticket_pdf import render_ticket

    pdf = render_ticket(j9302_ticket())
    if not pdf.startswith(b"%PDF-"):
        raise SelfTestFailure("the ticket renderer did not return a PDF")
    state["pdf"] = pdf
    return f"J9302 ticket rendered ({len(pdf):,} bytes)"


def step_qt(state: dict[str, Any]) -> str:
    from PySide6.QtCore import QLibraryInfo
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    state["app"] = app
    return f"Qt {QLibraryInfo.version().toString()} on platform {QApplication.platformName()}"


def step_pdf(state: dict[str, Any]) -> str:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
    from PySide6.QtPdf import QPdfDocument

    raw = QByteArray(state["pdf"])
    buffer = QBuffer(raw)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.error() != QPdfDocument.Error.None_:
        raise SelfTestFailure(f"QPdfDocument could not load the ticket: {document.error()}")
    pages = document.pageCount()
    if pages < 1:
        raise SelfTestFailure("QPdfDocument loaded the ticket with no pages")
    image = document.render(0, QSize(425, 550))
    if image.isNull() or not _has_ink(image):
        raise SelfTestFailure("QtPdf rendered the first page of the ticket blank")
    document.close()
    return f"QPdfDocument loaded the ticket: {pages} page{'s' if pages != 1 else ''}, first page drawn"


def _has_ink(image: Any) -> bool:
    """Whether a rendered image has any dark pixel (text), sampled on a grid to stay fast."""
    for y in range(0, image.height(), 3):
        for x in range(0, image.width(), 3):
            if image.pixelColor(x, y).lightness() < 128:
                return True
    return False


def step_widget(state: dict[str, Any]) -> str:
    from desktop.ui.ticket_preview import TicketPreview

    preview = TicketPreview(state["pdf"], "Self-test ticket")
    preview.resize(640, 480)
    preview.show()
    state["app"].processEvents()
    pixmap = preview.grab()
    preview.close()
    preview.deleteLater()
    if pixmap.isNull() or pixmap.width() < 1:
        raise SelfTestFailure("grabbing the ticket preview window gave an empty picture")
    return f"ticket preview window grabbed ({pixmap.width()}x{pixmap.height()})"


def step_interop(state: dict[str, Any]) -> str:
    # The libraries, not the export code: a frozen copy must carry what they load by name at run time
    # (hl7apy's version packages, fhir.resources' element models, biip's GS1 tables).
    from fhir.resources.bundle import Bundle
    from hl7apy.core import Message

    from desktop.billing.tables import load_rules
    from desktop.interop.gs1 import gtin_for_ndc10, parse_vial_scan

    scan = parse_vial_scan(f"01{gtin_for_ndc10('0078066913')}17270630" + "10AZ4471B", load_rules().catalog)
    if scan.ndc != "0078-0669-13" or scan.lot != "AZ4471B":
        raise SelfTestFailure(f"the GS1 vial scan read NDC {scan.ndc}, lot {scan.lot}")
    message = Message("DFT_P03", version="2.5.1")
    message.add_group("DFT_P03_FINANCIAL").add_segment("FT1").ft1_7 = "J9302"
    hl7 = message.to_er7()
    bundle = Bundle.model_validate({
        "resourceType": "Bundle", "type": "collection",
        "entry": [{"fullUrl": "urn:uuid:5f1c0d0e-0000-4000-8000-000000000001", "resource": {
            "resourceType": "ChargeItem", "status": "billable", "subject": {"reference": "Patient/selftest"},
            "code": {"coding": [{"system": "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets",
                                 "code": "J9302"}]},
            "quantity": {"value": 28}}}],
    })
    if "J9302" not in hl7 or '"ChargeItem"' not in bundle.model_dump_json():
        raise SelfTestFailure("the HL7 message or the FHIR Bundle lost the J9302 charge")
    return "GS1 vial scan, HL7 v2.5.1 DFT^P03 and FHIR R5 ChargeItem built"


STEPS: tuple[tuple[str, Callable[[dict[str, Any]], str]], ...] = (
    ("database", step_database),
    ("billing", step_billing),
    ("interop", step_interop),
    ("ticket", step_ticket),
    ("qt", step_qt),
    ("pdf", step_pdf),
    ("widget", step_widget),
)


def run_self_test(out: TextIO | None = None) -> int:
    """Run every step in order, print one line each; stop at the first failure and name it."""
    out = out or sys.stdout
    if _needs_offscreen():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    where = "frozen bundle" if getattr(sys, "frozen", False) else "source"
    print(f"self-test: Infusion Charge Capture from {where} ({sys.executable})", file=out, flush=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="infusion-selftest-") as folder:
        state: dict[str, Any] = {"folder": folder}
        for name, step in STEPS:
            begun = time.perf_counter()
            try:
                detail = step(state)
            except Exception as exc:  # any failure, whatever its kind, is reported with the step's name
                print(f"self-test: {name}: FAILED: {type(exc).__name__}: {exc}", file=out, flush=True)
                print(f"self-test FAILED at step '{name}'", file=out, flush=True)
                return EXIT_FAILED
            print(f"self-test: {name}: ok ({time.perf_counter() - begun:.2f} s): {detail}", file=out, flush=True)
    print(f"self-test passed: {len(STEPS)} steps in {time.perf_counter() - started:.2f} s", file=out, flush=True)
    return EXIT_OK
