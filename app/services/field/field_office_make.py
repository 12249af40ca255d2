"""What the office puts into a field package beside the database: ``office.json``
(its format is described in field_office.py, which checks it on the laptop), the
published periods ranked over the whole park, for the units the package holds."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from app.db.database import Database
from app.db.queries import field as q
from app.domain.assessment import period_is_year
from app.services.assessment.assessment_results import PeriodRanking, rank_period
from app.services.assessment.assessments import published_codes
from app.services.assessment.party_org_stars import year_star_counts
from app.services.field.field_office import VERSION


def collect(db: Database, field_db: Path, scope: list[int], as_of: str) -> bytes:
    """``office.json`` for a package whose database ``field_db`` is made: the published
    periods ranked over the whole park, for the units the package holds."""
    conn = sqlite3.connect(field_db)
    try:
        units = json.dumps([u for (u,) in conn.execute(q.UUIDS_OF_ORGANIZATIONS)])
        party = json.dumps([u for (u,) in conn.execute(q.UUIDS_OF_PARTY_ORGS)])
    finally:
        conn.close()
    with db.read_connection() as office:
        wanted = dict(office.execute(q.ORGANIZATION_IDS_OF_UUIDS, (units,)))
        covered = office.execute(q.UNITS_PER_PARTY_ORG_OF_UUIDS, (party,)).fetchall()
    data = {
        "version": VERSION,
        "as_of": as_of,
        "units": sorted(wanted[i] for i in set(scope)),
        "party_orgs": dict(covered),
        "periods": {
            code: _period(ranking, wanted, _star_counts(db, ranking))
            for code, ranking in ((c, rank_period(db, c)) for c in published_codes(db))
        },
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True).encode()


def _period(
    ranking: PeriodRanking, wanted: dict[int, str], party_stars: dict[str, int]
) -> dict[str, Any]:
    """One published period: the park's totals, and the package's units' results (a
    park of 50,000 is walked once, each row asked only whether it travels)."""
    scheme = ranking.scheme
    results = {}
    for c in ranking.classes.values():
        for r in c.rows:
            if r.unit_id in wanted:
                stars = 0 if r.veto or r.total is None else scheme.stars_for(r.total)
                results[wanted[r.unit_id]] = {
                    "class": r.class_code or "",
                    "total": None if r.total is None else str(r.total),
                    "rank": r.rank,
                    "excellent": r.excellent,
                    "veto": r.veto,
                    "subsidy": str(r.subsidy),
                    "stars": stars,
                }
    return {
        "scored": ranking.scored,
        "subsidy": str(ranking.subsidy),
        "excellent": {c.class_code or "": len(c.excellent) for c in ranking.ordered},
        "stars": party_stars,
        "ties": [c.class_code or "" for c in ranking.ordered if c.tie_crosses_the_line],
        "results": results,
    }


def _star_counts(db: Database, ranking: PeriodRanking) -> dict[str, int]:
    """星级党组织 per star level over the park (a year's period; stars belong to party
    organizations: a joint branch counts once, a unit without one not at all), from the
    period's ranking already made (ranking a park of 50,000 twice cost a third of it)."""
    if not period_is_year(ranking.code):
        return {}
    counts = year_star_counts(db, int(ranking.code), ranking)
    return {str(stars): n for stars, n in sorted(counts.items()) if n}
