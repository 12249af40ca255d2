"""A published assessment period is frozen by SQLite itself (triggers made by migration
0017_published_frozen; the period's made again by 0023_excellent_pass_line, with the
pass line): no path — the grid, an import, a return package, a database merge, undo,
redo, a unit deleted with its scores, raw SQL — can change its scores, its row (other
than 重新打开) or the scheme version it was ranked by. The services ask first
(app/services/assessment/published.py) for a message naming the period; this is the
guard none of them can pass by. The triggers' message starts with MARKER, which
app/db/errors.classify turns into a Chinese message."""

from __future__ import annotations

import sqlite3

MARKER = "PARKDESK_PUBLISHED_FROZEN"

_RAISE = f"SELECT RAISE(ABORT, '{MARKER}: 考核期已发布，不能修改');"


def _published(period_id: str) -> str:
    return f"coalesce((SELECT published FROM assessment_period WHERE id = {period_id}), 0)"


_USED = "EXISTS (SELECT 1 FROM assessment_period WHERE published AND scheme_id = OLD.id)"

# every trigger migration 0017 makes, as it makes them: a new database gets them from
# here (app/db/schema.py); tests/db/test_schema_created.py holds the two equal, and a
# later migration that rebuilds one of these tables must make them again
TRIGGER_WHEN = {
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
        " OR NEW.term_vetoed IS NOT OLD.term_vetoed OR NEW.pass_line IS NOT OLD.pass_line)"
    ),
    "published_frozen_period_delete": "BEFORE DELETE ON assessment_period WHEN OLD.published",
    "published_frozen_scheme_update": (
        f"BEFORE UPDATE ON assessment_scheme WHEN {_USED}"
        " AND (NEW.id IS NOT OLD.id OR NEW.name IS NOT OLD.name"
        " OR NEW.version IS NOT OLD.version OR NEW.definition IS NOT OLD.definition)"
    ),
    "published_frozen_scheme_delete": f"BEFORE DELETE ON assessment_scheme WHEN {_USED}",
}
TRIGGERS = tuple(TRIGGER_WHEN)


def create_triggers() -> list[str]:
    """The statements that make the triggers on a new database."""
    return [
        f"CREATE TRIGGER {name} {when} BEGIN {_RAISE} END" for name, when in TRIGGER_WHEN.items()
    ]


def published_codes(conn: sqlite3.Connection) -> list[str]:
    """The published periods' codes (to name them when a trigger refused a write)."""
    return sorted(c for (c,) in conn.execute("SELECT code FROM assessment_period WHERE published"))
