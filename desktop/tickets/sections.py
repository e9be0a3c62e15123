"""The ticket's blocks: status banners, the visit grid, one block per drug, claim lines, findings, signatures."""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, Flowable, HRFlowable, KeepTogether, Spacer, Table

from desktop.records.payer_words import payer_words
from desktop.tickets import text
from desktop.tickets.cells import Text
from desktop.tickets.grid import Grid, Row
from desktop.tickets.styles import INK, table_style, ticket_styles
from desktop.tickets.ticket_data import TicketData, TicketDrug
from desktop.tickets.ticket_tables import BLANK, cell, claim_lines_table, drug_table, field_cell, findings_table

FACTS_PER_ROW = 4


def _boxed(lines: list[Flowable], width: float, border: float, dash: tuple[int, int] | None = None) -> Table:
    boxed = Table([[lines]], colWidths=[width], hAlign="LEFT")
    box: tuple[object, ...] = ("BOX", (0, 0), (-1, -1), border, INK)
    if dash is not None:
        box = (*box, None, dash)
    boxed.setStyle(table_style([box, ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                                ("LEFTPADDING", (0, 0), (-1, -1), 9)]))
    return boxed


def _title(words: str) -> Text:
    return Text(words, ticket_styles().bold, 15, 18)


def _words(words: str, *, bold: bool = False) -> Text:
    return cell(words, bold=bold, size=10)


def _voided_words(who: str, when: str) -> str:
    words = f"Voided by {who}" if who else "Voided"
    return words + (f" on {when}" if when != text.DASH else "")


def banners(ticket: TicketData, width: float) -> list[Flowable]:
    out: list[Flowable] = []
    if ticket.void is not None:
        void = ticket.void
        out.append(_boxed([
            _title("VOID \u2014 DO NOT BILL FROM THIS TICKET"),
            _words(f"Reason: {void.reason}"),
            _words(_voided_words(void.voided_by, text.date_time(void.voided_at))),
        ], width, 3))
    if ticket.replaces_ticket:
        replaced = ticket.replaces_ticket
        out.append(_boxed([
            _title(f"REPLACEMENT: replaces ticket {replaced}"),
            _words(f"Ticket {replaced} is void. Bill from this ticket ({ticket.ticket_number}) only."),
        ], width, 2))
    elif ticket.replaced:
        corrections = "; ".join(f"drug {d.number} corrects {d.replaces}" for d in ticket.replaced)
        out.append(_boxed([
            _title("REPLACEMENT: corrected drugs in this visit"),
            _words(f"{corrections} (voided, struck through below). Earlier printings of {ticket.ticket_number} "
                   "are out of date: bill from this printing only."),
        ], width, 2))
    if ticket.reprint:
        out.append(_boxed([
            _title("REPRINT"),
            _words("A copy of a ticket already printed. Check it has not been billed already."),
        ], width, 1.5, dash=(4, 3)))
    spaced: list[Flowable] = []
    for banner in out:
        spaced += [banner, Spacer(1, 5)]
    return spaced


def _drug_count(ticket: TicketData) -> str:
    voided = sum(1 for d in ticket.drugs if not d.active)
    billed = len(ticket.drugs) - voided
    return f"{billed} billed" + (f", {voided} voided" if voided else "")


def visit_grid(ticket: TicketData, width: float) -> Grid:
    """Who, when, where and the state of the record, then every documented fact of the visit in the order of
    its definition (a fact added to the definition appears here without a change to this code)."""
    patient = ticket.patient
    cells = [
        field_cell("Patient", patient.name), field_cell("MRN", patient.mrn),
        field_cell("Date of birth", text.date(patient.date_of_birth)),
        field_cell("Date of service", text.date(ticket.date_of_service)),
        field_cell("Payer class", payer_words(ticket.payer_class)),
        field_cell("Place of service", ticket.place_of_service), field_cell("Record state", ticket.state),
        field_cell("Drugs", _drug_count(ticket)),
        *(field_cell(fact.label, fact.value) for fact in ticket.facts),
    ]
    cells += [BLANK] * (-len(cells) % FACTS_PER_ROW)
    rows = [Row(tuple(cells[i:i + FACTS_PER_ROW]), valign="top", pad_bottom=3)
            for i in range(0, len(cells), FACTS_PER_ROW)]
    return Grid(rows, [width / FACTS_PER_ROW] * FACTS_PER_ROW)


