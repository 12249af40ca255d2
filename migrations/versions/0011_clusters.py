"""clusters' year and records (the leader's three powers, the activity log);
party organizations under dual management

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 02:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("cluster", sa.Column("formed_year", sa.Integer()))
    op.add_column(
        "party_organization",
        sa.Column("dual_managed", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "cluster_record",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column(
            "cluster_id",
            sa.Integer(),
            sa.ForeignKey("cluster.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("dated", sa.Date()),
        sa.Column(
            "organization_id", sa.Integer(), sa.ForeignKey("organization.id", ondelete="CASCADE")
        ),
        sa.Column(
            "parent_id", sa.Integer(), sa.ForeignKey("cluster_record.id", ondelete="CASCADE")
        ),
        sa.Column("amount", sa.Integer()),
        sa.Column("second_amount", sa.Integer()),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("attachment", sa.String(300), nullable=False, server_default=""),
        sa.Column("score", sa.String(10), nullable=False),
        sa.Column("honoured", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_cluster_record_year", "cluster_record", ["cluster_id", "year", "kind"])
    op.create_index("ix_cluster_record_organization_id", "cluster_record", ["organization_id"])
    op.create_index("ix_cluster_record_parent_id", "cluster_record", ["parent_id"])


def downgrade() -> None:
    op.drop_table("cluster_record")
    with op.batch_alter_table("party_organization") as batch:
        batch.drop_column("dual_managed")
    with op.batch_alter_table("cluster") as batch:
        batch.drop_column("formed_year")
