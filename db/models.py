"""SQLAlchemy 2 typed models of the charge store (the schema at the newest migration)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from db.column_types import DecimalText, UtcDateTime, utc_now


class Base(DeclarativeBase):
    pass


class User(Base):
    """A person who acted on the store (nurse, biller); created the first time they are seen.

    A row with a password hash is an account that can sign in, with a role; a row
    without one is only a name seen in the records (e.g. from the command line).
    """

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    display_name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class Patient(Base):
    __tablename__ = "patient"
    __table_args__ = (Index("ix_patient_name", "name"),)  # review queue sorted by patient (migration 0005)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mrn: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    date_of_birth: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    sex: Mapped[str | None] = mapped_column(String(1))  # HL7 table 0001 (F, M, O, U...); migration 0011


class Visit(Base):
    """One patient, one date of service, one place: the drugs given are billed together, on one claim.

    Its documented facts are the fields of `desktop.records.VisitFacts` (same names). They may change while
    the visit is open (audited, `version` checked); every change inside the visit (a drug added, voided or
    moving on) also bumps `version`, so a person acting on the whole visit acts on what they saw.
    """

    __tablename__ = "visit"
    __table_args__ = (
        Index("ix_visit_patient_dos", "patient_id", "date_of_service"),
        Index("ix_visit_dos_id", "date_of_service", "id"),
        Index("ix_visit_payer_dos", "payer_class", "date_of_service", "id"),
        Index("ix_visit_nurse_dos", "nurse", "date_of_service", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    date_of_service: Mapped[dt.date] = mapped_column(Date)
    place_of_service: Mapped[str | None] = mapped_column(String(30))  # None: recorded before visits existed
    payer_class: Mapped[str] = mapped_column(String(30))
    facility_type: Mapped[str] = mapped_column(String(30))
    payer: Mapped[str | None] = mapped_column(String(120))
    prior_authorization: Mapped[str | None] = mapped_column(String(60))
    diagnosis_codes: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of ICD-10-CM codes
    ordering_provider: Mapped[str | None] = mapped_column(String(120))  # migration 0008
    ordering_provider_npi: Mapped[str | None] = mapped_column(String(10))
    nurse: Mapped[str | None] = mapped_column(String(120))
    chair: Mapped[str | None] = mapped_column(String(40))
    consent_recorded: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    notes: Mapped[str | None] = mapped_column(Text)
    code_revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # newest VisitCodeSet
    recorded_by: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    # The services raise the version themselves (desktop.services.visits.visit_codes.touch) whenever anything in the
    # visit changes; SQLAlchemy still checks it on every UPDATE, so a stale writer is refused.
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # noqa: RUF012

    patient: Mapped[Patient] = relationship(lazy="joined")
    administrations: Mapped[list[Administration]] = relationship(
        order_by="Administration.position", back_populates="visit"
    )
    code_sets: Mapped[list[VisitCodeSet]] = relationship(order_by="VisitCodeSet.revision")


class Administration(Base):
    """One drug given in a visit, as documented, with its charge state."""

    __tablename__ = "administration"
    __table_args__ = (
        Index("ix_administration_visit", "visit_id", "position"),
        Index("ix_administration_state_visit", "state", "visit_id"),
        Index("ix_administration_hcpcs_visit", "hcpcs", "visit_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[str] = mapped_column(String(64), unique=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"))
    position: Mapped[int] = mapped_column(Integer)  # order of entry in the visit
    hcpcs: Mapped[str] = mapped_column(String(10))
    ordered_dose_mg: Mapped[Decimal | None] = mapped_column(DecimalText)
    administered_mg: Mapped[Decimal] = mapped_column(DecimalText)
    discarded_mg: Mapped[Decimal] = mapped_column(DecimalText)
    infusion_minutes: Mapped[int | None] = mapped_column(Integer)
    route: Mapped[str | None] = mapped_column(String(40))
    infusion_start: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    infusion_stop: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    waste_witness: Mapped[str | None] = mapped_column(String(120))
    discarded_by: Mapped[str | None] = mapped_column(String(120))  # who wasted the drug (migration 0006)
    split_dose_reason: Mapped[str | None] = mapped_column(Text)  # why a repeat of the drug is not a duplicate
    free_drug: Mapped[bool] = mapped_column(Boolean, default=False)
    # A bag that only carried another drug: never billed as hydration (billing-rules section 8; migration 0009).
    carrier: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    explanations: Mapped[str] = mapped_column(Text, default="[]")  # JSON list, frozen at acceptance
    rule_versions: Mapped[str] = mapped_column(Text, default="{}")  # JSON object, frozen at acceptance
    state: Mapped[str] = mapped_column(String(20))
    hold_reason: Mapped[str | None] = mapped_column(Text)
    void_reason: Mapped[str | None] = mapped_column(Text)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("administration.id"), unique=True)
    ticket_pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    recorded_by: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own convention

    visit: Mapped[Visit] = relationship(back_populates="administrations", lazy="joined")
    packages: Mapped[list[PackageOpened]] = relationship(order_by="PackageOpened.position")
    lines: Mapped[list[ChargeLine]] = relationship(order_by="ChargeLine.position")
    findings: Mapped[list[FindingRow]] = relationship(order_by="FindingRow.position")
    history: Mapped[list[StateChange]] = relationship(order_by="StateChange.id")


class VisitCodeSet(Base):
    """One revision of a visit's administration codes, computed when its drugs changed; append-only.

    The newest revision (`Visit.code_revision`) is the one billed; older ones stay as evidence of what was
    billed before a drug was added, voided or corrected.
    """

    __tablename__ = "visit_code_set"
    __table_args__ = (UniqueConstraint("visit_id", "revision"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)  # why the codes were computed again, in words
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)

    lines: Mapped[list[VisitCodeLine]] = relationship(order_by="VisitCodeLine.position")


class VisitCodeLine(Base):
    """An administration-code line of one revision (96413, 96417, ...); never updated or deleted."""

    __tablename__ = "visit_code_line"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_set_id: Mapped[int] = mapped_column(ForeignKey("visit_code_set.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    hcpcs: Mapped[str] = mapped_column(String(10))
    units: Mapped[int] = mapped_column(Integer)
    modifiers: Mapped[str] = mapped_column(String(40), default="")  # comma-separated, in claim order
    reason: Mapped[str] = mapped_column(Text, default="")
    administration_id: Mapped[int | None] = mapped_column(ForeignKey("administration.id"))  # the drug it bills
    rule_versions: Mapped[str] = mapped_column(Text, default="{}")


class PackageOpened(Base):
    """Packages (vials) of one kind opened for an administration; append-only."""

    __tablename__ = "package_opened"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    administration_id: Mapped[int] = mapped_column(ForeignKey("administration.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    ndc: Mapped[str | None] = mapped_column(String(20))
    lot: Mapped[str | None] = mapped_column(String(40))
    expiry: Mapped[dt.date | None] = mapped_column(Date)
    count: Mapped[int] = mapped_column(Integer)
    label_mg: Mapped[Decimal] = mapped_column(DecimalText)
    dose_type: Mapped[str] = mapped_column(String(10))
    acquired_340b: Mapped[bool] = mapped_column(Boolean)
    volume_ml: Mapped[Decimal | None] = mapped_column(DecimalText)
    ndc_unit: Mapped[str | None] = mapped_column(String(4))
    hcpcs: Mapped[str | None] = mapped_column(String(10))
    serial: Mapped[str | None] = mapped_column(String(40))  # GS1 AI (21) of a scanned vial (migration 0007)


class ChargeLine(Base):
    """A claim line as the engine produced it when the record was accepted; never updated or deleted."""

    __tablename__ = "charge_line"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    administration_id: Mapped[int] = mapped_column(ForeignKey("administration.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    hcpcs: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(20))
    units: Mapped[int] = mapped_column(Integer)
    modifiers: Mapped[str] = mapped_column(String(40), default="")  # comma-separated, in claim order
    ndc11: Mapped[str | None] = mapped_column(String(11))
    ndc_qualifier: Mapped[str | None] = mapped_column(String(2))
    ndc_unit: Mapped[str | None] = mapped_column(String(2))
    ndc_quantity: Mapped[Decimal | None] = mapped_column(DecimalText)
    reason: Mapped[str] = mapped_column(Text, default="")
    rule_versions: Mapped[str] = mapped_column(Text, default="{}")  # JSON: the tables this line came from
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class FindingRow(Base):
    """A finding the engine reported when the record was accepted; append-only."""

    __tablename__ = "finding"
    __table_args__ = (Index("ix_finding_severity_administration", "severity", "administration_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    administration_id: Mapped[int] = mapped_column(ForeignKey("administration.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(60))
    severity: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text)

    acknowledgement: Mapped[FindingAcknowledgement | None] = relationship(lazy="joined")


class FindingAcknowledgement(Base):
    """Who acknowledged a warning, and when; append-only."""

    __tablename__ = "finding_acknowledgement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("finding.id"), unique=True)
    acknowledged_by: Mapped[str] = mapped_column(String(120))
    acknowledged_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class StateChange(Base):
    """One step in a charge's life (who, when, from, to, why); append-only."""

    __tablename__ = "state_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    administration_id: Mapped[int] = mapped_column(ForeignKey("administration.id"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    changed_by: Mapped[str] = mapped_column(String(120))
    changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class ExportRun(Base):
    """One export file made for a billing system (who, when, format, counts, the file's SHA-256); never deleted.

    Its id, never reused (AUTOINCREMENT on SQLite, a sequence on PostgreSQL), makes the file's, batch's and
    messages' control ids. `purpose`: billing (transactions recorded below), preview (nothing recorded: HL7
    processing id T, FHIR status planned), resend (the transactions of `resend_of_id` sent again on purpose) or
    baseline (charges sent by older exports recorded as sent, no file).
    """

    __tablename__ = "export_run"
    __table_args__ = (Index("ix_export_run_format", "format", "id"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    format: Mapped[str] = mapped_column(String(10))
    purpose: Mapped[str] = mapped_column(String(10))
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    date_from: Mapped[dt.date | None] = mapped_column(Date)  # the dates of service asked for, if any
    date_to: Mapped[dt.date | None] = mapped_column(Date)
    visit_count: Mapped[int] = mapped_column(Integer, default=0)
    transaction_count: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str | None] = mapped_column(String(64))  # of the file written; None for a baseline
    resend_of_id: Mapped[int | None] = mapped_column(ForeignKey("export_run.id"))
    # An incremental (--since-last) run: the newest state change and code revision it had seen, so the next
    # one reads only the visits changed since (everything pending before was sent by this run).
    state_change_mark: Mapped[int | None] = mapped_column(Integer)
    code_set_mark: Mapped[int | None] = mapped_column(Integer)


class ExportTransaction(Base):
    """A billing transaction sent in one format: the charge of one claim line, or the reversal of a charge sent
    before (`reverses_id`, at most once); append-only. Its id is the transaction id the receiver sees.

    The claim line is a drug line (`charge_line_id`) or an administration-code line of a visit's code revision
    (`code_line_id`); both are immutable rows, so what a transaction charged can always be read back.
    """

    __tablename__ = "export_transaction"
    __table_args__ = (
        Index("ix_export_transaction_drug", "format", "charge_line_id"),
        Index("ix_export_transaction_code", "format", "code_line_id"),
        Index("ix_export_transaction_run", "run_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("export_run.id"))
    format: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(10))  # charge | reversal
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"))
    administration_id: Mapped[int | None] = mapped_column(ForeignKey("administration.id"))
    charge_line_id: Mapped[int | None] = mapped_column(ForeignKey("charge_line.id"))
    code_line_id: Mapped[int | None] = mapped_column(ForeignKey("visit_code_line.id"))
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("export_transaction.id"), unique=True)
    visit_line_number: Mapped[int] = mapped_column(Integer)  # the line's number on the visit's claim


class AuditEvent(Base):
    """An audit event, hash-chained to the one before it; append-only.

    `id` is assigned by the chain (previous id + 1), not by the database, so a
    deleted event leaves a gap that `verify_chain` reports.
    """

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    occurred_at: Mapped[str] = mapped_column(String(40))  # ISO-8601 UTC text, hashed as stored
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(40))
    before_json: Mapped[str | None] = mapped_column(Text)
    after_json: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The single row naming the newest audit event; locked by every writer to serialize the chain."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_id: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))


