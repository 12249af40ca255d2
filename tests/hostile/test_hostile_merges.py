"""Hostile cases of issue 22 on merges: a merge undone and merged again (database copy
and return package) brings its changes, redo puts the ledger back; taking theirs for a
unit deleted here brings the unit back whole; a return package for a unit deleted at the
office previews what it applies; conflict lines in Chinese."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest

from app.db.database import Database
from app.domain.validation import OrganizationDraft
from app.domain.visits import ProblemDraft, VisitDraft
from app.domain.vocabulary import ProblemStatus, VisitKind
from app.exchange.packages import PackageError
from app.services.assessment import assessments
from app.services.field import database_merge, package_merge, return_package, visits
from app.services.files import audit, redo
from app.services.registry import instructors, organizations
from app.services.registry.instructors import InstructorDraft
from tests.conftest import run_main

DAY = date(2026, 11, 20)
SIX = {"组织设置": 15, "党员队伍": 15, "组织生活": 20, "工作保障": 15, "作用发挥": 20}


@dataclass
class Copies:
    office: Database
    laptop: Database
    a: int
    b: int
    who: int


@pytest.fixture
def copies(db: Database, tmp_path: Path, db_copy):  # type: ignore[no-untyped-def]
    a = organizations.create_organization(db, OrganizationDraft(name="甲公司"))
    b = organizations.create_organization(db, OrganizationDraft(name="乙公司", class_code="A"))
    who = instructors.create_instructor(db, InstructorDraft(name="王指导"))
    instructors.assign(db, who, b)
    visits.add_visit(
        db, VisitDraft(b, DAY, VisitKind.VISIT, [who], "查阅记录", "", [ProblemDraft("x")]), DAY
    )
    assessments.ensure_period(db, "2026H2")
    assessments.set_scores(db, "2026H2", b, assessments.ScoreEntry(SIX))
    laptop = db_copy(db, tmp_path / "笔记本" / "laptop.sqlite3")
    return Copies(db, laptop, a, b, who)


def _phone(db: Database, org_id: int, phone: str) -> None:
    draft = organizations.get_draft(db, org_id)
    organizations.update_organization(db, org_id, replace(draft, phone=phone))


def _merge(c: Copies, **kw):  # type: ignore[no-untyped-def]
    merge = database_merge.preview_database_merge(c.office, c.laptop.path)
    return merge, database_merge.apply_database_merge(c.office, merge, **kw)


def test_a_database_merge_undone_then_merged_again_brings_the_changes(copies: Copies) -> None:
    _phone(copies.laptop, copies.a, "0772-1111111")
    _, first = _merge(copies)
    assert first.updated == 1
    audit.undo_last(copies.office)
    assert organizations.get_draft(copies.office, copies.a).phone == ""
    merge, again = _merge(copies)
    report = merge.preview.as_report()
    assert (report["updated"], report["conflicts"]) == (1, [])
    assert again.updated == 1
    assert organizations.get_draft(copies.office, copies.a).phone == "0772-1111111"


def test_a_database_merge_undone_and_redone_reads_on_from_where_it_stopped(
    copies: Copies,
) -> None:
    _phone(copies.laptop, copies.a, "0772-1111111")
    _merge(copies)
    audit.undo_last(copies.office)
    assert redo.redo_last(copies.office) is not None
    assert organizations.get_draft(copies.office, copies.a).phone == "0772-1111111"
    # redone, the merge is remembered again: nothing more to bring
    merge = database_merge.preview_database_merge(copies.office, copies.laptop.path)
    assert [i for i in merge.preview.items if i.outcome != "unchanged"] == []
    # a second merge undone gives back the first merge's place in the log, not none
    _phone(copies.laptop, copies.b, "0772-2222222")
    _merge(copies)
    audit.undo_last(copies.office)
    merge = database_merge.preview_database_merge(copies.office, copies.laptop.path)
    assert [(i.entity, i.outcome) for i in merge.preview.items if i.outcome != "unchanged"] == [
        ("organization", "updated")
    ]


@dataclass
class Field:
    office: Database
    field: Database
    a: int
    problem_uuid: str
    folder: Path


@pytest.fixture
def laptop(db: Database, tmp_path: Path, field_laptop):  # type: ignore[no-untyped-def]
    a = organizations.create_organization(db, OrganizationDraft(name="甲公司"))
    who = instructors.create_instructor(db, InstructorDraft(name="王指导"))
    instructors.assign(db, who, a)
    visits.add_visit(
        db, VisitDraft(a, DAY, VisitKind.VISIT, [who], "查阅", "", [ProblemDraft("记录不全")]), DAY
    )
    (problem,) = visits.list_problems(db, DAY)
    field = field_laptop(db, instructor="王指导").field
    return Field(db, field, a, problem.uuid, tmp_path)


def _in_field(f: Field) -> tuple[int, int, int]:
    with f.field.read_connection() as conn:
        return conn.execute(
            "SELECT o.id, i.id, p.id FROM organization o, instructor i, problem p"
        ).fetchone()


def _field_work(f: Field) -> Path:
    unit, who, problem = _in_field(f)
    visits.set_status(f.field, problem, ProblemStatus.IN_PROGRESS)
    visits.add_visit(
        f.field,
        VisitDraft(
            unit, date(2026, 11, 25), VisitKind.FORUM, [who], "座谈", "", [ProblemDraft("y")]
        ),
        date(2026, 11, 25),
    )
    out = f.folder / "回传.pdreturn"
    return_package.make_return_package(f.field, out)
    return out


def test_a_return_package_undone_then_merged_again_brings_the_changes(laptop: Field) -> None:
    path = _field_work(laptop)
    package_merge.apply_merge(laptop.office, package_merge.preview_merge(laptop.office, path))
    audit.undo_last(laptop.office)
    preview = package_merge.preview_merge(laptop.office, path)  # not 已导入过
    # the visit, its problem and the status change's step (the problem's history)
    assert preview.as_report()["created"] == 3 and preview.as_report()["updated"] == 1
    package_merge.apply_merge(laptop.office, preview)
    statuses = {p.text: p.status for p in visits.list_problems(laptop.office, DAY)}
    assert statuses == {"记录不全": ProblemStatus.IN_PROGRESS, "y": ProblemStatus.OPEN}


def test_a_return_package_undone_and_redone_is_merged_again(laptop: Field) -> None:
    path = _field_work(laptop)
    package_merge.apply_merge(laptop.office, package_merge.preview_merge(laptop.office, path))
    audit.undo_last(laptop.office)
    redo.redo_last(laptop.office)
    assert len(visits.list_problems(laptop.office, DAY)) == 2
    with pytest.raises(PackageError, match="已导入过"):
        package_merge.preview_merge(laptop.office, path)


def _counts(db: Database, org_uuid: str) -> dict[str, int]:
    """Everything of a unit: its visits, their problems and instructors, scores, assignments."""
    with db.read_connection() as conn:
        (org,) = conn.execute("SELECT id FROM organization WHERE uuid = ?", (org_uuid,)).fetchone()
        return {
            table: conn.execute(f"SELECT count(*) FROM {table} WHERE {where}", (org,)).fetchone()[0]
            for table, where in (
                ("visit", "organization_id = ?"),
                (
                    "visit_instructor",
                    "visit_id IN (SELECT id FROM visit WHERE organization_id = ?)",
                ),
                ("problem_unit", "organization_id = ?"),
                (
                    "problem",
                    "id IN (SELECT problem_id FROM problem_unit WHERE organization_id = ?)",
                ),
                ("assessment_score", "organization_id = ?"),
                ("assignment", "organization_id = ?"),
            )
        }


def _uuid(db: Database, org_id: int) -> str:
    with db.read_connection() as conn:
        return conn.execute("SELECT uuid FROM organization WHERE id = ?", (org_id,)).fetchone()[0]


WHOLE = {
    "visit": 1,
    "visit_instructor": 1,
    "problem_unit": 1,
    "problem": 1,
    "assessment_score": 1,
    "assignment": 1,
}


def test_taking_theirs_for_a_unit_deleted_here_brings_it_back_whole(copies: Copies) -> None:
    b_uuid = _uuid(copies.office, copies.b)
    draft = organizations.get_draft(copies.laptop, copies.b)
    organizations.update_organization(
        copies.laptop, copies.b, replace(draft, name="乙公司（新名）")
    )
    organizations.delete_organization(copies.office, copies.b)
    merge = database_merge.preview_database_merge(copies.office, copies.laptop.path)
    (head,) = merge.preview.conflicts
    assert head.entity == "organization"
    assert "走访1条" in merge.preview.describe(head)  # the preview says what comes with it
    database_merge.apply_database_merge(copies.office, merge, everywhere="theirs")
    assert _counts(copies.office, b_uuid) == WHOLE
    audit.undo_last(copies.office)  # and it goes again as one change
    with copies.office.read_connection() as conn:
        assert conn.execute("SELECT count(*) FROM visit").fetchone() == (0,)


def test_keeping_a_unit_deleted_here_keeps_the_laptops_new_visit_out_and_says_so(
    copies: Copies,
) -> None:
    visits.add_visit(
        copies.laptop, VisitDraft(copies.b, DAY, VisitKind.FORUM, [copies.who], "座谈")
    )
    organizations.delete_organization(copies.office, copies.b)
    merge = database_merge.preview_database_merge(copies.office, copies.laptop.path)
    (head,) = merge.preview.conflicts  # the unit: deleted here, needed by the new visit
    assert head.entity == "organization" and merge.preview.count("new") == 0
    result = database_merge.apply_database_merge(copies.office, merge, everywhere="ours")
    assert result.created == 0
    with copies.office.read_connection() as conn:
        assert conn.execute("SELECT count(*) FROM visit").fetchone() == (0,)
        kept = conn.execute(
            "SELECT after FROM audit_entry WHERE action = 'rejected' AND entity = 'visit'"
        ).fetchall()
    assert any("座谈" in after for (after,) in kept)  # the laptop's visit, not lost


def test_taking_theirs_for_a_unit_the_laptops_new_visit_needs_brings_both(
    copies: Copies,
) -> None:
    b_uuid = _uuid(copies.office, copies.b)
    visits.add_visit(
        copies.laptop, VisitDraft(copies.b, DAY, VisitKind.FORUM, [copies.who], "座谈")
    )
    organizations.delete_organization(copies.office, copies.b)
    _merge(copies, everywhere="theirs")
    assert _counts(copies.office, b_uuid) == {**WHOLE, "visit": 2, "visit_instructor": 2}


def test_a_return_package_for_a_unit_deleted_at_the_office_previews_what_it_applies(
    laptop: Field,
) -> None:
    path = _field_work(laptop)  # a new visit with a problem, a status changed
    organizations.delete_organization(laptop.office, laptop.a)
    preview = package_merge.preview_merge(laptop.office, path)
    report = preview.as_report()
    # the visit, its problem, the status change and its step in the problem's history
    assert (report["created"], report["updated"], report["unit_deleted"]) == (0, 0, 4)
    lines = [preview.describe(i) for i in preview.items if i.outcome == "unit_deleted"]
    assert all("甲公司" in line for line in lines), lines  # which unit, by its name
    result = package_merge.apply_merge(laptop.office, preview)  # no 错误：organization:…
    assert (result.created, result.updated) == (0, 0)
    with laptop.office.read_connection() as conn:
        kept = conn.execute("SELECT count(*) FROM audit_entry WHERE action = 'rejected'").fetchone()
    assert kept == (4,)  # the field's records (the status step too), kept in the audit log


def test_the_command_line_says_which_unit_was_deleted_and_what_becomes_of_its_records(
    laptop: Field,
) -> None:
    path = _field_work(laptop)
    organizations.delete_organization(laptop.office, laptop.a)
    done = run_main("--db", str(laptop.office.path), "field", "merge", str(path))
    assert done.returncode == 0, done.stderr
    said = done.stdout + done.stderr
    assert "甲公司" in said and "已在办公室删除" in said and "新增0" in said


def _raw(text: str, *codes: str) -> list[str]:
    """What a clerk should never read: a uuid, an English code."""
    import re

    found = re.findall(r"[0-9a-f]{8}-[0-9a-f]{4}-", text)
    return found + [c for c in codes if re.search(rf"\b{c}\b", text)]


def test_a_problems_conflict_is_told_in_chinese_and_taken_by_its_number(laptop: Field) -> None:
    _unit, _who, problem = _in_field(laptop)
    visits.set_status(laptop.field, problem, ProblemStatus.DONE)
    (here,) = visits.list_problems(laptop.office, DAY)
    visits.set_status(laptop.office, here.id, ProblemStatus.IN_PROGRESS)
    out = laptop.folder / "回传.pdreturn"
    return_package.make_return_package(laptop.field, out)
    db = str(laptop.office.path)
    shown = run_main("--db", db, "field", "merge", str(out), "--dry-run")
    assert shown.returncode == 0, shown.stderr
    (line,) = shown.stdout.splitlines()
    assert "问题" in line and "甲公司" in line and "状态" in line
    assert "整改中" in line and "已整改" in line
    assert _raw(line, "problem", "status", "in_progress", "done") == []
    taken = run_main("--db", db, "field", "merge", str(out), "--take", "1=theirs")
    assert taken.returncode == 0, taken.stderr
    assert visits.list_problems(laptop.office, DAY)[0].status is ProblemStatus.DONE


def test_a_units_conflict_between_copies_is_told_in_chinese(copies: Copies) -> None:
    organizations.update_organization(
        copies.laptop,
        copies.b,
        replace(organizations.get_draft(copies.laptop, copies.b), name="乙公司（笔记本）"),
    )
    organizations.update_organization(
        copies.office,
        copies.b,
        replace(organizations.get_draft(copies.office, copies.b), name="乙公司（办公室）"),
    )
    shown = run_main("--db", str(copies.office.path), "merge", str(copies.laptop.path), "--dry-run")
    (line,) = shown.stdout.splitlines()
    assert line.startswith("冲突1：") and "组织名称" in line and "乙公司（笔记本）" in line
    assert "本机" in line and "另一份" in line
    assert _raw(line, "organization", "name") == []


def test_the_restore_dialog_names_a_merges_backup_in_chinese(db: Database) -> None:
    from app.db.backup import REASON_LABELS, take_backup
    from app.services.files.database_files import list_backups

    take_backup(db.path, "merge")
    kinds = {b.reason_label for b in list_backups(db.path)}
    assert "合并前备份" in kinds and "merge" not in kinds
    assert all(not label.isascii() for label in REASON_LABELS.values())


def test_a_field_visit_naming_an_instructor_deleted_at_the_office_comes_without_them(
    laptop: Field,
) -> None:
    path = _field_work(laptop)  # the new visit names 王指导
    (who,) = [i.id for i in instructors.list_instructors(laptop.office)]
    instructors.delete_instructor(laptop.office, who)
    preview = package_merge.preview_merge(laptop.office, path)
    assert preview.as_report()["created"] == 3  # the visit, its problem, a status step
    package_merge.apply_merge(laptop.office, preview)  # no 错误：instructor:…
    new = [v for v in visits.list_visits(laptop.office, DAY) if v.content == "座谈"]
    assert [v.instructors for v in new] == [()]


def test_all_theirs_on_the_command_line_brings_the_unit_back_whole_and_counts_it(
    copies: Copies,
) -> None:
    b_uuid = _uuid(copies.office, copies.b)
    draft = organizations.get_draft(copies.laptop, copies.b)
    organizations.update_organization(
        copies.laptop, copies.b, replace(draft, name="乙公司（新名）")
    )
    organizations.delete_organization(copies.office, copies.b)
    args = ("--db", str(copies.office.path), "merge", str(copies.laptop.path))
    done = run_main(*args, "--all", "theirs")
    assert done.returncode == 0, done.stderr
    assert _counts(copies.office, b_uuid) == WHOLE
    assert "新增8，" in done.stderr  # the unit and the 7 rows that came with it


def test_taking_a_deletion_from_the_other_copy_takes_the_units_records_and_undo_returns_them(
    copies: Copies,
) -> None:
    b_uuid = _uuid(copies.office, copies.b)
    organizations.delete_organization(copies.laptop, copies.b)
    visits.add_visit(
        copies.office, VisitDraft(copies.b, DAY, VisitKind.FORUM, [copies.who], "座谈")
    )
    merge = database_merge.preview_database_merge(copies.office, copies.laptop.path)
    assert len(merge.preview.conflicts) == 1  # deleted there, visited here
    database_merge.apply_database_merge(copies.office, merge, everywhere="theirs")
    with copies.office.read_connection() as conn:
        assert conn.execute("SELECT count(*) FROM visit").fetchone() == (0,)
    audit.undo_last(copies.office)  # everything the deletion took comes back
    assert _counts(copies.office, b_uuid) == {**WHOLE, "visit": 2, "visit_instructor": 2}


def test_a_visit_deleted_in_the_field_and_the_merge_undone_gives_its_problem_back(
    laptop: Field,
) -> None:
    with laptop.field.read_connection() as conn:
        (visit,) = conn.execute("SELECT id FROM visit").fetchone()
    visits.delete_visit(laptop.field, visit)
    out = laptop.folder / "回传.pdreturn"
    return_package.make_return_package(laptop.field, out)
    with laptop.office.read_connection() as conn:
        before = conn.execute("SELECT uuid, visit_id FROM problem").fetchall()
    package_merge.apply_merge(laptop.office, package_merge.preview_merge(laptop.office, out))
    audit.undo_last(laptop.office)
    with laptop.office.read_connection() as conn:
        assert conn.execute("SELECT uuid, visit_id FROM problem").fetchall() == before


def test_a_record_of_a_unit_deleted_here_changed_there_comes_only_with_its_unit(
    copies: Copies,
) -> None:
    b_uuid = _uuid(copies.office, copies.b)
    with copies.laptop.read_connection() as conn:
        (problem,) = conn.execute("SELECT id FROM problem").fetchone()
    visits.set_status(copies.laptop, problem, ProblemStatus.IN_PROGRESS)
    organizations.delete_organization(copies.office, copies.b)
    merge = database_merge.preview_database_merge(copies.office, copies.laptop.path)
    assert [i.entity for i in merge.preview.conflicts] == ["organization"]
    database_merge.apply_database_merge(copies.office, merge, everywhere="theirs")
    assert _counts(copies.office, b_uuid) == WHOLE
    (back,) = visits.list_problems(copies.office, DAY)
    assert back.status is ProblemStatus.IN_PROGRESS
