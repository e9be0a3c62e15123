"""The charge's states, the one state machine (which action from which state) and the words each state reads as."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ChargeState(StrEnum):
    """Where a charge is in its life: recorded -> verified -> ticket_printed -> posted, or held/voided."""

    RECORDED = "recorded"
    VERIFIED = "verified"
    TICKET_PRINTED = "ticket_printed"
    POSTED = "posted"
    HELD = "held"
    VOIDED = "voided"


class ChargeAction(StrEnum):
    """What a person does to a stored charge; each leads to one state, from the states listed in ACTION_FROM."""

    VERIFY = "verify"
    HOLD = "hold"
    RELEASE = "release"
    PRINT_TICKET = "print_ticket"  # the ticket printed: marked so (a reprint stays ticket_printed)
    POST = "post"
    VOID = "void"


S = ChargeState
ACTION_TO: dict[ChargeAction, ChargeState] = {
    ChargeAction.VERIFY: S.VERIFIED,
    ChargeAction.HOLD: S.HELD,
    ChargeAction.RELEASE: S.RECORDED,
    ChargeAction.PRINT_TICKET: S.TICKET_PRINTED,
    ChargeAction.POST: S.POSTED,
    ChargeAction.VOID: S.VOIDED,
}
ACTION_FROM: dict[ChargeAction, tuple[ChargeState, ...]] = {
    ChargeAction.VERIFY: (S.RECORDED,),
    ChargeAction.HOLD: (S.RECORDED, S.VERIFIED, S.TICKET_PRINTED),
    ChargeAction.RELEASE: (S.HELD,),
    ChargeAction.PRINT_TICKET: (S.VERIFIED, S.TICKET_PRINTED),
    ChargeAction.POST: (S.TICKET_PRINTED,),
    ChargeAction.VOID: tuple(s for s in S if s is not S.VOIDED),  # a correction voids the drug it replaces, too
}
# The states in which a nurse may still void or correct her own record (after them, charge entry does).
UNVERIFIED_STATES = (S.RECORDED, S.HELD)
# The states whose drugs a printed ticket marks ticket-printed; the others are printed but left as they are.
TICKET_PRINTABLE_STATES = frozenset(ACTION_FROM[ChargeAction.PRINT_TICKET])


def may(action: ChargeAction, state: ChargeState) -> bool:
    """Whether `action` applies to a charge in `state`."""
    return state in ACTION_FROM[action]


@dataclass(frozen=True, slots=True)
class StateWords:
    """The words of one state, by where they are read."""

    name: str  # in a sentence: "2 ticket printed, 1 held"
    title: str  # a heading or a filter's choice
    on_ticket: str  # the ticket's RECORD STATE
    in_line: str  # after a drug's line at the chair: held stands out
    in_list: str  # a day's list: held and voided stand out
    marked: str  # the review queue: every step a biller settles is marked too


STATE_WORDS: dict[ChargeState, StateWords] = {
    S.RECORDED: StateWords("recorded", "Recorded", "Recorded", "recorded", "Recorded", "Recorded"),
    S.VERIFIED: StateWords("verified", "Verified", "Verified", "verified", "Verified", "\u2713 Verified"),
    S.TICKET_PRINTED: StateWords("ticket printed", "Ticket printed", "Ticket printed", "ticket printed",
                                 "Ticket printed", "Ticket printed"),
    S.POSTED: StateWords("posted", "Posted", "Posted", "posted", "Posted", "\u2714 Posted"),
    S.HELD: StateWords("held", "Held", "Held", "HELD", "\u26a0 HELD", "\u26a0 HELD"),
    S.VOIDED: StateWords("voided", "Voided", "Void", "voided", "\u2716 VOIDED", "\u2716 VOIDED"),
}
# Why a printed ticket does not mark a drug ticket-printed, in the nurse's words ("...because the record is <this>").
NOT_PRINTABLE_WORDS: dict[ChargeState, str] = {
    S.RECORDED: "recorded but not yet verified",
    S.POSTED: "already posted",
    S.VOIDED: "voided",
    S.HELD: "held",
}


def state_name(state: ChargeState) -> str:
    """The state in a sentence: "ticket printed"."""
    return STATE_WORDS[state].name
