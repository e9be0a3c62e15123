"""People and catalog versions: sign-in columns on app_user, and stored catalog versions (append-only)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.column_types import UtcDateTime

revision = "0004_people"
down_revision: str | None = "0003_review_indexes"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # Plain ADD COLUMNs (no table copy). A row without a password hash is a name seen in the records
    # (e.g. from the command line), not an account that can sign in.
    op.add_column("app_user", sa.Column("display_name", sa.String(200)))
    op.add_column("app_user", sa.Column("role", sa.String(20)))
    op.add_column("app_user", sa.Column("password_hash", sa.String(255)))
    op.add_column("app_user", sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()))
    op.add_column("app_user", sa.Column("failed_attempts", sa.Integer, nullable=False, server_default="0"))
    op.add_column("app_user", sa.Column("locked_until", UtcDateTime))
    op.add_column("app_user", sa.Column("password_changed_at", UtcDateTime))
    op.create_table(
        "catalog_version",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version", sa.String(60), nullable=False, unique=True),
        sa.Column("document", sa.Text, nullable=False),  # the whole catalog as JSON
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )
    # A stored catalog version is evidence of what a charge was computed with: never changed or removed.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE TRIGGER catalog_version_append_only BEFORE UPDATE OR DELETE ON catalog_version "
                   "FOR EACH ROW EXECUTE FUNCTION infusion_refuse_change()")
        op.execute("CREATE TRIGGER catalog_version_no_truncate BEFORE TRUNCATE ON catalog_version "
                   "FOR EACH STATEMENT EXECUTE FUNCTION infusion_refuse_change()")
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER catalog_version_no_{verb.lower()} BEFORE {verb} ON catalog_version "
                       f"BEGIN SELECT RAISE(ABORT, 'catalog_version is append-only: {verb} refused'); END")


def downgrade() -> None:
    raise NotImplementedError("the charge store is never downgraded: restore a backup instead")
