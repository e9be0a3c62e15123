"""A stored visit as simple HTML: its facts, every drug with lines, findings and history, its codes and revisions."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from html import escape

from desktop.facade.review_types import AdministrationDetail, ChargeState, VisitDetail
from desktop.records.charge_states import STATE_WORDS
from desktop.records.fields import display, field_docs

SEVERITY_WORDS = {"error": "\u2716 Error", "warning": "\u26a0 Warning", "info": "\u2139 Note"}
DASH = "\u2014"
STATE_LABELS = {state: words.name for state, words in STATE_WORDS.items()}


def _mg(value: Decimal | None) -> str:
    return DASH if value is None else f"{value.normalize():f} mg"


def _when(moment: dt.datetime | None) -> str:
    return DASH if moment is None else f"{moment.astimezone():%Y-%m-%d %H:%M}"


def _words(value: str) -> str:
    return value.replace("_", " ")


def table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A bordered table; no colour carries meaning."""
    cells = "".join(f"<th align='left'>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{escape(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table border='1' cellspacing='0' cellpadding='4' width='100%'><tr>{cells}</tr>{body}</table>"


def facts_table(rows: list[tuple[str, str]]) -> str:
    return "<table cellpadding='3'>" + "".join(
        f"<tr><td><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>" for k, v in rows) + "</table>"


def documented_rows(record: object) -> list[tuple[str, str]]:
    """(label, value) of every documented fact of a visit or drug, as its definition names them."""
    return [(doc.label, display(doc, getattr(record, doc.name)) or DASH) for doc in field_docs(type(record))]


def visit_state_words(visit: VisitDetail) -> str:
    """"RECORDED", "VOIDED", or "MIXED: 1 posted, 1 recorded" (voided drugs counted after the others)."""
    counts = Counter(a.state for a in visit.administrations)
    state = visit.state
    if state is not None:
        text = STATE_LABELS[state].upper()
    else:
        text = "MIXED: " + ", ".join(f"{counts[s]} {STATE_LABELS[s]}" for s in ChargeState
                                     if counts[s] and s is not ChargeState.VOIDED)
    if state is not ChargeState.VOIDED and counts[ChargeState.VOIDED]:
        text += f" (+{counts[ChargeState.VOIDED]} voided)"
    return text


def drug_html(number: int, drug: AdministrationDetail) -> str:
    """One drug of the visit: what was given, its documentation, frozen lines, findings and history."""
    adm = drug.administration
    times = DASH
    if adm.infusion_start or adm.infusion_stop:
        times = f"{_when(adm.infusion_start)} \u2013 {_when(adm.infusion_stop)}"
    facts = [("Given", _mg(adm.administered_mg)), ("Discarded", _mg(adm.discarded_mg)),
             ("Ordered dose", _mg(adm.ordered_dose_mg)), ("Route", adm.route or DASH), ("Infusion", times),
             *documented_rows(drug.facts),
             ("Recorded by", f"{drug.recorded_by}, {_when(drug.recorded_at)}")]
    if adm.split_dose_reason:
        facts.append(("Split dose because", adm.split_dose_reason))
    if drug.hold_reason and drug.state is ChargeState.HELD:
        facts.insert(0, ("Held because", drug.hold_reason))
    if drug.void_reason:
        facts.insert(0, ("Voided because", drug.void_reason))
    if drug.replaces_id:
        facts.append(("Corrects", f"record #{drug.replaces_id}"))
    if drug.replaced_by_id:
        facts.append(("Replaced by", f"record #{drug.replaced_by_id}"))
    lines = [(x.hcpcs, " ".join(x.modifiers) or DASH, str(x.units), x.kind.value,
              f"N4 {x.ndc.ndc11} {x.ndc.unit} {x.ndc.quantity.normalize():f}" if x.ndc else DASH, x.reason)
             for x in drug.lines]
    acknowledged = {a.code: a for a in drug.acknowledgements}
    findings = [(SEVERITY_WORDS.get(f.severity.value, f.severity.value), f.message,
                 f"acknowledged by {acknowledged[f.code].acknowledged_by}" if f.code in acknowledged else "")
                for f in drug.findings]
    history = [(_when(h.changed_at), (_words(h.from_state.value) + " \u2192 " if h.from_state else "")
                + _words(h.to_state.value), h.changed_by, h.reason or "") for h in drug.history]
    return (
        f"<h3>{number}. {escape(adm.hcpcs)} \u2014 record #{drug.id}, {escape(STATE_LABELS[drug.state].upper())}</h3>"
        + facts_table(facts)
        + f"<h4>Drug lines ({len(lines)})</h4>"
        + (table(("Code", "Modifiers", "Units", "Kind", "NDC (loop 2410)", "Why"), lines) if lines else "<p>None.</p>")
        + f"<h4>Findings ({len(findings)})</h4>"
        + (table(("Severity", "Message", "Acknowledged"), findings) if findings else "<p>None.</p>")
        + f"<h4>History ({len(history)})</h4>" + table(("When", "Step", "Who", "Reason"), history)
    )


def codes_html(visit: VisitDetail) -> str:
    """The visit's administration codes billed now, each with its reason, and every revision with why."""
    names = [f"{a.administration.hcpcs} #{a.id}" for a in visit.administrations]

    def drug_of(index: int | None) -> str:
        return names[index] if index is not None and 0 <= index < len(names) else DASH

    current = visit.code_sets[-1].revision if visit.code_sets else 0
    rows = [(x.hcpcs, str(x.units), " ".join(x.modifiers) or DASH, drug_of(x.administration), x.reason)
            for x in visit.code_lines]
    revisions = [(str(c.revision) + (" (billed)" if c.revision == current else ""), _when(c.created_at),
                  c.created_by, c.reason, ", ".join(f"{x.hcpcs}\u00d7{x.units}" for x in c.lines) or "none")
                 for c in reversed(visit.code_sets)]
    return (
        f"<h2>Administration codes ({len(rows)}{f', revision {current}' if current else ''})</h2>"
        + (table(("Code", "Units", "Modifiers", "For drug", "Why"), rows) if rows else "<p>None.</p>")
        + f"<h3>Code revisions ({len(revisions)})</h3>"
        + (table(("Revision", "When", "By", "Why they changed", "Codes"), revisions) if revisions
           else "<p>None.</p>")
    )


def visit_html(visit: VisitDetail) -> str:
    """The whole visit: facts (from their definitions), every drug, its administration codes and their history."""
    patient = visit.patient
    place = _words(visit.place_of_service.value) if visit.place_of_service else "not recorded"
    facts = [
        ("Patient", f"{patient.name} (MRN {patient.mrn}, born {patient.date_of_birth.isoformat()})"),
        ("Date of service", visit.date_of_service.isoformat()), ("Place of service", place),
        ("Payer class", _words(visit.payer_class.value)), *documented_rows(visit.facts),
        ("Opened by", f"{visit.recorded_by}, {_when(visit.recorded_at)}"),
    ]
    drugs = "".join(drug_html(number, drug) for number, drug in enumerate(visit.administrations, start=1))
    return (
        f"<h2>Visit #{visit.id} \u2014 {escape(visit_state_words(visit))}</h2>" + facts_table(facts)
        + f"<h2>Drugs ({len(visit.administrations)})</h2>" + drugs + codes_html(visit)
    )
