"""The live claim of the visit: each drug's lines (the one being entered marked), the visit's administration
codes, with the reason for each, and the findings in words; a finding about an input takes the nurse there."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QFrame, QLabel, QVBoxLayout, QWidget

from desktop.billing.model import ClaimLine, Finding, LineKind, Severity
from desktop.facade.chair_types import ChargePreview
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
        widget = item.widget() if item is not None else None
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
        self._line_key: list[tuple[str, str, str]] = []
        self._line_widgets: list[QLabel] = []
        self._findings_key: object = None
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Claim for this visit"))
        layout.addLayout(self._lines)
        layout.addWidget(self.waiting)
        layout.addWidget(heading("Findings"))
        layout.addLayout(self._findings)
        # How the claim was worked out, with the sources of the rules and catalog entries used ("rule from
        # 2025-01-01, not yet verified"): for whoever asks, not in the lines a biller reads.
        self.details_button = button("Details \u25b8", "preview_details_button", "Show how the claim was worked out")
        self.details_button.setCheckable(True)
        self.details = hint("")
        self.details.setObjectName("preview_details")
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setVisible(False)
        self.details_button.toggled.connect(self._show_details)
        layout.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.details)
        layout.addStretch(1)

    def show_preview(self, preview: ChargePreview, field_problems: tuple[str, ...] = (),
                     hidden_codes: frozenset[str] = frozenset(), drug_names: Sequence[str] = ()) -> None:
        """`field_problems` (messages beside fields) are listed first, as they block the charge; `hidden_codes`
        are findings those problems make misleading; `drug_names` name the visit's drugs by index.

        Per keystroke most of the claim is unchanged: a part whose words are the same keeps its widgets, lines
        of the same shape only get their new words (building widgets is what costs, not the engine)."""
        result = preview.result
        explained = "\n".join(f"\u2022 {e}" for e in (result.explanations if result else ()))
        if explained != self.details.text():
            self.details.setText(explained)
        self.details_button.setVisible(bool(explained))
        self.waiting.setVisible(bool(preview.waiting_for) or result is None)
        self.waiting.setText(preview.waiting_for)
        if result is not None and not result.lines and not preview.waiting_for:
            self.waiting.setText("No billable lines.")
            self.waiting.setVisible(True)
        self._show_lines(self._line_items(result.lines if result else (), preview, drug_names))
        shown = [f for f in (result.findings if result else ()) if f.code not in hidden_codes]
        by_code: dict[str, list[Finding]] = {}
        for finding in sorted(shown, key=lambda f: list(BADGES).index(f.severity)):
            by_code.setdefault(finding.code, []).append(finding)
        quiet = not shown and not field_problems and not preview.waiting_for and result is not None
        key = (field_problems, tuple((c, tuple((f.severity, f.message, f.field) for f in fs))
                                     for c, fs in by_code.items()), quiet)
        if key == self._findings_key:
            return
        self._findings_key = key
        acknowledged = self.acknowledged_codes()
        _clear(self._findings)
        self.warning_boxes, self.finding_frames, self.go_buttons = {}, [], {}
        for problem in field_problems:
            self._add_problem(problem)
        for code, findings in by_code.items():
            self._add_finding(findings, code in acknowledged)
        if quiet:
            self._findings.addWidget(hint("None: nothing to check."))

    @staticmethod
    def _line_items(lines: Sequence[ClaimLine], preview: ChargePreview,
                    drug_names: Sequence[str]) -> list[tuple[str, str, str]]:
        """(kind, words, spoken words) of every row of the claim: a drug's name, its lines, the visit's codes."""
        items: list[tuple[str, str, str]] = []
        drug_lines = [x for x in lines if x.kind is not LineKind.ADMINISTRATION]
        for index in dict.fromkeys(x.administration for x in drug_lines):
            if preview.stored > 0:
                name = drug_names[index] if index is not None and index < len(drug_names) else "this drug"
                entering = index is not None and index == preview.new_index
                items.append(("name", f"<b>{name}</b>" + (" \u2014 <b>this entry</b>" if entering else ""), name))
            items += [("line", line_text(x), f"{x.hcpcs} {' '.join(x.modifiers)} {x.units} units")
                      for x in drug_lines if x.administration == index]
        codes = [x for x in lines if x.kind is LineKind.ADMINISTRATION]
        if codes:
            items.append(("name", "<b>Administration codes of the visit</b>", "Administration codes of the visit"))
        items += [("line", line_text(x), f"{x.hcpcs} {' '.join(x.modifiers)} {x.units} units") for x in codes]
        return items

    def _show_lines(self, items: list[tuple[str, str, str]]) -> None:
        if items == self._line_key:
            return
        if [kind for kind, _, _ in items] != [kind for kind, _, _ in self._line_key]:
            _clear(self._lines)
            self._line_widgets = []
            for kind, words, _spoken in items:
                label = hint(words) if kind == "name" else QLabel(words)
                label.setWordWrap(True)
                if kind == "line":
                    frame = QFrame()
                    frame.setProperty("role", "line")
                    QVBoxLayout(frame).addWidget(label)
                    self._lines.addWidget(frame)
                else:
                    self._lines.addWidget(label)
                self._line_widgets.append(label)
        self._line_key = items
        self.line_labels = []
        for label, (kind, words, spoken) in zip(self._line_widgets, items, strict=True):
            label.setText(words)
            if kind == "line":
                label.setObjectName(f"preview_line_{len(self.line_labels)}")
                label.setAccessibleName(f"Claim line {len(self.line_labels) + 1}: {spoken}")
                self.line_labels.append(label)
            else:
                label.setAccessibleName(spoken)

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

    def _show_details(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.details_button.setText("Details \u25be" if shown else "Details \u25b8")

    def acknowledged_codes(self) -> frozenset[str]:
        return frozenset(code for code, box in self.warning_boxes.items() if box.isChecked())

    def all_warnings_acknowledged(self) -> bool:
        return all(box.isChecked() for box in self.warning_boxes.values())
