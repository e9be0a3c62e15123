"""The ticket's fixed blocks: status banners, patient and visit grid, drug amounts, signatures."""

from __future__ import annotations

from reportlab.platypus import Flowable, HRFlowable, KeepTogether, Paragraph, Spacer, Table

from desktop.tickets import text
from desktop.tickets.model import TicketData
from desktop.tickets.styles import INK, RULE, table_style, ticket_styles
from desktop.tickets.tables import claim_lines_table, findings_table, packages_table


def _boxed(paragraphs: list[Paragraph], width: float, border: float, dash: tuple[int, int] | None = None) -> Table:
    table = Table([[paragraphs]], colWidths=[width], hAlign="LEFT")
    box: tuple[object, ...] = ("BOX", (0, 0), (-1, -1), border, INK)
    if dash is not None:
        box = (*box, None, dash)
    table.setStyle(
        table_style([box, ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                    ("LEFTPADDING", (0, 0), (-1, -1), 9)])
    )
    return table


def banners(ticket: TicketData, width: float) -> list[Flowable]:
    styles = ticket_styles()
    out: list[Flowable] = []
    if ticket.void is not None:
        void = ticket.void
        who = f"Voided by {text.markup(void.voided_by)}" if void.voided_by else "Voided"
        if void.voided_at is not None:
            who += f" on {text.date_time(void.voided_at)}"
        out.append(
            _boxed(
                [
                    Paragraph("VOID \u2014 DO NOT BILL FROM THIS TICKET", styles.banner_title),
                    Paragraph(f"<b>Reason:</b> {text.markup(void.reason)}", styles.banner_text),
                    Paragraph(who, styles.banner_text),
                ],
                width,
                3,
            )
        )
    if ticket.replaces_ticket:
        replaced = text.markup(ticket.replaces_ticket)
        out.append(
            _boxed(
                [
                    Paragraph(f"REPLACEMENT: replaces ticket {replaced}", styles.banner_title),
                    Paragraph(
                        f"Ticket {replaced} is void. Bill from this ticket ({text.markup(ticket.ticket_number)}) "
                        "only.",
                        styles.banner_text,
                    ),
                ],
                width,
                2,
            )
        )
    if ticket.reprint:
        out.append(
            _boxed(
                [
                    Paragraph("REPRINT", styles.banner_title),
                    Paragraph("A copy of a ticket already printed. Check it has not been billed already.",
                              styles.banner_text),
                ],
                width,
                1.5,
                dash=(4, 3),
            )
        )
    spaced: list[Flowable] = []
    for banner in out:
        spaced += [banner, Spacer(1, 5)]
    return spaced


def _field(label: str, value: str) -> list[Paragraph]:
    styles = ticket_styles()
    return [Paragraph(label.upper(), styles.label), Paragraph(value, styles.value)]


