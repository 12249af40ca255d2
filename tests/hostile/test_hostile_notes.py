"""Issue 22, notes thrown away: the note typed when a rectification's status changes was
kept only for 已核验 while the program said 已更新. Every note is now a step in the
problem's history: stored, listed (``problems list --json`` key ``note``), carried from
the office to a laptop and back, and shown beside a status conflict in the merge.
And the domain checks that let bad values in: a verification dated in the future or
before the problem was raised, a review year no park could mean."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from app.db.database import Database, open_database
from app.domain import uscc
from app.domain.validation import OrganizationDraft, ValidationError
from app.domain.vocabulary import ProblemStatus
from app.services.field import package_merge, return_package, visits
from app.services.files import audit
from app.services.grouping import classes
from app.services.registry import organizations
from tests.conftest import run_main
from tests.hostile.conftest import CODE, DAY, problem_on_a_visit

if TYPE_CHECKING:
    from tests.hostile.conftest import Laptop


def _id(db: Database, uuid: str) -> int:
    return visits.problem_id_of(db, uuid)


def test_a_note_on_any_move_is_kept_in_the_history(db: Database) -> None:
    pid, _uuid = problem_on_a_visit(db)
    visits.set_status(db, pid, ProblemStatus.IN_PROGRESS, "已约谈书记，月底前整改", DAY)
    visits.set_status(db, pid, ProblemStatus.DONE, "", date(2026, 11, 25))
    visits.set_status(db, pid, ProblemStatus.DONE, "资料已补齐，待核验", date(2026, 11, 26))
    (row,) = visits.list_problems(db, DAY)
    steps = [(s.on, s.was, s.to, s.note) for s in row.history]
    assert steps == [
        (DAY, ProblemStatus.OPEN, ProblemStatus.IN_PROGRESS, "已约谈书记，月底前整改"),
        (date(2026, 11, 25), ProblemStatus.IN_PROGRESS, ProblemStatus.DONE, ""),
        (date(2026, 11, 26), ProblemStatus.DONE, ProblemStatus.DONE, "资料已补齐，待核验"),
    ]
    assert row.note == "资料已补齐，待核验"  # the latest note typed
    assert "待核验" in row.search_text
    # nothing to record: refused, not a silent 已更新
    with pytest.raises(ValidationError, match="没有可保存的内容"):
        visits.set_status(db, pid, ProblemStatus.DONE, "  ")
    # undo takes the step back with the move
    audit.undo_last(db)
    (row,) = visits.list_problems(db, DAY)
    assert [s.note for s in row.history] == ["已约谈书记，月底前整改", ""]


def test_deleting_a_problem_and_undoing_brings_its_history_back(db: Database) -> None:
    pid, uuid = problem_on_a_visit(db)
    visits.set_status(db, pid, ProblemStatus.IN_PROGRESS, "已约谈书记", DAY)
    visits.delete_problem(db, pid)
    audit.undo_last(db)
    (row,) = visits.list_problems(db, DAY)
    assert row.uuid == uuid and [s.note for s in row.history] == ["已约谈书记"]


def test_the_command_line_keeps_the_note_and_lists_it(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        _pid, uuid = problem_on_a_visit(db)
    finally:
        db.dispose()
    base = ("--db", str(db_path))
    done = run_main(*base, "problems", "set", uuid, "--status", "整改中", "--note", "已约谈书记")
    assert done.returncode == 0, done.stderr
    assert "说明已记入整改记录" in done.stdout
    (listed,) = json.loads(run_main(*base, "problems", "list", "--json").stdout)
    assert listed["status"] == "整改中" and listed["note"] == "已约谈书记"
    assert [(h["from"], h["to"], h["note"]) for h in listed["history"]] == [
        ("待整改", "整改中", "已约谈书记")
    ]
    (visit,) = json.loads(run_main(*base, "visits", "list", "--json").stdout)
    assert visit["problems"][0]["note"] == "已约谈书记"


@pytest.fixture
def laptop(db: Database, field_laptop: Callable[..., Laptop]) -> tuple[Database, Database, str]:
    """The office's database and a laptop's field database made from its package."""
    _pid, uuid = problem_on_a_visit(db)
    visits.set_status(db, _id(db, uuid), ProblemStatus.IN_PROGRESS, "办公室：已下发整改通知", DAY)
    return db, field_laptop(db, instructor="王指导").field, uuid


def _returned(field: Database, office: Database, tmp_path: Path) -> package_merge.MergePreview:
    out = tmp_path / "回传.pdreturn"
    return_package.make_return_package(field, out)
    return package_merge.preview_merge(office, out)


def test_a_note_typed_on_the_laptop_reaches_the_office(
    laptop: tuple[Database, Database, str], tmp_path: Path
) -> None:
    office, field, uuid = laptop
    (carried,) = visits.list_problems(field, DAY)
    assert carried.note == "办公室：已下发整改通知"  # the office's history went out with it
    visits.set_status(field, _id(field, uuid), ProblemStatus.DONE, "现场查看：已补齐", DAY)
    preview = _returned(field, office, tmp_path)
    assert preview.as_report()["conflicts"] == []
    package_merge.apply_merge(office, preview)
    (row,) = visits.list_problems(office, DAY)
    assert row.status is ProblemStatus.DONE and row.note == "现场查看：已补齐"
    assert [s.note for s in row.history] == ["办公室：已下发整改通知", "现场查看：已补齐"]
    audit.undo_last(office)  # the merge undone: its step goes too
    (row,) = visits.list_problems(office, DAY)
    assert [s.note for s in row.history] == ["办公室：已下发整改通知"]


def test_both_notes_are_shown_beside_a_status_conflict_and_both_kept(
    laptop: tuple[Database, Database, str], tmp_path: Path
) -> None:
    office, field, uuid = laptop
    visits.set_status(field, _id(field, uuid), ProblemStatus.DONE, "外业：已整改", DAY)
    visits.set_status(office, _id(office, uuid), ProblemStatus.OPEN, "办公室：材料不实，退回", DAY)
    preview = _returned(field, office, tmp_path)
    shown = {c["field"]: (c["ours"], c["theirs"]) for c in preview.as_report()["conflicts"]}
    assert shown == {
        "status": ("open", "done"),
        "status_note": ("办公室：材料不实，退回", "外业：已整改"),
    }
    package_merge.apply_merge(office, preview, everywhere=package_merge.OURS)
    (row,) = visits.list_problems(office, DAY)
    assert row.status is ProblemStatus.OPEN
    assert {s.note for s in row.history} == {
        "办公室：已下发整改通知",
        "办公室：材料不实，退回",
        "外业：已整改",
    }


def test_a_note_on_a_problem_the_office_deleted_is_kept_in_the_audit_log(
    laptop: tuple[Database, Database, str], tmp_path: Path
) -> None:
    office, field, uuid = laptop
    visits.set_status(field, _id(field, uuid), ProblemStatus.DONE, "外业：已整改", DAY)
    visits.delete_problem(office, _id(office, uuid))
    preview = _returned(field, office, tmp_path)
    package_merge.apply_merge(office, preview, everywhere=package_merge.OURS)  # stays deleted
    assert visits.list_problems(office, DAY) == []
    with office.read_connection() as conn:
        kept = [
            json.loads(after)
            for (after,) in conn.execute(
                "SELECT after FROM audit_entry WHERE action = 'rejected'"
                " AND entity = 'problem_event'"
            )
        ]
    assert [k["note"] for k in kept] == ["外业：已整改"]


def test_a_return_package_from_the_old_schema_still_merges(
    laptop: tuple[Database, Database, str], tmp_path: Path
) -> None:
    """Packages name their schema ("0015", "0016_problem_notes"): compared by number."""
    from app.exchange.packages import _check_schema

    _check_schema({"schema": "0015"}, "0016_problem_notes", tmp_path / "p")
    with pytest.raises(Exception, match="较新版本"):
        _check_schema({"schema": "0017_other"}, "0016_problem_notes", tmp_path / "p")


# -- domain checks -------------------------------------------------------------------


def test_a_verification_in_the_future_or_before_the_problem_is_refused(db: Database) -> None:
    pid, _uuid = problem_on_a_visit(db)
    with pytest.raises(ValidationError) as future:
        visits.set_status(db, pid, ProblemStatus.VERIFIED, "现场核验", date(2099, 1, 1), DAY)
    assert "核验日期2099-01-01晚于今天（2026-11-20）" in str(future.value)
    with pytest.raises(ValidationError) as early:
        visits.set_status(db, pid, ProblemStatus.VERIFIED, "现场核验", date(2026, 11, 1), DAY)
    assert "核验日期2026-11-01早于发现问题的日期2026-11-20" in str(early.value)
    (row,) = visits.list_problems(db, DAY)
    assert row.status is ProblemStatus.OPEN and row.history == ()  # nothing written


def test_the_command_line_refuses_a_verification_dated_2099(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        _pid, uuid = problem_on_a_visit(db)
    finally:
        db.dispose()
    base = ("--db", str(db_path))
    args = ("problems", "set", uuid, "--status", "已核验", "--note", "现场核验", "--date")
    refused = run_main(*base, *args, "2099-01-01")
    assert refused.returncode == 1 and "核验日期2099-01-01晚于今天" in refused.stderr
    assert "Traceback" not in refused.stderr
    refused = run_main(*base, *args, "2026-01-01")
    assert "早于发现问题的日期2026-11-20" in refused.stderr
    (listed,) = json.loads(run_main(*base, "problems", "list", "--json").stdout)
    assert listed["status"] == "待整改"


@pytest.mark.parametrize("year", [99999, 0, -5, 1999])
def test_a_review_year_no_park_could_mean_is_refused(db: Database, year: int) -> None:
    org = organizations.create_organization(db, OrganizationDraft(name="甲公司"))
    with pytest.raises(ValidationError, match=f"复核年度{year}不在2000—"):
        classes.apply_review(db, year, [classes.ClassDecision(org, None, "")], DAY)
    with pytest.raises(ValidationError, match="不在2000—"):
        classes.review_rows(db, year)
    with sqlite3.connect(db.path) as conn:
        assert conn.execute("SELECT count(*) FROM class_change").fetchone() == (0,)


def test_the_command_line_refuses_review_year_99999(db_path: Path) -> None:
    open_database(db_path).dispose()
    for year in ("99999", "0", "-5"):
        done = run_main("--db", str(db_path), "classes", "review", f"--year={year}", "--apply")
        assert done.returncode == 1, done.stdout
        assert f"复核年度{year}不在2000—" in done.stderr and "Traceback" not in done.stderr


# -- a credit code with a character no one can see ------------------------------------

PASTED = [
    CODE[:9] + "\u200b" + CODE[9:],  # a zero-width space, copied from a web page
    "\ufeff" + CODE,  # the BOM a text export starts with
    CODE[:4] + "\u00a0" + CODE[4:],  # a non-breaking space
    CODE + "\u2060",  # a word joiner
]


@pytest.mark.parametrize("pasted", PASTED)
def test_an_invisible_character_pasted_into_a_code_is_removed_where_codes_are_read(
    db: Database, pasted: str
) -> None:
    org = organizations.create_organization(db, OrganizationDraft(name="甲公司", uscc=pasted))
    with db.read_connection() as conn:
        assert conn.execute("SELECT uscc FROM organization").fetchone() == (CODE,)
    assert organizations.id_by_uscc(db, pasted) == org  # a lookup reads it the same way


def test_a_registry_import_reads_a_code_with_a_zero_width_space(
    db: Database, tmp_path: Path
) -> None:
    from app.services.workbooks.imports import apply_import, preview_import
    from tests.conftest import write_xlsx

    path = write_xlsx(
        tmp_path / "名录.xlsx", [["组织名称", "统一社会信用代码"], ["甲公司", PASTED[0]]]
    )
    preview = preview_import(db, path)
    apply_import(db, preview)
    with db.read_connection() as conn:
        assert conn.execute("SELECT uscc FROM organization").fetchall() == [(CODE,)]


def test_a_character_that_is_not_in_a_code_is_named_where_it_is(db: Database) -> None:
    hidden = CODE[:9] + "\ue000" + CODE[9:]  # a private-use character: shows as nothing
    with pytest.raises(ValidationError) as refused:
        organizations.create_organization(db, OrganizationDraft(name="甲公司", uscc=hidden))
    assert "第9位后有一个看不见的字符（U+E000）" in str(refused.value)
    cyrillic = CODE[:9] + "А" + CODE[10:]  # looks like A; is U+0410
    with pytest.raises(ValidationError) as refused:
        organizations.create_organization(db, OrganizationDraft(name="甲公司", uscc=cyrillic))
    assert "第10位“А”（西里尔字母 U+0410）不是统一社会信用代码允许的字符" in str(refused.value)
    assert uscc.check("91350100M000100I43").message.endswith("第16位的“I”不用于信用代码")  # type: ignore[union-attr]


def test_the_command_line_finds_a_unit_by_a_pasted_code(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        problem_on_a_visit(db)
    finally:
        db.dispose()
    done = run_main(
        "--db",
        str(db_path),
        "visits",
        "add",
        "--org",
        PASTED[0],
        "--date",
        "2026-11-21",
        "--instructor",
        "王指导",
    )
    assert done.returncode == 0, done.stderr


def test_a_note_typed_on_a_copy_of_the_database_arrives_with_its_merge(
    db: Database, tmp_path: Path
) -> None:
    from app.services.field import database_merge

    _pid, uuid = problem_on_a_visit(db)
    copy = tmp_path / "笔记本" / "parkdesk.sqlite3"
    copy.parent.mkdir()
    with sqlite3.connect(db.path) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    other = open_database(copy, daily_backup=False)
    try:
        visits.set_status(other, _id(other, uuid), ProblemStatus.IN_PROGRESS, "笔记本上记的", DAY)
    finally:
        other.dispose()
    merge = database_merge.preview_database_merge(db, copy)
    database_merge.apply_database_merge(db, merge)
    (row,) = visits.list_problems(db, DAY)
    assert (row.status, row.note) == (ProblemStatus.IN_PROGRESS, "笔记本上记的")


def test_a_problem_deleted_on_the_laptop_goes_with_its_history_and_undo_brings_both(
    laptop: tuple[Database, Database, str], tmp_path: Path
) -> None:
    office, field, uuid = laptop
    visits.delete_problem(field, _id(field, uuid))
    package_merge.apply_merge(office, _returned(field, office, tmp_path))
    assert visits.list_problems(office, DAY) == []
    audit.undo_last(office)
    (row,) = visits.list_problems(office, DAY)
    assert row.uuid == uuid and [s.note for s in row.history] == ["办公室：已下发整改通知"]


def test_a_unit_deleted_by_mistake_comes_back_with_its_problems_history(db: Database) -> None:
    pid, uuid = problem_on_a_visit(db)
    visits.set_status(db, pid, ProblemStatus.IN_PROGRESS, "已约谈书记", DAY)
    organizations.delete_organization(db, organizations.id_by_uscc(db, CODE))
    assert visits.list_problems(db, DAY) == []
    audit.undo_last(db)
    (row,) = visits.list_problems(db, DAY)
    assert row.uuid == uuid and [s.note for s in row.history] == ["已约谈书记"]
