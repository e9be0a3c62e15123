"""The live claim of the visit: each drug's lines (the one being entered marked), the visit's administration
codes, with the reason for each, and the findings in words; a finding about an input takes the nurse there."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QFrame, QLabel, QVBoxLayout, QWidget

from desktop.billing.model import ClaimLine, Finding, LineKind, Severity
from desktop.services.preview import ChargePreview
from desktop.ui.help.viewer import explain_link
from desktop.ui.widgets import button, heading, hint, named

BADGES = {
    Severity.ERROR: "\u2716 ERROR",
    Severity.WARNING: "\u26a0 WARNING",
    Severity.INFO: "\u2139 NOTE",
}


def line_text(line: ClaimLine) -> str:
    modifiers = " ".join(line.modifiers) or "no modifier"
    ndc = ""
    if line.ndc is not None:
        ndc = f"<br>NDC {line.ndc.qualifier} {line.ndc.ndc11} {line.ndc.unit} {line.ndc.quantity.normalize():f}"
    return (
        f"<span style='font-size:16pt'><b>{line.hcpcs}</b> &nbsp; {modifiers} &nbsp; "
        f"<b>{line.units} unit{'s' if line.units != 1 else ''}</b></span>{ndc}"
        f"<br><i>{line.reason}</i>"
    )


def _clear(layout: QVBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            # Hidden first: a widget added to a visible parent is shown by a queued call, and one taken out
            # again before that call runs (several refreshes in one burst of keys) would open as a window.
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()


def _mark_checked(box: QCheckBox, checked: bool) -> None:
    """Say it in words too: the ticked box is not the only sign that the warning was checked."""
    box.setText("\u2714 Checked: I have checked this" if checked else "I have checked this")


class PreviewPanel(QWidget):
    """Shows what the presenter hands it; reports which warnings the nurse has ticked and which finding's
    field she wants to go to."""

    acknowledgements_changed = Signal()
    go_to_field = Signal(object)  # the Finding whose field the nurse wants to fill in

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("preview_panel")
        self.waiting = hint("Pick a drug to see the claim lines.")
        self.waiting.setObjectName("preview_waiting")
        self._lines = QVBoxLayout()
        self._findings = QVBoxLayout()
        self.warning_boxes: dict[str, QCheckBox] = {}
        self.line_labels: list[QLabel] = []
        self.finding_frames: list[QFrame] = []
        self.go_buttons: dict[str, QWidget] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Claim for this visit"))
        layout.addLayout(self._lines)
        layout.addWidget(self.waiting)
        layout.addWidget(heading("Findings"))
        layout.addLayout(self._findings)
        layout.addStretch(1)

    def show_preview(self, preview: ChargePreview, field_problems: tuple[str, ...] = (),
                     hidden_codes: frozenset[str] = frozenset(), drug_names: Sequence[str] = ()) -> None:
        """`field_problems` (messages beside fields) are listed first, as they block the charge; `hidden_codes`
        are findings those problems make misleading; `drug_names` name the visit's drugs by index."""
        acknowledged = self.acknowledged_codes()
        _clear(self._lines)
        _clear(self._findings)
        self.warning_boxes, self.line_labels, self.finding_frames, self.go_buttons = {}, [], [], {}
        result = preview.result
        self.waiting.setVisible(bool(preview.waiting_for) or result is None)
        self.waiting.setText(preview.waiting_for)
        for problem in field_problems:
            self._add_problem(problem)
        if result is None:
            return
        if not result.lines and not preview.waiting_for:
            self.waiting.setText("No billable lines.")
            self.waiting.setVisible(True)
        self._add_lines(result.lines, preview, drug_names)
        shown = [f for f in result.findings if f.code not in hidden_codes]
        by_code: dict[str, list[Finding]] = {}
        for finding in sorted(shown, key=lambda f: list(BADGES).index(f.severity)):
            by_code.setdefault(finding.code, []).append(finding)
        for code, findings in by_code.items():
            self._add_finding(findings, code in acknowledged)
        if not shown and not field_problems and not preview.waiting_for:
            self._findings.addWidget(hint("None: nothing to check."))

    def _add_lines(self, lines: Sequence[ClaimLine], preview: ChargePreview, drug_names: Sequence[str]) -> None:
        drug_lines = [x for x in lines if x.kind is not LineKind.ADMINISTRATION]
        several = preview.stored > 0
        for index in dict.fromkeys(x.administration for x in drug_lines):
            if several:
                name = drug_names[index] if index is not None and index < len(drug_names) else "this drug"
                entering = index is not None and index == preview.new_index
                self._lines.addWidget(hint(f"<b>{name}</b>" + (" \u2014 <b>this entry</b>" if entering else "")))
            for line in (x for x in drug_lines if x.administration == index):
                self._add_line(line)
        codes = [x for x in lines if x.kind is LineKind.ADMINISTRATION]
        if codes:
            self._lines.addWidget(hint("<b>Administration codes of the visit</b>"))
        for line in codes:
            self._add_line(line)

    def _add_line(self, line: ClaimLine) -> None:
        index = len(self.line_labels)
        frame = QFrame()
        frame.setProperty("role", "line")
        label = QLabel(line_text(line))
        label.setObjectName(f"preview_line_{index}")
        label.setAccessibleName(f"Claim line {index + 1}: {line.hcpcs} {' '.join(line.modifiers)} {line.units} units")
        label.setWordWrap(True)
        QVBoxLayout(frame).addWidget(label)
        self._lines.addWidget(frame)
        self.line_labels.append(label)

    def _add_problem(self, message: str) -> None:
        frame = QFrame()
        frame.setProperty("severity", Severity.ERROR.value)
        frame.setObjectName("field_problem")
        text = QLabel(f"<b>\u2716 FIX FIRST</b> &nbsp; {message}")
        text.setWordWrap(True)
        text.setAccessibleName(f"Fix first: {message}")
        QVBoxLayout(frame).addWidget(text)
        self._findings.addWidget(frame)
        self.finding_frames.append(frame)

    def _add_finding(self, findings: list[Finding], acknowledged: bool) -> None:
        first = findings[0]
        frame = QFrame()
        frame.setProperty("severity", first.severity.value)
        frame.setObjectName(f"finding_{first.code}")
        layout = QVBoxLayout(frame)
        words = "<br>".join(dict.fromkeys(f.message for f in findings))
        text = QLabel(f"<b>{BADGES[first.severity]}</b> &nbsp; {words}")
        text.setWordWrap(True)
        text.setAccessibleName(f"{first.severity.value}: {' '.join(f.message for f in findings)}")
        layout.addWidget(text)
        layout.addWidget(explain_link(first.code))  # the guide's paragraph about this finding
        actions = QVBoxLayout()
        if first.severity is Severity.WARNING:
            box = named(QCheckBox("I have checked this"), f"ack_{first.code}",
                        f"Acknowledge warning: {first.message}")
            box.setChecked(acknowledged)
            _mark_checked(box, acknowledged)
            box.toggled.connect(lambda on, box=box: _mark_checked(box, on))
            box.toggled.connect(lambda _on: self.acknowledgements_changed.emit())
            actions.addWidget(box)
            self.warning_boxes[first.code] = box
        target = next((f for f in findings if f.field), None)
        if target is not None:
            go = button("Go to field", f"goto_{first.code}", f"Go to the field: {first.message}")
            go.clicked.connect(lambda _on=False, target=target: self.go_to_field.emit(target))
            actions.addWidget(go, 0, Qt.AlignmentFlag.AlignRight)
            self.go_buttons[first.code] = go
        if actions.count():
            layout.addLayout(actions)
        self._findings.addWidget(frame)
        self.finding_frames.append(frame)

    def acknowledged_codes(self) -> frozenset[str]:
        return frozenset(code for code, box in self.warning_boxes.items() if box.isChecked())

    def all_warnings_acknowledged(self) -> bool:
        return all(box.isChecked() for box in self.warning_boxes.values())
