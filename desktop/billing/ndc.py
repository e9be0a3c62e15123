"""National Drug Codes: the labeled 10-digit forms, the 11-digit claim form, and GS1 GTINs."""

from __future__ import annotations

import re
from functools import lru_cache

_SHAPES = {(4, 4, 2), (5, 3, 2), (5, 4, 1), (5, 4, 2)}
_HYPHENATED = re.compile(r"^(\d+)-(\d+)-(\d+)$")


class NdcFormatError(ValueError):
    """An NDC whose shape is not one of the labeled or claim forms."""


def segments(ndc: str) -> tuple[str, str, str]:
    """Split a hyphenated NDC into its labeler, product and package segments."""
    match = _HYPHENATED.match(ndc.strip())
    if not match:
        raise NdcFormatError(
            f"NDC {ndc!r} must be written with hyphens, e.g. 0078-0669-13 "
            "(ten bare digits cannot be segmented without the catalog)"
        )
    labeler, product, package = match.groups()
    if (len(labeler), len(product), len(package)) not in _SHAPES:
        raise NdcFormatError(
            f"NDC {ndc!r} is not in a 4-4-2, 5-3-2, 5-4-1 or 5-4-2 shape"
        )
    return labeler, product, package


@lru_cache(maxsize=4096)  # the same few catalog NDCs on every line: computed once each
def to_ndc11(ndc: str) -> str:
    """The 11-digit 5-4-2 claim form, without hyphens: a zero pads the short segment."""
    labeler, product, package = segments(ndc)
    return labeler.zfill(5) + product.zfill(4) + package.zfill(2)


def format_ndc11(ndc11: str) -> str:
    """Show 11 claim digits as 5-4-2 for people: 00078066913 -> 00078-0669-13."""
    if not re.fullmatch(r"\d{11}", ndc11):
        raise NdcFormatError(f"{ndc11!r} is not 11 digits")
    return f"{ndc11[:5]}-{ndc11[5:9]}-{ndc11[9:]}"


def digits(ndc: str) -> str:
    return re.sub(r"\D", "", ndc)


def ndc10_digits_from_gtin(gtin: str) -> str:
    """The ten NDC digits inside a GS1 GTIN-14 of a US drug package (indicator + 03 + NDC + check)."""
    gtin = gtin.strip()
    if not re.fullmatch(r"\d{14}", gtin) or gtin[1:3] != "03":
        raise NdcFormatError(f"GTIN {gtin!r} does not carry a US NDC (expected 14 digits, '03' after the indicator)")
    return gtin[3:13]
