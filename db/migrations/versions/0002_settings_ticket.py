"""Settings table, the printed ticket's SHA-256 on an administration, and an index by state."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.column_types import UtcDateTime

revision = "0002_settings_ticket"
down_revision: str | None = "0001_initial"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "setting",
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
    )
    # A plain ADD COLUMN (no table copy), so the triggers on administration stay in place.
    op.add_column("administration", sa.Column("ticket_pdf_sha256", sa.String(64)))
    op.create_index("ix_administration_state", "administration", ["state"])


def downgrade() -> None:
    raise NotImplementedError("the charge store is never downgraded: restore a backup instead")
