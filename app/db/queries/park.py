"""The database's own park row: a park database's one park, a county database's county."""

from __future__ import annotations

# plain text: read at start-up (the window's title) before SQLAlchemy is loaded
OWN_PARK_SQL = (
    "SELECT name, reporting_unit, level, uuid FROM park ORDER BY level = 'county' DESC, id LIMIT 1"
)
