"""What the office puts into a field package beside the database: ``office.json``
(its format is described in field_office.py, which checks it on the laptop), the
published periods ranked over the whole park, for the units the package holds."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from app.db.database import Database
from app.services.assessment_results import rank_period, stars_by_unit
from app.services.assessments import published_codes
from app.services.field_office import VERSION


def collect(db: Database, field_db: Path, scope: list[int], as_of: str) -> bytes:
    """``office.json`` for a package whose database ``field_db`` is made: the published
    periods ranked over the whole park, for the units the package holds."""
    conn = sqlite3.connect(field_db)
    try:
        units = {u for (u,) in conn.execute("SELECT uuid FROM organization")}
        party = {u for (u,) in conn.execute("SELECT uuid FROM party_organization")}
    finally:
        conn.close()
    with db.read_connection() as office:
        uuid_of = dict(office.execute("SELECT id, uuid FROM organization"))
        covered = office.execute(
            "SELECT p.uuid, count(o.id) FROM party_organization p"
            " LEFT JOIN organization o ON o.party_org_id = p.id GROUP BY p.id"
        ).fetchall()
    periods = {}
    for code in published_codes(db):
        ranking = rank_period(db, code)
        stars = stars_by_unit(ranking)
        results = {}
        for r in (row for c in ranking.classes.values() for row in c.rows):
            if uuid_of.get(r.unit_id) in units:
                results[uuid_of[r.unit_id]] = {
                    "class": r.class_code or "",
                    "total": None if r.total is None else str(r.total),
                    "rank": r.rank,
                    "excellent": r.excellent,
                    "veto": r.veto,
                    "subsidy": str(r.subsidy),
                    "stars": stars.get(r.unit_id, 0),
                }
        periods[code] = {
            "scored": ranking.scored,
            "subsidy": str(ranking.subsidy),
            "excellent": {c.class_code or "": len(c.excellent) for c in ranking.ordered},
            "stars": {str(n): k for n, k in _star_counts(stars).items()},
            "ties": [c.class_code or "" for c in ranking.ordered if c.tie_crosses_the_line],
            "results": results,
        }
    data = {
        "version": VERSION,
        "as_of": as_of,
        "units": sorted(uuid_of[i] for i in set(scope)),
        "party_orgs": {u: n for u, n in covered if u in party},
        "periods": periods,
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True).encode()


def _star_counts(stars: dict[int, int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for n in stars.values():
        if n:
            counts[n] = counts.get(n, 0) + 1
    return counts
