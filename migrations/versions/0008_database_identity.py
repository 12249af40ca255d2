"""setting: the database's own identity

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 22:10:00

Every backup is a copy of its database and so carries the same identity: a
restore can tell a backup of this database from one of another (two databases
in one folder once shared their backups).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.get_bind().execute(
        sa.text("INSERT OR IGNORE INTO setting (key, value) VALUES ('database_id', :v)"),
        {"v": str(uuid.uuid4())},
    )


def downgrade() -> None:
    op.get_bind().execute(sa.text("DELETE FROM setting WHERE key = 'database_id'"))
