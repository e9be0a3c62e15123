"""Reads a vial's scanned GS1 DataMatrix (GTIN, expiry, lot, serial) into catalog terms, refusing to guess."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from biip import ParseConfig
from biip.gs1_messages import GS1Message

from desktop.billing.catalog import Catalog, Package
from desktop.billing.ndc import NdcFormatError, ndc10_digits_from_gtin

GS = "\x1d"
_AIM_PREFIXES = ("]d2", "]C1", "]Q3", "]e0")
_RESCAN = "Please scan the vial again."
# AIs that appear on drug packages; used to spot one hiding inside a lot or serial.
_DRUG_AIS = ("01", "10", "11", "17", "21")


class Gs1ScanError(ValueError):
    """A scan that cannot be read unambiguously; the message asks for a rescan."""


@dataclass(frozen=True, slots=True)
class VialScan:
    """What one scanned vial label says, with its catalog package when the NDC is known."""

    gtin: str
    ndc10_digits: str
    package: Package | None
    expiry: dt.date | None
    lot: str | None
    serial: str | None

    @property
    def ndc(self) -> str:
        """The labeled (hyphenated) NDC when the catalog knows it, else the ten scanned digits."""
        return self.package.ndc if self.package else self.ndc10_digits


def _strip_prefix(raw: str) -> str:
    text = raw.strip("\r\n\t ")
    for prefix in _AIM_PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    # Some scanners send a leading GS (FNC1) before the first AI.
    return text.lstrip(GS)


def _parse_message(text: str) -> GS1Message:
    config = ParseConfig(separator_chars=[GS])
    try:
        return GS1Message.parse(text, config=config)
    except Exception as exc:  # biip raises its own ParseError subclasses
        raise Gs1ScanError(f"The barcode could not be read as a GS1 vial label ({exc}). {_RESCAN}") from exc


def _hides_another_field(value: str) -> bool:
    """True when a variable-length value could also be read as itself plus further AIs."""
    for start in range(1, len(value) - 1):
        if value[start : start + 2] not in _DRUG_AIS:
            continue
        try:
            GS1Message.parse(value[start:], config=ParseConfig(separator_chars=[GS]))
        except Exception:
            continue
        return True
    return False


def parse_vial_scan(raw: str, catalog: Catalog) -> VialScan:
    """Parse a scanner's keystrokes; raise Gs1ScanError with a rescan request when unsure."""
    text = _strip_prefix(raw)
    if not text:
        raise Gs1ScanError(f"The scan was empty. {_RESCAN}")
    message = _parse_message(text)
    fields: dict[str, str] = {}
    dates: dict[str, dt.date | None] = {}
    for element in message.element_strings:
        code = element.ai.ai
        if code in fields:
            raise Gs1ScanError(f"The barcode repeats field ({code}). {_RESCAN}")
        if element.gtin_error:
            raise Gs1ScanError(f"The product number did not check out ({element.gtin_error}). {_RESCAN}")
        fields[code] = element.value
        dates[code] = element.date
        if element.ai.separator_required and _hides_another_field(element.value):
            raise Gs1ScanError(
                f"Field ({code}) '{element.value}' may run into the next field because the scanner sent "
                f"no separator; it cannot be read safely. {_RESCAN}"
            )
    gtin = fields.get("01")
    if gtin is None:
        raise Gs1ScanError(f"The barcode has no product number (GTIN). {_RESCAN}")
    try:
        ten = ndc10_digits_from_gtin(gtin)
    except NdcFormatError as exc:
        raise Gs1ScanError(f"The product number {gtin} is not a US drug NDC. {_RESCAN}") from exc
    return VialScan(
        gtin=gtin,
        ndc10_digits=ten,
        package=catalog.package_by_ndc10_digits(ten),
        expiry=dates.get("17"),
        lot=fields.get("10"),
        serial=fields.get("21"),
    )


def gtin_for_ndc10(ten_digits: str, indicator: str = "0") -> str:
    """The GTIN-14 printed on a US drug package for ten NDC digits (used by tests and label checks)."""
    body = f"{indicator}03{ten_digits}"
    total = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)
