"""Ticket values: validation, charges from a price per unit, and how numbers read."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from desktop.billing.model import ClaimLine, LineKind, NdcDetail
from desktop.tickets import TicketLine, render_batch
from desktop.tickets.samples import j9302_ticket
from desktop.tickets.text import mg, money, ndc_hyphenated, number


def test_line_charge_from_price_per_unit() -> None:
    ndc = NdcDetail("00078066913", "N4", "ML", Decimal("1.25"))
    claim = ClaimLine("J9302", LineKind.DISCARDED, 2, ("JW", "TB"), ndc)
    line = TicketLine.from_claim_line(claim, Decimal("148.27"))
    assert line.charge == Decimal("296.54")
    assert line.modifiers == ("JW", "TB") and line.ndc == claim.ndc
    assert TicketLine.from_claim_line(claim).charge is None


def test_total_charge_is_none_without_prices() -> None:
    ticket = j9302_ticket()
    assert ticket.total_charge == Decimal("4448.10")
    unpriced = dataclasses.replace(ticket, lines=tuple(dataclasses.replace(x, charge=None) for x in ticket.lines))
    assert unpriced.total_charge is None


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


def test_numbers_and_money() -> None:
    assert number(Decimal("13.750")) == "13.75"
    assert number(Decimal("1E+1")) == "10"
    assert money(Decimal("4448.1")) == "$4,448.10"
    assert ndc_hyphenated("00078066913") == "00078-0669-13"
