"""Migration 0022 on a database at 0021 holding records (the demo park): the party
organizations gain 示范点 (none) and keep every row, uuid and unit; the stars, computed
from the yearly period, come out the same before and after."""

from __future__ import annotations

import sqlite3

from app.db import migrate
from app.db.database import Database, open_database
from app.db.engine import make_engine
from app.services.assessment import party_org_stars


def _party_orgs(path: object) -> list[tuple]:
    with sqlite3.connect(path) as conn:  # type: ignore[arg-type]
        return conn.execute(
            "SELECT po.id, po.uuid, po.name, count(o.id) FROM party_organization po"
            " LEFT JOIN organization o ON o.party_org_id = po.id GROUP BY po.id ORDER BY po.id"
        ).fetchall()


def test_a_database_at_0021_gains_demo_sites_with_every_party_organization_kept(
    demo_db: object,
) -> None:
    db: Database = demo_db  # type: ignore[assignment]
    path = db.path
    stars = [(p.uuid, p.stars) for p in party_org_stars.year_stars(db, 2025).party_orgs]
    db.dispose()
    engine = make_engine(path)
    migrate.run_alembic(engine, "downgrade", "0021_park_and_county")
    engine.dispose()
    with sqlite3.connect(path) as conn:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(party_organization)")]
    assert "demo_site" not in columns
    kept = _party_orgs(path)
    assert len(kept) > 5 and sum(n for *_r, n in kept) > 0

    again = open_database(path)
    assert migrate.current_revision(again.engine) == migrate.SCHEMA_HEAD
    assert _party_orgs(path) == kept
    with sqlite3.connect(path) as conn:
        designations = set(conn.execute("SELECT demo_site, demo_site_year FROM party_organization"))
    assert designations == {("none", None)}
    assert [(p.uuid, p.stars) for p in party_org_stars.year_stars(again, 2025).party_orgs] == stars
    again.dispose()
