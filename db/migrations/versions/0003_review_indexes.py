"""Indexes for the review queue: each filter column leads, date of service and id follow (the queue's order)."""

from __future__ import annotations

from alembic import op

revision = "0003_review_indexes"
down_revision: str | None = "0002_settings_ticket"
branch_labels: str | None = None
depends_on: str | None = None

# (name, columns): a filter on the first column, then rows already in the default queue order,
# so a page of 200 is read from the index without sorting a million rows.
INDEXES = (
    ("ix_administration_dos_id", ["date_of_service", "id"]),
    ("ix_administration_state_dos", ["state", "date_of_service", "id"]),
    ("ix_administration_hcpcs_dos", ["hcpcs", "date_of_service", "id"]),
    ("ix_administration_payer_dos", ["payer_class", "date_of_service", "id"]),
    ("ix_administration_nurse_dos", ["nurse", "date_of_service", "id"]),
)


def upgrade() -> None:
    # recreate="never": only CREATE INDEX, no table copy, so the triggers on administration stay in place.
    with op.batch_alter_table("administration", recreate="never") as batch:
        for name, columns in INDEXES:
            batch.create_index(name, columns)
    with op.batch_alter_table("finding", recreate="never") as batch:
        batch.create_index("ix_finding_severity_administration", ["severity", "administration_id"])


def downgrade() -> None:
    raise NotImplementedError("the charge store is never downgraded: restore a backup instead")
