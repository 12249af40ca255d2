"""走访整改's list read fast (units and instructors read once, texts folded per unit)
still says what it said: a visit's instructors in the order given, its search text
folded over unit, code, content and every instructor, units in natural name order with
each unit's visits newest first, and a content holding a NUL still found."""

from __future__ import annotations

import sqlite3
from datetime import date

from app.db.database import Database
from app.domain.validation import OrganizationDraft
from app.domain.visits import VisitDraft
from app.domain.vocabulary import VisitKind
from app.services.field import visits
from app.services.registry import instructors, organizations
from app.services.registry.instructors import InstructorDraft

TODAY = date(2026, 11, 23)


def _visit(db: Database, unit: int, day: int, who: list[int], content: str) -> None:
    draft = VisitDraft(unit, date(2026, 11, day), VisitKind.VISIT, who, content, "", [])
    visits.add_visit(db, draft, TODAY)


def test_the_list_reads_as_the_page_and_the_command_line_expect(db: Database) -> None:
    ten = organizations.create_organization(
        db, OrganizationDraft(name="单位10", uscc="91450200MA5KXXXX05")
    )
    two = organizations.create_organization(db, OrganizationDraft(name="单位2"))
    wang = instructors.create_instructor(db, InstructorDraft(name="王指导"))
    li = instructors.create_instructor(db, InstructorDraft(name="Li Ming"))
    _visit(db, ten, 3, [li, wang], "查阅 ABC 记录")
    _visit(db, two, 5, [wang], "座谈")
    _visit(db, ten, 9, [li], "回访")
    _visit(db, two, 1, [wang, li], "拍照")
    rows = visits.list_visits(db, TODAY)
    # newest first
    assert [r.visited_on.day for r in rows] == [9, 5, 3, 1]
    by_day = {r.visited_on.day: r for r in rows}
    assert by_day[3].instructors == ("Li Ming", "王指导")  # as given
    assert by_day[9].instructors == ("Li Ming",)
    assert by_day[3].search_text == "单位10 91450200ma5kxxxx05 查阅 abc 记录 li ming 王指导"
    assert by_day[9].search_text == "单位10 91450200ma5kxxxx05 回访 li ming"
    assert by_day[5].search_text == "单位2  座谈 王指导"  # no credit code: an empty part
    # by unit: 单位2 before 单位10 (numbers by value), each unit's visits newest first
    by_unit = sorted(rows, key=lambda r: r.unit_rank)
    assert [(r.org.name, r.visited_on.day) for r in by_unit] == [
        ("单位2", 5),
        ("单位2", 1),
        ("单位10", 9),
        ("单位10", 3),
    ]
    assert by_day[3].org == by_day[9].org and by_day[3].org.id == ten


def test_a_content_holding_a_nul_is_folded_with_the_others(db: Database) -> None:
    unit = organizations.create_organization(db, OrganizationDraft(name="甲公司"))
    wang = instructors.create_instructor(db, InstructorDraft(name="王指导"))
    _visit(db, unit, 3, [wang], "第一次")
    _visit(db, unit, 4, [wang], "第二次")
    # written by another program: a NUL in a text (the contents are folded in one call
    # joined by NUL; a NUL inside one must not shift the others)
    with sqlite3.connect(db.path) as conn:
        conn.execute("UPDATE visit SET content = ? WHERE visited_on = '2026-11-03'", ("A\x00B",))
    rows = visits.list_visits(db, TODAY)
    assert [r.search_text for r in rows] == ["甲公司  第二次 王指导", "甲公司  a\x00b 王指导"]
