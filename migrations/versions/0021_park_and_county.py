"""the park as a record, and the county's submissions

Revision ID: 0021_park_and_county
Revises: 0020_class_count_index
Create Date: 2026-12-07 20:50:00

The park was two rows of ``setting`` (park_name, committee_name); it becomes a row of
``park`` (name, the unit that reports it, its level), moved in place. A county database
(issue 24) holds the county's own row and a row per park it adds up, each park's
quarterly submissions (``county_submission``) and their units (``county_unit``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0021_park_and_county"
down_revision: str | None = "0020_class_count_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "park",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("reporting_unit", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("source_uuid", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_park")),
        sa.UniqueConstraint("uuid", name=op.f("uq_park_uuid")),
        sa.UniqueConstraint("name", name=op.f("uq_park_name")),
        sa.UniqueConstraint("source_uuid", name=op.f("uq_park_source_uuid")),
    )
    op.create_table(
        "county_submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("park_id", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.String(length=6), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("file_hash", sa.String(length=64), nullable=False),
        sa.Column("sheet", sa.String(length=100), nullable=False),
        sa.Column("exported_at", sa.DateTime(), nullable=True),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("assessment_period", sa.String(length=6), nullable=False),
        sa.Column("excellent", sa.Integer(), nullable=True),
        sa.Column("replaced_by", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_county_submission")),
        sa.UniqueConstraint("uuid", name=op.f("uq_county_submission_uuid")),
        sa.ForeignKeyConstraint(
            ["park_id"], ["park.id"], name=op.f("fk_county_submission_park_id_park")
        ),
    )
    op.create_index(
        "ix_county_submission_park_quarter", "county_submission", ["park_id", "quarter"]
    )
    op.create_table(
        "county_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("sheet_row", sa.Integer(), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("formation", sa.String(length=10), nullable=False),
        sa.Column("party_org", sa.String(length=200), nullable=False),
        sa.Column("in_base", sa.Boolean(), nullable=False),
        sa.Column("formal_members", sa.Integer(), nullable=True),
        sa.Column("probationary_members", sa.Integer(), nullable=True),
        sa.Column("activists", sa.Integer(), nullable=True),
        sa.Column("investor_is_member", sa.Boolean(), nullable=True),
        sa.Column("looked_after", sa.Boolean(), nullable=False),
        sa.Column("class_code", sa.String(length=1), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_county_unit")),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["county_submission.id"],
            name=op.f("fk_county_unit_submission_id_county_submission"),
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "ix_county_unit_figures", "county_unit", ["submission_id", "in_base", "kind", "formation"]
    )
    op.create_index("ix_county_unit_uscc", "county_unit", ["uscc"])
    op.create_index("ix_county_unit_name", "county_unit", ["name"])

    # the park that was two settings becomes its row (a database not set up yet has none)
    conn = op.get_bind()
    settings = dict(
        conn.execute(
            sa.text("SELECT key, value FROM setting WHERE key IN ('park_name', 'committee_name')")
        ).all()
    )
    name = (settings.get("park_name") or "").strip()
    if name:
        conn.execute(
            sa.text(
                "INSERT INTO park (uuid, name, reporting_unit, level, created_at)"
                " VALUES (:uuid, :name, :unit, 'park', :at)"
            ),
            {
                "uuid": str(uuid.uuid4()),
                "name": name,
                "unit": (settings.get("committee_name") or "").strip(),
                "at": datetime.now().isoformat(sep=" "),
            },
        )
    conn.execute(sa.text("DELETE FROM setting WHERE key IN ('park_name', 'committee_name')"))


def downgrade() -> None:
    conn = op.get_bind()
    row = conn.execute(
        sa.text("SELECT name, reporting_unit FROM park WHERE level = 'park' ORDER BY id LIMIT 1")
    ).first()
    if row is not None:
        for key, value in (("park_name", row[0]), ("committee_name", row[1])):
            conn.execute(
                sa.text("INSERT OR REPLACE INTO setting (key, value) VALUES (:k, :v)"),
                {"k": key, "v": value},
            )
    op.drop_index("ix_county_unit_name", table_name="county_unit")
    op.drop_index("ix_county_unit_uscc", table_name="county_unit")
    op.drop_index("ix_county_unit_figures", table_name="county_unit")
    op.drop_table("county_unit")
    op.drop_index("ix_county_submission_park_quarter", table_name="county_submission")
    op.drop_table("county_submission")
    op.drop_table("park")
