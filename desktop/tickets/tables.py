"""The ticket's tables (packages of a drug, claim lines of the visit, findings): they split and repeat their header."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from reportlab.lib import colors
from reportlab.lib.colors import white
from reportlab.platypus import Flowable, Table, TableStyle

from desktop.tickets import text
from desktop.tickets.cells import Pairs, Text
from desktop.tickets.model import TicketData, TicketDrug, TicketLine
from desktop.tickets.styles import INK, RULE, SHADE, table_style, ticket_styles

Row = list[Flowable | str]
CELL = 9.5  # points
SMALL = 7


def cell(value: str, *, bold: bool = False, size: float = CELL, align: str = "left", strike: bool = False,
         fit: bool = False) -> Text:
    styles = ticket_styles()
    return Text(value, styles.bold if bold else styles.regular, size, size * 1.21, align=align, strike=strike, fit=fit)


def code(value: str, *, bold: bool = True, size: float = CELL, align: str = "left", strike: bool = False) -> Text:
    """A code, number or amount: never broken inside, made smaller instead when the column is too narrow."""
    return cell(value, bold=bold, size=size, align=align, strike=strike, fit=True)


def grid_style(*, total_rows: int = 0, extra: Sequence[tuple[object, ...]] = ()) -> TableStyle:
    commands: list[tuple[object, ...]] = [
        ("BOX", (0, 0), (-1, -1), 0.9, INK),
        ("LINEBELOW", (0, 0), (-1, 0), 1.2, INK),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("INNERGRID", (0, 1), (-1, -1), 0.4, RULE),
        ("LINEAFTER", (0, 0), (-2, 0), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if total_rows:
        commands.append(("LINEABOVE", (0, -total_rows), (-1, -total_rows), 1.2, INK))
    return table_style([*commands, *extra])


def widths(fixed: Sequence[float | None], width: float) -> list[float]:
    """Column widths in points: fixed ones as given (sized so codes never wrap), None shares the rest."""
    flexible = sum(1 for w in fixed if w is None)
    rest = (width - sum(w for w in fixed if w is not None)) / max(flexible, 1)
    return [rest if w is None else w for w in fixed]


def table(rows: Sequence[Row], fixed: Sequence[float | None], width: float, *, total_rows: int = 0,
          extra: Sequence[tuple[object, ...]] = (), repeat: int = 1) -> Table:
    made = Table(list(rows), colWidths=widths(fixed, width), repeatRows=repeat, hAlign="LEFT")
    made.setStyle(grid_style(total_rows=total_rows, extra=extra))
    return made


def head(*names: str, right: Sequence[str] = ()) -> Row:
    return [cell(name, bold=True, size=7.5, align="right" if name in right else "left") for name in names]


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


def drug_table(drug: TicketDrug, width: float) -> Table:
    """One drug in one table: a heading row (number, code, name; route and times; its state), the packages
    opened, and a row of its amounts and documented facts."""
    styles = ticket_styles()
    strike = not drug.active
    status = "VOID \u2014 NOT BILLED" if strike else drug.state.upper()
    rows: list[Row] = [
        [cell(f"Drug {drug.number}   {drug.hcpcs}   {drug.name}", bold=True, size=10, strike=strike), "", "",
         cell(_times(drug), size=9), "", "",
         Text(status, styles.bold, 9, align="right", color=white if strike else None), ""],
        head("Package", "NDC (11-digit)", "Lot", "Expiry", "Serial", "Count", "Label", "340B?"),
    ]
    for package in drug.packages:
        size = text.mg(package.label_mg) if package.label_mg is not None else text.DASH
        if package.multiple_dose:
            size += " (multi-dose)"
        rows.append([
            cell(package.description, size=9, strike=strike),
            code(package.ndc11, strike=strike),
            cell(text.or_dash(package.lot), strike=strike),
            code(text.date(package.expiry), bold=False, strike=strike),
            cell(text.or_dash(package.serial), size=8, strike=strike),
            code(str(package.count), strike=strike),
            cell(size, size=9, strike=strike),
            cell("340B" if package.acquired_340b else "Not 340B", bold=True, strike=strike),
        ])
    if not drug.packages:
        rows.append([cell("No packages recorded"), "", "", "", "", "", "", ""])
    rows.append([Pairs(_amount_pairs(drug), styles.regular, styles.bold, size=9, strike=strike), *[""] * 7])
    last = len(rows) - 1
    extra: list[tuple[object, ...]] = [
        ("SPAN", (0, 0), (2, 0)), ("SPAN", (3, 0), (5, 0)), ("SPAN", (6, 0), (7, 0)), ("SPAN", (0, last), (-1, last)),
        ("BACKGROUND", (0, 1), (-1, 1), SHADE), ("LINEBELOW", (0, 1), (-1, 1), 0.8, INK),
        ("LINEAFTER", (0, 0), (-2, 0), 0, colors.white), ("LINEABOVE", (0, last), (-1, last), 0.8, INK),
        ("TOPPADDING", (0, 1), (-1, -1), 1), ("BOTTOMPADDING", (0, 1), (-1, -1), 1.5),
        ("TOPPADDING", (0, last), (-1, last), 2.5), ("BOTTOMPADDING", (0, last), (-1, last), 2.5),
    ]
    if strike:  # solid black behind white words: a voided drug is seen before it is read
        extra.append(("BACKGROUND", (6, 0), (7, 0), INK))
    return table(rows, PACKAGE_COLUMNS, width, extra=extra, repeat=2)


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


def claim_lines_table(ticket: TicketData, width: float) -> Table:
    """Every line billed from this visit, numbered: the drug lines of each drug still billed, then the visit's
    administration codes with the reason for each in the NDC columns (an administration code has no NDC)."""
    lines = ticket.lines
    with_allowance = any(line.allowance is not None for line in lines)
    names = ["#", "Drug", "HCPCS", "Modifiers", "Units", "Line", "Qual.", "NDC (11-digit)", "NDC unit", "NDC qty",
             "Charge"]
    fixed: list[float | None] = [20, 30, 43, 48, 31, 54, 32, 81, 28, 40, None]
    if with_allowance:
        names.append("Expected allowance")
        fixed.append(None)
    rows: list[Row] = [head(*names, right=("Charge", "Expected allowance"))]
    spans: list[tuple[object, ...]] = []
    for number, line in enumerate(lines, start=1):
        ndc = line.ndc
        row: Row = [
            code(str(number), bold=False),
            cell(str(line.drug) if line.drug is not None else "visit", size=8),
            code(line.hcpcs),
            cell(" ".join(line.modifiers) or text.DASH, bold=True),
            code(str(line.units)),
        ]
        if line.drug is None and ndc is None:  # an administration code: why it is billed, where an NDC would be
            row += [cell(line.reason or text.LINE_KIND_NAMES[line.kind], size=SMALL), "", "", "", ""]
            spans.append(("SPAN", (5, number), (9, number)))
        else:
            row += [
                cell(text.LINE_KIND_NAMES.get(line.kind, str(line.kind)), size=9),
                cell(ndc.qualifier if ndc else text.DASH),
                code(ndc.ndc11 if ndc else text.DASH),
                cell(ndc.unit if ndc else text.DASH),
                code(text.number(ndc.quantity) if ndc else text.DASH),
            ]
        row.append(code(text.money(line.charge) if line.charge is not None else text.DASH, bold=False, size=9,
                        align="right"))
        if with_allowance:
            row.append(code(text.money(line.allowance) if line.allowance is not None else text.DASH, bold=False,
                            size=9, align="right"))
        rows.append(row)
    if not lines:
        rows.append([cell("No billable lines: every drug of this visit is voided" if ticket.drugs
                          else "No billable lines"), *[""] * (len(names) - 1)])
        spans.append(("SPAN", (0, 1), (-1, 1)))
    totals = _total_rows(ticket, len(names), with_allowance)
    for offset in range(len(totals)):
        row_index = len(rows) + offset
        spans.append(("SPAN", (0, row_index), (len(names) - 2 - with_allowance, row_index)))
    rows += totals
    money = len(names) - 1 - with_allowance
    spans += [("LEFTPADDING", (money, 0), (-1, -1), 3), ("RIGHTPADDING", (money, 0), (-1, -1), 3)]
    return table(rows, fixed, width, total_rows=len(totals), extra=spans)


def _total_rows(ticket: TicketData, columns: int, with_allowance: bool) -> list[Row]:
    """The totals, each saying what it covers (units of different codes never add up to anything keyed)."""
    rows: list[Row] = []
    label_columns = columns - 1 - with_allowance
    total = ticket.total_charge
    if total is not None:
        row: Row = [cell(total_words(ticket), bold=True, size=8.5), *[""] * (label_columns - 1),
                    code(text.money(total), align="right")]
        if with_allowance:
            row.append("")
        rows.append(row)
    allowance = ticket.total_allowance
    if allowance is not None:
        rows.append([cell(total_words(ticket, "allowance"), bold=True, size=8.5), *[""] * (label_columns - 1), "",
                     code(text.money(allowance), align="right")])
    return rows


def findings_table(ticket: TicketData, width: float) -> Table:
    rows: list[Row] = [head("Severity", "Drug", "Finding", "Acknowledged by, when")]
    for acknowledged in ticket.findings:
        finding = acknowledged.finding
        rows.append([
            cell(finding.severity.value.upper(), bold=True, size=8),
            cell(str(acknowledged.drug) if acknowledged.drug is not None else "visit", size=8),
            cell(f"{finding.message} ({finding.code})", size=8),
            [cell(acknowledged.acknowledged_by, bold=True, size=8),
             cell(text.date_time(acknowledged.acknowledged_at), size=8)],
        ])
    return table(rows, (58, 30, None, 124), width)
