"""Read-only view of one stored administration: who, what, lines with reasons, findings, history."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from desktop.services.views import AdministrationDetail
from desktop.ui.entry.preview_panel import BADGES
from desktop.ui.widgets import named


def record_html(detail: AdministrationDetail) -> str:
    adm = detail.administration
    parts = [
        f"<h2>Record #{detail.id}: {escape(detail.state.value.upper())}</h2>",
        f"<p><b>{escape(detail.patient.name)}</b>, MRN {escape(detail.patient.mrn)}, "
        f"born {detail.patient.date_of_birth:%m/%d/%Y}<br>"
        f"Date of service {adm.date_of_service:%m/%d/%Y}, {escape(adm.payer_class.value)}, "
        f"diagnoses {escape(', '.join(detail.visit.diagnosis_codes) or 'none')}<br>"
        f"{escape(adm.hcpcs)}: {adm.administered_mg.normalize():f} mg given, "
        f"{adm.discarded_mg.normalize():f} mg discarded; recorded by {escape(detail.recorded_by)}</p>",
    ]
    if detail.hold_reason:
        parts.append(f"<p><b>\u26a0 HELD:</b> {escape(detail.hold_reason)}</p>")
    if detail.void_reason:
        parts.append(f"<p><b>\u2716 VOIDED:</b> {escape(detail.void_reason)}</p>")
    parts.append("<h3>Claim lines</h3><ul>")
    for line in detail.lines:
        parts.append(f"<li><b>{escape(line.hcpcs)} {escape(' '.join(line.modifiers))} "
                     f"{line.units} units</b><br><i>{escape(line.reason)}</i></li>")
    parts.append("</ul><h3>Findings</h3><ul>")
    for finding in detail.findings:
        parts.append(f"<li><b>{BADGES[finding.severity]}</b> {escape(finding.message)}</li>")
    parts.append("</ul><h3>Acknowledged warnings</h3><ul>")
    for ack in detail.acknowledgements:
        parts.append(f"<li>{escape(ack.code)} by {escape(ack.acknowledged_by)}</li>")
    parts.append("</ul><h3>History</h3><ul>")
    for change in detail.history:
        reason = f": {escape(change.reason)}" if change.reason else ""
        parts.append(f"<li>{change.changed_at.astimezone():%H:%M} {escape(change.to_state.value)} "
                     f"by {escape(change.changed_by)}{reason}</li>")
    parts.append("</ul>")
    return "".join(parts)


class RecordDialog(QDialog):
    def __init__(self, parent: QWidget | None, detail: AdministrationDetail) -> None:
        super().__init__(parent)
        self.setObjectName("record_dialog")
        self.setAccessibleName(f"Record {detail.id}")
        self.setWindowTitle(f"Record #{detail.id}")
        self.resize(900, 700)
        self.text = named(QTextBrowser(), "record_text", "Record details")
        self.text.setHtml(record_html(detail))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        named(buttons.button(QDialogButtonBox.StandardButton.Close), "record_close", "Close")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
