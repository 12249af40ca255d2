"""The worklist's unit rules, now asked in one scan of the organization table
(services/overview/unit_gaps.py), against the same rules worked out the plain way: every unit
read whole, each rule decided in Python by the domain's own tests."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from app.db.database import Database
from app.domain import rules, visits
from app.domain.rules import Rule
from app.domain.vocabulary import Formation, OrgClass
from app.services.overview.gaps import find_gaps
from app.services.registry import park
from tests.conftest import TODAY

UNIT_RULES = (
    Rule.SHOULD_SET_UP,
    Rule.PARTY_ORG_MISSING,
    Rule.NO_WORK_COVERAGE,
    Rule.UNPAIRED,
    Rule.RECTIFICATION_OVERDUE,
    Rule.NOT_VISITED,
    Rule.INCOMPLETE,
)


def _plain(db: Database) -> dict[Rule, list[tuple[int, str, str]]]:
    """Each unit rule's (id, name, detail) by names in order, one unit at a time."""
    today = TODAY.isoformat()
    with db.read_connection() as conn:
        units = conn.execute(
            "SELECT id, name, in_base, status, formation, formal_members,"
            " probationary_members, uscc, party_org_id, class_code FROM organization"
        ).fetchall()
        reached = {
            oid
            for oid, ended, active in conn.execute(
                "SELECT a.organization_id, a.ended_on, i.active FROM assignment a"
                " JOIN instructor i ON i.id = a.instructor_id"
            )
            if active and (ended is None or ended >= today)
        }
        paired = {
            helped
            for helped, started, ended in conn.execute(
                "SELECT helped_id, started_on, ended_on FROM pairing"
            )
            if started <= today and (ended is None or ended >= today)
        }
        last: dict[int, str] = {}
        for oid, day in conn.execute("SELECT organization_id, visited_on FROM visit"):
            last[oid] = max(day, last.get(oid, day))
        problems = conn.execute(
            "SELECT pu.organization_id, p.id, p.text, p.deadline, p.status FROM problem p"
            " JOIN problem_unit pu ON pu.problem_id = p.id"
        ).fetchall()
    overdue: dict[int, list[tuple[str, int, str]]] = {}
    for oid, pid, text, deadline, status in problems:
        if status in visits.STILL_OPEN and deadline is not None and deadline < today:
            overdue.setdefault(oid, []).append((deadline, pid, f"{text}（期限{deadline}）"))
    days = park.get_not_visited_days(db)
    since = (TODAY - timedelta(days=days)).isoformat()
    out: dict[Rule, list[tuple[int, str, str]]] = {rule: [] for rule in UNIT_RULES}
    for oid, name, in_base, status, formation, formal, prob, uscc, po, code in sorted(
        units, key=lambda u: (u[1], u[0])
    ):
        for _deadline, _pid, detail in sorted(overdue.get(oid, [])):
            out[Rule.RECTIFICATION_OVERDUE].append((oid, name, detail))
        if not in_base:
            continue
        kind = Formation(formation)
        if rules.should_set_up_own(formal, kind):
            detail = f"有{formal}名正式党员，应单独组建党组织"
            out[Rule.SHOULD_SET_UP].append((oid, name, detail))
        if rules.party_org_missing(kind, po is not None):
            detail = f"组建方式为“{kind.label}”，但覆盖它的党组织尚未录入"
            out[Rule.PARTY_ORG_MISSING].append((oid, name, detail))
        if kind is Formation.NONE and oid not in reached:
            out[Rule.NO_WORK_COVERAGE].append((oid, name, "没有党组织，也没有安排指导员或联络员"))
        lacking = [
            label
            for label, value in (
                ("统一社会信用代码", uscc),
                ("正式党员数", formal),
                ("预备党员数", prob),
            )
            if value is None
        ]
        if lacking:
            out[Rule.INCOMPLETE].append((oid, name, "缺" + "、".join(lacking)))
        if code in rules.WANT_PAIRING and oid not in paired:
            detail = f"{OrgClass(code).label}，没有正在进行的结对帮带"
            out[Rule.UNPAIRED].append((oid, name, detail))
        if status == "active" and last.get(oid, "") < since:
            seen = last.get(oid)
            detail = f"上次走访{seen}，已超过{days}天" if seen else "没有走访记录"
            out[Rule.NOT_VISITED].append((oid, name, detail))
    return out


def test_one_scan_finds_what_the_plain_way_does(demo_db: Database) -> None:
    # a few more of the cases the demo makes rarely: no code, a second problem due the same day
    with sqlite3.connect(demo_db.path) as conn:
        conn.execute("UPDATE organization SET uscc = NULL WHERE id % 17 = 0")
        conn.execute("UPDATE organization SET formal_members = NULL WHERE id % 23 = 0")
        conn.execute("UPDATE organization SET in_base = 0 WHERE id % 29 = 0")
    expected = _plain(demo_db)
    assert all(expected[rule] for rule in UNIT_RULES), "the demo park exercises every rule"
    found: dict[Rule, list[tuple[int, str, str]]] = {rule: [] for rule in UNIT_RULES}
    for g in find_gaps(demo_db, TODAY):
        if g.record == "organization":
            found[g.rule].append((g.record_id, g.name, g.detail))
    assert found == expected
