"""The live claim preview: lines with the reason for each modifier, and findings in words and symbols."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFrame, QLabel, QVBoxLayout, QWidget

from desktop.billing.model import ClaimLine, Finding, Severity
from desktop.services.preview import ChargePreview
from desktop.ui.help.viewer import explain_link
from desktop.ui.widgets import heading, hint, named

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
        f"<span style='font-size:17pt'><b>{line.hcpcs}</b> &nbsp; {modifiers} &nbsp; "
        f"<b>{line.units} unit{'s' if line.units != 1 else ''}</b></span>{ndc}"
        f"<br><i>{line.reason}</i>"
    )


def _clear(layout: QVBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.setParent(None)
            widget.deleteLater()


def _mark_checked(box: QCheckBox, checked: bool) -> None:
    """Say it in words too: the ticked box is not the only sign that the warning was checked."""
    box.setText("\u2714 Checked: I have checked this warning" if checked else "I have checked this warning")


class PreviewPanel(QWidget):
    """Shows what the presenter hands it; reports which warnings the nurse has ticked."""

    acknowledgements_changed = Signal()

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
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Claim preview"))
        layout.addWidget(self.waiting)
        layout.addLayout(self._lines)
        layout.addWidget(heading("Findings"))
        layout.addLayout(self._findings)
        layout.addStretch(1)

    def show_preview(self, preview: ChargePreview, field_problems: tuple[str, ...] = (),
                     hidden_codes: frozenset[str] = frozenset()) -> None:
        """`field_problems` (messages beside fields) are listed first, as they block the charge;
        `hidden_codes` are findings those problems make misleading (no times when the times are wrong)."""
        acknowledged = self.acknowledged_codes()
        _clear(self._lines)
        _clear(self._findings)
        self.warning_boxes = {}
        self.line_labels = []
        self.finding_frames = []
        result = preview.result
        self.waiting.setVisible(result is None)
        self.waiting.setText(preview.waiting_for)
        for problem in field_problems:
            self._add_problem(problem)
        if result is None:
            return
        if not result.lines:
            self.waiting.setText("No billable lines.")
            self.waiting.setVisible(True)
        for index, line in enumerate(result.lines):
            self._add_line(index, line)
        shown = [f for f in result.findings if f.code not in hidden_codes]
        ordered = sorted(shown, key=lambda f: list(BADGES).index(f.severity))
        for finding in ordered:
            self._add_finding(finding, finding.code in acknowledged)
        if not shown and not field_problems:
            self._findings.addWidget(hint("None: nothing to check."))

    def _add_line(self, index: int, line: ClaimLine) -> None:
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

    def _add_finding(self, finding: Finding, acknowledged: bool) -> None:
        frame = QFrame()
        frame.setProperty("severity", finding.severity.value)
        frame.setObjectName(f"finding_{finding.code}")
        layout = QVBoxLayout(frame)
        text = QLabel(f"<b>{BADGES[finding.severity]}</b> &nbsp; {finding.message}")
        text.setWordWrap(True)
        text.setAccessibleName(f"{finding.severity.value}: {finding.message}")
        layout.addWidget(text)
        layout.addWidget(explain_link(finding.code))  # the guide's paragraph about this finding
        if finding.severity is Severity.WARNING:
            box = named(QCheckBox("I have checked this warning"), f"ack_{finding.code}",
                        f"Acknowledge warning: {finding.message}")
            box.setChecked(acknowledged)
            _mark_checked(box, acknowledged)
            box.toggled.connect(lambda on, box=box: _mark_checked(box, on))
            box.toggled.connect(lambda _on: self.acknowledgements_changed.emit())
            layout.addWidget(box)
            self.warning_boxes[finding.code] = box
        self._findings.addWidget(frame)
        self.finding_frames.append(frame)

    def acknowledged_codes(self) -> frozenset[str]:
        return frozenset(code for code, box in self.warning_boxes.items() if box.isChecked())

    def all_warnings_acknowledged(self) -> bool:
        return all(box.isChecked() for box in self.warning_boxes.values())
