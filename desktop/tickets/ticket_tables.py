"""The ticket's tables (packages of a drug, claim lines of the visit, findings): they split and repeat their header."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from reportlab.lib.colors import Color, white

from desktop.tickets import text
from desktop.tickets.cells import Pairs, Text
from desktop.tickets.grid import Cell, Grid, Part, Row
from desktop.tickets.styles import INK, SHADE, ticket_styles
from desktop.tickets.ticket_data import TicketData, TicketDrug, TicketLine

CELL = 9.5  # points
SMALL = 7


def cell(value: str, *, bold: bool = False, size: float = CELL, align: str = "left", strike: bool = False,
         fit: bool = False) -> Text:
    """A cell's text as a flowable of its own, for blocks outside the grids (notes, banners)."""
    styles = ticket_styles()
    return Text(value, styles.bold if bold else styles.regular, size, size * 1.21, align=align, strike=strike, fit=fit)


def part(value: str, *, bold: bool = False, size: float = CELL, strike: bool = False, fit: bool = False,
         leading: float = 1.21) -> Part:
    styles = ticket_styles()
    return Part(value, styles.bold if bold else styles.regular, size, size * leading, strike, fit)


def words(value: str, *, bold: bool = False, size: float = CELL, align: str = "left", strike: bool = False,
          span: int = 1, fill: Color | None = None, color: Color | None = None) -> Cell:
    """A grid cell of words, wrapped at spaces when the column is narrow."""
    return Cell((part(value, bold=bold, size=size, strike=strike),), span, align, fill, color)


def code(value: str, *, bold: bool = True, size: float = CELL, align: str = "left", strike: bool = False) -> Cell:
    """A code, number or amount: never broken inside, made smaller instead when the column is too narrow."""
    return Cell((part(value, bold=bold, size=size, strike=strike, fit=True),), 1, align)


def field_cell(label: str, value: str) -> Cell:
    """A small upper-case label over its value in bold, as the visit grid shows each fact."""
    return Cell((part(label.upper(), size=6.8, leading=1.2), part(text.or_dash(value), bold=True, leading=1.22)))


BLANK = Cell()


def widths(fixed: Sequence[float | None], width: float) -> list[float]:
    """Column widths in points: fixed ones as given (sized so codes never wrap), None shares the rest."""
    flexible = sum(1 for w in fixed if w is None)
    rest = (width - sum(w for w in fixed if w is not None)) / max(flexible, 1)
    return [rest if w is None else w for w in fixed]


def head(*names: str, right: Sequence[str] = ()) -> Row:
    cells = tuple(words(name, bold=True, size=7.5, align="right" if name in right else "left") for name in names)
    return Row(cells, fill=SHADE)


PACKAGE_COLUMNS: tuple[float | None, ...] = (None, 82, 56, 64, 64, 36, 52, 58)


def _times(drug: TicketDrug) -> str:
    route = f"{drug.route} \u00b7 " if drug.route else ""
    if drug.infusion_start is None and drug.infusion_stop is None:
        return route + "times not documented"
    minutes = text.minutes_between(drug.infusion_start, drug.infusion_stop)
    return route + text.time_span(drug.infusion_start, drug.infusion_stop) + (f" ({minutes})" if minutes else "")


def _amount_pairs(drug: TicketDrug) -> list[tuple[str, str]]:
    opened = [p.label_mg * p.count for p in drug.packages if p.label_mg is not None]
    pairs = [
        ("Ordered", "not documented" if drug.ordered_dose_mg is None else text.mg(drug.ordered_dose_mg)),
        ("Administered", text.mg(drug.administered_mg)),
        ("Discarded", text.mg(drug.discarded_mg)),
        ("Opened", text.mg(sum(opened, start=drug.administered_mg * 0)) if opened else text.DASH),
    ]
    return pairs + [(fact.label, text.or_dash(fact.value)) for fact in drug.facts]


def drug_table(drug: TicketDrug, width: float) -> Grid:
    """One drug in one grid: a heading row (number, code, name; route and times; its state), the packages
    opened, and a row of its amounts and documented facts."""
    styles = ticket_styles()
    strike = not drug.active
    status = "VOID \u2014 NOT BILLED" if strike else drug.state.upper()
    rows = [
        Row((words(f"Drug {drug.number}   {drug.hcpcs}   {drug.name}", bold=True, size=10, strike=strike, span=3),
             words(_times(drug), size=9, span=3),
             words(status, bold=True, size=9, align="right", span=2, fill=INK if strike else None,
                   color=white if strike else None)),
            fill=SHADE, pad_top=2.5, pad_bottom=3),
        head("Package", "NDC (11-digit)", "Lot", "Expiry", "Serial", "Count", "Label", "340B?"),
    ]
    for number, package in enumerate(drug.packages):
        size = text.mg(package.label_mg) if package.label_mg is not None else text.DASH
        if package.multiple_dose:
            size += " (multi-dose)"
        rows.append(Row((
            words(package.description, size=9, strike=strike),
            code(package.ndc11, strike=strike),
            words(text.or_dash(package.lot), strike=strike),
            code(text.date(package.expiry), bold=False, strike=strike),
            words(text.or_dash(package.serial), size=8, strike=strike),
            code(str(package.count), strike=strike),
            words(size, size=9, strike=strike),
            words("340B" if package.acquired_340b else "Not 340B", bold=True, strike=strike),
        ), rule_above=0.8 if number == 0 else None, pad_top=1, pad_bottom=1.5))
    if not drug.packages:
        rows.append(Row((words("No packages recorded", span=8),), rule_above=0.8))
    pairs = Pairs(_amount_pairs(drug), styles.regular, styles.bold, size=9, strike=strike)
    rows.append(Row((Cell(span=8, flowable=pairs),), rule_above=0.8, pad_top=2.5, pad_bottom=2.5))
    return Grid(rows, widths(PACKAGE_COLUMNS, width), header=2)


