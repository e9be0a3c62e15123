"""Export runs and the billing transactions they sent (issue 19), and the patient's administrative sex.

Every export file is a run (who, when, format, counts, SHA-256); a billing run records each transaction it
sent, so the next incremental run sends only what changed and a reversal names the charge it reverses. Run
and transaction ids are never reused (AUTOINCREMENT on SQLite, a sequence on PostgreSQL): they become the
control ids and transaction ids a receiver keeps. Patients recorded before read "unknown" sex.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.column_types import UtcDateTime

revision = "0011_export_runs"
down_revision: str | None = "0009_carrier"
branch_labels: str | None = None
depends_on: str | None = None


def _create_tables() -> None:
    op.create_table(
        "export_run",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("format", sa.String(10), nullable=False),
        sa.Column("purpose", sa.String(10), nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("date_from", sa.Date),
        sa.Column("date_to", sa.Date),
        sa.Column("visit_count", sa.Integer, nullable=False),
        sa.Column("transaction_count", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64)),
        sa.Column("resend_of_id", sa.Integer, sa.ForeignKey("export_run.id")),
        sa.Column("state_change_mark", sa.Integer),
        sa.Column("code_set_mark", sa.Integer),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_export_run_format", "export_run", ["format", "id"])
    op.create_table(
        "export_transaction",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("export_run.id"), nullable=False),
        sa.Column("format", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("visit_id", sa.Integer, sa.ForeignKey("visit.id"), nullable=False),
        sa.Column("administration_id", sa.Integer, sa.ForeignKey("administration.id")),
        sa.Column("charge_line_id", sa.Integer, sa.ForeignKey("charge_line.id")),
        sa.Column("code_line_id", sa.Integer, sa.ForeignKey("visit_code_line.id")),
        sa.Column("reverses_id", sa.Integer, sa.ForeignKey("export_transaction.id"), unique=True),
        sa.Column("visit_line_number", sa.Integer, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_export_transaction_drug", "export_transaction", ["format", "charge_line_id"])
    op.create_index("ix_export_transaction_code", "export_transaction", ["format", "code_line_id"])
    op.create_index("ix_export_transaction_run", "export_transaction", ["run_id"])


def _triggers() -> None:
    # A run's counts and hash are written in the transaction that made it; afterwards nothing changes.
    refuse = {"export_run": ("DELETE",), "export_transaction": ("UPDATE", "DELETE")}
    if op.get_bind().dialect.name == "postgresql":
        for table, verbs in refuse.items():
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE {' OR '.join(verbs)} ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION infusion_refuse_change()")
            op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION infusion_refuse_change()")
        return
    for table, verbs in refuse.items():
        for verb in verbs:
            op.execute(f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {verb} refused'); END")


def upgrade() -> None:
    with op.batch_alter_table("patient", recreate="never") as batch:  # a plain ADD COLUMN
        batch.add_column(sa.Column("sex", sa.String(1)))
    _create_tables()
    _triggers()


def downgrade() -> None:
    raise NotImplementedError("the charge store is never downgraded: restore a backup instead")
