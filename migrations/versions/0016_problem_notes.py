"""problem_event: every status change of a rectification, with its note

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 12:30:00

The note typed when a problem's status changes was kept only for 已核验 (issue 22):
each move (from, to, note, date, who) is now a row of its own, the problem's history.
Problems verified before this revision keep their note on the problem (verify_note);
no history is invented for them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "problem_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column(
            "problem_id",
            sa.Integer(),
            sa.ForeignKey("problem.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("from_status", sa.String(20), nullable=False),
        sa.Column("to_status", sa.String(20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("changed_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_problem_event_problem_id", "problem_event", ["problem_id"])


def downgrade() -> None:
    op.drop_index("ix_problem_event_problem_id", "problem_event")
    op.drop_table("problem_event")
