"""The chosen record in full: who and what, the frozen claim lines, the findings, and every step of its history."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from desktop.records.fields import display, field_docs
from desktop.services.views import AdministrationDetail
from desktop.ui.widgets import heading, named

SEVERITY_WORDS = {"error": "\u2716 Error", "warning": "\u26a0 Warning", "info": "\u2139 Note"}


def _mg(value: object) -> str:
    return "\u2014" if value is None else f"{value.normalize():f} mg"  # type: ignore[attr-defined]


def _table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    cells = "".join(f"<th align='left'>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{escape(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table border='1' cellspacing='0' cellpadding='4' width='100%'><tr>{cells}</tr>{body}</table>"


def documented_rows(record: object) -> list[tuple[str, str]]:
    """(label, value) of every documented fact of a visit or drug, as its definition names them."""
    return [(doc.label, display(doc, getattr(record, doc.name)) or "\u2014") for doc in field_docs(type(record))]


def detail_html(detail: AdministrationDetail) -> str:
    """The record as simple HTML (headings, definition rows, bordered tables); no colour carries meaning."""
    adm = detail.administration
    state = detail.state.value.replace("_", " ").upper()
    facts = [
        ("Patient", f"{detail.patient.name} (MRN {detail.patient.mrn}, born {detail.patient.date_of_birth})"),
        ("Date of service", adm.date_of_service.isoformat()),
        ("Visit", f"#{detail.visit_id}, {adm.payer_class.value.replace('_', ' ')}"),
        ("Drug", adm.hcpcs), ("Given", _mg(adm.administered_mg)), ("Discarded", _mg(adm.discarded_mg)),
        *documented_rows(detail.visit), *documented_rows(detail.facts),
        ("Recorded by", f"{detail.recorded_by}, {detail.recorded_at.astimezone():%Y-%m-%d %H:%M}"),
    ]
    if detail.hold_reason:
        facts.insert(0, ("Held because", detail.hold_reason))
    if detail.void_reason:
        facts.insert(0, ("Voided because", detail.void_reason))
    if detail.replaces_id:
        facts.append(("Corrects", f"#{detail.replaces_id}"))
    if detail.replaced_by_id:
        facts.append(("Replaced by", f"#{detail.replaced_by_id}"))
    rows = "".join(f"<tr><td><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>" for k, v in facts)
    lines = [(x.hcpcs, " ".join(x.modifiers) or "\u2014", str(x.units), x.kind.value,
              f"N4 {x.ndc.ndc11} {x.ndc.unit} {x.ndc.quantity.normalize():f}" if x.ndc else "\u2014")
             for x in detail.lines]
    acknowledged = {a.code: a for a in detail.acknowledgements}
    findings = [(SEVERITY_WORDS.get(f.severity.value, f.severity.value), f.message,
                 f"acknowledged by {acknowledged[f.code].acknowledged_by}" if f.code in acknowledged else "")
                for f in detail.findings]
    history = [(h.changed_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                (h.from_state.value.replace("_", " ") + " \u2192 " if h.from_state else "")
                + h.to_state.value.replace("_", " "), h.changed_by, h.reason or "") for h in detail.history]
    return (
        f"<h2>#{detail.id} \u2014 {escape(state)}</h2><table cellpadding='3'>{rows}</table>"
        f"<h3>Claim lines ({len(lines)})</h3>"
        + (_table(("Code", "Modifiers", "Units", "Kind", "NDC (loop 2410)"), lines) if lines else "<p>None.</p>")
        + f"<h3>Findings ({len(findings)})</h3>"
        + (_table(("Severity", "Message", "Acknowledged"), findings) if findings else "<p>None.</p>")
        + f"<h3>History ({len(history)})</h3>" + _table(("When", "Step", "Who", "Reason"), history)
    )


class DetailPane(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("review_detail")
        self.title = heading("Record")
        self.browser = named(QTextBrowser(), "review_detail_text", "Chosen record in full")
        self.browser.setOpenLinks(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.browser, 1)
        self.show_message("Choose a row to see the record, its lines, findings and history.")

    def show_detail(self, detail: AdministrationDetail) -> None:
        self.browser.setHtml(detail_html(detail))

    def show_message(self, text: str) -> None:
        self.browser.setHtml(f"<p>{escape(text)}</p>")