def _drug_notes(drug: TicketDrug) -> list[Flowable]:
    notes: list[Flowable] = []
    if drug.void is not None:
        void = drug.void
        words = f"{_voided_words(void.voided_by, text.date_time(void.voided_at))}. Reason: {void.reason}"
        if drug.replaced_by:
            words += f" Corrected by {drug.replaced_by}."
        notes.append(cell(words, bold=True, size=9))
        if drug.lines:
            billed_before = "; ".join(f"{line.hcpcs} {' '.join(line.modifiers)} x {line.units}".replace("  ", " ")
                                      for line in drug.lines)
            notes.append(cell(f"Lines not billed: {billed_before}", size=8.5, strike=True))
    if drug.replaces:
        notes.append(cell(f"Corrects {drug.replaces} (voided).", bold=True, size=9))
    if drug.split_dose_reason:
        notes.append(cell(f"Split dose: {drug.split_dose_reason}", size=9))
    return notes


def drug_block(drug: TicketDrug, width: float) -> Flowable:
    parts: list[Flowable] = [drug_table(drug, width)]
    notes = _drug_notes(drug)
    if notes:
        parts += [Spacer(1, 2), *notes]
    return KeepTogether([*parts, Spacer(1, 4)])


def _signature_block(role: str, name: str) -> list[Flowable]:
    styles = ticket_styles()
    return [
        Text(role.upper(), styles.regular, 7.5, 9),
        Spacer(1, 17),  # room to sign above the rule
        HRFlowable(width="96%", thickness=0.8, color=INK, spaceBefore=0, spaceAfter=2, hAlign="LEFT"),
        Text(f"{text.or_dash(name)}   signature, date and time", styles.regular, 8, 10),
    ]


def signatures(ticket: TicketData, width: float) -> Flowable:
    """Signature boxes side by side: the nurse always, the waste witness when drug was discarded."""
    blocks: list[list[Flowable]] = [_signature_block("Administering nurse", ticket.nurse)]
    wasted = any(d.discarded_mg > 0 for d in ticket.drugs if d.active)
    if wasted:
        blocks.append(_signature_block("Waste witness", "; ".join(ticket.witnesses)))
    else:
        blocks.append([])
    gap = 18.0
    boxes = Table([[blocks[0], "", blocks[1]]], colWidths=[(width - gap) / 2, gap, (width - gap) / 2], hAlign="LEFT")
    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("BOX", (0, 0), (0, 0), 0.9, INK),
        ("LEFTPADDING", (0, 0), (0, 0), 5),
    ]
    if wasted:
        commands += [("BOX", (2, 0), (2, 0), 0.9, INK), ("LEFTPADDING", (2, 0), (2, 0), 5)]
    boxes.setStyle(table_style(commands))
    return KeepTogether([Spacer(1, 5), boxes])


def heading(words: str) -> Text:
    heading_text = Text(words, ticket_styles().bold, 10.5, 12.5)
    heading_text.spaceBefore, heading_text.spaceAfter = 4, 2
    heading_text.keepWithNext = 1
    return heading_text


def _claim_heading(ticket: TicketData, width: float) -> Table:
    """ "Claim lines" and, beside it, which revision of the administration codes is billed."""
    styles = ticket_styles()
    words = Table([[Text("Claim lines", styles.bold, 10.5, 12.5), cell(ticket.code_revision, size=7.5)]],
                  colWidths=[72, width - 72], hAlign="LEFT")
    words.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    words.keepWithNext = 1
    return words


def ticket_story(ticket: TicketData, width: float) -> list[Flowable]:
    """Every flowable of one ticket, top to bottom."""
    story: list[Flowable] = [*banners(ticket, width), visit_grid(ticket, width), Spacer(1, 5)]
    story += [drug_block(drug, width) for drug in ticket.drugs]
    story += [CondPageBreak(60), _claim_heading(ticket, width), claim_lines_table(ticket, width)]
    if ticket.findings:
        story += [heading("Warnings acknowledged"), findings_table(ticket, width)]
    if ticket.notes.strip():
        story += [heading("Notes"), cell(ticket.notes, size=9.5)]
    story.append(signatures(ticket, width))
    return story
