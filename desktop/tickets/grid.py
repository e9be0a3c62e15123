"""A ruled grid of text cells drawn in one pass: the ticket's tables, at a fraction of platypus Table's cost.

ReportLab's Table measures and draws every cell as its own flowable (state saved, translated, restored, one
text object per string); a ticket is about two hundred small cells, and that was most of its time (issue 16,
see benchmarks/bench_tickets.py). Here a row's height comes from its wrapped lines, all text goes into one
text object, and all rules into one path. It splits between rows and repeats its header rows on the next page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.platypus import Flowable

from desktop.tickets.cells import DESCENT, wrap_lines
from desktop.tickets.styles import INK, RULE
from desktop.tickets.text import printable


@dataclass(frozen=True, slots=True)
class Part:
    """One run of text in a cell: its font, size and leading; `fit` shrinks a code rather than break it."""

    text: str
    font: str
    size: float
    leading: float
    strike: bool = False
    fit: bool = False


@dataclass(frozen=True, slots=True)
class Cell:
    """Parts stacked top to bottom (e.g. a label over its value), or one flowable, over `span` columns."""

    parts: tuple[Part, ...] = ()
    span: int = 1
    align: str = "left"  # left | right
    fill: Color | None = None
    color: Color | None = None  # text colour, e.g. white on a black fill
    flowable: Flowable | None = None


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[Cell, ...]
    fill: Color | None = None
    rule_above: float | None = None  # a heavier rule above this row (header separation, totals)
    pad_top: float = 1.5
    pad_bottom: float = 2.0
    valign: str = "middle"  # middle | top


@dataclass(slots=True)
class _Laid:
    """A cell placed: its left edge, width, wrapped lines per part and content height."""

    cell: Cell
    x: float
    width: float
    lines: list[tuple[Part, list[str], float]] = field(default_factory=list)  # part, lines, size used
    height: float = 0.0


class Grid(Flowable):
    """Rows of cells over fixed column widths, ruled like the ticket's tables; `header` rows repeat on a split."""

    def __init__(self, rows: Sequence[Row], widths: Sequence[float], *, header: int = 0, box: float = 0.9,
                 inner: float = 0.4, pad_x: float = 4.0) -> None:
        super().__init__()
        self.rows = list(rows)
        self.widths = list(widths)
        self.header = header
        self.box, self.inner, self.pad_x = box, inner, pad_x
        self._laid: list[list[_Laid]] = []
        self._heights: list[float] = []
        self._laid_for = -1.0

    # measuring ------------------------------------------------------------------------------------------
    def _lay(self) -> None:
        if self._laid_for == sum(self.widths):
            return
        edges = [0.0]
        for width in self.widths:
            edges.append(edges[-1] + width)
        self._laid, self._heights = [], []
        for row in self.rows:
            column, laid_row, tallest = 0, [], 0.0
            for cell in row.cells:
                left, right = edges[column], edges[min(column + cell.span, len(self.widths))]
                laid = _Laid(cell, left, right - left)
                inner_width = laid.width - 2 * self.pad_x
                if cell.flowable is not None:
                    laid.height = cell.flowable.wrap(inner_width, 10_000)[1]
                for part in cell.parts:
                    size = _fitted_size(part, inner_width)
                    lines = wrap_lines(printable(part.text), part.font, size, inner_width)
                    laid.lines.append((part, lines, size))
                    laid.height += len(lines) * part.leading * size / part.size
                laid_row.append(laid)
                tallest = max(tallest, laid.height)
                column += cell.span
            self._laid.append(laid_row)
            self._heights.append(tallest + row.pad_top + row.pad_bottom)
        self._laid_for = sum(self.widths)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._lay()
        self.width, self.height = sum(self.widths), sum(self._heights)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self._lay()
        used, fits = 0.0, 0
        for height in self._heights:
            if used + height > availHeight:
                break
            used, fits = used + height, fits + 1
        if fits <= self.header or fits >= len(self.rows):
            return []
        options = dict(header=self.header, box=self.box, inner=self.inner, pad_x=self.pad_x)
        return [Grid(self.rows[:fits], self.widths, **options),  # type: ignore[arg-type]
                Grid(self.rows[: self.header] + self.rows[fits:], self.widths, **options)]  # type: ignore[arg-type]

    # drawing --------------------------------------------------------------------------------------------
    def draw(self) -> None:
        canv = self.canv
        tops = [self.height]
        for height in self._heights:
            tops.append(tops[-1] - height)
        self._draw_fills(tops)
        text = canv.beginText()
        colour, font = INK, ("", 0.0)
        strikes: list[tuple[float, float, float, float]] = []
        flowables: list[tuple[Flowable, float, float]] = []
        for row, laid_row, top, bottom in zip(self.rows, self._laid, tops[:-1], tops[1:], strict=True):
            for laid in laid_row:
                free = (top - bottom) - row.pad_top - row.pad_bottom - laid.height
                y = top - row.pad_top - (free / 2 if row.valign == "middle" else 0.0)
                if laid.cell.flowable is not None:
                    flowables.append((laid.cell.flowable, laid.x + self.pad_x, y - laid.height))
                if (laid.cell.color or INK) is not colour:  # a colour operator only where it changes
                    colour = laid.cell.color or INK
                    text.setFillColor(colour)
                for part, lines, size in laid.lines:
                    leading = part.leading * size / part.size
                    if (part.font, size) != font:
                        font = (part.font, size)
                        text.setFont(part.font, size, leading)
                    face = getFont(part.font)
                    for line in lines:
                        baseline = y - leading + (leading - size) / 2 + size * DESCENT
                        width = face.stringWidth(line, size)
                        x = laid.x + (laid.width - self.pad_x - width if laid.cell.align == "right" else self.pad_x)
                        text.setTextOrigin(x, baseline)
                        text.textOut(line)
                        if part.strike and line:
                            strikes.append((x, baseline + size * 0.3, x + width, baseline + size * 0.3))
                        y -= leading
        canv.drawText(text)
        canv.setStrokeColor(INK)
        if strikes:
            canv.setLineWidth(0.7)
            canv.lines(strikes)
        for flowable, x, y in flowables:
            flowable.drawOn(canv, x, y)
        self._draw_rules(tops)

    def _draw_fills(self, tops: list[float]) -> None:
        canv = self.canv
        for row, laid_row, top, bottom in zip(self.rows, self._laid, tops[:-1], tops[1:], strict=True):
            if row.fill is not None:
                canv.setFillColor(row.fill)
                canv.rect(0, bottom, self.width, top - bottom, stroke=0, fill=1)
            for laid in laid_row:
                if laid.cell.fill is not None:
                    canv.setFillColor(laid.cell.fill)
                    canv.rect(laid.x, bottom, laid.width, top - bottom, stroke=0, fill=1)
        canv.setFillColor(INK)

    def _draw_rules(self, tops: list[float]) -> None:
        canv = self.canv
        thin: list[tuple[float, float, float, float]] = []
        heavy: dict[float, list[tuple[float, float, float, float]]] = {}
        placed = zip(self.rows, self._laid, tops[:-1], tops[1:], strict=True)
        for index, (row, laid_row, top, bottom) in enumerate(placed):
            if index:
                line = (0.0, top, self.width, top)
                heavy.setdefault(row.rule_above, []).append(line) if row.rule_above else thin.append(line)
            thin += [(laid.x, top, laid.x, bottom) for laid in laid_row[1:]]
        canv.setStrokeColor(RULE)
        canv.setLineWidth(self.inner)
        canv.lines(thin)
        canv.setStrokeColor(INK)
        for width, lines in heavy.items():
            canv.setLineWidth(width)
            canv.lines(lines)
        canv.setLineWidth(self.box)
        canv.rect(0, 0, self.width, self.height, stroke=1, fill=0)


def _fitted_size(part: Part, width: float) -> float:
    if not part.fit:
        return part.size
    face, size, smallest = getFont(part.font), part.size, part.size * 0.7
    while size > smallest and face.stringWidth(part.text, size) > width:
        size -= 0.25
    return size
