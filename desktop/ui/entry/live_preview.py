"""The live preview on the page: each field's message or note, opened and suggested mg, and the visit's claim
with the drug on the form (computed by the chair door as the recording service will save it)."""

from __future__ import annotations

from decimal import Decimal

from desktop.facade.chair_types import ChargePreview, VisitDetail
from desktop.ui.entry.entry_page import EntryPage
from desktop.ui.entry.form_reader import FormReading

TIME_CODES = frozenset({"NO_INFUSION_TIME", "MISSING_INFUSION_TIMES"})


def mg_text(amount: Decimal) -> str:
    return f"{amount.normalize():f}"


def payer_clash(stored: VisitDetail | None, reading: FormReading) -> str:
    """Words when the form's payer class differs from today's stored visit (one visit has one payer class)."""
    if stored is None or stored.payer_class is reading.charge.payer_class:
        return ""
    return (f"Today's visit #{stored.id} is billed to {stored.payer_class.value.replace('_', ' ')}: one visit has "
            "one payer class. Set the payer class back, or void the visit's drugs first.")


def show_reading(page: EntryPage, reading: FormReading) -> None:
    """Each field's problem (or, when it has none, how its entry was understood) beside it."""
    for messages in reading.messages.keys() | reading.notes.keys():
        problem, note = reading.messages.get(messages, ""), reading.notes.get(messages, "")
        messages.show(problem or note, note=not problem)


def show_preview(page: EntryPage, reading: FormReading, preview: ChargePreview, suggestion: Decimal | None,
                 drug_names: list[str]) -> None:
    amounts = page.amounts
    amounts.opened.setText(f"Opened: {mg_text(preview.opened_mg)} mg" if reading.charge.vials
                           else "Opened: nothing yet")
    amounts.suggestion.setText(f"suggested: {mg_text(suggestion)}" if suggestion is not None else "")
    # A time field with a message already says what is wrong: its findings are not repeated in the claim.
    times_wrong = bool(reading.messages.get(amounts.start_messages) or reading.messages.get(amounts.stop_messages))
    page.preview.show_preview(preview, tuple(reading.problems), TIME_CODES if times_wrong else frozenset(),
                              drug_names)
