"""Index on patient name, so the review queue sorted by patient reads a page without sorting every row."""

from __future__ import annotations

from alembic import op

revision = "0005_review_patient_name"
down_revision: str | None = "0004_people"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("patient", recreate="never") as batch:  # CREATE INDEX only, no table copy
        batch.create_index("ix_patient_name", ["name"])


def downgrade() -> None:
    raise NotImplementedError("the charge store is never downgraded: restore a backup instead")