class Setting(Base):
    """A facility setting (key/value text), e.g. a payer-class policy override."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class CatalogVersion(Base):
    """A catalog an administrator saved (the whole document as JSON); append-only, the newest is in use."""

    __tablename__ = "catalog_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[str] = mapped_column(String(60), unique=True)
    document: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class ReferenceVersion(Base):
    """One import of a CMS quarterly file (issue 14): its kind, the date it is effective from, who imported it;
    append-only. A date of service uses, per kind, the newest import effective on or before it."""

    __tablename__ = "reference_version"
    __table_args__ = (Index("ix_reference_version_kind_effective", "kind", "effective_from", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))  # crosswalk | asp | mue_practitioner | mue_outpatient_hospital
    effective_from: Mapped[dt.date] = mapped_column(Date)
    quarter: Mapped[str] = mapped_column(String(30))  # "2026 Q1", or "from 2026-02-15"
    file_name: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(64))
    content_sha256: Mapped[str] = mapped_column(String(64))  # of the rows as read: the same data, the same hash
    row_count: Mapped[int] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text)  # JSON: counts of added, changed, no longer listed
    imported_by: Mapped[str] = mapped_column(String(120))
    imported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class ReferenceCrosswalkRow(Base):
    """A row of an imported ASP NDC-HCPCS crosswalk: an NDC billed under a code, with its package's units."""

    __tablename__ = "reference_crosswalk"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("reference_version.id"), index=True)
    hcpcs: Mapped[str] = mapped_column(String(10))
    ndc11: Mapped[str] = mapped_column(String(11))
    ndc: Mapped[str] = mapped_column(String(13))  # 5-4-2 as published
    short_description: Mapped[str] = mapped_column(String(200))
    labeler: Mapped[str] = mapped_column(String(200))
    drug_name: Mapped[str] = mapped_column(String(200))
    dosage: Mapped[str] = mapped_column(String(60))
    package_size: Mapped[Decimal | None] = mapped_column(DecimalText)
    package_quantity: Mapped[Decimal | None] = mapped_column(DecimalText)
    billing_units: Mapped[Decimal | None] = mapped_column(DecimalText)
    units_per_package: Mapped[Decimal | None] = mapped_column(DecimalText)


