"""The payer classes as people read them: one table for the review queue, its filter, reports and tickets."""

from __future__ import annotations

from desktop.billing.model import PayerClass

PAYER_WORDS: dict[PayerClass, str] = {
    PayerClass.MEDICARE: "Medicare",
    PayerClass.MEDICARE_ADVANTAGE: "Medicare Advantage",
    PayerClass.MEDICAID: "Medicaid",
    PayerClass.COMMERCIAL: "Commercial",
    PayerClass.SELF_PAY: "Self-pay",
}
# A narrow column (the review queue's Payer) abbreviates the longest.
PAYER_SHORT_WORDS: dict[PayerClass, str] = {**PAYER_WORDS, PayerClass.MEDICARE_ADVANTAGE: "Medicare Adv."}


def payer_words(payer_class: str, short: bool = False) -> str:
    """The payer class in words; a value this program does not know is shown as stored."""
    words = PAYER_SHORT_WORDS if short else PAYER_WORDS
    try:
        return words[PayerClass(payer_class)]
    except ValueError:
        return payer_class
