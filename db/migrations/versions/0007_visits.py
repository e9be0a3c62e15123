"""Visits: the documented facts move from each administration to its visit, and administration codes are per visit.

Each stored administration becomes a visit of one, with the visit's id equal to the administration's. The
administrations of one patient, date and chair are NOT grouped: grouping would compute new administration
codes for charges already recorded, verified or posted (a second 96413 becoming 96417 changes what was
billed), and stored charges never change meaning. The administration-code lines saved with each old record
(charge_line rows of kind "administration") stay where they are, as evidence, and are copied as revision 1
of the visit's codes, which is what is read from now on. Vials get a serial (GS1 AI 21). On SQLite the visit,
administration and patient tables take AUTOINCREMENT, so an id is never given out twice, even after a restore.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.column_types import UtcDateTime

revision = "0007_visits"
down_revision: str | None = "0006_record_fields"
branch_labels: str | None = None
depends_on: str | None = None

MOVED_TO_VISIT = (
    "patient_id", "date_of_service", "payer", "payer_class", "facility_type", "prior_authorization",
    "diagnosis_codes", "nurse", "chair", "consent_recorded", "notes",
)
OLD_INDEXES = (
    "ix_administration_date_state", "ix_administration_patient", "ix_administration_state",
    "ix_administration_dos_id", "ix_administration_state_dos", "ix_administration_hcpcs_dos",
    "ix_administration_payer_dos", "ix_administration_nurse_dos",
)
COPIED_REASON = "administration codes as saved with the record, before visits existed"


def _create_tables() -> None:
    op.create_table(
        "visit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("patient_id", sa.Integer, sa.ForeignKey("patient.id"), nullable=False),
        sa.Column("date_of_service", sa.Date, nullable=False),
        sa.Column("place_of_service", sa.String(30)),
        sa.Column("payer_class", sa.String(30), nullable=False),
        sa.Column("facility_type", sa.String(30), nullable=False),
        sa.Column("payer", sa.String(120)),
        sa.Column("prior_authorization", sa.String(60)),
        sa.Column("diagnosis_codes", sa.Text, nullable=False),
        sa.Column("nurse", sa.String(120)),
        sa.Column("chair", sa.String(40)),
        sa.Column("consent_recorded", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("notes", sa.Text),
        sa.Column("code_revision", sa.Integer, nullable=False, server_default="0"),
        sa.Column("recorded_by", sa.String(120), nullable=False),
        sa.Column("recorded_at", UtcDateTime, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sqlite_autoincrement=True,  # ids never reused, even after a restore of an older backup
    )
    op.create_index("ix_visit_patient_dos", "visit", ["patient_id", "date_of_service"])
    op.create_index("ix_visit_dos_id", "visit", ["date_of_service", "id"])
    op.create_index("ix_visit_payer_dos", "visit", ["payer_class", "date_of_service", "id"])
    op.create_index("ix_visit_nurse_dos", "visit", ["nurse", "date_of_service", "id"])
    op.create_table(
        "visit_code_set",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("visit_id", sa.Integer, sa.ForeignKey("visit.id"), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.UniqueConstraint("visit_id", "revision"),
    )
    op.create_index("ix_visit_code_set_visit_id", "visit_code_set", ["visit_id"])
    op.create_table(
        "visit_code_line",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code_set_id", sa.Integer, sa.ForeignKey("visit_code_set.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("hcpcs", sa.String(10), nullable=False),
        sa.Column("units", sa.Integer, nullable=False),
        sa.Column("modifiers", sa.String(40), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("administration_id", sa.Integer, sa.ForeignKey("administration.id")),
        sa.Column("rule_versions", sa.Text, nullable=False),
    )
    op.create_index("ix_visit_code_line_code_set_id", "visit_code_line", ["code_set_id"])


def _copy_records() -> None:
    """Every administration becomes a visit of one (same id), its saved codes that visit's revision 1."""
    has_codes = "EXISTS (SELECT 1 FROM charge_line c WHERE c.administration_id = a.id AND c.kind = 'administration')"
    op.execute(
        "INSERT INTO visit (id, patient_id, date_of_service, place_of_service, payer_class, facility_type, payer, "
        "prior_authorization, diagnosis_codes, nurse, chair, consent_recorded, notes, code_revision, recorded_by, "
        "recorded_at, version) "
        "SELECT a.id, a.patient_id, a.date_of_service, NULL, a.payer_class, a.facility_type, a.payer, "
        "a.prior_authorization, a.diagnosis_codes, a.nurse, a.chair, a.consent_recorded, a.notes, "
        f"CASE WHEN {has_codes} THEN 1 ELSE 0 END, a.recorded_by, a.recorded_at, 1 FROM administration a"
    )
    op.execute(
        "INSERT INTO visit_code_set (visit_id, revision, reason, created_by, created_at) "
        f"SELECT a.id, 1, '{COPIED_REASON}', a.recorded_by, a.recorded_at FROM administration a WHERE {has_codes}"
    )
    op.execute(
        "INSERT INTO visit_code_line (code_set_id, position, hcpcs, units, modifiers, reason, administration_id, "
        "rule_versions) "
        "SELECT s.id, c.position, c.hcpcs, c.units, c.modifiers, c.reason, c.administration_id, c.rule_versions "
        "FROM charge_line c JOIN visit_code_set s ON s.visit_id = c.administration_id "
        "WHERE c.kind = 'administration'"
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval(pg_get_serial_sequence('visit', 'id'), COALESCE((SELECT max(id) FROM visit), 0) + 1, "
                   "false)")


def _reshape_administration() -> None:
    for index in OLD_INDEXES:
        op.drop_index(index, table_name="administration")
    with op.batch_alter_table("administration", recreate="never") as batch:
        batch.add_column(sa.Column("visit_id", sa.Integer))
        batch.add_column(sa.Column("position", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("split_dose_reason", sa.Text))
    op.execute("UPDATE administration SET visit_id = id")
    # SQLite copies the table to drop columns (db.migrate turns foreign keys off around the upgrade);
    # PostgreSQL drops them in place. Either way the no-delete trigger is (re)created below.
    with op.batch_alter_table("administration", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.alter_column("visit_id", existing_type=sa.Integer, nullable=False)
        batch.create_foreign_key("fk_administration_visit", "visit", ["visit_id"], ["id"])
        for column in MOVED_TO_VISIT:
            batch.drop_column(column)
    op.create_index("ix_administration_visit", "administration", ["visit_id", "position"])
    op.create_index("ix_administration_state_visit", "administration", ["state", "visit_id"])
    op.create_index("ix_administration_hcpcs_visit", "administration", ["hcpcs", "visit_id"])
    with op.batch_alter_table("package_opened", recreate="never") as batch:
        batch.add_column(sa.Column("serial", sa.String(40)))
    if op.get_bind().dialect.name == "sqlite":  # patients too keep their ids for ever (AUTOINCREMENT)
        with op.batch_alter_table("patient", recreate="always", table_kwargs={"sqlite_autoincrement": True}):
            pass


def _triggers() -> None:
    refuse = {"visit": ("DELETE",), "visit_code_set": ("UPDATE", "DELETE"), "visit_code_line": ("UPDATE", "DELETE")}
    if op.get_bind().dialect.name == "postgresql":
        for table, verbs in refuse.items():
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE {' OR '.join(verbs)} ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION infusion_refuse_change()")
            op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION infusion_refuse_change()")
        return
    refuse["administration"] = ("DELETE",)  # its table was copied, and the copy has no trigger yet
    for table, verbs in refuse.items():
        for verb in verbs:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb.lower()}")
            op.execute(f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {verb} refused'); END")


def upgrade() -> None:
    _create_tables()
    _copy_records()
    _reshape_administration()
    _triggers()


def downgrade() -> None:
    raise NotImplementedError("the charge store is never downgraded: restore a backup instead")
