"""The term rule's veto (未按期换届): the party organizations whose election was overdue
on a period's last day, read live while the period is open; on publishing, the units it
vetoed are kept with the period (assessment_period.term_vetoed), so correcting an
election date later never changes a published ranking."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import date

from app.db.queries import assessment as q
from app.domain.assessment import TERM_VETO, Scheme, period_end
from app.domain.terms import ElectionState, election_status


def term_vetoes(
    conn: sqlite3.Connection, scheme: Scheme, code: str, among: Iterable[int] | None = None
) -> set[int]:
    """Party organizations whose election was overdue on the period's last day (of
    ``among`` when given): a generous first cut in SQL (a few days' margin), decided by
    terms.election_status."""
    if TERM_VETO not in scheme.vetoes or "H" not in code:
        return set()
    end = period_end(code)
    args: tuple = (end.isoformat(),)
    if among is not None:
        args += (json.dumps(sorted(set(among) - {None})),)
    overdue = set()
    for pid, last, years, postponed in conn.execute(q.overdue_elections(among is not None), args):
        status = election_status(
            date.fromisoformat(last),
            years,
            date.fromisoformat(postponed) if postponed else None,
            end,
        )
        if status.state is ElectionState.OVERDUE:
            overdue.add(pid)
    return overdue


def vetoed_on_publishing(
    conn: sqlite3.Connection, period_id: int, scheme: Scheme, code: str
) -> str:
    """The scored units the rule vetoes now (uuids, JSON): kept with the period."""
    overdue = term_vetoes(conn, scheme, code)
    found = conn.execute(q.SCORED_UNITS_OF_PARTY_ORGS, (period_id, json.dumps(sorted(overdue))))
    return json.dumps([u for (u,) in found])


def frozen_vetoes(conn: sqlite3.Connection, period_id: int, published: bool) -> set[int] | None:
    """The units (ids) the rule vetoed when the period was published; None while it is
    open, or published before the units were kept (then the rule is read live)."""
    if not published:
        return None
    (stored,) = conn.execute(q.TERM_VETOED, (period_id,)).fetchone()
    if stored is None:
        return None
    return {i for (i,) in conn.execute(q.UNITS_BY_UUID, (stored,))}
