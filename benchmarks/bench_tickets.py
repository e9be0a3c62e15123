"""Ticket rendering speed: ms per ticket and for a batch, as a ratio to a bare ReportLab table of the same size.

The baseline is what any ReportLab PDF of that much tabular text costs: one Table with as many rows and
cells as the ticket's tables hold (Helvetica, no embedded font, no page decoration), built in this same
run so the ratio holds on any machine.

Run: .venv/bin/python -m benchmarks.bench_tickets [--repeat 30] [--batch 500]
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import statistics
import time
from collections.abc import Callable

from reportlab.lib.pagesizes import LETTER
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

from desktop.tickets import TicketData, render_batch, render_ticket
from desktop.tickets.samples import j9302_ticket


def ticket_cells(ticket: TicketData) -> tuple[int, int]:
    """Rows and columns of a table holding as many cells as the ticket's tables (widest table: 10 columns)."""
    cells = 3 * 4  # patient and visit grid
    cells += (1 + len(ticket.packages)) * 7
    cells += 5  # drug amounts
    cells += (1 + len(ticket.lines) + (ticket.total_charge is not None)) * 10
    cells += (1 + len(ticket.findings)) * 4 if ticket.findings else 0
    cells += 3  # signatures
    columns = 10
    return -(-cells // columns), columns


def bare_table_pdf(rows: int, columns: int) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=LETTER)
    body = [[f"r{r}c{c}" for c in range(columns)] for r in range(rows)]
    table = Table(body, repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, (0, 0, 0))]))
    doc.build([table])
    return buffer.getvalue()


def best_ms(action: Callable[[], bytes], repeat: int) -> tuple[float, float]:
    """Median and best wall time in milliseconds over `repeat` runs (after one warm-up).

    Best is the steadier number on a shared machine; median shows what a busy one gives.
    """
    action()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=30, help="runs for the one-ticket timing")
    parser.add_argument("--batch", type=int, default=500, help="tickets in the batch")
    parser.add_argument("--batch-repeat", type=int, default=3, help="runs for the batch timing")
    args = parser.parse_args()

    ticket = j9302_ticket()
    rows, columns = ticket_cells(ticket)
    one_ms, one_best = best_ms(lambda: render_ticket(ticket), args.repeat)
    bare_ms, bare_best = best_ms(lambda: bare_table_pdf(rows, columns), args.repeat)

    tickets = [dataclasses.replace(ticket, ticket_number=f"T-2026-{n:06d}") for n in range(args.batch)]
    batch_ms, batch_best = best_ms(lambda: render_batch(tickets), args.batch_repeat)
    bare_batch_ms, bare_batch_best = best_ms(lambda: bare_table_pdf(rows * args.batch, columns), args.batch_repeat)
    batch_bytes = len(render_batch(tickets))

    print(f"one ticket (J9302, 1 page): {one_ms:.1f} ms median, {one_best:.1f} ms best")
    print(f"bare table {rows}x{columns}:        {bare_ms:.1f} ms median, {bare_best:.1f} ms best")
    print(f"ratio ticket / bare table:   {one_ms / bare_ms:.1f}x median, {one_best / bare_best:.1f}x best")
    print(f"batch of {args.batch}: {batch_ms:.0f} ms median, {batch_best:.0f} ms best "
          f"({batch_best / args.batch:.1f} ms per ticket at best, {batch_bytes / 1e6:.1f} MB)")
    print(f"bare table {rows * args.batch}x{columns}: {bare_batch_ms:.0f} ms median, {bare_batch_best:.0f} ms best")
    print(f"ratio batch / bare table:    {batch_ms / bare_batch_ms:.1f}x median, "
          f"{batch_best / bare_batch_best:.1f}x best")


if __name__ == "__main__":
    main()
