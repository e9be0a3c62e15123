"""Initial schema: patients, users, administrations, packages, frozen lines, findings, history, audit."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.column_types import DecimalText, UtcDateTime

revision = "0001_initial"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

# Rows of these tables are evidence: once written they are never updated or deleted.
APPEND_ONLY = (
    "package_opened", "charge_line", "finding", "finding_acknowledgement", "state_change", "audit_event",
)
# Administrations change state (with a version check) but are never deleted.
NO_DELETE = ("administration",)


def _create_tables() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(120), nullable=False, unique=True),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "patient",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("mrn", sa.String(40), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("date_of_birth", sa.Date, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "administration",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("request_id", sa.String(64), nullable=False, unique=True),
        sa.Column("patient_id", sa.Integer, sa.ForeignKey("patient.id"), nullable=False),
        sa.Column("date_of_service", sa.Date, nullable=False),
        sa.Column("hcpcs", sa.String(10), nullable=False),
        sa.Column("payer", sa.String(120)),
        sa.Column("payer_class", sa.String(30), nullable=False),
        sa.Column("facility_type", sa.String(30), nullable=False),
        sa.Column("prior_authorization", sa.String(60)),
        sa.Column("diagnosis_codes", sa.Text, nullable=False),
        sa.Column("ordered_dose_mg", DecimalText),
        sa.Column("administered_mg", DecimalText, nullable=False),
        sa.Column("discarded_mg", DecimalText, nullable=False),
        sa.Column("infusion_minutes", sa.Integer),
        sa.Column("route", sa.String(40)),
        sa.Column("infusion_start", UtcDateTime),
        sa.Column("infusion_stop", UtcDateTime),
        sa.Column("nurse", sa.String(120)),
        sa.Column("waste_witness", sa.String(120)),
        sa.Column("notes", sa.Text),
        sa.Column("free_drug", sa.Boolean, nullable=False),
        sa.Column("explanations", sa.Text, nullable=False),
        sa.Column("rule_versions", sa.Text, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("hold_reason", sa.Text),
        sa.Column("void_reason", sa.Text),
        sa.Column("replaces_id", sa.Integer, sa.ForeignKey("administration.id"), unique=True),
        sa.Column("recorded_by", sa.String(120), nullable=False),
        sa.Column("recorded_at", UtcDateTime, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_administration_date_state", "administration", ["date_of_service", "state"])
    op.create_index("ix_administration_patient", "administration", ["patient_id", "date_of_service"])
    op.create_table(
        "package_opened",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("administration_id", sa.Integer, sa.ForeignKey("administration.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("ndc", sa.String(20)),
        sa.Column("lot", sa.String(40)),
        sa.Column("expiry", sa.Date),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("label_mg", DecimalText, nullable=False),
        sa.Column("dose_type", sa.String(10), nullable=False),
        sa.Column("acquired_340b", sa.Boolean, nullable=False),
        sa.Column("volume_ml", DecimalText),
        sa.Column("ndc_unit", sa.String(4)),
        sa.Column("hcpcs", sa.String(10)),
    )
    op.create_table(
        "charge_line",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("administration_id", sa.Integer, sa.ForeignKey("administration.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("hcpcs", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("units", sa.Integer, nullable=False),
        sa.Column("modifiers", sa.String(40), nullable=False),
        sa.Column("ndc11", sa.String(11)),
        sa.Column("ndc_qualifier", sa.String(2)),
        sa.Column("ndc_unit", sa.String(2)),
        sa.Column("ndc_quantity", DecimalText),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("rule_versions", sa.Text, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "finding",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("administration_id", sa.Integer, sa.ForeignKey("administration.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("severity", sa.String(10), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
    )
    op.create_table(
        "finding_acknowledgement",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("finding_id", sa.Integer, sa.ForeignKey("finding.id"), nullable=False, unique=True),
        sa.Column("acknowledged_by", sa.String(120), nullable=False),
        sa.Column("acknowledged_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "state_change",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("administration_id", sa.Integer, sa.ForeignKey("administration.id"), nullable=False),
        sa.Column("from_state", sa.String(20)),
        sa.Column("to_state", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("changed_by", sa.String(120), nullable=False),
        sa.Column("changed_at", UtcDateTime, nullable=False),
    )
    for table in ("package_opened", "charge_line", "finding", "state_change"):
        op.create_index(f"ix_{table}_administration_id", table, ["administration_id"])
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("occurred_at", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.String(40)),
        sa.Column("before_json", sa.Text),
        sa.Column("after_json", sa.Text),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("last_id", sa.Integer, nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
    )
    op.execute(f"INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, 0, '{'0' * 64}')")


def _sqlite_triggers() -> None:
    for table in APPEND_ONLY + NO_DELETE:
        ops = ("DELETE",) if table in NO_DELETE else ("UPDATE", "DELETE")
        for verb in ops:
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {verb} refused'); END"
            )


def _postgresql_triggers() -> None:
    op.execute(
        "CREATE FUNCTION infusion_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP "
        "USING ERRCODE = 'integrity_constraint_violation'; END $$"
    )
    for table in APPEND_ONLY + NO_DELETE:
        verbs = "DELETE" if table in NO_DELETE else "UPDATE OR DELETE"
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE {verbs} ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION infusion_refuse_change()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION infusion_refuse_change()"
        )


def upgrade() -> None:
    _create_tables()
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def downgrade() -> None:
    raise NotImplementedError("the charge store is never downgraded: restore a backup instead")
