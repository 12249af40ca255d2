"""pairing, pairing_entry: 结对帮带 and what was done in it

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 01:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _organization(column: str) -> sa.Column:
    return sa.Column(
        column,
        sa.Integer(),
        sa.ForeignKey("organization.id", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "pairing",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        _organization("helper_id"),
        _organization("helped_id"),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date()),
        sa.Column("helper_class_at_start", sa.String(1)),
        sa.Column("helped_class_at_start", sa.String(1)),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_pairing_helper_id", "pairing", ["helper_id"])
    op.create_index("ix_pairing_helped_id", "pairing", ["helped_id"])
    op.create_table(
        "pairing_entry",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column(
            "pairing_id",
            sa.Integer(),
            sa.ForeignKey("pairing.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("done_on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_pairing_entry_pairing_id", "pairing_entry", ["pairing_id"])


def downgrade() -> None:
    op.drop_table("pairing_entry")
    op.drop_table("pairing")
