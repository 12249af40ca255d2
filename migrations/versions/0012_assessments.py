"""assessment_scheme, assessment_period, assessment_score: half-year assessments

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 02:10:00

The schemes are data: the two presets (濉溪六项, 五星争创) are written by the
service on first use, not here, so that their definition lives in one place
(app/domain/assessment.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "assessment_scheme",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("name", "version", name="uq_assessment_scheme_name"),
    )
    op.create_table(
        "assessment_period",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column("code", sa.String(10), nullable=False, unique=True),
        sa.Column("scheme_id", sa.Integer(), sa.ForeignKey("assessment_scheme.id"), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "assessment_score",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column(
            "period_id",
            sa.Integer(),
            sa.ForeignKey("assessment_period.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "organization_id",
            sa.Integer(),
            sa.ForeignKey("organization.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("class_code", sa.String(1)),
        sa.Column("scores", sa.Text(), nullable=False),
        sa.Column("bonus", sa.String(10), nullable=False),
        sa.Column("veto", sa.String(100), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("entered_by", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("period_id", "organization_id", name="uq_assessment_score_period_id"),
    )
    op.create_index("ix_assessment_score_organization_id", "assessment_score", ["organization_id"])


def downgrade() -> None:
    op.drop_table("assessment_score")
    op.drop_table("assessment_period")
    op.drop_table("assessment_scheme")
