"""Light flowables for ticket cells: plain text in one font, wrapped at spaces and drawn with drawString.

A ReportLab Paragraph parses markup with an HTML parser and re-flows itself each time a table measures it;
the ticket's cells never mix fonts inside one run of text, so this does a tenth of that work (see
benchmarks/bench_tickets.py). Text is wrapped once per width and the lines are kept.
"""

from __future__ import annotations

from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from desktop.tickets.text import printable

DESCENT = 0.24  # DejaVu Sans: how far below the baseline its letters reach, as a share of the size


def _width(text: str, font: str, size: float) -> float:
    return float(getFont(font).stringWidth(text, size))


def wrap_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """`text` broken into lines no wider than `width`: at spaces (never at a no-break space), at line breaks,
    and inside a word only when the word alone is wider than the line."""
    face = getFont(font)
    space = face.stringWidth(" ", size)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current, used = "", 0.0
        for word in (w for w in paragraph.split(" ") if w):
            word_width = face.stringWidth(word, size)
            if current and used + space + word_width <= width:
                current, used = f"{current} {word}", used + space + word_width
                continue
            if current:
                lines.append(current)
            while word_width > width and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and face.stringWidth(word[:cut], size) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
                word_width = face.stringWidth(word, size)
            current, used = word, word_width
        lines.append(current)
    return lines


class Text(Flowable):
    """One run of text in one font and size; `align` left, right or centre; `strike` draws a rule through it."""

    def __init__(self, text: str, font: str, size: float, leading: float | None = None, *, align: str = "left",
                 strike: bool = False, color: Color | None = None, fit: bool = False) -> None:
        super().__init__()
        self.fit = fit  # a code or number: made smaller (to 70 %) rather than broken when the column is narrow
        self.text = printable(text)
        self.font = font
        self.size = size
        self.leading = leading or size * 1.2
        self.align = align
        self.strike = strike
        self.color = color
        self._wrapped_for = -1.0
        self._lines: list[str] = []

    def lines_for(self, width: float) -> list[str]:
        if width != self._wrapped_for:
            if self.fit:
                smallest = self.size * 0.7
                while self.size > smallest and _width(self.text, self.font, self.size) > width:
                    self.size -= 0.25
            self._lines = wrap_lines(self.text, self.font, self.size, width)
            self._wrapped_for = width
        return self._lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = len(self.lines_for(availWidth)) * self.leading
        return self.width, self.height

    def draw(self) -> None:
        draw_lines(self.canv, self.lines_for(self.width), self.font, self.size, self.leading, self.width, self.height,
                   self.align, self.strike, self.color)


def draw_lines(canv: Canvas, lines: list[str], font: str, size: float, leading: float, width: float, height: float,
               align: str = "left", strike: bool = False, color: Color | None = None) -> None:
    """Draw wrapped lines top down inside a box of `width` x `height` whose origin is the canvas origin."""
    canv.saveState()
    if color is not None:
        canv.setFillColor(color)
        canv.setStrokeColor(color)
    canv.setFont(font, size, leading)
    baseline = height - leading + (leading - size) / 2 + size * DESCENT
    for line in lines:
        if align == "right":
            canv.drawRightString(width, baseline, line)
        elif align == "centre":
            canv.drawCentredString(width / 2, baseline, line)
        else:
            canv.drawString(0, baseline, line)
        if strike and line:
            line_width = _width(line, font, size)
            left = {"right": width - line_width, "centre": (width - line_width) / 2}.get(align, 0.0)
            canv.setLineWidth(max(size / 12, 0.6))
            canv.line(left, baseline + size * 0.3, left + line_width, baseline + size * 0.3)
        baseline -= leading
    canv.restoreState()


class Pairs(Flowable):
    """Labelled values on one line after another ("ORDERED 240 mg   GIVEN 219 mg ..."), wrapping between pairs:
    the compact form of a row of fields. A value never breaks from its label; a pair wider than the line
    wraps its value."""

    GAP = 12.0

    def __init__(self, pairs: list[tuple[str, str]], regular: str, bold: str, *, size: float = 9.5,
                 strike: bool = False) -> None:
        super().__init__()
        self.pairs = [(printable(label.upper()), printable(value)) for label, value in pairs]
        self.regular, self.bold, self.size, self.strike = regular, bold, size, strike
        self.label_size = size * 0.8
        self.leading = size * 1.3
        self._placed_for = -1.0
        self._placed: list[tuple[float, float, int, str, str]] = []  # label x, value x, line, label, value
        self._lines = 0

    def _place(self, width: float) -> None:
        if width == self._placed_for:
            return
        placed: list[tuple[float, float, int, str, str]] = []
        x, line = 0.0, 0
        for label, value in self.pairs:
            label_width = _width(label, self.regular, self.label_size) + 3
            value_lines = wrap_lines(value, self.bold, self.size, max(width - label_width, 1.0))
            pair_width = label_width + _width(value_lines[0], self.bold, self.size)
            if x and (x + pair_width > width or len(value_lines) > 1):
                x, line = 0.0, line + 1
            for offset, part in enumerate(value_lines):
                placed.append((x, x + label_width, line + offset, label if offset == 0 else "", part))
            line += len(value_lines) - 1
            x += pair_width + self.GAP
        self._placed, self._lines, self._placed_for = placed, line + 1, width

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._place(availWidth)
        self.width, self.height = availWidth, self._lines * self.leading
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        for label_x, value_x, line, label, value in self._placed:
            baseline = self.height - (line + 1) * self.leading + (self.leading - self.size) / 2 + self.size * DESCENT
            if label:
                canv.setFont(self.regular, self.label_size)
                canv.drawString(label_x, baseline, label)
            canv.setFont(self.bold, self.size)
            canv.drawString(value_x, baseline, value)
            if self.strike and value:
                end = value_x + _width(value, self.bold, self.size)
                canv.setLineWidth(0.8)
                canv.line(label_x if label else value_x, baseline + self.size * 0.3, end, baseline + self.size * 0.3)
        canv.restoreState()
