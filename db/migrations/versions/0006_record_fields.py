"""Fields a nurse documents with an administration: consent recorded, the chair, and who discarded the drug."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_record_fields"
down_revision: str | None = "0005_review_patient_name"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # recreate="never": plain ADD COLUMNs, no table copy, so the no-delete triggers on administration stay in
    # place. Existing rows read as consent not recorded (it lived in their notes) and no chair or discarder.
    with op.batch_alter_table("administration", recreate="never") as batch:
        batch.add_column(sa.Column("discarded_by", sa.String(120)))
        batch.add_column(sa.Column("chair", sa.String(40)))
        batch.add_column(sa.Column("consent_recorded", sa.Boolean, nullable=False, server_default=sa.false()))


def downgrade() -> None:
    raise NotImplementedError("the charge store is never downgraded: restore a backup instead")
