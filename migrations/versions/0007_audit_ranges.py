"""audit_entry: one entry for rows created in bulk

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 16:40:00

An import that creates 10,000 organizations and their party organizations and
assignments wrote 22,000 audit entries; the ids it gives are contiguous, so
one entry per table (entity_id..last_entity_id) says the same. A partial
index finds the range holding a record for its history.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # SQLite adds a nullable column in place: no table copy for a long audit log
    op.add_column("audit_entry", sa.Column("last_entity_id", sa.Integer(), nullable=True))
    op.create_index(
        "ix_audit_ranges",
        "audit_entry",
        ["entity", "entity_id", "last_entity_id"],
        sqlite_where=sa.text("last_entity_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_audit_ranges", table_name="audit_entry")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_column("last_entity_id")
