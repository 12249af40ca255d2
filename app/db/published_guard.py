"""A published assessment period is frozen by SQLite itself (triggers made by migration
0017_published_frozen): no path — the grid, an import, a return package, a database
merge, undo, redo, a unit deleted with its scores, raw SQL — can change its scores,
its row (other than 重新打开) or the scheme version it was ranked by. The services ask
first (app/services/published.py) for a message naming the period; this is the guard
none of them can pass by. The triggers' message starts with MARKER, which
app/db/errors.classify turns into a Chinese message."""

from __future__ import annotations

import sqlite3

MARKER = "PARKDESK_PUBLISHED_FROZEN"

# every trigger migration 0017 makes (a test checks each exists on a new database: a
# later migration that rebuilds one of these tables must make them again)
TRIGGERS = (
    "published_frozen_score_insert",
    "published_frozen_score_update",
    "published_frozen_score_delete",
    "published_frozen_period_update",
    "published_frozen_period_delete",
    "published_frozen_scheme_update",
    "published_frozen_scheme_delete",
)


def published_codes(conn: sqlite3.Connection) -> list[str]:
    """The published periods' codes (to name them when a trigger refused a write)."""
    return sorted(c for (c,) in conn.execute("SELECT code FROM assessment_period WHERE published"))
