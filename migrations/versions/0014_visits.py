"""visit, visit_instructor, visit_attachment, problem, problem_unit: visits and rectifications

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 03:45:00

Records an instructor writes in the field carry a row version and who changed them
last, for the field packages that will carry them between laptops (issue 13).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
    ]


def _field_columns() -> list[sa.Column]:
    return [
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("changed_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def _link(name: str, table: str, ondelete: str = "CASCADE", nullable: bool = False) -> sa.Column:
    return sa.Column(
        name, sa.Integer(), sa.ForeignKey(f"{table}.id", ondelete=ondelete), nullable=nullable
    )


def upgrade() -> None:
    op.create_table(
        "visit",
        *_id_columns(),
        _link("organization_id", "organization"),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("people_met", sa.Text(), nullable=False),
        *_field_columns(),
    )
    op.create_index("ix_visit_organization_id", "visit", ["organization_id", "visited_on"])
    op.create_index("ix_visit_visited_on", "visit", ["visited_on"])
    op.create_table(
        "visit_instructor",
        *_id_columns(),
        _link("visit_id", "visit"),
        _link("instructor_id", "instructor"),
        sa.UniqueConstraint("visit_id", "instructor_id", name="uq_visit_instructor_visit_id"),
    )
    op.create_index("ix_visit_instructor_instructor_id", "visit_instructor", ["instructor_id"])
    op.create_table(
        "visit_attachment",
        *_id_columns(),
        _link("visit_id", "visit"),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("stored", sa.String(100), nullable=False),
    )
    op.create_index("ix_visit_attachment_visit_id", "visit_attachment", ["visit_id"])
    op.create_table(
        "problem",
        *_id_columns(),
        _link("visit_id", "visit", "SET NULL", nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("common", sa.Boolean(), nullable=False),
        sa.Column("rectification", sa.Text(), nullable=False),
        sa.Column("responsible", sa.String(100), nullable=False),
        sa.Column("deadline", sa.Date()),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("verified_on", sa.Date()),
        sa.Column("verify_note", sa.Text(), nullable=False),
        sa.Column("source", sa.String(40), nullable=False),
        *_field_columns(),
    )
    op.create_index("ix_problem_visit_id", "problem", ["visit_id"])
    op.create_index("ix_problem_status", "problem", ["status", "deadline"])
    op.create_table(
        "problem_unit",
        *_id_columns(),
        _link("problem_id", "problem"),
        _link("organization_id", "organization"),
        sa.UniqueConstraint("problem_id", "organization_id", name="uq_problem_unit_problem_id"),
    )
    op.create_index("ix_problem_unit_organization_id", "problem_unit", ["organization_id"])


def downgrade() -> None:
    for table in ("problem_unit", "problem", "visit_attachment", "visit_instructor", "visit"):
        op.drop_table(table)
