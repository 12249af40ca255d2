"""Every gap rule with its edges, and the command line's check."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

from app.db.database import Database
from app.domain.rules import Rule
from app.domain.validation import OrganizationDraft, PartyOrgDraft
from app.domain.vocabulary import Formation
from app.services.files import demo
from app.services.overview.gaps import find_gaps
from app.services.registry import instructors, organizations, party_orgs
from tests.conftest import TODAY, run_main

ROOT = Path(__file__).resolve().parents[2]


def _org(db: Database, name: str, **kw: object) -> int:
    return organizations.create_organization(db, OrganizationDraft(name=name, **kw))  # type: ignore[arg-type]


def _rules(db: Database) -> dict[str, set[Rule]]:
    out: dict[str, set[Rule]] = {}
    for g in find_gaps(db, TODAY):
        out.setdefault(g.name, set()).add(g.rule)
    return out


def test_three_formal_members_exactly(db: Database) -> None:
    _org(db, "两名", uscc="", formal_members=2, probationary_members=3)
    _org(db, "三名", formal_members=3, probationary_members=0)
    rules = _rules(db)
    assert Rule.SHOULD_SET_UP in rules["三名"]
    assert Rule.SHOULD_SET_UP not in rules["两名"]


def test_joint_branch_five_and_six_units(db: Database) -> None:
    five = [_org(db, f"五{i}") for i in range(5)]
    six = [_org(db, f"六{i}") for i in range(6)]
    party_orgs.create_party_org(
        db, PartyOrgDraft(name="五单位联合支部", formation=Formation.JOINT, covered_ids=five)
    )
    party_orgs.create_party_org(
        db, PartyOrgDraft(name="六单位联合支部", formation=Formation.JOINT, covered_ids=six)
    )
    rules = _rules(db)
    assert Rule.JOINT_TOO_LARGE in rules["六单位联合支部"]
    assert Rule.JOINT_TOO_LARGE not in rules.get("五单位联合支部", set())


def test_elections_due_today_yesterday_and_postponed(db: Database) -> None:
    for name, elected, postponed, approval in (
        ("今天到期", date(2023, 11, 23), None, ""),
        ("昨天到期", date(2023, 11, 22), None, ""),
        ("已批准延期", date(2023, 1, 1), date(2027, 3, 1), "上级批复"),
    ):
        unit = _org(db, f"{name}的单位")
        party_orgs.create_party_org(
            db,
            PartyOrgDraft(
                name=name,
                formation=Formation.OWN,
                covered_ids=[unit],
                secretary="张三",
                last_election=elected,
                postponed_until=postponed,
                postponement_approval=approval,
            ),
            TODAY,
        )
    rules = _rules(db)
    assert rules["今天到期"] == {Rule.ELECTION_DUE_SOON}
    assert rules["昨天到期"] == {Rule.ELECTION_OVERDUE}
    assert "已批准延期" not in rules


def test_work_coverage_secretary_capacity_and_incomplete(db: Database) -> None:
    alone = _org(db, "无人联系", uscc="", formal_members=0, probationary_members=0)
    reached = _org(db, "有人联系", formal_members=0, probationary_members=0)
    inst = instructors.create_instructor(db, instructors.InstructorDraft(name="李指导", capacity=0))
    instructors.assign(db, inst, reached)
    rules = _rules(db)
    assert Rule.NO_WORK_COVERAGE in rules["无人联系"]
    assert Rule.NO_WORK_COVERAGE not in rules["有人联系"]
    assert rules["李指导"] == {Rule.INSTRUCTOR_OVERLOADED}
    assert Rule.INCOMPLETE in rules["无人联系"]  # no credit code
    unit = _org(db, "有支部的")
    party_orgs.create_party_org(
        db, PartyOrgDraft(name="没书记的支部", formation=Formation.OWN, covered_ids=[unit])
    )
    assert _rules(db)["没书记的支部"] == {Rule.NO_SECRETARY}
    assert alone


def test_cli_check_json(tmp_path: Path) -> None:
    from app.db.database import open_database

    path = tmp_path / "园区.sqlite3"
    db = open_database(path)
    demo.build_demo(db, 120)
    expected = Counter(g.rule.value for g in find_gaps(db))
    db.dispose()
    run = run_main("--db", str(path), "check", "--json")
    assert run.returncode == 0, run.stderr
    rows = json.loads(run.stdout)
    assert {"rule", "record", "name", "detail"} <= set(rows[0])
    assert Counter(r["rule"] for r in rows) == expected
    assert expected["should_set_up"] >= 1 and expected["election_overdue"] >= 1
