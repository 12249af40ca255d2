"""Visits and rectifications (issue 13, first part): a visit with problems found,
common problems linked to each unit, the way to 已核验 and back, overdue, refused
input at the field, and deleting a unit takes its visits along (undoably)."""

from __future__ import annotations

from datetime import date

import pytest

from app.db.database import Database
from app.domain.validation import OrganizationDraft, ValidationError
from app.domain.visits import ProblemDraft, VisitDraft
from app.domain.vocabulary import ProblemStatus, VisitKind
from app.services.field import visits
from app.services.files import audit
from app.services.registry import instructors, organizations
from app.services.registry.instructors import InstructorDraft

TODAY = date(2026, 11, 23)


def _people(db: Database) -> tuple[int, int, int]:
    a = organizations.create_organization(db, OrganizationDraft(name="甲公司"))
    b = organizations.create_organization(db, OrganizationDraft(name="乙公司"))
    who = instructors.create_instructor(db, InstructorDraft(name="王指导"))
    return a, b, who


def test_a_visit_with_an_individual_and_a_common_problem(db: Database) -> None:
    a, b, who = _people(db)
    visits.add_visit(
        db,
        VisitDraft(
            a,
            date(2026, 11, 20),
            VisitKind.UNANNOUNCED,
            [who],
            "查看党员活动室，查阅会议记录",
            "支部书记",
            [
                ProblemDraft(
                    "三会一课记录不全", rectification="补齐记录", deadline=date(2026, 12, 31)
                ),
                ProblemDraft("党建阵地标识不统一", common=True, unit_ids=[a, b]),
            ],
        ),
        TODAY,
    )
    (visit,) = visits.list_visits(db, TODAY)
    assert (visit.org.name, visit.kind, visit.instructors) == (
        "甲公司",
        VisitKind.UNANNOUNCED,
        ("王指导",),
    )
    by_text = {p.text: p for p in visit.problems}
    assert [u.name for u in by_text["三会一课记录不全"].units] == ["甲公司"]  # the unit visited
    assert [u.name for u in by_text["党建阵地标识不统一"].units] == ["甲公司", "乙公司"]
    assert all(p.status is ProblemStatus.OPEN for p in visit.problems)


def test_the_way_to_verified_and_back_with_overdue(db: Database) -> None:
    a, _b, _who = _people(db)
    pid = visits.raise_problem(
        db,
        ProblemDraft("逾期未换届", unit_ids=[a], deadline=date(2026, 11, 1)),
        raised_on=date(2026, 10, 1),
        source="election_overdue",
    )
    (row,) = visits.list_problems(db, TODAY)
    assert row.overdue and row.days_to_close is None
    with pytest.raises(ValidationError) as err:
        visits.set_status(db, pid, ProblemStatus.VERIFIED)
    assert {i.code for i in err.value.issues} == {"verify_note_missing", "verify_date_missing"}
    visits.set_status(db, pid, ProblemStatus.DONE)
    assert not visits.list_problems(db, TODAY)[0].overdue  # rectified: no longer overdue
    visits.set_status(db, pid, ProblemStatus.VERIFIED, "已完成换届选举", date(2026, 11, 21))
    row = visits.list_problems(db, TODAY)[0]
    assert (row.status, row.verify_note, row.days_to_close) == (
        ProblemStatus.VERIFIED,
        "已完成换届选举",
        51,
    )
    visits.set_status(db, pid, ProblemStatus.IN_PROGRESS)  # reopened: verification cleared
    row = visits.list_problems(db, TODAY)[0]
    assert (row.verified_on, row.verify_note, row.overdue) == (None, "", True)
    assert (
        audit.undo_last(db) and visits.list_problems(db, TODAY)[0].status is ProblemStatus.VERIFIED
    )


def test_bad_input_is_refused_at_the_field(db: Database) -> None:
    a, b, who = _people(db)
    with pytest.raises(ValidationError) as err:
        visits.add_visit(
            db,
            VisitDraft(
                a,
                date(2026, 11, 20),
                VisitKind.VISIT,
                [],
                problems=[
                    ProblemDraft("问题", deadline=date(2026, 11, 19)),
                    ProblemDraft("", unit_ids=[a, b]),
                ],
            ),
            TODAY,
        )
    assert {i.code for i in err.value.issues} == {
        "required",
        "deadline_before_visit",
        "individual_many_units",
    }
    assert visits.list_visits(db, TODAY) == []  # nothing written
    with pytest.raises(ValidationError) as err:
        visits.add_visit(db, VisitDraft(a, date(2026, 12, 1), VisitKind.VISIT, [who]), TODAY)
    assert err.value.issues[0].code == "date_in_future"


