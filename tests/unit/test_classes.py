"""分类管理: the proposal rules at their edges, and every change of class recorded."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.db.database import Database
from app.domain.classes import UnitFacts, propose_class
from app.domain.uscc import make_valid
from app.domain.validation import OrganizationDraft
from app.domain.vocabulary import ClassBasis, Formation, OrgClass
from app.services.files import audit
from app.services.grouping import classes
from app.services.grouping.classes import ClassDecision
from app.services.registry import organizations
from app.services.workbooks.import_apply import apply_import
from app.services.workbooks.imports import preview_import
from tests.conftest import write_xlsx

TODAY = date(2026, 11, 23)
OWN, JOINT, ATTACHED, NONE = Formation.OWN, Formation.JOINT, Formation.ATTACHED, Formation.NONE


@pytest.mark.parametrize(
    ("recorded", "formation", "people", "proposed"),
    [
        # own organization: D, E or no class → C; A, B, C stay (only the review moves them)
        ("D", OWN, (3, 0, 0), OrgClass.C),
        ("E", OWN, (3, 0, 0), OrgClass.C),
        (None, OWN, (5, 1, 2), OrgClass.C),
        ("A", OWN, (3, 0, 0), None),
        ("B", OWN, (9, 0, 0), None),
        ("C", OWN, (3, 0, 0), None),
        # no own organization, recorded A/B/C or none: D when there is something to build on
        ("A", JOINT, (0, 0, 0), OrgClass.D),
        ("C", ATTACHED, (None, None, None), OrgClass.D),
        ("B", NONE, (1, 0, 0), OrgClass.D),
        ("B", NONE, (0, 1, 0), OrgClass.D),
        ("C", NONE, (0, 0, 1), OrgClass.D),
        (None, NONE, (3, 0, 0), OrgClass.D),
        # … E when there is nothing: no members, no activists, no party organization
        ("C", NONE, (0, 0, 0), OrgClass.E),
        (None, NONE, (None, None, None), OrgClass.E),
        # D and E without an own organization are the clerk's judgement
        ("D", NONE, (0, 0, 0), None),
        ("E", NONE, (2, 0, 0), None),
        ("E", JOINT, (0, 0, 0), None),
    ],
)
def test_proposal_rules(
    recorded: str | None,
    formation: Formation,
    people: tuple[int | None, int | None, int | None],
    proposed: OrgClass | None,
) -> None:
    proposal = propose_class(UnitFacts(recorded, formation, *people))
    assert (proposal.to if proposal else None) is proposed
    if proposal is not None:
        assert proposal.reason  # the clerk is told why, in Chinese
        assert (OrgClass(recorded).label if recorded else "未分类") in proposal.reason


def _org(db: Database, name: str, n: int, **kw: object) -> int:
    draft = OrganizationDraft(name=name, uscc=make_valid(f"91450200MA5K{n:05d}"), **kw)  # type: ignore[arg-type]
    return organizations.create_organization(db, draft, TODAY)


def _history(db: Database, org_id: int) -> list[tuple[str | None, str | None, ClassBasis, str]]:
    return [
        (h.from_class and h.from_class.value, h.to_class and h.to_class.value, h.basis, h.basis_ref)
        for h in classes.class_history(db, org_id)
    ]


def test_yearly_review_records_what_the_clerk_accepts_and_undo_takes_it_back(
    db: Database,
) -> None:
    own_as_d = _org(db, "甲科技", 1, formal_members=4, formation=OWN, class_code="D")
    lone_as_b = _org(db, "乙商贸", 2, formal_members=0, class_code="B")
    fine = _org(db, "丙制造", 3, formal_members=5, formation=OWN, class_code="A")
    found = {r.id: r for r in classes.proposals(db)}
    assert set(found) == {own_as_d, lone_as_b}
    assert found[own_as_d].proposal.to is OrgClass.C  # type: ignore[union-attr]
    assert found[lone_as_b].proposal.to is OrgClass.E  # type: ignore[union-attr]
    assert fine in {r.id for r in classes.review_rows(db)}  # every unit is listed

    # the clerk accepts one proposal only
    proposal = found[own_as_d].proposal
    assert proposal is not None
    decision = ClassDecision(own_as_d, proposal.to, proposal.reason)
    assert classes.apply_review(db, 2026, [decision], TODAY) == 1
    assert _history(db, own_as_d)[0] == ("D", "C", ClassBasis.REVIEW, "2026")
    assert classes.class_history(db, own_as_d)[0].reason == proposal.reason
    assert {r.id for r in classes.proposals(db)} == {lone_as_b}

    assert audit.undo_last(db) == "2026年度分类复核"
    assert _history(db, own_as_d) == [(None, "D", ClassBasis.MANUAL, "")]
    assert {r.id for r in classes.proposals(db)} == {own_as_d, lone_as_b}


def test_a_class_changed_in_the_form_is_recorded(db: Database) -> None:
    org = _org(db, "甲科技", 1, formal_members=4, formation=OWN, class_code="C")
    draft = organizations.get_draft(db, org)
    organizations.update_organization(db, org, draft, TODAY)  # no change of class
    assert _history(db, org) == [(None, "C", ClassBasis.MANUAL, "")]
    draft.class_code = "B"
    organizations.update_organization(db, org, draft, TODAY)
    assert _history(db, org)[0] == ("C", "B", ClassBasis.MANUAL, "")


def test_an_import_records_the_classes_it_sets_once(db: Database, tmp_path: Path) -> None:
    org = _org(db, "甲科技", 1, formal_members=4, formation=OWN, class_code="C")
    code = make_valid("91450200MA5K00001")
    path = write_xlsx(
        tmp_path / "分类.xlsx",
        [
            ["组织名称", "统一社会信用代码", "组织类型", "正式党员数", "组建方式", "分类"],
            ["甲科技", code, "非公企业", 4, "单独组建", "B 稳健类"],
            ["新公司", make_valid("91450200MA5K00009"), "非公企业", 0, "未建", "E"],
        ],
    )
    apply_import(db, preview_import(db, path))
    assert _history(db, org)[0] == ("C", "B", ClassBasis.IMPORT, "分类.xlsx")
    new = next(r.id for r in classes.review_rows(db) if r.name == "新公司")
    assert _history(db, new) == [(None, "E", ClassBasis.IMPORT, "分类.xlsx")]
    # the same file again changes nothing and records nothing
    again = preview_import(db, path)
    assert (again.count("new"), again.count("changed")) == (0, 0)
    assert len(classes.class_history(db, org)) == 2


def test_deleting_a_unit_and_undoing_brings_its_class_history_back(db: Database) -> None:
    org = _org(db, "甲科技", 1, formal_members=4, formation=OWN, class_code="C")
    organizations.delete_organization(db, org)
    audit.undo_last(db)
    assert _history(db, org) == [(None, "C", ClassBasis.MANUAL, "")]


def test_command_line_review_apply_and_history(db: Database, db_path: Path) -> None:
    import json

    from tests.conftest import run_main

    _org(db, "甲科技", 1, formal_members=4, formation=OWN, class_code="E")
    _org(db, "乙商贸", 2, formal_members=0, class_code="A", activists=2)
    db.dispose()
    done = run_main("--db", str(db_path), "classes", "review", "--year", "2026", "--json")
    assert done.returncode == 0, done.stderr
    review = json.loads(done.stdout)
    by_name = {r["name"]: r for r in review}
    assert {n: (r["current"], r["proposed"]) for n, r in by_name.items()} == {
        "甲科技": ("E", "C"),
        "乙商贸": ("A", "D"),
    }
    assert set(review[0]) == {"uscc", "name", "current", "proposed", "reason"}
    assert "入党积极分子2名" in by_name["乙商贸"]["reason"]

    applied = run_main("--db", str(db_path), "classes", "review", "--year", "2026", "--apply")
    assert applied.returncode == 0 and "已按建议调整2个" in applied.stderr
    again = run_main("--db", str(db_path), "classes", "review", "--json")
    assert json.loads(again.stdout) == []

    code = make_valid("91450200MA5K00001")
    shown = run_main("--db", str(db_path), "classes", "history", code, "--json")
    history = json.loads(shown.stdout)
    assert [(h["from"], h["to"], h["basis"]) for h in history] == [
        ("E", "C", "review"),
        (None, "E", "manual"),
    ]
    assert {"date", "from", "to", "reason", "basis"} <= set(history[0])
    unknown = run_main("--db", str(db_path), "classes", "history", "91450200MA5K0000XX")
    assert unknown.returncode == 1 and "没有统一社会信用代码" in unknown.stderr


def test_the_reviews_first_cut_in_sql_loses_no_proposal(db: Database) -> None:
    """proposals() reads only the units SQL says may contradict their class; it must
    find exactly what the rule finds over every unit (a demo park with a few classes
    behind, and one unit of each recorded class and formation)."""
    from app.services.files import demo

    demo.build_demo(db, 300, today=TODAY)
    n = 100
    for formation in (OWN, JOINT, ATTACHED, NONE):
        for code in (None, "A", "B", "C", "D", "E"):
            n += 1
            _org(db, f"边界{n}", n, formal_members=1, formation=formation, class_code=code)
    every = [(r.id, r.proposal) for r in classes.review_rows(db) if r.proposal is not None]
    assert len(every) > 12
    assert [(r.id, r.proposal) for r in classes.proposals(db)] == every
