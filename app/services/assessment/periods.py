"""The assessment periods as rankings and the overview read them: which are open, which
published, and one period's scheme. sqlite3 alone, so the overview's headline and the
rankings read without importing SQLAlchemy (start-up time; bench/)."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

from app.db.database import Database
from app.db.queries import assessment as q
from app.domain.assessment import (
    AS_PUBLISHED_BEFORE_THE_LINE,
    ExcellenceRule,
    Scheme,
    period_order,
    rule_of,
    scheme_from_json,
)


def period_row(conn: sqlite3.Connection, code: str) -> tuple[int, bool, Scheme]:
    """(id, published, scheme) of a period, read within the caller's connection."""
    row = conn.execute(q.PERIOD_ROW, (code.strip().upper(),)).fetchone()
    if row is None:
        raise LookupError(f"没有考核期{code}")
    return row[0], bool(row[1]), scheme_from_json(row[2], row[3], row[4])


def period_rule(
    conn: sqlite3.Connection, period_id: int, published: bool, scheme: Scheme
) -> ExcellenceRule:
    """Who is 优秀 in a period: an open one by its scheme's pass line; a published one by
    the line stored with it on publishing (none stored: published before the line
    existed, and ranked as it was published)."""
    if not published:
        return rule_of(scheme)
    (stored,) = conn.execute(q.PERIOD_PASS_LINE, (period_id,)).fetchone()
    return AS_PUBLISHED_BEFORE_THE_LINE if stored is None else ExcellenceRule(Decimal(stored))


def period_codes(db: Database) -> list[str]:
    """The periods opened, newest first (2026H2, 2026H1, 2026, 2025H2…)."""
    with db.read_connection() as conn:
        codes = [c for (c,) in conn.execute(q.PERIOD_CODES)]
    return sorted(codes, key=period_order, reverse=True)


def published_codes(db: Database) -> list[str]:
    """The published periods, newest first."""
    with db.read_connection() as conn:
        done = {c for (c,) in conn.execute(q.PUBLISHED_CODES)}
    return [c for c in period_codes(db) if c in done]