def _line_numbers(numbers: Sequence[int]) -> str:
    """1, 2, 3, 5 -> "1\u20133, 5"."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(f"{r[0]}\u2013{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)


def _lines_word(numbers: Sequence[int]) -> str:
    return ("line " if len(numbers) == 1 else "lines ") + _line_numbers(numbers)


def total_words(ticket: TicketData, amount: str = "charge") -> str:
    """What a total covers, in words: which lines, and which lines are left out and why."""
    lines = ticket.lines
    valued = [n for n, line in enumerate(lines, 1) if _value(line, amount) is not None]
    missing = [n for n, line in enumerate(lines, 1) if _value(line, amount) is None]
    missing_codes = ", ".join(dict.fromkeys(lines[n - 1].hcpcs for n in missing))
    voided = [d.number for d in ticket.drugs if not d.active]
    name = "Total charge" if amount == "charge" else "Expected allowance"
    words = f"{name} of {_lines_word(valued)}"
    if not missing:
        words += " (every line billed on this ticket)"
    else:
        why = "no facility price" if amount == "charge" else "no payment limit known"
        words += f"; not counted, {why}: {_lines_word(missing)} ({missing_codes})"
    if voided:
        words += "; voided drug " + ", ".join(map(str, voided)) + " not billed"
    return words


def _value(line: TicketLine, amount: str) -> Decimal | None:
    return line.charge if amount == "charge" else line.allowance


def claim_lines_table(ticket: TicketData, width: float) -> Grid:
    """Every line billed from this visit, numbered: the drug lines of each drug still billed, then the visit's
    administration codes with the reason for each where the NDC would be (an administration code has none)."""
    lines = ticket.lines
    with_allowance = any(line.allowance is not None for line in lines)
    names = ["#", "Drug", "HCPCS", "Modifiers", "Units", "Line", "Qual.", "NDC (11-digit)", "NDC unit", "NDC qty",
             "Charge"]
    fixed: list[float | None] = [20, 30, 43, 48, 31, 54, 32, 81, 28, 40, None]
    if with_allowance:
        names.append("Expected allowance")
        fixed.append(None)
    rows = [head(*names, right=("Charge", "Expected allowance"))]
    for number, line in enumerate(lines, start=1):
        ndc = line.ndc
        cells = [
            code(str(number), bold=False),
            words(str(line.drug) if line.drug is not None else "visit", size=8),
            code(line.hcpcs),
            words(" ".join(line.modifiers) or text.DASH, bold=True),
            code(str(line.units)),
        ]
        if line.drug is None and ndc is None:  # an administration code: why it is billed, where an NDC would be
            cells.append(words(line.reason or text.LINE_KIND_NAMES[line.kind], size=SMALL, span=5))
        else:
            cells += [
                words(text.LINE_KIND_NAMES.get(line.kind, str(line.kind)), size=9),
                words(ndc.qualifier if ndc else text.DASH),
                code(ndc.ndc11 if ndc else text.DASH),
                words(ndc.unit if ndc else text.DASH),
                code(text.number(ndc.quantity) if ndc else text.DASH),
            ]
        cells.append(code(text.money(line.charge) if line.charge is not None else text.DASH, bold=False, size=9,
                          align="right"))
        if with_allowance:
            cells.append(code(text.money(line.allowance) if line.allowance is not None else text.DASH, bold=False,
                              size=9, align="right"))
        rows.append(Row(tuple(cells), rule_above=1.2 if number == 1 else None))
    if not lines:
        rows.append(Row((words("No billable lines: every drug of this visit is voided" if ticket.drugs
                               else "No billable lines", span=len(names)),), rule_above=1.2))
    rows += _total_rows(ticket, len(names), with_allowance)
    return Grid(rows, widths(fixed, width), header=1)


def _total_rows(ticket: TicketData, columns: int, with_allowance: bool) -> list[Row]:
    """The totals, each saying what it covers (units of different codes never add up to anything keyed)."""
    rows: list[Row] = []
    label_span = columns - 1 - with_allowance
    total = ticket.total_charge
    if total is not None:
        cells = [words(total_words(ticket), bold=True, size=8.5, span=label_span),
                 code(text.money(total), align="right")]
        if with_allowance:
            cells.append(BLANK)
        rows.append(Row(tuple(cells), rule_above=1.2))
    allowance = ticket.total_allowance
    if allowance is not None:
        rows.append(Row((words(total_words(ticket, "allowance"), bold=True, size=8.5, span=label_span), BLANK,
                         code(text.money(allowance), align="right")), rule_above=None if rows else 1.2))
    return rows


def findings_table(ticket: TicketData, width: float) -> Grid:
    rows = [head("Severity", "Drug", "Finding", "Acknowledged by, when")]
    for number, acknowledged in enumerate(ticket.findings):
        finding = acknowledged.finding
        rows.append(Row((
            words(finding.severity.value.upper(), bold=True, size=8),
            words(str(acknowledged.drug) if acknowledged.drug is not None else "visit", size=8),
            words(f"{finding.message} ({finding.code})", size=8),
            Cell((part(acknowledged.acknowledged_by, bold=True, size=8),
                  part(text.date_time(acknowledged.acknowledged_at), size=8))),
        ), rule_above=1.2 if number == 0 else None))
    return Grid(rows, widths((58, 30, None, 124), width), header=1)
