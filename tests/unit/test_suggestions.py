"""Instructor suggestions: every unit nobody reaches gets an instructor with room,
preferring the same building, then the same zone, keeping classes mixed; under
tight capacity the rest are listed as such; accepting makes coverage 100 %."""

from __future__ import annotations

from datetime import date

import pytest

from app.db.database import Database
from app.domain.assignment_plan import ASSUMED_CAPACITY, Helper, Unit, plan_assignments
from app.domain.rules import Rule
from app.domain.validation import OrganizationDraft, ValidationError
from app.services.files import audit, demo
from app.services.grouping.suggestions import apply_suggestions, suggest_assignments
from app.services.overview.figures import registry_figures
from app.services.overview.gaps import find_gaps
from app.services.registry import instructors, organizations

TODAY = date(2026, 11, 23)


def _unit(n: int, zone: str = "", building: str = "", code: str | None = "E") -> Unit:
    return Unit(n, None, f"单位{n}", zone, building, code)


def test_same_building_then_same_zone_then_least_loaded() -> None:
    near = Helper(1, "王芳", 3, 8)
    near.buildings["科创大厦"] = 3
    near.zones["东区"] = 3
    zone_only = Helper(2, "李强", 2, 8)
    zone_only.zones["西区"] = 2
    idle = Helper(3, "赵敏", 0, 8)
    plan = plan_assignments(
        [_unit(1, "东区", "科创大厦"), _unit(2, "西区", "孵化楼"), _unit(3, "南区", "")],
        [near, zone_only, idle],
    )
    assert [s.helper_name for s in plan] == ["王芳", "李强", "赵敏"]
    assert "同一楼宇（科创大厦）" in plan[0].reason
    assert "同一片区（西区）" in plan[1].reason
    assert "联系单位较少" in plan[2].reason


def test_classes_are_kept_mixed() -> None:
    """Two instructors in the same building: a C unit goes to the one with fewer Cs."""
    many_c, few_c = Helper(1, "甲", 2, 8), Helper(2, "乙", 2, 8)
    for h, codes in ((many_c, "CC"), (few_c, "AB")):
        h.buildings["孵化楼"] = 2
        h.classes.update(codes)
    (s,) = plan_assignments([_unit(1, "", "孵化楼", "C")], [many_c, few_c])
    assert s.helper_name == "乙"


def test_tight_capacity_leaves_the_rest_listed_and_nobody_over() -> None:
    helpers = [Helper(1, "甲", 4, 5), Helper(2, "乙", 0, 2), Helper(3, "丙", 0, None)]
    units = [_unit(n, "东区") for n in range(20)]
    plan = plan_assignments(units, helpers)
    given = [s for s in plan if s.helper_id is not None]
    assert len(given) == 1 + 2 + ASSUMED_CAPACITY  # each up to their room
    left = [s for s in plan if s.helper_id is None]
    assert len(left) == 20 - len(given) and "13个空余名额" in left[0].reason
    assert all(h.load <= h.limit for h in helpers)


def test_accepting_makes_work_coverage_complete_and_undo_takes_it_back(db: Database) -> None:
    demo.build_demo(db, 300, today=TODAY)

    def overloaded() -> set[str]:
        return {g.name for g in find_gaps(db, TODAY) if g.rule is Rule.INSTRUCTOR_OVERLOADED}

    over_before = overloaded()
    before = registry_figures(db, TODAY).total
    assert before.work_covered < before.in_base
    plan = suggest_assignments(db, TODAY)
    assert len(plan) == before.in_base - before.work_covered
    picks = [(s.unit.id, s.helper_id) for s in plan if s.helper_id is not None]
    assert len(picks) == len(plan)  # the demo park has room for all
    assert apply_suggestions(db, picks, TODAY) == len(picks)
    after = registry_figures(db, TODAY).total
    assert after.work_covered == after.in_base
    assert not [g for g in find_gaps(db, TODAY) if g.rule is Rule.NO_WORK_COVERAGE]
    assert overloaded() == over_before  # nobody pushed over by the suggestions
    audit.undo_last(db)
    assert registry_figures(db, TODAY).total.work_covered == before.work_covered


def test_accepting_refuses_what_would_go_over_capacity(db: Database) -> None:
    inst = instructors.create_instructor(db, instructors.InstructorDraft(name="王芳", capacity=1))
    orgs = [
        organizations.create_organization(db, OrganizationDraft(name=f"单位{n}"), TODAY)
        for n in (1, 2)
    ]
    with pytest.raises(ValidationError) as err:
        apply_suggestions(db, [(orgs[0], inst), (orgs[1], inst)], TODAY)
    assert "超过上限1个" in err.value.issues[0].message
    assert instructors.list_instructors(db, TODAY)[0].organizations == 0


def test_command_line_suggest_and_apply(db: Database, db_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from tests.conftest import run_main

    instructors.create_instructor(db, instructors.InstructorDraft(name="王芳", capacity=2))
    for n in range(3):
        organizations.create_organization(db, OrganizationDraft(name=f"单位{n}"), TODAY)
    db.dispose()
    shown = run_main("--db", str(db_path), "assign", "suggest", "--json")
    assert shown.returncode == 0, shown.stderr
    rows = json.loads(shown.stdout)
    assert [r["instructor"] for r in rows] == ["王芳", "王芳", None]
    assert set(rows[0]) == {"uscc", "name", "class", "instructor", "reason"}
    assert "名额不足1个" in shown.stderr
    applied = run_main("--db", str(db_path), "assign", "suggest", "--apply")
    assert applied.returncode == 0 and "已安排2个" in applied.stderr
    again = json.loads(run_main("--db", str(db_path), "assign", "suggest", "--json").stdout)
    assert [r["instructor"] for r in again] == [None]