def test_deleting_a_unit_takes_its_visits_and_undo_brings_them_back(db: Database) -> None:
    a, b, who = _people(db)
    visits.add_visit(
        db,
        VisitDraft(
            a,
            date(2026, 11, 20),
            VisitKind.VISIT,
            [who],
            problems=[
                ProblemDraft("共性问题", common=True, unit_ids=[a, b]),
                ProblemDraft("个性问题"),
            ],
        ),
        TODAY,
    )
    organizations.delete_organization(db, a)
    assert visits.list_visits(db, TODAY) == []
    (left,) = visits.list_problems(db, TODAY)
    assert (left.text, [u.name for u in left.units], left.visit_id) == (
        "共性问题",
        ["乙公司"],
        None,
    )
    audit.undo_last(db)
    (visit,) = visits.list_visits(db, TODAY)
    assert sorted(p.text for p in visit.problems) == ["个性问题", "共性问题"]
    assert visit.instructors == ("王指导",)


def test_the_command_line_keeps_its_json_keys(db_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from app.db.database import open_database
    from tests.conftest import run_main

    db = open_database(db_path)
    organizations.create_organization(
        db, OrganizationDraft(name="甲公司", uscc="91450200MA5N6C5H2H")
    )
    instructors.create_instructor(db, InstructorDraft(name="王指导"))
    db.dispose()
    base = ("--db", str(db_path))
    done = run_main(
        *base,
        "visits",
        "add",
        "--org",
        "91450200MA5N6C5H2H",
        "--date",
        "2026-11-20",
        "--kind",
        "三访三问三讲",
        "--instructor",
        "王指导",
        "--content",
        "座谈",
        "--problem",
        "阵地建设不达标",
        "--deadline",
        "2026-12-31",
    )
    assert done.returncode == 0, done.stderr
    (visit,) = json.loads(run_main(*base, "visits", "list", "--json").stdout)
    assert set(visit) == {"uuid", "date", "org", "kind", "instructors", "content", "problems"}
    assert (visit["org"], visit["kind"], visit["instructors"]) == (
        {"uscc": "91450200MA5N6C5H2H", "name": "甲公司"},
        "三访三问三讲",
        ["王指导"],
    )
    (problem,) = visit["problems"]
    assert set(problem) == {"uuid", "text", "common", "deadline", "status", "note"}
    refused = run_main(*base, "problems", "set", problem["uuid"], "--status", "已核验")
    assert refused.returncode == 1 and "核验意见" in refused.stderr
    done = run_main(*base, "problems", "set", problem["uuid"], "--status", "整改中")
    assert done.returncode == 0, done.stderr
    (listed,) = json.loads(run_main(*base, "problems", "list", "--json").stdout)
    assert {k: listed[k] for k in ("uuid", "text", "common", "deadline", "status", "overdue")} == {
        "uuid": problem["uuid"],
        "text": "阵地建设不达标",
        "common": False,
        "deadline": "2026-12-31",
        "status": "整改中",
        "overdue": False,
    }
    assert listed["org"] == {"uscc": "91450200MA5N6C5H2H", "name": "甲公司"}
    bad = run_main(
        *base,
        "visits",
        "add",
        "--org",
        "91450200MA5N6C5H2H",
        "--date",
        "2019-02-30",
        "--instructor",
        "王指导",
    )
    assert bad.returncode == 1 and "2月没有30日" in bad.stderr


def test_overdue_rectifications_and_units_not_visited_join_the_worklist(db: Database) -> None:
    from app.domain.rules import Rule
    from app.services.overview.gaps import find_gaps
    from app.services.registry import park

    a, b, who = _people(db)

    def flagged(rule: Rule) -> list[tuple[str, str]]:
        return [(g.name, g.detail) for g in find_gaps(db, TODAY) if g.rule is rule]

    assert flagged(Rule.NOT_VISITED) == []  # no visit recorded yet: the rule waits
    visits.add_visit(db, VisitDraft(a, date(2026, 5, 1), VisitKind.VISIT, [who]), TODAY)
    assert flagged(Rule.NOT_VISITED) == [
        ("乙公司", "没有走访记录"),
        ("甲公司", "上次走访2026-05-01，已超过180天"),
    ]
    park.set_not_visited_days(db, 365)
    assert flagged(Rule.NOT_VISITED) == [("乙公司", "没有走访记录")]
    park.set_not_visited_days(db, 0)  # off
    assert flagged(Rule.NOT_VISITED) == []
    pid = visits.raise_problem(
        db,
        ProblemDraft("标识不统一", common=True, unit_ids=[a, b], deadline=date(2026, 11, 1)),
        raised_on=date(2026, 10, 1),
    )
    assert flagged(Rule.RECTIFICATION_OVERDUE) == [
        ("乙公司", "标识不统一（期限2026-11-01）"),
        ("甲公司", "标识不统一（期限2026-11-01）"),
    ]
    visits.set_status(db, pid, ProblemStatus.DONE)
    assert flagged(Rule.RECTIFICATION_OVERDUE) == []


def test_the_counts_overview_shows(db: Database) -> None:
    a, b, who = _people(db)
    visits.add_visit(
        db,
        VisitDraft(
            a,
            date(2026, 10, 5),
            VisitKind.VISIT,
            [who],
            problems=[
                ProblemDraft("共性", common=True, unit_ids=[a, b], deadline=date(2026, 11, 1)),
                ProblemDraft("个性", deadline=date(2026, 12, 31)),
            ],
        ),
        TODAY,
    )
    visits.add_visit(db, VisitDraft(b, date(2026, 9, 30), VisitKind.VISIT, [who]), TODAY)
    assert visits.counts(db, TODAY) == visits.VisitCounts(1, 2, 1, 1)  # Q4 began 10-01


def test_a_unit_and_an_instructor_see_their_own_visits_and_problems(db: Database) -> None:
    a, b, who = _people(db)
    other = instructors.create_instructor(db, InstructorDraft(name="李指导"))
    visits.add_visit(
        db,
        VisitDraft(
            a, date(2026, 11, 2), VisitKind.VISIT, [who], problems=[ProblemDraft("甲的问题")]
        ),
        TODAY,
    )
    visits.add_visit(db, VisitDraft(b, date(2026, 11, 3), VisitKind.FORUM, [other]), TODAY)
    seen, found = visits.of_unit(db, a, TODAY)
    assert [(v.unit, v.instructors) for v in seen] == [("甲公司", "王指导")]
    assert [(p.text, p.status) for p in found] == [("甲的问题", ProblemStatus.OPEN)]
    seen, still_open = visits.of_instructor(db, other, TODAY)
    assert [(v.unit, v.kind) for v in seen] == [("乙公司", VisitKind.FORUM)] and still_open == []
    assert [p.text for p in visits.of_instructor(db, who, TODAY)[1]] == ["甲的问题"]


def test_an_overdue_election_becomes_a_problem_in_one_click(db: Database) -> None:
    from app.domain.rules import Rule
    from app.domain.validation import PartyOrgDraft
    from app.domain.vocabulary import Formation
    from app.services.overview.gaps import find_gaps
    from app.services.registry import party_orgs

    a, b, _who = _people(db)
    party_orgs.create_party_org(
        db,
        PartyOrgDraft(
            name="甲乙联合支部",
            formation=Formation.JOINT,
            secretary="张",
            last_election=date(2022, 1, 1),
            covered_ids=[a, b],
        ),
    )
    (gap,) = [g for g in find_gaps(db, TODAY) if g.rule is Rule.ELECTION_OVERDUE]
    visits.problem_from_gap(db, gap, TODAY)
    (problem,) = visits.list_problems(db, TODAY)
    assert problem.common and [u.name for u in problem.units] == ["甲公司", "乙公司"]
    assert problem.deadline == date(2027, 2, 21) and "换届" in problem.rectification
    assert problem.text.startswith("逾期未换届：甲乙联合支部")
    with pytest.raises(ValidationError) as err:
        visits.problem_from_gap(db, gap, TODAY)
    assert err.value.issues[0].code == "already_raised"


def test_the_quarterly_workbook_lists_the_quarters_visits_and_open_problems(
    db: Database, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    import openpyxl

    from app.domain.quarters import Quarter
    from app.services.workbooks.submissions import export_quarter

    a, b, who = _people(db)
    visits.add_visit(
        db,
        VisitDraft(a, date(2026, 7, 1), VisitKind.VISIT, [who], problems=[ProblemDraft("旧问题")]),
        TODAY,
    )
    visits.add_visit(db, VisitDraft(b, date(2026, 10, 8), VisitKind.UNANNOUNCED, [who]), TODAY)
    visits.add_visit(
        db,
        VisitDraft(
            a, date(2026, 11, 2), VisitKind.VISIT, [who], "座谈", problems=[ProblemDraft("新问题")]
        ),
        TODAY,
    )
    path = export_quarter(db, tmp_path / "q4.xlsx", Quarter(2026, 4), today=TODAY).path
    ws = openpyxl.load_workbook(path)["走访整改"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    shown = [(r[1], r[3], r[6], r[11]) for r in rows]
    assert shown == [
        ("乙公司", "暗访", None, None),  # a visit of the quarter with nothing found
        ("甲公司", "走访", "新问题", "待整改"),
        ("甲公司", None, "旧问题", "待整改"),  # found in Q3, still open
    ]
