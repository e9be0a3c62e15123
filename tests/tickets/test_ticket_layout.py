"""Page flow: the usual visit fits one page, long ones flow with repeated headers, batches restart numbering."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import subprocess
import sys
from collections.abc import Callable

from pypdf import PdfReader

from desktop.tickets import PaperSize, render_batch, render_ticket
from desktop.tickets.samples import j9302_ticket, long_ticket, three_drug_ticket, usual_largest_ticket, void_ticket
from desktop.tickets.text import money

Pages = Callable[[bytes], list[str]]


def test_usual_three_drug_visit_fits_one_page_on_either_paper_even_with_a_finding(read_pages: Pages) -> None:
    ticket = dataclasses.replace(three_drug_ticket(), findings=j9302_ticket().findings)
    assert len(ticket.drugs) == 3 and len(ticket.lines) == 7
    for paper in PaperSize:
        pages = read_pages(render_ticket(dataclasses.replace(ticket, paper=paper)))
        assert len(pages) == 1, paper
        assert "Page 1 of 1" in pages[0]


def test_a_corrected_visit_flows_onto_a_second_page_with_every_line(read_pages: Pages) -> None:
    ticket = usual_largest_ticket()
    pages = read_pages(render_ticket(ticket))
    assert len(pages) == 2 and all(f"Page {n} of 2" in page for n, page in enumerate(pages, start=1))
    text = " ".join(pages)
    for number, drug in enumerate(ticket.drugs, start=1):
        assert f"Drug {number} {drug.hcpcs}" in text
    for number, line in enumerate(ticket.lines, start=1):
        assert f"{number} {line.drug or 'visit'} {line.hcpcs}" in text


def test_long_ticket_spans_pages_and_keeps_every_row(read_pages: Pages) -> None:
    ticket = long_ticket(drugs=6, packages=4)
    pages = read_pages(render_ticket(ticket))
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "T-2026-000999" in page
        assert "Okafor, Adaeze M. MRN 0048213 DOS 2026-03-04" in page  # whose ticket, on every page
    for later in pages[1:]:
        assert "CHARGE TICKET: ONE VISIT, EVERY DRUG (continued)" in later
    text = " ".join(pages)
    for drug in ticket.drugs:
        for package in drug.packages:
            assert package.lot in text
    for number, line in enumerate(ticket.lines, start=1):
        row = f"{number} {line.drug or 'visit'} {line.hcpcs} {' '.join(line.modifiers) or '—'} {line.units}"
        assert row in text, row
        if line.charge is not None:
            assert money(line.charge) in text
    assert f"{money(ticket.total_charge)}" in text  # type: ignore[arg-type]
    header = "# Drug HCPCS Modifiers Units Line Qual. NDC (11-digit) NDC unit NDC qty Charge"
    assert sum(header in page for page in pages) >= 1


def test_same_ticket_renders_to_identical_bytes() -> None:
    assert render_ticket(j9302_ticket()) == render_ticket(j9302_ticket())
    assert render_ticket(three_drug_ticket()) == render_ticket(three_drug_ticket())
    assert render_ticket(long_ticket()) == render_ticket(long_ticket())
    assert render_ticket(j9302_ticket()) != render_ticket(void_ticket())


def test_bytes_are_identical_across_processes() -> None:
    """Another interpreter (fresh font registration, other hash seed) gives the same bytes."""
    script = (
        "import hashlib, sys; from desktop.tickets import render_ticket; "
        "from desktop.tickets.samples import three_drug_ticket; "
        "sys.stdout.write(hashlib.sha256(render_ticket(three_drug_ticket())).hexdigest())"
    )
    other = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": "12345", "PATH": ""}).stdout
    assert other == hashlib.sha256(render_ticket(three_drug_ticket())).hexdigest()


def test_batch_starts_each_ticket_on_a_new_page_and_numbers_per_ticket(read_pages: Pages) -> None:
    a4_void = dataclasses.replace(void_ticket(), paper=PaperSize.A4)
    long = long_ticket()
    long_pages = len(read_pages(render_ticket(long)))
    tickets = [j9302_ticket(), long, a4_void]
    pdf = render_batch(tickets)
    pages = read_pages(pdf)
    assert len(pages) == 1 + long_pages + 1
    expected = [("T-2026-000417", 1, 1), *(("T-2026-000999", n, long_pages) for n in range(1, long_pages + 1)),
                ("T-2026-000417", 1, 1)]
    for page, (number, n, m) in zip(pages, expected, strict=True):
        assert number in page
        assert f"Page {n} of {m}" in page
    assert "PATIENT Okafor" in pages[0] and "PATIENT Okafor" in pages[1] and "PATIENT Okafor" in pages[-1]
    assert "VOID" not in pages[0] and "VOID — DO NOT BILL" in pages[-1]
    sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height)))
             for p in PdfReader(io.BytesIO(pdf)).pages]
    assert sizes == [(612, 792)] * (1 + long_pages) + [(595, 842)]
    assert render_batch(tickets) == pdf


def test_batch_of_one_is_the_ticket_page(read_pages: Pages) -> None:
    assert read_pages(render_batch([j9302_ticket()])) == read_pages(render_ticket(j9302_ticket()))
