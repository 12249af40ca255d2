"""assignment: covering indexes for the worklist and work coverage

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 15:50:00

The single-column indexes on instructor_id and organization_id become
composite indexes that also hold ended_on (and instructor_id): "is this unit
looked after today?" is then answered from the index alone. They serve the
same look-ups as before (their first column), so writes cost the same.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.drop_index("ix_assignment_instructor_id")
        batch_op.drop_index("ix_assignment_organization_id")
        batch_op.create_index(
            "ix_assignment_organization", ["organization_id", "ended_on", "instructor_id"]
        )
        batch_op.create_index("ix_assignment_instructor", ["instructor_id", "ended_on"])


def downgrade() -> None:
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.drop_index("ix_assignment_instructor")
        batch_op.drop_index("ix_assignment_organization")
        batch_op.create_index("ix_assignment_organization_id", ["organization_id"])
        batch_op.create_index("ix_assignment_instructor_id", ["instructor_id"])
