"""The ticket's long tables (packages, claim lines, findings): they split across pages and repeat their header."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Paragraph, Table, TableStyle

from desktop.tickets import text
from desktop.tickets.model import TicketData
from desktop.tickets.styles import INK, RULE, SHADE, table_style, ticket_styles

Row = list[Paragraph | str]


def _grid_style(body_rows: int, *, total_row: bool = False) -> TableStyle:
    commands: list[tuple[object, ...]] = [
        ("BOX", (0, 0), (-1, -1), 0.9, INK),
        ("LINEBELOW", (0, 0), (-1, 0), 1.2, INK),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("INNERGRID", (0, 1), (-1, -1), 0.4, RULE),
        ("LINEAFTER", (0, 0), (-2, 0), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if total_row and body_rows:
        commands.append(("LINEABOVE", (0, -1), (-1, -1), 1.2, INK))
    return table_style(commands)


def _widths(fixed: Sequence[float | None], width: float) -> list[float]:
    """Column widths in points: fixed ones as given (sized so codes never wrap), None shares the rest."""
    flexible = sum(1 for w in fixed if w is None)
    rest = (width - sum(w for w in fixed if w is not None)) / max(flexible, 1)
    return [rest if w is None else w for w in fixed]


def _table(rows: Sequence[Row], fixed: Sequence[float | None], width: float, *, total_row: bool = False) -> Table:
    table = Table(
        list(rows),
        colWidths=_widths(fixed, width),
        repeatRows=1,  # a table that runs onto the next page shows its column names again
        hAlign="LEFT",
    )
    table.setStyle(_grid_style(len(rows) - 1, total_row=total_row))
    return table


def _head(*names: str) -> Row:
    styles = ticket_styles()
    return [Paragraph(name, styles.head_cell) for name in names]


def packages_table(ticket: TicketData, width: float) -> Table:
    styles = ticket_styles()
    rows: list[Row] = [_head("Drug", "NDC (11-digit)", "Lot", "Expiry", "Count", "Label", "340B?")]
    for package in ticket.packages:
        size = text.mg(package.label_mg) if package.label_mg is not None else text.DASH
        if package.multiple_dose:
            size += " (multi-dose)"
        rows.append(
            [
                Paragraph(text.markup(package.drug), styles.cell_narrow),
                Paragraph(package.ndc11, styles.cell_bold),
                Paragraph(text.markup(text.or_dash(package.lot)), styles.cell),
                Paragraph(text.date(package.expiry), styles.cell),
                Paragraph(f"{package.count}", styles.cell_bold),
                Paragraph(size, styles.cell),
                Paragraph("340B" if package.acquired_340b else "Not 340B", styles.cell_bold),
            ]
        )
    if not ticket.packages:
        rows.append([Paragraph("No packages recorded", styles.cell), "", "", "", "", "", ""])
    return _table(rows, (None, 86, 62, 64, 36, 56, 60), width)


def claim_lines_table(ticket: TicketData, width: float) -> Table:
    styles = ticket_styles()
    rows: list[Row] = [
        [
            *_head("#", "HCPCS", "Modifiers", "Units", "Line", "Qual.", "NDC (11-digit)", "NDC unit", "NDC qty"),
            Paragraph("Charge", styles.head_cell_right),
        ]
    ]
    for number, line in enumerate(ticket.lines, start=1):
        ndc = line.ndc
        rows.append(
            [
                Paragraph(str(number), styles.cell),
                Paragraph(line.hcpcs, styles.cell_bold),
                Paragraph(" ".join(line.modifiers) or text.DASH, styles.cell_bold),
                Paragraph(str(line.units), styles.cell_bold),
                Paragraph(text.LINE_KIND_NAMES.get(line.kind, str(line.kind)), styles.cell),
                Paragraph(ndc.qualifier if ndc else text.DASH, styles.cell),
                Paragraph(ndc.ndc11 if ndc else text.DASH, styles.cell_bold),
                Paragraph(ndc.unit if ndc else text.DASH, styles.cell),
                Paragraph(text.number(ndc.quantity) if ndc else text.DASH, styles.cell_bold),
                Paragraph(text.money(line.charge) if line.charge is not None else text.DASH, styles.cell_right),
            ]
        )
    if not ticket.lines:
        rows.append([Paragraph("No billable lines", styles.cell), *[""] * 9])
    total = ticket.total_charge
    if total is not None:
        # Units of different codes (drug, JW, administration) do not add up to anything a biller keys.
        rows.append(
            [
                Paragraph("Total charge", styles.cell_bold),
                *[""] * 8,
                Paragraph(f"<b>{text.money(total)}</b>", styles.cell_right),
            ]
        )
    fixed = (22, 50, 64, 40, 58, 38, 86, 44, 54, None)
    table = _table(rows, fixed, width, total_row=total is not None)
    if total is not None:
        table.setStyle(TableStyle([("SPAN", (0, -1), (8, -1))]))
    return table


def findings_table(ticket: TicketData, width: float) -> Table:
    styles = ticket_styles()
    rows: list[Row] = [_head("Severity", "Finding", "Acknowledged by", "When")]
    for acknowledged in ticket.findings:
        finding = acknowledged.finding
        rows.append(
            [
                Paragraph(finding.severity.value.upper(), styles.cell_bold),
                Paragraph(f"{text.markup(finding.message)} <font size=7.5>({finding.code})</font>", styles.cell),
                Paragraph(text.markup(acknowledged.acknowledged_by), styles.cell_bold),
                Paragraph(text.date_time(acknowledged.acknowledged_at), styles.cell),
            ]
        )
    return _table(rows, (70, None, 112, 118), width)
