"""SQLAlchemy 2 typed models of the charge store (the schema at the newest migration)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from db.types import DecimalText, UtcDateTime, utc_now


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


class Administration(Base):
    """One drug given to one patient on one date of service, as documented, with its charge state."""

    __tablename__ = "administration"
    __table_args__ = (
        Index("ix_administration_date_state", "date_of_service", "state"),
        Index("ix_administration_patient", "patient_id", "date_of_service"),
        Index("ix_administration_state", "state"),
        # Review queue (migration 0003): a filter column, then the queue's order.
        Index("ix_administration_dos_id", "date_of_service", "id"),
        Index("ix_administration_state_dos", "state", "date_of_service", "id"),
        Index("ix_administration_hcpcs_dos", "hcpcs", "date_of_service", "id"),
        Index("ix_administration_payer_dos", "payer_class", "date_of_service", "id"),
        Index("ix_administration_nurse_dos", "nurse", "date_of_service", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[str] = mapped_column(String(64), unique=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    date_of_service: Mapped[dt.date] = mapped_column(Date)
    hcpcs: Mapped[str] = mapped_column(String(10))
    payer: Mapped[str | None] = mapped_column(String(120))
    payer_class: Mapped[str] = mapped_column(String(30))
    facility_type: Mapped[str] = mapped_column(String(30))
    prior_authorization: Mapped[str | None] = mapped_column(String(60))
    diagnosis_codes: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of ICD-10-CM codes
    ordered_dose_mg: Mapped[Decimal | None] = mapped_column(DecimalText)
    administered_mg: Mapped[Decimal] = mapped_column(DecimalText)
    discarded_mg: Mapped[Decimal] = mapped_column(DecimalText)
    infusion_minutes: Mapped[int | None] = mapped_column(Integer)
    route: Mapped[str | None] = mapped_column(String(40))
    infusion_start: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    infusion_stop: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    nurse: Mapped[str | None] = mapped_column(String(120))
    waste_witness: Mapped[str | None] = mapped_column(String(120))
    discarded_by: Mapped[str | None] = mapped_column(String(120))  # who wasted the drug (migration 0006)
    chair: Mapped[str | None] = mapped_column(String(40))  # infusion chair or bay, as the unit names it
    consent_recorded: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    notes: Mapped[str | None] = mapped_column(Text)
    free_drug: Mapped[bool] = mapped_column(Boolean, default=False)
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

    patient: Mapped[Patient] = relationship(lazy="joined")
    packages: Mapped[list[PackageOpened]] = relationship(order_by="PackageOpened.position")
    lines: Mapped[list[ChargeLine]] = relationship(order_by="ChargeLine.position")
    findings: Mapped[list[FindingRow]] = relationship(order_by="FindingRow.position")
    history: Mapped[list[StateChange]] = relationship(order_by="StateChange.id")


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


__all__ = [
    "Administration",
    "AuditEvent",
    "AuditHead",
    "Base",
    "CatalogVersion",
    "ChargeLine",
    "FindingAcknowledgement",
    "FindingRow",
    "PackageOpened",
    "Patient",
    "Setting",
    "StateChange",
    "User",
]
