"""The grouping's rules against the documents (issue 25 §1), on small parks made here:
衢州 "组长单位均由市级以上双重管理党组织担任" and 指标分配 "根据…入党积极分子的成熟度";
濉溪 "每位党工委班子成员联系指导7个不同类型的党组织" with the places running short; an
instructor without a 上限 over the assumed one. Expected values come from the rules
as written here, not from the program."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import openpyxl

from app.db.database import Database
from app.domain.assignment_plan import ASSUMED_CAPACITY, Helper, Unit, plan_assignments
from app.domain.quarters import Quarter
from app.domain.rules import Rule
from app.domain.validation import OrganizationDraft, PartyOrgDraft
from app.domain.vocabulary import ClusterRecordKind as K
from app.domain.vocabulary import Formation
from app.services.grouping import clusters
from app.services.grouping.clusters import ClusterDraft, RecordDraft
from app.services.overview.gaps import find_gaps
from app.services.registry import instructors, organizations, party_orgs
from app.services.workbooks.submissions import export_quarter
from tests.conftest import run_main

TODAY = date(2026, 11, 23)


# -- 濉溪: each person's units of different classes ---------------------------------


def _helpers(building_of: dict[str, str]) -> list[Helper]:
    """Two instructors with room for 7 each, each already in one building (one unit
    there, of class C, so the D/E counts start at 0)."""
    out = []
    for n, (name, building) in enumerate(building_of.items(), 1):
        h = Helper(n, name, 1, 8)
        h.buildings[building] = 1
        h.zones["园区"] = 1
        h.classes["C"] = 1
        out.append(h)
    return out


def test_each_instructor_gets_both_classes_not_one_building_s_class() -> None:
    """14 units, 7 E in the first one's building and 7 D in the second's: taken by
    building (and name), one got 7 E and the other 7 D. 7 D over 2 people is 4 + 3."""
    helpers = _helpers({"甲": "东楼", "乙": "西楼"})
    units = [Unit(n, None, f"东楼{n:02d}", "园区", "东楼", "E") for n in range(7)]
    units += [Unit(10 + n, None, f"西楼{n:02d}", "园区", "西楼", "D", 1) for n in range(7)]
    plan = plan_assignments(units, helpers)
    assert all(s.helper_id is not None for s in plan)
    mix = {h.name: Counter(s.unit.class_code for s in plan if s.helper_id == h.id) for h in helpers}
    for name, got in mix.items():
        assert sorted((got["D"], got["E"])) == [3, 4], (name, got)


def test_places_short_keep_d_before_e_and_more_members_first() -> None:
    """20 units, 14 places: the 6 left are E before D, the fewest formal members (then
    activists) first. The D units sort last by name, so name order would leave them."""
    helpers = _helpers({"甲": "东楼", "乙": "西楼"})
    e_units = [Unit(n, None, f"甲{n:02d}", "园区", "东楼", "E", n % 3, n % 2) for n in range(12)]
    d_units = [Unit(100 + n, None, f"乙{n:02d}", "园区", "西楼", "D", n % 3, 0) for n in range(8)]
    plan = plan_assignments(e_units + d_units, helpers)
    # the rule: D first; then more formal members; then more activists; then the name
    kept_first = sorted(
        e_units + d_units,
        key=lambda u: (u.class_code == "E", -(u.formal_members or 0), -(u.activists or 0), u.name),
    )
    expected_left = {u.id for u in kept_first[14:]}
    left = [s for s in plan if s.helper_id is None]
    assert {s.unit.id for s in left} == expected_left
    assert all(s.unit.class_code == "E" for s in left)
    for s in left:
        assert "名额不足" in s.reason and "14个空余名额" in s.reason
        assert f"正式党员{s.unit.formal_members}名" in s.reason
        assert f"入党积极分子{s.unit.activists}名" in s.reason
    given = Counter(s.helper_id for s in plan if s.helper_id is not None)
    assert given == {1: 7, 2: 7}  # nobody past their room


def test_no_capacity_set_is_flagged_over_the_assumed_one(db: Database) -> None:
    inst = instructors.create_instructor(db, instructors.InstructorDraft(name="王芳"))
    for n in range(ASSUMED_CAPACITY + 1):
        org = organizations.create_organization(db, OrganizationDraft(name=f"单位{n}"), TODAY)
        instructors.assign(db, inst, org, started_on=TODAY)
        over = [g for g in find_gaps(db, TODAY) if g.rule is Rule.INSTRUCTOR_OVERLOADED]
        (row,) = instructors.list_instructors(db, TODAY)
        if n + 1 <= ASSUMED_CAPACITY:
            assert not over and not row.over_capacity
    assert [g.name for g in over] == ["王芳"]
    assert f"未设上限，超过按{ASSUMED_CAPACITY}个计的上限" in over[0].detail
    assert row.over_capacity and "联系11个单位" in row.over_text


# -- 衢州: the cluster's leader and its quota ------------------------------------------


def _unit(db: Database, name: str, activists: int | None, **kw: object) -> int:
    draft = OrganizationDraft(name=name, formal_members=1, activists=activists, **kw)  # type: ignore[arg-type]
    return organizations.create_organization(db, draft, TODAY)


def test_leader_with_own_branch_but_not_dual_managed_is_flagged(db: Database) -> None:
    branch = party_orgs.create_party_org(db, PartyOrgDraft(name="某公司党支部"))
    leader = _unit(db, "组长公司", 3, formation=Formation.OWN, party_org_id=branch)
    member = _unit(db, "成员公司", 2)
    clusters.create_cluster(db, ClusterDraft("第一编组", 2026, "", [leader, member], leader))
    (row,) = clusters.list_clusters(db, 2026)
    assert row.warnings == [
        "组长单位的党组织不是市级以上双重管理（衢州：组长单位均由市级以上双重管理党组织担任）"
    ]
    draft = party_orgs.get_draft(db, branch)
    draft.dual_managed = True
    party_orgs.update_party_org(db, branch, draft)
    assert clusters.list_clusters(db, 2026)[0].warnings == []


def test_a_quota_place_to_a_unit_without_activists_is_flagged(db: Database, db_path: Path) -> None:
    branch = party_orgs.create_party_org(db, PartyOrgDraft(name="党委", dual_managed=True))
    leader = _unit(db, "组长公司", 5, formation=Formation.OWN, party_org_id=branch)
    ready = _unit(db, "有积极分子", 2)
    none = _unit(db, "无积极分子", 0)
    blank = _unit(db, "未填积极分子", None)
    cid = clusters.create_cluster(
        db, ClusterDraft("第一编组", 2026, "", [leader, ready, none, blank], leader)
    )

    def allot(unit: int, places: int) -> str:
        return clusters.add_record(
            db, cid, RecordDraft(K.ALLOCATION, 2026, organization_id=unit, amount=places)
        )

    clusters.add_record(db, cid, RecordDraft(K.QUOTA, 2026, amount=5))
    assert allot(ready, 2) == ""
    said = allot(none, 1)
    assert "“无积极分子”没有入党积极分子" in said and "入党积极分子的成熟度" in said
    assert "“未填积极分子”没有入党积极分子" in allot(blank, 2)
    (row,) = clusters.list_clusters(db, 2026)
    flagged = [w for w in row.warnings if "没有入党积极分子" in w]
    named = sorted(w.split("”")[0].removeprefix("“") for w in flagged)
    assert named == ["无积极分子", "未填积极分子"]
    assert clusters.list_clusters(db, 2025)[0].warnings == []  # another year's list
    export_quarter(db, db_path.parent / "报送.xlsx", Quarter(2026, 4))
    sheet = openpyxl.load_workbook(db_path.parent / "报送.xlsx")["编组"]
    cells = [str(c) for r in sheet.iter_rows(values_only=True) for c in r if c]
    assert any("“无积极分子”没有入党积极分子" in c for c in cells)
    db.dispose()
    shown = run_main("--db", str(db_path), "clusters", "list", "--year", "2026", "--json")
    assert shown.returncode == 0, shown.stderr
    (listed,) = json.loads(shown.stdout)
    assert sum("没有入党积极分子" in w for w in listed["warnings"]) == 2
    text = run_main("--db", str(db_path), "clusters", "list", "--year", "2026")
    assert "“无积极分子”没有入党积极分子" in text.stdout
