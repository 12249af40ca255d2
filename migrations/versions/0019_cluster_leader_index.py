"""a cluster's leader read from the index the clusters page counts its units by

Revision ID: 0019_cluster_leader_index
Revises: 0018_cluster_index
Create Date: 2026-12-07 15:50:00

The clusters page lists 2,891 clusters, each with its leader unit's code, class,
formation and party organization. Read from the wide organization rows, the 2,891
leaders' rows cost a third of the list (issue 23). ix_organization_cluster carries
those four columns too, so the leader is read from the index alone. Only units in a
cluster are in it, as before.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_cluster_leader_index"
down_revision: str | None = "0018_cluster_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_IN_A_CLUSTER = "cluster_id IS NOT NULL"


def upgrade() -> None:
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.drop_index("ix_organization_cluster")
        batch_op.create_index(
            "ix_organization_cluster",
            [
                "cluster_id",
                "is_cluster_leader",
                "name",
                "uscc",
                "class_code",
                "formation",
                "party_org_id",
            ],
            sqlite_where=sa.text(_IN_A_CLUSTER),
        )


def downgrade() -> None:
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.drop_index("ix_organization_cluster")
        batch_op.create_index(
            "ix_organization_cluster",
            ["cluster_id", "is_cluster_leader", "name"],
            sqlite_where=sa.text(_IN_A_CLUSTER),
        )
