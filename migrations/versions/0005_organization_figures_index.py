"""organization: a covering index for the coverage figures

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 16:05:00

The figures group the organizations in the base by kind and formation and
sum their member counts: with these columns in one index SQLite reads the
index alone instead of every wide row (50,000 organizations: 65 → 15 ms).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = [
    "in_base",
    "kind",
    "formation",
    "formal_members",
    "probationary_members",
    "activists",
    "investor_is_member",
]


def upgrade() -> None:
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.create_index("ix_organization_figures", _COLUMNS)


def downgrade() -> None:
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.drop_index("ix_organization_figures")
