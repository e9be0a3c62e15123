"""A drug's bag that only carried another drug (never billed as hydration); older records read "not a carrier"."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_carrier"
down_revision: str | None = "0008_ordering_provider"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("administration", recreate="never") as batch:  # plain ADD COLUMN: triggers stay
        batch.add_column(sa.Column("carrier", sa.Boolean, nullable=False, server_default=sa.false()))


def downgrade() -> None:
    raise NotImplementedError("the charge store is never downgraded: restore a backup instead")
