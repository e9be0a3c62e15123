"""The visit's administration codes by billing-rules §8: one initial service, then add-ons, each with its reason."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.billing.drug_charge import DrugCharge
from desktop.billing.findings import finding
from desktop.billing.infusion_times import covered_seconds, order_key, overlapping, span_words, timed
from desktop.billing.model import (
    Administration,
    ClaimLine,
    DrugFamily,
    Finding,
    LineKind,
    PlaceOfService,
    Visit,
)

PUSH_MAX_MINUTES = 15  # an IV push is 15 minutes or less; more is an infusion
HYDRATION_MIN_MINUTES = 30  # hydration is billed only past 30 minutes
FIRST_HOUR = 60
HALF_HOUR = 30
MAX_MINUTES = 24 * 60
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


@dataclass(frozen=True, slots=True)
class Service:
    """One administration as a service of the visit: its family, push or infusion, billable minutes."""

    charge: DrugCharge
    family: DrugFamily
    minutes: int
    push: bool

    @property
    def adm(self) -> Administration:
        return self.charge.administration

    @property
    def index(self) -> int:
        return self.charge.index

    @property
    def name(self) -> str:
        return self.charge.name

    def words(self) -> str:
        return f"{self.name} ({span_words(self.adm)})"

    def kind(self) -> str:
        return f"{self.family.words} {'IV push' if self.push else 'infusion'}"

    def rank(self) -> tuple[int, bool, tuple[object, ...]]:
        """Chemotherapy > therapeutic > hydration; infusion > push; then the earlier one."""
        return (self.family.rank, self.push, order_key(self.adm, self.index))


def extra_hours(minutes: int) -> int:
    """Hours past the first, each counted only when more than 30 minutes of it ran."""
    beyond = minutes - FIRST_HOUR
    if beyond <= 0:
        return 0
    return beyond // FIRST_HOUR + (1 if beyond % FIRST_HOUR > HALF_HOUR else 0)


class _Codes:
    """Collects the code lines, findings and explanations while the hierarchy is walked."""

    def __init__(self) -> None:
        self.lines: list[ClaimLine] = []
        self.findings: list[Finding] = []
        self.explanations: list[str] = []

    def add(self, code: str, service: Service, reason: str, units: int = 1) -> None:
        self.lines.append(ClaimLine(code, LineKind.ADMINISTRATION, units, reason=reason,
                                    administration=service.index))

    def hours(self, code: str, service: Service) -> None:
        hours = extra_hours(service.minutes)
        if hours:
            self.add(code, service,
                     f"{service.name}: {service.minutes - FIRST_HOUR} min beyond the first hour: {hours} additional "
                     "hour(s), each counted only past 30 minutes", hours)


def administration_codes(visit: Visit, charges: list[DrugCharge]) -> tuple[
        list[ClaimLine], list[Finding], list[str]]:
    out = _Codes()
    services = _services(charges, out)
    services = _hydration_on_its_own(services, out)
    if not services:
        return out.lines, out.findings, out.explanations
    initial = min(services, key=Service.rank)
    _initial(initial, services, out)
    if visit.place_of_service is PlaceOfService.OFFICE and len(services) > 1:
        out.explanations.append(
            f"Physician office: the initial service is the main reason for the visit; the program takes the "
            f"highest-ranked service, {initial.words()}. Change it if the visit was mainly for another drug."
        )
    _add_ons(initial, services, out)
    return out.lines, out.findings, out.explanations


def _services(charges: list[DrugCharge], out: _Codes) -> list[Service]:
    services = []
    for charge in charges:
        adm, drug, index = charge.administration, charge.drug, charge.index
        if drug is None:
            continue
        if not charge.given:
            out.explanations.append(f"{charge.name}: nothing was given, so no administration code.")
            continue
        if adm.carrier:
            out.explanations.append(f"{charge.name}: only the carrier of another drug, never billed as hydration "
                                    "or as an infusion of its own (billing-rules §8).")
            continue
        minutes = adm.minutes
        if minutes is None:
            missing = "infusion_stop" if adm.infusion_start is not None else "infusion_start"
            words = "stop time" if adm.infusion_start is not None else "start and stop times"
            out.findings.append(finding("NO_INFUSION_TIME", f"No infusion {words} for {charge.name}: its "
                                        "administration code is not computed.", index, missing))
            continue
        if minutes <= 0 or minutes > MAX_MINUTES:
            out.findings.append(_invalid_time(adm, charge.name, minutes, index))
            continue
        services.append(Service(charge, drug.family, minutes, minutes <= PUSH_MAX_MINUTES))
    return services


def _invalid_time(adm: Administration, name: str, minutes: int, index: int) -> Finding:
    if adm.infusion_minutes is None and adm.infusion_start is not None and adm.infusion_stop is not None:
        if minutes <= 0:
            message = (f"The stop time {adm.infusion_stop:%H:%M} of {name} is not after its start time "
                       f"{adm.infusion_start:%H:%M}: check the start and stop times.")
        else:
            message = (f"An infusion of {minutes} minutes ({span_words(adm)}) is not possible: check the start "
                       "and stop times.")
        return finding("INVALID_INFUSION_TIME", message, index, "infusion_stop")
    return finding("INVALID_INFUSION_TIME",
                   f"An infusion of {minutes} minutes is not possible: check the infusion minutes.",
                   index, "infusion_minutes")


def _hydration_on_its_own(services: list[Service], out: _Codes) -> list[Service]:
    """Hydration counts only the minutes no drug infusion ran beside it, and only past 30 of them."""
    infusions = [s.adm for s in services if not s.push and s.family is not DrugFamily.HYDRATION]
    kept = []
    for service in services:
        if service.family is not DrugFamily.HYDRATION:
            kept.append(service)
            continue
        beside = covered_seconds(service.adm, infusions) if timed(service.adm) else 0
        own = service.minutes - (beside + 59) // 60
        if own <= HYDRATION_MIN_MINUTES:
            if beside:
                length = (f"{service.minutes} min, {service.minutes - own} of them beside another drug's infusion: "
                          f"{max(own, 0)} min of hydration on its own")
            else:
                length = f"{service.minutes} min of hydration"
            out.explanations.append(f"{service.name}: {length}; hydration is billed only past "
                                    f"{HYDRATION_MIN_MINUTES} minutes, so no administration code.")
            continue
        kept.append(Service(service.charge, service.family, own, False))
    return kept


def _initial(initial: Service, services: list[Service], out: _Codes) -> None:
    why = ("the highest-ranked service of the visit (chemotherapy, then therapeutic, then hydration; infusions "
           "before pushes)" if len(services) > 1 else "the visit's only service")
    head = f"Initial service: {initial.words()}, {why}"
    if initial.family is DrugFamily.CHEMO and not initial.push:
        out.add("96413", initial, f"{head}: {initial.minutes} min chemotherapy infusion, first hour")
        out.hours("96415", initial)
    elif initial.family is DrugFamily.CHEMO:
        out.add("96409", initial, f"{head}: {initial.minutes} min is 15 minutes or less: chemotherapy IV push")
    elif initial.family is DrugFamily.THERAPEUTIC and not initial.push:
        out.add("96365", initial, f"{head}: {initial.minutes} min therapeutic infusion, first hour")
        out.hours("96366", initial)
    elif initial.family is DrugFamily.THERAPEUTIC:
        out.add("96374", initial, f"{head}: {initial.minutes} min is 15 minutes or less: therapeutic IV push")
    else:
        out.add("96360", initial, f"{head}: {initial.minutes} min of hydration, more than 30 minutes: first hour")
        out.hours("96361", initial)


def _add_ons(initial: Service, services: list[Service], out: _Codes) -> None:
    rest = sorted((s for s in services if s is not initial), key=lambda s: order_key(s.adm, s.index))
    drugs_seen = {initial.adm.hcpcs: initial}
    chemo_infusions = [initial] if initial.family is DrugFamily.CHEMO and not initial.push else []
    done = [initial]
    concurrent_billed = False
    all_chemo_infusions = [s for s in services if s.family is DrugFamily.CHEMO and not s.push]
    for service in rest:
        first = drugs_seen.get(service.adm.hcpcs)
        if first is not None:
            out.explanations.append(
                f"{service.words()}: the same drug as {first.words()}, so no further administration code "
                "(add-on codes are for a new drug)."
            )
            continue
        drugs_seen[service.adm.hcpcs] = service
        if service.family is DrugFamily.CHEMO and service.push:
            out.add("96411", service, f"{service.words()}: {service.minutes} min chemotherapy IV push of a new drug "
                    f"after the initial {initial.words()}: additional sequential push")
        elif service.family is DrugFamily.CHEMO:
            clash = next((s for s in chemo_infusions if overlapping(s.adm, service.adm)), None)
            if clash is not None:
                out.findings.append(finding(
                    "OVERLAPPING_INFUSIONS",
                    f"{service.words()} and {clash.words()} overlap: two chemotherapy infusions cannot be billed as "
                    "concurrent. Check the times, or record a mixed bag as one infusion.",
                    service.index, "infusion_start"))
                continue
            previous = chemo_infusions[-1] if chemo_infusions else initial
            ordinal = ORDINALS[min(len(chemo_infusions), len(ORDINALS) - 1)]
            out.add("96417", service, f"{ordinal.capitalize()} chemotherapy drug of the visit, {service.words()}, "
                    f"given after {previous.name}: sequential infusion of a new drug, up to 1 hour")
            out.hours("96415", service)
            chemo_infusions.append(service)
        elif service.family is DrugFamily.THERAPEUTIC and service.push:
            out.add("96375", service, f"{service.words()}: therapeutic IV push of a new drug ({service.minutes} "
                    f"min), additional to the initial {initial.words()}")
        elif service.family is DrugFamily.THERAPEUTIC:
            beside = next((s for s in [*all_chemo_infusions, *done] if s is not service and not s.push
                           and s.family is not DrugFamily.HYDRATION and overlapping(s.adm, service.adm)), None)
            if beside is not None and concurrent_billed:
                out.explanations.append(f"{service.words()}: a further concurrent infusion; 96368 is reported once "
                                        "per visit, so no further code.")
            elif beside is not None:
                concurrent_billed = True
                out.add("96368", service, f"{service.words()} ran at the same time as {beside.words()}: concurrent "
                        "infusion (reported once per visit)")
            else:
                out.add("96367", service, f"{service.words()}: {service.minutes} min therapeutic infusion of a new "
                        f"drug, sequential to the initial {initial.words()}")
                out.hours("96366", service)
        else:
            units = 1 + extra_hours(service.minutes)
            out.add("96361", service, f"{service.words()}: {service.minutes} min of hydration on its own (more than "
                    f"30 minutes), after the initial {initial.words()}", units)
        done.append(service)
