"""the base counted by class and kind from an index

Revision ID: 0020_class_count_index
Revises: 0019_cluster_leader_index
Create Date: 2026-12-07 18:40:00

The overview's first figures include the units in the base by class (A–E, 未分类) and
kind. ix_organization_figures has no class, so each of 10,000 wide rows was read:
40 ms of the overview's 66 ms first read (issue 23). This narrow index answers the
count alone (2 ms).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0020_class_count_index"
down_revision: str | None = "0019_cluster_leader_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_organization_class", "organization", ["in_base", "class_code", "kind"])


def downgrade() -> None:
    op.drop_index("ix_organization_class", table_name="organization")
