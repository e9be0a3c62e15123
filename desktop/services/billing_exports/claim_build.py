"""From stored rows to what the exports write: each claim line with its NDC forms, lots, times, revenue code,
charge code and price, and each transaction with when, by whom and why it happened."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence

from desktop.interop.claim_codes import revenue_code
from desktop.interop.export_model import (
    ExportLine,
    PatientRecord,
    Provider,
    Sender,
    Transaction,
    TransactionKind,
    VisitExport,
)
from desktop.services.billing_exports.ledger import Planned, SentCharge
from desktop.services.billing_exports.visit_rows import CODE, LineKey, LineRow, VisitRows, ndc10
from desktop.services.facility.settings import FacilitySettings

StoredTransaction = tuple[int, str, int, LineKey, int | None, int | None, int]


@functools.lru_cache(maxsize=4096)
def _ten_digits(ndc: str) -> bool:
    """A labeled NDC of 10 digits (the FHIR NDC system's form), not one already written 5-4-2."""
    return sum(c.isdigit() for c in ndc) == 10


def sender_of(settings: FacilitySettings) -> Sender:
    """The facility as the files name it; blank settings fall back as resources/docs/interfaces.md says."""
    npi = settings.billing_npi.strip()
    facility = settings.hl7_facility or npi
    rendering = (Provider(settings.rendering_provider, settings.rendering_provider_npi or None)
                 if settings.rendering_provider else None)
    return Sender(facility_name=settings.facility_name, npi=npi, tin=settings.billing_tin, hl7_facility=facility,
                  receiving_application=settings.receiving_application,
                  receiving_facility=settings.receiving_facility, mrn_authority=settings.mrn_authority or facility,
                  rendering_provider=rendering)


class Builder:
    """Turns a visit's rows and its planned transactions into a VisitExport, with the facility's settings."""

    def __init__(self, settings: FacilitySettings) -> None:
        self.settings = settings
        self.cdm = {c.hcpcs: c.cdm for c in settings.charge_codes}
        self.prices = {p.hcpcs: p.price for p in settings.unit_prices}
        self.revenue: dict[tuple[str, str, str], str | None] = {}  # a handful of codes over a month of lines

    def line(self, visit: VisitRows, row: LineRow, number: int) -> ExportLine:
        drug = visit.drugs.get(row.administration_id) if row.administration_id is not None else None
        ten: str | None = None
        lots: tuple[str, ...] = ()
        expiries: tuple[dt.date | None, ...] = ()
        if row.ndc11:
            labeled, lots, expiries = ndc10(visit.packages.get(row.administration_id or 0, ()), row.ndc11)
            ten = labeled if labeled and _ten_digits(labeled) else None
        key = (row.kind, row.hcpcs, visit.place_of_service)
        revenue = self.revenue[key] if key in self.revenue else self.revenue.setdefault(key, revenue_code(*key))
        return ExportLine(
            number, row.kind, row.hcpcs, row.units, row.modifiers, row.administration_id, row.ndc11, ten,
            row.ndc_qualifier, row.ndc_unit, row.ndc_quantity, lots, expiries,
            drug.infusion_start if drug else None, drug.infusion_stop if drug else None, revenue,
            self.cdm.get(row.hcpcs), self.prices.get(row.hcpcs),
        )

    def visit(self, visit: VisitRows, planned: Sequence[tuple[Planned, int]]) -> VisitExport:
        return self._export(visit, tuple(self._transaction(visit, p.line, p.visit_line_number, tid,
                                                           p.reverses.transaction_id if p.reverses else None)
                                          for p, tid in planned))

    def preview(self, visit: VisitRows, claim: Sequence[LineRow]) -> VisitExport:
        return self._export(visit, tuple(
            Transaction(TransactionKind.PREVIEW, self.line(visit, row, number), None, None, *_charged(visit, row))
            for number, row in enumerate(claim, start=1)))

    def from_ledger(self, visits: dict[int, VisitRows], stored: Sequence[StoredTransaction],
                    old_code_lines: dict[int, LineRow]) -> list[VisitExport]:
        """The transactions of a past run, rebuilt from the immutable lines they name (for a re-send)."""
        by_visit: dict[int, list[StoredTransaction]] = {}
        for row in stored:
            by_visit.setdefault(row[2], []).append(row)
        exports = []
        for visit_id, visit in visits.items():
            lines = {line.key: line for line in visit.drug_lines + visit.code_lines}
            rows = sorted(by_visit.get(visit_id, ()), key=lambda r: (r[1] != "reversal", r[6], r[0]))
            exports.append(self._export(visit, tuple(
                self._transaction(visit, lines.get(key) or old_code_lines[key[1]], number, tid, reverses)
                for tid, _kind, _visit, key, _adm, reverses, number in rows)))
        return exports

    def _transaction(self, visit: VisitRows, row: LineRow, number: int, transaction_id: int,
                     reverses: int | None) -> Transaction:
        if reverses is None:
            at, by = _charged(visit, row)
            return Transaction(TransactionKind.CHARGE, self.line(visit, row, number), transaction_id, None, at, by)
        at, by, reason = _reversed(visit, row)
        return Transaction(TransactionKind.REVERSAL, self.line(visit, row, number), transaction_id, reverses, at, by,
                           reason)

    def _export(self, visit: VisitRows, transactions: tuple[Transaction, ...]) -> VisitExport:
        mrn, name, born, sex = visit.patient
        ordering = (Provider(visit.ordering_provider or "", visit.ordering_provider_npi)
                    if visit.ordering_provider or visit.ordering_provider_npi else None)
        return VisitExport(
            visit_id=visit.id, date_of_service=visit.date_of_service, place_of_service=visit.place_of_service,
            patient=PatientRecord(mrn, name, born, sex), payer=visit.payer, payer_class=visit.payer_class,
            diagnosis_codes=visit.diagnosis_codes, prior_authorization=visit.prior_authorization,
            ordering_provider=ordering, nurse=visit.nurse, chair=visit.chair, transactions=transactions,
        )


def _charged(visit: VisitRows, row: LineRow) -> tuple[dt.datetime, str]:
    """When a line became a billing transaction, and who did it: its drug's posting, or the code revision made
    after it (a code line billing no one drug: the revision)."""
    drug = visit.drugs.get(row.administration_id) if row.administration_id is not None else None
    posted = (drug.posted or (drug.recorded_at, drug.recorded_by)) if drug else None
    revision = visit.revision
    if row.key[0] == CODE and revision is not None and (posted is None or revision.created_at > posted[0]):
        return revision.created_at, revision.created_by
    if posted is not None:
        return posted
    first = min(visit.drugs.values(), key=lambda d: d.position)
    return first.recorded_at, first.recorded_by


def _reversed(visit: VisitRows, row: LineRow) -> tuple[dt.datetime, str, str | None]:
    """When a charged line stopped being billed, by whom and why: its drug voided, or its codes replaced."""
    drug = visit.drugs.get(row.administration_id) if row.administration_id is not None else None
    if drug is not None and drug.is_voided and drug.voided is not None:
        return drug.voided[0], drug.voided[1], drug.void_reason
    if visit.revision is not None:
        return (visit.revision.created_at, visit.revision.created_by,
                f"administration codes computed again: {visit.revision.reason}")
    at, by = _charged(visit, row)
    return at, by, drug.void_reason if drug else None


__all__ = ["Builder", "SentCharge", "sender_of"]
