"""party_organization: index the parent link

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 16:25:00

Deleting a party organization makes SQLite look for the ones under it
(ON DELETE SET NULL): without an index that is a scan of the table per
deletion, and undoing an import that created 3,500 of them took seconds.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("party_organization", schema=None) as batch_op:
        batch_op.create_index("ix_party_organization_parent_id", ["parent_id"])


def downgrade() -> None:
    with op.batch_alter_table("party_organization", schema=None) as batch_op:
        batch_op.drop_index("ix_party_organization_parent_id")
