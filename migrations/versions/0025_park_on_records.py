"""every record belongs to a park

Revision ID: 0025_park_on_records
Revises: 0024_funds
Create Date: 2026-12-08 00:00:00

Issue 24: every organization, party organization, instructor, class change, cluster,
visit, score and payment belongs to one park. A park database holds one park: its row is id 1,
made here when the park was not named yet (name empty: the first run still asks for it),
and each record's ``park_id`` defaults to it, so every insert path, the bulk ones
included, writes it without knowing. A county database holds no such records.

Plain ADD COLUMN: the tables are not rebuilt (their rows, ids, uuids and the published
guard's triggers stay as they are); the reference is written in the column, as SQLite's
ADD COLUMN allows (foreign keys are off while migrating, env.py, and checked after).
The SQL is written out here, not imported: a migration stays as it was run.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0025_park_on_records"
down_revision: str | None = "0024_funds"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "cluster",
    "party_organization",
    "organization",
    "instructor",
    "class_change",
    "assessment_score",
    "visit",
    "fund_payment",
)
_COLUMN = "park_id INTEGER DEFAULT 1 NOT NULL REFERENCES park (id)"


def upgrade() -> None:
    conn = op.get_bind()
    ids = [row[0] for row in conn.execute(sa.text("SELECT id FROM park ORDER BY id"))]
    if not ids:
        # the park not named yet: its row, unnamed, for the records to belong to
        conn.execute(
            sa.text(
                "INSERT INTO park (id, uuid, name, reporting_unit, level, created_at)"
                " VALUES (1, :uuid, '', '', 'park', :at)"
            ),
            {"uuid": str(uuid.uuid4()), "at": datetime.now().isoformat(sep=" ")},
        )
    elif ids != [1] and len(ids) == 1:
        # a park database has one row; were it ever renumbered, it becomes id 1 again
        conn.execute(sa.text("UPDATE park SET id = 1 WHERE id = :id"), {"id": ids[0]})
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ADD COLUMN {_COLUMN}")


def downgrade() -> None:
    conn = op.get_bind()
    for table in TABLES:
        # the table is rebuilt without the column (SQLite cannot drop a referencing
        # column): its triggers (the published guard's, migration 0017) are made again
        triggers = [
            row[0]
            for row in conn.execute(
                sa.text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"),
                {"t": table},
            )
        ]
        with op.batch_alter_table(table) as batch:
            batch.drop_column("park_id")
        for sql in triggers:
            op.execute(sql)
