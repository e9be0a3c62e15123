"""Ticket values: validation, charges from a price per unit, what a total covers, and how numbers read."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from desktop.billing.model import ClaimLine, LineKind, NdcDetail
from desktop.tickets import TicketLine, VoidMark, render_batch
from desktop.tickets.samples import j9302_ticket, three_drug_ticket
from desktop.tickets.text import mg, money, ndc_hyphenated, number, one_line, printable, time_span
from desktop.tickets.ticket_tables import total_words


def test_line_charge_from_price_per_unit() -> None:
    ndc = NdcDetail("00078066913", "N4", "ML", Decimal("1.25"))
    claim = ClaimLine("J9302", LineKind.DISCARDED, 2, ("JW", "TB"), ndc, reason="waste")
    line = TicketLine.from_claim_line(claim, Decimal("148.27"), drug=1, allowance=Decimal("280.06"))
    assert line.charge == Decimal("296.54") and line.allowance == Decimal("280.06")
    assert line.modifiers == ("JW", "TB") and line.ndc == claim.ndc and line.drug == 1 and line.reason == "waste"
    assert TicketLine.from_claim_line(claim).charge is None


def test_total_charge_is_none_without_prices() -> None:
    ticket = j9302_ticket()
    assert ticket.total_charge == Decimal("4448.10") and ticket.total_allowance is None
    unpriced = dataclasses.replace(ticket, drugs=tuple(
        dataclasses.replace(d, lines=tuple(dataclasses.replace(x, charge=None) for x in d.lines))
        for d in ticket.drugs))
    assert unpriced.total_charge is None


def test_a_voided_drug_is_not_billed_nor_counted() -> None:
    ticket = three_drug_ticket()
    voided = dataclasses.replace(ticket.drugs[2], void=VoidMark("wrong vial"))
    partly = dataclasses.replace(ticket, drugs=(*ticket.drugs[:2], voided))
    assert [line.hcpcs for line in partly.lines] == ["J1100", "J9299", "96413", "96417", "96375"]
    assert partly.total_charge == ticket.total_charge - Decimal("159.02") * 100  # type: ignore[operator]
    assert total_words(partly) == ("Total charge of lines 2\u20134; not counted, no facility price: lines 1, 5 "
                                   "(J1100, 96375); voided drug 3 not billed")
    every = dataclasses.replace(ticket, code_lines=tuple(dataclasses.replace(x, charge=Decimal(1))
                                                         for x in ticket.code_lines),
                                drugs=(ticket.drugs[1],))
    assert total_words(every) == "Total charge of lines 1\u20134 (every line billed on this ticket)"


def test_printed_at_must_be_aware() -> None:
    with pytest.raises(ValueError, match="timezone"):
        dataclasses.replace(j9302_ticket(), printed_at=dt.datetime(2026, 3, 4, 17, 42))


def test_batch_needs_tickets() -> None:
    with pytest.raises(ValueError):
        render_batch([])


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Decimal("275.0"), "275 mg"), (Decimal("1000"), "1,000 mg"), (Decimal("12.50"), "12.5 mg")],
)
def test_mg(value: Decimal, expected: str) -> None:
    assert mg(value) == expected


def test_numbers_money_and_text() -> None:
    assert number(Decimal("13.750")) == "13.75"
    assert number(Decimal("1E+1")) == "10"
    assert money(Decimal("4448.1")) == "$4,448.10"
    assert ndc_hyphenated("00078066913") == "00078-0669-13"
    assert printable("a\tb\u0007c\nd") == "a b c\nd"
    assert one_line(" 400 River Rd \r\n Suite 2 ") == "400 River Rd Suite 2"
    start = dt.datetime(2026, 3, 4, 9, 10, tzinfo=dt.UTC)
    assert time_span(start, start + dt.timedelta(minutes=2)) == "09:10\u201309:12 UTC"
    assert time_span(start, None) == "09:10 UTC to \u2014"
