"""What the chair form allows and says, from what was read and previewed: whether Accept and Hold are on, and
the status line (what is still needed, what to fix, or that it is ready)."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.facade.chair_types import ChargePreview
from desktop.ui.entry.form_reader import FormReading


@dataclass(frozen=True, slots=True)
class FormStatus:
    can_accept: bool
    can_hold: bool
    words: str | None  # None: the status line keeps what it says


def form_status(reading: FormReading | None, preview: ChargePreview | None, acknowledged: bool, *,
                saved_words: str = "", save_problem: str | None = None) -> FormStatus:
    """`acknowledged`: every warning of the preview is ticked. `saved_words`: the status after a drug was saved,
    kept until the next drug is begun. `save_problem`: why the last save failed, said (never "Ready") until a
    save succeeds or the form is cleared, because the database problem it names is usually still there."""
    result = preview.result if preview else None
    entering = bool(preview and preview.new_index is not None)
    can_accept = bool(reading and reading.complete and result and entering and not result.has_errors
                      and acknowledged)
    problems = reading.problems if reading else []
    unanswered = bool(reading and any(v.acquired_340b is None for v in reading.charge.vials))
    # A field with a message holds no value: holding now would store the record without it.
    # Held or not, the recording service stores a warning only with its acknowledgement.
    can_hold = bool(reading and reading.patient and entering and not problems and not unanswered and acknowledged)
    words: str | None = None
    if saved_words and not (reading and (reading.charge.hcpcs or reading.charge.vials)):
        words = saved_words
    elif reading and reading.missing:
        words = "Still needed: " + ", ".join(reading.missing) + "."
    elif problems:
        words = f"\u2716 Fix the marked field first: {problems[0]}"
    elif result and result.has_errors:
        words = "\u2716 Errors found: fix them, or save as held with a reason."
    elif not acknowledged:
        words = "\u26a0 Tick each warning once you have checked it, or fill in what it names."
    elif can_accept and save_problem:
        words = save_problem
    elif can_accept:
        words = "Ready: press Enter to accept the charge."
    return FormStatus(can_accept, can_hold, words)
