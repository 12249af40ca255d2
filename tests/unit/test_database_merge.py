"""Two whole databases that diverged (issue 13): the office PC and a clerk's laptop,
copies of one database, each changed on its own, merged with the machinery of the
return packages — new records on both sides, a record changed on one side, on both
(a conflict), deleted on one side and still needed on the other, the same unit
created on both sides (a conflict, never two units), merged twice (nothing more),
another park's database refused, the whole merge undone as one change."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from app.db.database import Database, open_database
from app.domain.validation import OrganizationDraft
from app.domain.visits import ProblemDraft, VisitDraft
from app.domain.vocabulary import VisitKind
from app.exchange.packages import PackageError
from app.services.field import database_merge, visits
from app.services.field.package_merge import OURS, THEIRS, MergeRefused
from app.services.files import audit
from app.services.registry import instructors, organizations
from app.services.registry.instructors import InstructorDraft

DAY = date(2026, 11, 20)
A_CODE, B_CODE = "91450200MA5N6C5H2H", "91450200773885895T"


@pytest.fixture
def copies(db: Database, tmp_path: Path):  # type: ignore[no-untyped-def]
    a = organizations.create_organization(db, OrganizationDraft(name="甲公司", uscc=A_CODE))
    b = organizations.create_organization(db, OrganizationDraft(name="乙公司"))
    who = instructors.create_instructor(db, InstructorDraft(name="王指导"))
    visits.add_visit(db, VisitDraft(a, DAY, VisitKind.VISIT, [who], "查阅记录"), DAY)
    laptop_path = tmp_path / "笔记本" / "parkdesk.sqlite3"
    laptop_path.parent.mkdir()
    with sqlite3.connect(db.path) as src, sqlite3.connect(laptop_path) as dst:
        src.backup(dst)  # the clerk takes a copy away
    laptop = open_database(laptop_path, daily_backup=False)
    yield db, laptop, a, b, who
    laptop.dispose()


def _phone(db: Database, org_id: int, phone: str) -> None:
    draft = organizations.get_draft(db, org_id)
    organizations.update_organization(db, org_id, replace(draft, phone=phone))


def _merge(db: Database, other: Database, **kw):  # type: ignore[no-untyped-def]
    merge = database_merge.preview_database_merge(db, other.path)
    return merge, database_merge.apply_database_merge(db, merge, **kw)


def test_the_laptops_changes_arrive_and_a_second_merge_changes_nothing(copies) -> None:  # type: ignore[no-untyped-def]
    office, laptop, a, b, who = copies
    _phone(laptop, a, "0772-1111111")
    c = organizations.create_organization(laptop, OrganizationDraft(name="丙公司", uscc=B_CODE))
    visits.add_visit(laptop, VisitDraft(c, DAY, VisitKind.FORUM, [who], "座谈"), DAY)
    _phone(office, b, "0772-2222222")  # the office's own change stays
    merge = database_merge.preview_database_merge(office, laptop.path)
    report = merge.preview.as_report()
    assert (report["created"], report["updated"], report["conflicts"]) == (3, 1, [])
    database_merge.apply_database_merge(office, merge)
    assert organizations.get_draft(office, a).phone == "0772-1111111"
    assert organizations.get_draft(office, b).phone == "0772-2222222"
    c_here = organizations.id_by_uscc(office, B_CODE)
    assert [v.instructors for v in visits.list_visits(office, DAY) if v.org.id == c_here] == [
        ("王指导",)
    ]
    again = database_merge.preview_database_merge(office, laptop.path)
    assert [i.outcome for i in again.preview.items if i.outcome != "unchanged"] == []
    audit.undo_last(office)  # the first merge, as one change
    assert organizations.get_draft(office, a).phone == ""
    with pytest.raises(LookupError):
        organizations.id_by_uscc(office, B_CODE)


def test_the_same_field_changed_on_both_sides_is_chosen_by_the_clerk(copies) -> None:  # type: ignore[no-untyped-def]
    office, laptop, a, _b, _who = copies
    _phone(laptop, a, "0772-1111111")
    _phone(office, a, "0772-3333333")
    merge = database_merge.preview_database_merge(office, laptop.path)
    (conflict,) = merge.preview.as_report()["conflicts"]
    assert (conflict["field"], conflict["ours"], conflict["theirs"]) == (
        "phone",
        "0772-3333333",
        "0772-1111111",
    )
    with pytest.raises(MergeRefused):
        database_merge.apply_database_merge(office, merge)
    database_merge.apply_database_merge(office, merge, everywhere=OURS)
    assert organizations.get_draft(office, a).phone == "0772-3333333"


def test_the_same_unit_created_on_both_sides_is_one_conflict_never_two_units(copies) -> None:  # type: ignore[no-untyped-def]
    office, laptop, *_ = copies
    organizations.create_organization(
        laptop, OrganizationDraft(name="丙公司（笔记本）", uscc=B_CODE)
    )
    organizations.create_organization(office, OrganizationDraft(name="丙公司", uscc=B_CODE))
    merge = database_merge.preview_database_merge(office, laptop.path)
    (item,) = [i for i in merge.preview.items if i.entity == "organization"]
    assert item.outcome == "conflict"
    assert {c.field for c in item.conflicts} == {"name"}
    database_merge.apply_database_merge(office, merge, everywhere=THEIRS)
    with office.read_connection() as conn:
        rows = conn.execute("SELECT name FROM organization WHERE uscc = ?", (B_CODE,)).fetchall()
    assert rows == [("丙公司（笔记本）",)]  # one unit, the name taken from the laptop


def test_a_unit_deleted_there_but_visited_here_is_not_deleted_silently(copies) -> None:  # type: ignore[no-untyped-def]
    office, laptop, _a, b, who = copies
    organizations.delete_organization(laptop, b)
    visits.add_visit(
        office, VisitDraft(b, DAY, VisitKind.VISIT, [who], "", problems=[ProblemDraft("x")]), DAY
    )
    merge = database_merge.preview_database_merge(office, laptop.path)
    (item,) = [i for i in merge.preview.items if i.entity == "organization"]
    assert item.outcome == "conflict" and item.conflicts[0].ours == "（本机有关联记录）"
    database_merge.apply_database_merge(office, merge, everywhere=OURS)
    assert organizations.get_draft(office, b).name == "乙公司"


def test_a_visit_deleted_on_the_laptop_goes(copies) -> None:  # type: ignore[no-untyped-def]
    office, laptop, *_ = copies
    (visit,) = visits.list_visits(laptop, DAY)
    visits.delete_visit(laptop, visit.id)
    _, result = _merge(office, laptop)
    assert result.deleted >= 1 and visits.list_visits(office, DAY) == []


def test_another_parks_database_is_refused(copies, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    office, *_ = copies
    other = open_database(tmp_path / "别的园区.sqlite3", daily_backup=False)
    organizations.create_organization(other, OrganizationDraft(name="某公司"))
    other.dispose()
    with pytest.raises(PackageError, match="不是本数据库的副本"):
        database_merge.preview_database_merge(office, tmp_path / "别的园区.sqlite3")
    text = tmp_path / "x.sqlite3"
    text.write_text("not a database")
    with pytest.raises(PackageError, match="不是ParkDesk数据库"):
        database_merge.preview_database_merge(office, text)


def test_the_command_line_previews_and_merges(copies) -> None:  # type: ignore[no-untyped-def]
    import json

    from tests.conftest import run_main

    office, laptop, a, _b, _who = copies
    _phone(laptop, a, "0772-1111111")
    _phone(office, a, "0772-3333333")
    office_path, laptop_path = str(office.path), str(laptop.path)
    done = run_main("--db", office_path, "merge", laptop_path, "--dry-run", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert set(report) >= {"created", "updated", "unchanged", "conflicts"}
    (conflict,) = report["conflicts"]
    refused = run_main("--db", office_path, "merge", laptop_path)
    assert refused.returncode == 1 and "冲突" in refused.stderr
    taken = f"{conflict['uuid']}=theirs"
    assert run_main("--db", office_path, "merge", laptop_path, "--take", taken).returncode == 0
    assert organizations.get_draft(office, a).phone == "0772-1111111"
