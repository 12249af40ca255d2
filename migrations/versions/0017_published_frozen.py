"""a published assessment period is frozen by triggers

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 12:30:00

A return package and a database merge wrote scores of a published period, changing
units' rank, 优秀 and 以奖代补 after publishing (issue 22). SQLite now refuses, on
every path: adding, changing or deleting a score of a published period (a unit's
deletion cascades to its scores, so a unit with published scores cannot be deleted
either); changing a published period's row other than its published flag (重新打开
stays possible) or deleting it — its 以奖代补 amounts are kept with it on publishing
(assessment_period.subsidy), and the units the term rule vetoed
(assessment_period.term_vetoed); changing or deleting the scheme version a published
period was ranked by. The message starts with the marker app/db/published_guard.py
names (app/db/errors.py turns it into Chinese).

The SQL is written out here, not imported: a migration stays as it was run.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"  # digits only: packages compare revisions as numbers (exchange/packages.py)
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_RAISE = "SELECT RAISE(ABORT, 'PARKDESK_PUBLISHED_FROZEN: 考核期已发布，不能修改');"


def _published(period_id: str) -> str:
    return f"coalesce((SELECT published FROM assessment_period WHERE id = {period_id}), 0)"


_USED = "EXISTS (SELECT 1 FROM assessment_period WHERE published AND scheme_id = OLD.id)"

TRIGGERS = {
    "published_frozen_score_insert": (
        f"BEFORE INSERT ON assessment_score WHEN {_published('NEW.period_id')}"
    ),
    "published_frozen_score_update": (
        f"BEFORE UPDATE ON assessment_score"
        f" WHEN {_published('OLD.period_id')} OR {_published('NEW.period_id')}"
    ),
    "published_frozen_score_delete": (
        f"BEFORE DELETE ON assessment_score WHEN {_published('OLD.period_id')}"
    ),
    "published_frozen_period_update": (
        "BEFORE UPDATE ON assessment_period WHEN OLD.published"
        " AND (NEW.id IS NOT OLD.id OR NEW.uuid IS NOT OLD.uuid OR NEW.code IS NOT OLD.code"
        " OR NEW.scheme_id IS NOT OLD.scheme_id OR NEW.subsidy IS NOT OLD.subsidy"
        " OR NEW.term_vetoed IS NOT OLD.term_vetoed)"
    ),
    "published_frozen_period_delete": "BEFORE DELETE ON assessment_period WHEN OLD.published",
    "published_frozen_scheme_update": (
        f"BEFORE UPDATE ON assessment_scheme WHEN {_USED}"
        " AND (NEW.id IS NOT OLD.id OR NEW.name IS NOT OLD.name"
        " OR NEW.version IS NOT OLD.version OR NEW.definition IS NOT OLD.definition)"
    ),
    "published_frozen_scheme_delete": f"BEFORE DELETE ON assessment_scheme WHEN {_USED}",
}


def upgrade() -> None:
    # 以奖代补 as published: the periods published before this revision keep the amounts
    # the settings hold now (the last they were ranked with)
    op.add_column("assessment_period", sa.Column("subsidy", sa.Text(), nullable=True))
    # the term rule's vetoes as published (NULL for the periods published before: read
    # live, as they were)
    op.add_column("assessment_period", sa.Column("term_vetoed", sa.Text(), nullable=True))
    op.execute(
        "UPDATE assessment_period SET subsidy = (SELECT json_extract(value, '$.subsidy')"
        " FROM setting WHERE key = 'assessment') WHERE published"
    )
    for name, when in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {when} BEGIN {_RAISE} END")


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("assessment_period") as batch_op:
        batch_op.drop_column("term_vetoed")
        batch_op.drop_column("subsidy")
