"""class_change: every change of a unit's class, with its basis

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 01:00:00

The classes A–E were a field and nothing more; 分类管理 needs their history
(from, to, the reason, manual / yearly review / detach / assessment / import).
The classes already recorded are where the history starts: no row is invented.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "class_change",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column(
            "organization_id",
            sa.Integer(),
            sa.ForeignKey("organization.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("from_class", sa.String(1)),
        sa.Column("to_class", sa.String(1)),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("basis", sa.String(20), nullable=False),
        sa.Column("basis_ref", sa.String(200), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_class_change_organization_id", "class_change", ["organization_id"])


def downgrade() -> None:
    op.drop_index("ix_class_change_organization_id", "class_change")
    op.drop_table("class_change")
