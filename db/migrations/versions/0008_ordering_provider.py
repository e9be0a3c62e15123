"""The ordering provider of a visit: name and NPI (visits recorded before read "not documented")."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_ordering_provider"
down_revision: str | None = "0007_visits"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("visit", recreate="never") as batch:  # plain ADD COLUMNs: the triggers stay
        batch.add_column(sa.Column("ordering_provider", sa.String(120)))
        batch.add_column(sa.Column("ordering_provider_npi", sa.String(10)))


def downgrade() -> None:
    raise NotImplementedError("the charge store is never downgraded: restore a backup instead")
