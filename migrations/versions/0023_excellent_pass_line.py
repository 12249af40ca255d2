"""优秀 needs a passing total: the pass line a published period was ranked by

Revision ID: 0023_excellent_pass_line
Revises: 0022_party_org_stars
Create Date: 2026-12-07 21:20:00

优秀 is now the top 3 of a class among the units at or above the scheme's pass line,
and a unit without a class is not ranked (issue 25). A published period keeps what it
showed: its pass line is stored with it on publishing (assessment_period.pass_line,
decimal text) and frozen by the period trigger of 0017, made again here with the new
column. The periods published before this revision keep NULL: ranked as they were
published (no line, 未分类 ranked as a class).

The SQL is written out here, not imported: a migration stays as it was run.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023_excellent_pass_line"
down_revision: str | None = "0022_party_org_stars"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_RAISE = "SELECT RAISE(ABORT, 'PARKDESK_PUBLISHED_FROZEN: 考核期已发布，不能修改');"
_NAME = "published_frozen_period_update"
_BEFORE = (
    "BEFORE UPDATE ON assessment_period WHEN OLD.published"
    " AND (NEW.id IS NOT OLD.id OR NEW.uuid IS NOT OLD.uuid OR NEW.code IS NOT OLD.code"
    " OR NEW.scheme_id IS NOT OLD.scheme_id OR NEW.subsidy IS NOT OLD.subsidy"
    " OR NEW.term_vetoed IS NOT OLD.term_vetoed)"
)
_AFTER = (
    "BEFORE UPDATE ON assessment_period WHEN OLD.published"
    " AND (NEW.id IS NOT OLD.id OR NEW.uuid IS NOT OLD.uuid OR NEW.code IS NOT OLD.code"
    " OR NEW.scheme_id IS NOT OLD.scheme_id OR NEW.subsidy IS NOT OLD.subsidy"
    " OR NEW.term_vetoed IS NOT OLD.term_vetoed OR NEW.pass_line IS NOT OLD.pass_line)"
)


def upgrade() -> None:
    op.add_column("assessment_period", sa.Column("pass_line", sa.Text(), nullable=True))
    op.execute(f"DROP TRIGGER IF EXISTS {_NAME}")
    op.execute(f"CREATE TRIGGER {_NAME} {_AFTER} BEGIN {_RAISE} END")


def downgrade() -> None:
    op.execute(f"DROP TRIGGER IF EXISTS {_NAME}")
    # in place (SQLite 3.35+): a batch copy would break the 0017 triggers that name the table
    op.execute("ALTER TABLE assessment_period DROP COLUMN pass_line")
    op.execute(f"CREATE TRIGGER {_NAME} {_BEFORE} BEGIN {_RAISE} END")
