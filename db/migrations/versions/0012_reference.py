"""CMS reference data (issue 14): each import of a crosswalk, pricing file or MUE table kept as a version, with its
rows; append-only, since a charge's rule versions name the version it was computed with."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.column_types import DecimalText, UtcDateTime

revision = "0012_reference"
down_revision: str | None = "0011_export_runs"
branch_labels: str | None = None
depends_on: str | None = None

TABLES = ("reference_version", "reference_crosswalk", "reference_payment_limit", "reference_mue")


def _version_id() -> sa.Column[int]:
    return sa.Column("version_id", sa.Integer, sa.ForeignKey("reference_version.id"), nullable=False, index=True)


def upgrade() -> None:
    op.create_table(
        "reference_version",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("effective_from", sa.Date, nullable=False),
        sa.Column("quarter", sa.String(30), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("row_count", sa.Integer, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("imported_by", sa.String(120), nullable=False),
        sa.Column("imported_at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_reference_version_kind_effective", "reference_version", ["kind", "effective_from", "id"])
    op.create_table(
        "reference_crosswalk",
        sa.Column("id", sa.Integer, primary_key=True),
        _version_id(),
        sa.Column("hcpcs", sa.String(10), nullable=False),
        sa.Column("ndc11", sa.String(11), nullable=False),
        sa.Column("ndc", sa.String(13), nullable=False),
        sa.Column("short_description", sa.String(200), nullable=False),
        sa.Column("labeler", sa.String(200), nullable=False),
        sa.Column("drug_name", sa.String(200), nullable=False),
        sa.Column("dosage", sa.String(60), nullable=False),
        sa.Column("package_size", DecimalText),
        sa.Column("package_quantity", DecimalText),
        sa.Column("billing_units", DecimalText),
        sa.Column("units_per_package", DecimalText),
    )
    op.create_table(
        "reference_payment_limit",
        sa.Column("id", sa.Integer, primary_key=True),
        _version_id(),
        sa.Column("hcpcs", sa.String(10), nullable=False),
        sa.Column("short_description", sa.String(200), nullable=False),
        sa.Column("dosage", sa.String(60), nullable=False),
        sa.Column("payment_limit", DecimalText),
        sa.Column("notes", sa.Text, nullable=False),
    )
    op.create_table(
        "reference_mue",
        sa.Column("id", sa.Integer, primary_key=True),
        _version_id(),
        sa.Column("hcpcs", sa.String(10), nullable=False),
        sa.Column("mue_value", sa.Integer, nullable=False),
        sa.Column("indicator", sa.Integer, nullable=False),
        sa.Column("indicator_text", sa.String(120), nullable=False),
        sa.Column("rationale", sa.String(200), nullable=False),
    )
    # A version is evidence of what charges were computed with: never changed or removed.
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION infusion_refuse_change()")
            op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION infusion_refuse_change()")
    else:
        for table in TABLES:
            for verb in ("UPDATE", "DELETE"):
                op.execute(f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                           f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {verb} refused'); END")


def downgrade() -> None:
    raise NotImplementedError("the charge store is never downgraded: restore a backup instead")