def _field_grid(rows: list[list[list[Paragraph]]], width: float, fractions: tuple[float, ...]) -> Table:
    table = Table(rows, colWidths=[width * f for f in fractions], hAlign="LEFT")
    table.setStyle(
        table_style(
            [
                ("BOX", (0, 0), (-1, -1), 0.9, INK),
                ("INNERGRID", (0, 0), (-1, -1), 0.4, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
            ]
        )
    )
    return table


def visit_grid(ticket: TicketData, width: float) -> Table:
    patient = ticket.patient
    ordered = "not documented" if ticket.ordered_dose_mg is None else text.mg(ticket.ordered_dose_mg)
    if ticket.ordered_dose_note:
        ordered += f" ({text.markup(ticket.ordered_dose_note)})"
    duration = text.minutes_between(ticket.infusion_start, ticket.infusion_stop)
    stop = text.time_of_day(ticket.infusion_stop) + (f" ({duration})" if duration else "")
    rows = [
        [
            _field("Patient", text.markup(patient.name)),
            _field("MRN", text.markup(patient.mrn)),
            _field("Date of birth", text.date(patient.date_of_birth)),
            _field("Date of service", text.date(ticket.date_of_service)),
        ],
        [
            _field("Payer", text.markup(ticket.payer)),
            _field("Payer class", text.PAYER_CLASS_NAMES.get(ticket.payer_class, str(ticket.payer_class))),
            _field("Prior authorization", text.markup(text.or_dash(ticket.prior_auth))),
            _field("Chair", text.markup(text.or_dash(ticket.chair))),
        ],
        [
            _field("Diagnosis (ICD-10-CM)", text.markup(", ".join(ticket.diagnosis_codes) or text.DASH)),
            _field("Ordered dose / route", f"{ordered} {text.markup(ticket.route)}"),
            _field("Infusion start", text.time_of_day(ticket.infusion_start)),
            _field("Infusion stop", stop),
        ],
    ]
    return _field_grid(rows, width, (0.25, 0.25, 0.25, 0.25))


def amounts_grid(ticket: TicketData, width: float) -> Table:
    opened = [p.label_mg * p.count for p in ticket.packages if p.label_mg is not None]
    opened_text = text.mg(sum(opened, start=ticket.administered_mg * 0)) if opened else text.DASH
    rows = [
        [
            _field("Administered", text.mg(ticket.administered_mg)),
            _field("Discarded", text.mg(ticket.discarded_mg)),
            _field("Opened (label)", opened_text),
            _field("Discarded by", text.markup(text.or_dash(ticket.discarded_by))),
            _field("Witness", text.markup(text.or_dash(ticket.witness))),
        ]
    ]
    return _field_grid(rows, width, (0.15, 0.15, 0.16, 0.27, 0.27))


def _signature_block(role: str, name: str) -> list[Flowable]:
    styles = ticket_styles()
    return [
        Paragraph(role.upper(), styles.label),
        Spacer(1, 22),  # room to sign above the rule
        HRFlowable(width="96%", thickness=0.8, color=INK, spaceBefore=0, spaceAfter=2, hAlign="LEFT"),
        Paragraph(f"<b>{text.markup(text.or_dash(name))}</b>   signature, date and time", styles.small),
    ]


def signatures(ticket: TicketData, width: float) -> Flowable:
    """Signature boxes side by side: the nurse always, the waste witness when drug was discarded."""
    blocks = [_signature_block("Administering nurse", ticket.nurse)]
    if ticket.discarded_mg > 0:
        blocks.append(_signature_block("Waste witness", ticket.witness))
    else:
        blocks.append([])
    gap = 18.0
    table = Table([[blocks[0], "", blocks[1]]], colWidths=[(width - gap) / 2, gap, (width - gap) / 2],
                  hAlign="LEFT")
    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("BOX", (0, 0), (0, 0), 0.9, INK),
        ("LEFTPADDING", (0, 0), (0, 0), 5),
    ]
    if ticket.discarded_mg > 0:
        commands += [("BOX", (2, 0), (2, 0), 0.9, INK), ("LEFTPADDING", (2, 0), (2, 0), 5)]
    table.setStyle(table_style(commands))
    return KeepTogether([Spacer(1, 8), table])


def ticket_story(ticket: TicketData, width: float) -> list[Flowable]:
    """Every flowable of one ticket, top to bottom."""
    styles = ticket_styles()
    story: list[Flowable] = [*banners(ticket, width), visit_grid(ticket, width)]
    story += [Paragraph("Packages opened", styles.heading), packages_table(ticket, width)]
    story += [Paragraph("Drug amounts", styles.heading), amounts_grid(ticket, width)]
    story += [Paragraph("Claim lines", styles.heading), claim_lines_table(ticket, width)]
    if ticket.findings:
        story += [Paragraph("Warnings acknowledged", styles.heading), findings_table(ticket, width)]
    if ticket.notes.strip():
        story += [Paragraph("Notes", styles.heading), Paragraph(text.markup(ticket.notes), styles.body)]
    story.append(signatures(ticket, width))
    return story
