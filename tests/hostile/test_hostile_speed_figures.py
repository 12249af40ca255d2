"""Issue 23 (speed): the coverage figures' party organizations by kind and 党员活动室
were read from every unit's wide row (100 of 160 ms at 50,000 units). They now come
from one grouped read of an index (migration 0026). What must not change: every count,
on a park with the awkward cases (an organization covering no unit, one of both kinds,
a blank venue, a closed unit, an own-branch unit whose organization is not recorded,
an association's own branch with a venue), worked out here in Python from the raw
tables; and what must stay fast: no statement of the figures reads a unit's row."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from app.db.database import Database
from app.domain.validation import OrganizationDraft, PartyOrgDraft
from app.domain.vocabulary import Formation, OrgKind, OrgStatus, PartyOrgLevel
from app.services.overview.figures import registry_figures
from app.services.registry import organizations, party_orgs

E, S = OrgKind.ENTERPRISE, OrgKind.SOCIAL
UNITS = (("企一", E), ("企二", E), ("企三", E), ("企四", E), ("企闭", E), ("会一", S), ("会二", S))
# (name, level, formation, units, venue)
PARTY_ORGS = (
    ("企一支部", PartyOrgLevel.BRANCH, Formation.OWN, ("企一",), "活动室"),
    ("企二支部", PartyOrgLevel.BRANCH, Formation.OWN, ("企二",), "  "),
    ("企闭支部", PartyOrgLevel.BRANCH, Formation.OWN, ("企闭",), "旧厂房"),
    ("会一支部", PartyOrgLevel.BRANCH, Formation.OWN, ("会一",), "协会办公室"),
    ("混合联合支部", PartyOrgLevel.BRANCH, Formation.JOINT, ("企三", "会二"), "党群中心"),
    ("园区党委", PartyOrgLevel.COMMITTEE, Formation.OWN, (), "园区大楼"),
    ("挂靠总支", PartyOrgLevel.GENERAL_BRANCH, Formation.ATTACHED, (), ""),
)


@pytest.fixture
def park(db: Database) -> Database:
    ids = {
        name: organizations.create_organization(db, OrganizationDraft(name=name, kind=kind))
        for name, kind in UNITS
    }
    for name, level, formation, units, venue in PARTY_ORGS:
        party_orgs.create_party_org(
            db,
            PartyOrgDraft(
                name=name,
                level=level,
                formation=formation,
                venue=venue,
                covered_ids=[ids[u] for u in units],
            ),
        )
    organizations.mark_status(db, ids["企闭"], OrgStatus.CLOSED, date(2026, 3, 1))
    # an old copy's unit: its own branch recorded, not which organization (in the base,
    # counted among the rooms' base, with no room)
    with sqlite3.connect(db.path) as conn:
        conn.execute(
            "UPDATE organization SET formation = 'own', party_org_id = NULL WHERE id = ?",
            (ids["企四"],),
        )
    return db


def _by_hand(path: Path) -> tuple[Counter, Counter, tuple[int, int]]:
    """The three figures from the raw tables: party organizations by (level, formation)
    and by (units' kind, formation), and the rooms' (base, with a venue)."""
    conn = sqlite3.connect(path)
    units = conn.execute(
        "SELECT kind, in_base, formation, party_org_id FROM organization"
    ).fetchall()
    orgs = conn.execute("SELECT id, level, formation, venue FROM party_organization").fetchall()
    conn.close()
    venue = {po: (v or "").strip() != "" for po, _l, _f, v in orgs}
    by_level = Counter((PartyOrgLevel(level), Formation(f)) for _id, level, f, _v in orgs)
    by_kind: Counter = Counter()
    for po, _level, f, _v in orgs:
        kinds = {kind for kind, _b, _f, of in units if of == po}
        kind = "none" if not kinds else kinds.pop() if len(kinds) == 1 else "mixed"
        by_kind[(kind, Formation(f))] += 1
    own = [of for kind, in_base, f, of in units if kind == "enterprise" and in_base and f == "own"]
    return by_level, by_kind, (len(own), sum(1 for of in own if of and venue[of]))


def test_the_party_organizations_and_rooms_are_counted_as_the_rules_say(park: Database) -> None:
    by_level, by_kind, rooms = _by_hand(park.path)
    # what the park holds: each awkward case present
    assert by_kind[("none", Formation.OWN)] == by_kind[("none", Formation.ATTACHED)] == 1
    assert by_kind[("mixed", Formation.JOINT)] == 1
    assert rooms == (3, 1)  # 企一 (a room), 企二 (blank venue), 企四 (no organization)
    figures = registry_figures(park)
    assert Counter(figures.party_orgs) == by_level
    assert Counter(figures.party_orgs_by_kind) == by_kind
    assert (figures.activity_rooms.base, figures.activity_rooms.with_room) == rooms


def test_no_statement_of_the_figures_reads_a_units_row(
    park: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every step on organization of every statement registry_figures runs is an index
    alone (a unit's row is 40 columns wide: reading 50,000 of them was the slowness)."""
    statements: list[str] = []
    connect = park._connect

    def traced() -> sqlite3.Connection:
        conn = connect()
        conn.set_trace_callback(statements.append)
        return conn

    monkeypatch.setattr(park, "_connect", traced)
    registry_figures(park)
    monkeypatch.undo()
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(reads) >= 3
    steps = []
    with sqlite3.connect(park.path) as conn:
        for sql in reads:
            params = {"today": date.today().isoformat()} if ":today" in sql else {}
            for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params):
                steps.append(row[3])
    on_units = [s for s in steps if s.split(" ")[:2] in (["SCAN", "o"], ["SEARCH", "o"])]
    assert on_units, steps
    assert [s for s in on_units if "COVERING INDEX" not in s] == []
