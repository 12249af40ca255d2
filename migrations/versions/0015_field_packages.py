"""assessment_score versioned; tombstone, package_ledger, correction, field_base

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 04:20:00

Scores are entered on the instructor's laptop too, so they carry a row version and
who changed them last, as visits and problems do. A deleted record that travels
leaves a tombstone; packages made and merged are kept in a ledger; corrections to
the registry suggested in the field wait for the clerk; a field database keeps its
records as they were when its package was made (field_base) (issue 13).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("assessment_score") as batch_op:
        batch_op.add_column(
            sa.Column("row_version", sa.Integer(), nullable=False, server_default="1")
        )
        batch_op.add_column(
            sa.Column("changed_by", sa.String(100), nullable=False, server_default="")
        )
    op.create_table(
        "tombstone",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("uuid", sa.String(36), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_by", sa.String(100), nullable=False),
        sa.UniqueConstraint("entity", "uuid", name="uq_tombstone_entity"),
    )
    op.create_table(
        "package_ledger",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("package_id", sa.String(36), nullable=False, unique=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("file_name", sa.String(300), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("instructor", sa.String(100), nullable=False),
        sa.Column("device", sa.String(100), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("change_id", sa.String(36), nullable=False),
    )
    op.create_table(
        "correction",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column(
            "organization_id",
            sa.Integer(),
            sa.ForeignKey("organization.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("changed_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_correction_organization_id", "correction", ["organization_id"])
    op.create_table(
        "field_base",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("uuid", sa.String(36), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.UniqueConstraint("entity", "uuid", name="uq_field_base_entity"),
    )


def downgrade() -> None:
    for table in ("field_base", "correction", "package_ledger", "tombstone"):
        op.drop_table(table)
    with op.batch_alter_table("assessment_score") as batch_op:
        batch_op.drop_column("changed_by")
        batch_op.drop_column("row_version")
