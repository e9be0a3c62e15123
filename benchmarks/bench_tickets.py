"""Ticket rendering speed: one visit's ticket and a batch, each as a ratio to a bare ReportLab table of the same size.

The baseline is what any ReportLab PDF of that much tabular text costs: one Table with as many cells as the
ticket's tables hold (Helvetica, no embedded font, no page decoration), built in this same run so the ratio
holds on any machine; a batch's baseline is as many such tables, one a page. Goals (issue 16): one ticket
<= 3x its baseline, a batch of 500 in <= 3 s. Each figure is the median of --repeat runs (at least 5) after
one warm-up, in CPU time of this process (the ratios use it: on a shared machine wall time mostly measures
the neighbours), with the wall time beside it; the first render of the process (fonts registered, styles
built once) is printed apart.

Run: .venv/bin/python -m benchmarks.bench_tickets [--repeat 15] [--batch 500] [--batch-repeat 5]
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import statistics
import time
from collections.abc import Callable

from reportlab.lib.pagesizes import LETTER
from reportlab.platypus import Flowable, PageBreak, SimpleDocTemplate, Table, TableStyle

from desktop.tickets import TicketData, render_batch, render_ticket
from desktop.tickets.samples import j9302_ticket, three_drug_ticket

BARE_COLUMNS = 10
PACKAGE_COLUMNS = 8
CLAIM_COLUMNS = 11


def ticket_cells(ticket: TicketData) -> int:
    """How many table cells the ticket draws (grids, drug tables, claim lines, findings, signatures)."""
    cells = (2 + -(-len(ticket.facts) // 4)) * 4  # who/when/state, then the documented facts
    for drug in ticket.drugs:
        cells += 3 + PACKAGE_COLUMNS * (1 + max(len(drug.packages), 1)) + 1  # heading, packages, amounts
    totals = (ticket.total_charge is not None) + (ticket.total_allowance is not None)
    cells += CLAIM_COLUMNS * (1 + max(len(ticket.lines), 1) + totals)
    cells += 4 * (1 + len(ticket.findings)) if ticket.findings else 0
    return cells + 3  # signatures


def bare_table_pdf(rows: int, tables: int = 1, columns: int = BARE_COLUMNS) -> bytes:
    """`tables` plain tables of `rows` x `columns` short strings, one a page (Helvetica, a grid, nothing else)."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=LETTER)
    story: list[Flowable] = []
    for number in range(tables):
        body = [[f"r{r}c{c}" for c in range(columns)] for r in range(rows)]
        table = Table(body, repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, (0, 0, 0))]))
        story += [PageBreak(), table] if number else [table]
    doc.build(story)
    return buffer.getvalue()


def median_ms(action: Callable[[], bytes], repeat: int) -> tuple[float, float]:
    """Median CPU and wall time in milliseconds over `repeat` runs, after one warm-up."""
    action()
    cpu, wall = [], []
    for _ in range(repeat):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        action()
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start_wall) * 1000)
    return statistics.median(cpu), statistics.median(wall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15, help="runs for each one-ticket timing (at least 5)")
    parser.add_argument("--batch", type=int, default=500, help="tickets in the batch")
    parser.add_argument("--batch-repeat", type=int, default=5, help="runs for the batch timing (at least 5)")
    args = parser.parse_args()
    repeat, batch_repeat = max(args.repeat, 5), max(args.batch_repeat, 5)

    start = time.perf_counter()
    render_ticket(j9302_ticket())
    first_ms = (time.perf_counter() - start) * 1000
    print(f"first ticket of the process (fonts registered, styles built): {first_ms:.1f} ms")

    for name, ticket in (("J9302 visit, 1 drug", j9302_ticket()), ("3-drug visit", three_drug_ticket())):
        rows = -(-ticket_cells(ticket) // BARE_COLUMNS)
        one_cpu, one_wall = median_ms(lambda t=ticket: render_ticket(t), repeat)  # type: ignore[misc]
        bare_cpu, bare_wall = median_ms(lambda r=rows: bare_table_pdf(r), repeat)  # type: ignore[misc]
        print(f"one ticket ({name}): {one_cpu:.1f} ms CPU ({one_wall:.1f} ms wall); bare table {rows}x{BARE_COLUMNS}: "
              f"{bare_cpu:.1f} ms CPU ({bare_wall:.1f} ms wall); ratio {one_cpu / bare_cpu:.1f}x (goal <= 3x)")

    ticket = three_drug_ticket()
    rows = -(-ticket_cells(ticket) // BARE_COLUMNS)
    tickets = [dataclasses.replace(ticket, ticket_number=f"T-{n:06d}") for n in range(args.batch)]
    batch_cpu, batch_wall = median_ms(lambda: render_batch(tickets), batch_repeat)
    bare_cpu, bare_wall = median_ms(lambda: bare_table_pdf(rows, args.batch), batch_repeat)
    size = len(render_batch(tickets))
    print(f"batch of {args.batch} 3-drug tickets: {batch_cpu / 1000:.2f} s CPU ({batch_wall / 1000:.2f} s wall; "
          f"{batch_cpu / args.batch:.1f} ms each, {size / 1e6:.1f} MB; goal <= 3 s for 500); {args.batch} bare "
          f"tables of {rows}x{BARE_COLUMNS}: {bare_cpu / 1000:.2f} s CPU ({bare_wall / 1000:.2f} s wall); "
          f"ratio {batch_cpu / bare_cpu:.1f}x")


if __name__ == "__main__":
    main()
