"""Checks on the visit as a whole: no drug, other dates, the same drug or vial twice, a date still to come."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from desktop.billing.catalog import Catalog
from desktop.billing.findings import finding
from desktop.billing.infusion_times import overlapping, span_words, timed
from desktop.billing.model import Administration, Finding, Visit


def _name(adm: Administration, catalog: Catalog) -> str:
    drug = catalog.drug(adm.hcpcs)
    return f"{drug.generic} ({drug.hcpcs})" if drug else adm.hcpcs


def same_time(a: Administration, b: Administration) -> bool:
    """Same drug at the same time: times overlap, or either has no times to tell them apart."""
    return not (timed(a) and timed(b)) or overlapping(a, b)


def visit_findings(visit: Visit, catalog: Catalog, today: dt.date) -> list[Finding]:
    found: list[Finding] = []
    if not visit.administrations:
        found.append(finding("NO_ADMINISTRATIONS", "The visit has no drug: add each drug given before it can be "
                             "billed.", None, "administrations"))
    if visit.date_of_service > today:
        found.append(finding("DATE_OF_SERVICE_IN_FUTURE",
                             f"The date of service {visit.date_of_service.isoformat()} is after today "
                             f"({today.isoformat()}): check the date; a charge is billed after the drug is given.",
                             None, "date_of_service"))
    for i, adm in enumerate(visit.administrations):
        found += _date_findings(visit, adm, i, catalog)
        for j in range(i):
            earlier = visit.administrations[j]
            if earlier.hcpcs.strip().upper() == adm.hcpcs.strip().upper() and same_time(earlier, adm):
                zone = adm.infusion_start.tzinfo if adm.infusion_start is not None else None
                other = f"administration {j + 1} of this visit ({span_words(earlier, zone)})"
                found.append(_duplicate(adm, i, other, catalog))
                break
    found += _serial_findings(visit)
    return found


def _date_findings(visit: Visit, adm: Administration, index: int, catalog: Catalog) -> list[Finding]:
    day = visit.date_of_service
    if adm.date_of_service != day:
        return [finding("DIFFERENT_DATES_OF_SERVICE",
                        f"{_name(adm, catalog)} is dated {adm.date_of_service.isoformat()}, but the visit is on "
                        f"{day.isoformat()}: a visit bills one date; record it in the visit of its own date.",
                        index, "date_of_service")]
    # Times may be stored in UTC, so an evening infusion's date can read one day later: only a start more
    # than a day away from the date of service is certainly another date.
    if adm.infusion_start is not None and abs((adm.infusion_start.date() - day).days) > 1:
        return [finding("DIFFERENT_DATES_OF_SERVICE",
                        f"{_name(adm, catalog)} started on {adm.infusion_start.date().isoformat()}, but the visit "
                        f"is on {day.isoformat()}: check the start time or the date of service.",
                        index, "infusion_start")]
    return []


def _duplicate(adm: Administration, index: int | None, other: str, catalog: Catalog | None) -> Finding:
    name = _name(adm, catalog) if catalog else adm.hcpcs
    if adm.split_dose_reason:
        return finding("SPLIT_DOSE",
                       f"{name} is given again as a split dose (reason: \"{adm.split_dose_reason}\"); the other part "
                       f"is {other}.", index, "split_dose_reason")
    return finding("DUPLICATE_ADMINISTRATION",
                   f"{name} ({span_words(adm)}) is already recorded at the same time: {other}. Remove the repeat, "
                   "or record it as a split dose with a reason.", index, "infusion_start")


def _serial_findings(visit: Visit) -> list[Finding]:
    seen: dict[str, int] = {}
    found = []
    for i, adm in enumerate(visit.administrations):
        for p, package in enumerate(adm.packages):
            if not package.serial:
                continue
            if package.serial in seen:
                first = seen[package.serial]
                where = f"in administration {i + 1}" if first == i else f"in administrations {first + 1} and {i + 1}"
                found.append(finding("DUPLICATE_SERIAL",
                                     f"The vial with serial {package.serial} is recorded twice ({where}): one vial "
                                     "read twice is one vial; remove the repeat.", i, f"packages[{p}].serial"))
            else:
                seen[package.serial] = i
    return found


def duplicate_findings(candidate: Administration, others: Sequence[tuple[str, Administration]]) -> tuple[
        Finding, ...]:
    """The candidate against administrations already stored in other records of the same patient and date.

    Each `str` names the other record in words ("visit #12: nivolumab, 09:04-09:34"); the message quotes it.
    """
    found = []
    for words, other in others:
        if (other.hcpcs.strip().upper() == candidate.hcpcs.strip().upper()
                and other.date_of_service == candidate.date_of_service and same_time(candidate, other)):
            found.append(_duplicate(candidate, None, words, None))
    return tuple(found)