class ReferencePaymentLimit(Base):
    """A row of an imported ASP pricing file: dollars Medicare allows per billing unit of a code."""

    __tablename__ = "reference_payment_limit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("reference_version.id"), index=True)
    hcpcs: Mapped[str] = mapped_column(String(10))
    short_description: Mapped[str] = mapped_column(String(200))
    dosage: Mapped[str] = mapped_column(String(60))
    payment_limit: Mapped[Decimal | None] = mapped_column(DecimalText)
    notes: Mapped[str] = mapped_column(Text)


class ReferenceMueRow(Base):
    """A row of an imported MUE table (practitioner or outpatient hospital, by its version's kind)."""

    __tablename__ = "reference_mue"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("reference_version.id"), index=True)
    hcpcs: Mapped[str] = mapped_column(String(10))
    mue_value: Mapped[int] = mapped_column(Integer)
    indicator: Mapped[int] = mapped_column(Integer)  # MUE adjudication indicator: 1 line, 2-3 date of service
    indicator_text: Mapped[str] = mapped_column(String(120))
    rationale: Mapped[str] = mapped_column(String(200))


__all__ = [
    "Administration",
    "AuditEvent",
    "AuditHead",
    "Base",
    "CatalogVersion",
    "ChargeLine",
    "ExportRun",
    "ExportTransaction",
    "FindingAcknowledgement",
    "FindingRow",
    "PackageOpened",
    "Patient",
    "ReferenceCrosswalkRow",
    "ReferenceMueRow",
    "ReferencePaymentLimit",
    "ReferenceVersion",
    "Setting",
    "StateChange",
    "User",
    "Visit",
    "VisitCodeLine",
    "VisitCodeSet",
]
