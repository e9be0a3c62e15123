"""Voided, partly voided, corrected, replacement, reprinted and A4 tickets say what they are, on every page."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable

import pytest
from pypdf import PdfReader

from desktop.tickets import VoidMark, render_ticket
from desktop.tickets.samples import (
    a4_ticket,
    j9302_ticket,
    long_ticket,
    replacement_ticket,
    reprint_ticket,
    usual_largest_ticket,
    void_ticket,
)

Pages = Callable[[bytes], list[str]]


def test_void_ticket_is_marked_with_reason_and_who(read_pages: Pages) -> None:
    (text,) = read_pages(render_ticket(void_ticket()))
    assert "VOID — DO NOT BILL FROM THIS TICKET" in text
    assert "Reason: Wrong patient selected at the chair; re-entered as T-2026-000418." in text
    assert "Voided by Dana Kim (billing) on 2026-03-04 17:55 EST" in text
    assert "VOID: DO NOT BILL" in text  # footer
    assert "RECORD STATE Void" in text and "DRUGS 0 billed, 1 voided" in text
    assert "Lines not billed: J9302 TB x 28; J9302 JW TB x 2" in text  # still legible as evidence
    assert "No billable lines: every drug of this visit is voided" in text


def test_void_mark_is_on_every_page_of_a_long_void_ticket(read_pages: Pages) -> None:
    ticket = dataclasses.replace(long_ticket(), void=void_ticket().void)
    pages = read_pages(render_ticket(ticket))
    assert len(pages) > 1
    for page in pages:
        assert page.startswith("VOID ")  # the watermark, drawn first, under the content
        assert "TICKET NUMBER T-2026-000999 VOID" in page  # the tag beside the number
        assert "VOID: DO NOT BILL" in page  # the footer


def test_a_voided_drug_in_a_billed_visit_is_struck_and_says_why(read_pages: Pages) -> None:
    text = " ".join(read_pages(render_ticket(usual_largest_ticket())))
    assert "Drug 3 J9228 ipilimumab (Yervoy) IV \u00b7 10:10\u201310:40 EST (30 min) VOID — NOT BILLED" in text
    assert "Voided by Rachel Patel, RN on 2026-03-04 10:50 EST. Reason: Wrong vial size entered. Corrected by drug 4." \
        in text
    assert "Corrects drug 3 (voided)." in text and "RECORD STATE Differs by drug" in text
    assert "REPLACEMENT: corrected drugs in this visit drug 4 corrects drug 3" in text
    assert "VOID — DO NOT BILL" not in text  # the visit is still billed


def test_void_needs_a_reason() -> None:
    with pytest.raises(ValueError, match="reason"):
        VoidMark("  ")


def test_replacement_names_the_ticket_it_replaces(read_pages: Pages) -> None:
    (text,) = read_pages(render_ticket(replacement_ticket()))
    assert "T-2026-000418" in text
    assert "REPLACEMENT: replaces ticket T-2026-000417" in text
    assert "Ticket T-2026-000417 is void. Bill from this ticket (T-2026-000418) only." in text
    assert "VOID —" not in text


def test_reprint_is_marked(read_pages: Pages) -> None:
    (text,) = read_pages(render_ticket(reprint_ticket()))
    assert "REPRINT" in text
    assert "Check it has not been billed already." in text
    assert "Printed 2026-03-05 09:15 EST (reprint)" in text
    (original,) = read_pages(render_ticket(j9302_ticket()))
    assert "REPRINT" not in original


@pytest.mark.parametrize(
    ("ticket", "size"),
    [(j9302_ticket(), (612, 792)), (a4_ticket(), (595, 842))],
    ids=["letter", "a4"],
)
def test_paper_size(ticket: object, size: tuple[int, int], read_pages: Pages) -> None:
    pdf = render_ticket(ticket)  # type: ignore[arg-type]
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size
    (text,) = read_pages(pdf)
    assert "1 1 J9302 TB 28 Given N4 00078066913 ML 13.75 $4,151.56" in text
    assert "2 1 J9302 JW TB 2 Discarded N4 00078066913 ML 1.25 $296.54" in text
