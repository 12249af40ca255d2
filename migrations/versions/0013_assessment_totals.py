"""assessment_score.total_tenths: the total kept with the scores, ranked by SQLite

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 03:00:00

A unit's total (indicators + bonus) in whole tenths of a point, NULL while a score
is missing: ranking 50,000 units is then one window query (RANK() OVER a class)
instead of reading and summing every unit's JSON. Rows written before are filled
from their scores and their period's scheme.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _total(indicators: list[str], scores: str, bonus: str) -> int | None:
    values = json.loads(scores)
    if any(name not in values for name in indicators):
        return None
    points = sum((Decimal(values[name]) for name in indicators), Decimal(bonus or "0"))
    return int(points * 10)


def upgrade() -> None:
    with op.batch_alter_table("assessment_score") as batch:
        batch.add_column(sa.Column("total_tenths", sa.Integer()))
    # covering what the ranking reads of 50,000 rows (the rows themselves carry the
    # scores' JSON: reading them is three times slower than this index)
    op.create_index(
        "ix_assessment_score_ranking",
        "assessment_score",
        ["period_id", "organization_id", "total_tenths", "class_code", "veto"],
    )
    conn = op.get_bind()
    schemes = {
        period_id: [
            i["name"] for d in json.loads(definition)["dimensions"] for i in d["indicators"]
        ]
        for period_id, definition in conn.execute(
            sa.text(
                "SELECT p.id, s.definition FROM assessment_period p"
                " JOIN assessment_scheme s ON s.id = p.scheme_id"
            )
        )
    }
    rows = conn.execute(
        sa.text("SELECT id, period_id, scores, bonus FROM assessment_score")
    ).fetchall()
    for ident, period_id, scores, bonus in rows:
        conn.execute(
            sa.text("UPDATE assessment_score SET total_tenths = :t WHERE id = :i"),
            {"t": _total(schemes[period_id], scores, bonus), "i": ident},
        )


def downgrade() -> None:
    op.drop_index("ix_assessment_score_ranking", "assessment_score")
    with op.batch_alter_table("assessment_score") as batch:
        batch.drop_column("total_tenths")
