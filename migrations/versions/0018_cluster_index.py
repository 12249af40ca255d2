"""clusters listed from two indexes: their units by the index, their records' sums too

Revision ID: 0018_cluster_index
Revises: 0017
Create Date: 2026-12-07 15:15:00

The clusters page lists every cluster with its member count, the names its search
looks in and its leader, and the year's sums of the leader's three powers. Read
from the wide organization rows, 2,891 clusters of 28,902 units took most of their
time seeking each unit's row (issue 23). Now:

- ix_organization_cluster (cluster_id, is_cluster_leader, name) replaces the index
  on cluster_id alone: counts, names and the leader are read from it; only units
  in a cluster are in it (a park's other units, and an import's new ones, never
  write to it), and a lookup by cluster (the foreign key's too) still uses it;
- ix_cluster_record_year carries the amounts it sums.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_cluster_index"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.drop_index("ix_organization_cluster_id")
        batch_op.create_index(
            "ix_organization_cluster",
            ["cluster_id", "is_cluster_leader", "name"],
            sqlite_where=sa.text("cluster_id IS NOT NULL"),
        )
    with op.batch_alter_table("cluster_record", schema=None) as batch_op:
        batch_op.drop_index("ix_cluster_record_year")
        batch_op.create_index(
            "ix_cluster_record_year", ["cluster_id", "year", "kind", "amount", "second_amount"]
        )


def downgrade() -> None:
    with op.batch_alter_table("cluster_record", schema=None) as batch_op:
        batch_op.drop_index("ix_cluster_record_year")
        batch_op.create_index("ix_cluster_record_year", ["cluster_id", "year", "kind"])
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.drop_index("ix_organization_cluster")
        batch_op.create_index("ix_organization_cluster_id", ["cluster_id"])
