"""Issue 22, the second attack on what was built: each case reproduced as a user (or an
attacker) meets it, and held to one guard where every path passes.

a. a backup of a database on a read-only mount said 无法保存修改 (edits lost?);
b. a status taken from the laptop in a merge showed the office's note beside it;
c. a credit code with a Cyrillic А, given to find a unit, was "not found", unnamed;
d. a database at a made-up revision was called newer;
e. a laptop's own return package (and its database) were called another park's;
f. a folder given as --db left ``adir.lock`` behind;
g. a visit dated 1900-01-01 was kept, typed or arriving in a package;
h. a NUL in a package's text (or a workbook's, or a command's) was stored."""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from app.db.database import Database
from app.domain import uscc
from app.domain.validation import OrganizationDraft, ValidationError
from app.domain.visits import VisitDraft
from app.domain.vocabulary import ProblemStatus, VisitKind
from app.exchange.packages import PackageError
from app.services.field import database_merge, package_merge, return_package, visits
from app.services.registry import instructors, organizations
from app.services.registry.instructors import InstructorDraft
from tests.conftest import ROOT, run_main, write_xlsx
from tests.hostile.conftest import CODE, DAY, problem_on_a_visit

if TYPE_CHECKING:
    from tests.hostile.conftest import Laptop


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


# -- a. a backup of a database on a read-only mount -----------------------------------


def test_a_backup_of_a_database_on_a_read_only_mount_names_the_folder_not_lost_edits(
    park: Path, tmp_path: Path, in_namespace: Callable[[str], Any]
) -> None:
    copy = tmp_path / "外面.sqlite3"
    run = f"{sys.executable} {ROOT / 'main.py'} --db $MNT/{park.name}"
    done = in_namespace(
        f"""
cp {park} $MNT/
mount -o remount,ro $MNT
echo "== there"; {run} backup $MNT/备份.sqlite3 2>&1; echo "rc=$?"
echo "== elsewhere"; {run} backup {copy} 2>&1; echo "rc=$?"
echo "== files"; ls -a $MNT
"""
    )
    parts = dict(p.split("\n", 1) for p in done.stdout.split("== ")[1:])
    there = parts["there"]
    assert "无法保存修改" not in there, there
    assert "备份没有写入“备份.sqlite3”：所在位置是只读的" in there and "数据库本身没有改动" in there
    assert "rc=1" in there
    # the folder is named: the mount the copy was to go to
    assert str(tmp_path / "mnt") in there, there
    # read-only is no reason not to copy it elsewhere: a backup only reads
    assert "已备份到" in parts["elsewhere"] and "rc=0" in parts["elsewhere"], parts["elsewhere"]
    check = run_main("--db", str(copy), "check", "--integrity")
    assert check.returncode == 0, check.stderr
    assert parts["files"].split() == [".", "..", park.name]  # no lock, no backup, no copy


# -- b. a status and its note travel together ------------------------------------------


@pytest.mark.parametrize("take", [package_merge.THEIRS, package_merge.OURS])
def test_the_note_listed_is_the_one_of_the_status_taken_in_a_merge(
    db: Database, field_laptop: Callable[..., Laptop], tmp_path: Path, take: str
) -> None:
    _pid, uuid = problem_on_a_visit(db)
    laptop = field_laptop(db, instructor="王指导")
    field, office_id = laptop.field, visits.problem_id_of(db, uuid)
    # whichever side typed last, the status taken keeps its own note
    first, second = [
        (field, ProblemStatus.DONE, "外业：已整改，资料已补齐"),
        (db, ProblemStatus.IN_PROGRESS, "办公室：整改中，材料待补"),
    ][:: 1 if take == package_merge.THEIRS else -1]
    for where, status, note in (first, second):
        visits.set_status(where, visits.problem_id_of(where, uuid), status, note, DAY)
    out = tmp_path / "回传.pdreturn"
    return_package.make_return_package(field, out)
    preview = package_merge.preview_merge(db, out)
    shown = {c["field"]: (c["ours"], c["theirs"]) for c in preview.as_report()["conflicts"]}
    assert shown["status_note"] == ("办公室：整改中，材料待补", "外业：已整改，资料已补齐")
    package_merge.apply_merge(db, preview, everywhere=take)

    (row,) = [r for r in visits.list_problems(db, DAY) if r.id == office_id]
    expected = (
        (ProblemStatus.DONE, "外业：已整改，资料已补齐")
        if take == package_merge.THEIRS
        else (ProblemStatus.IN_PROGRESS, "办公室：整改中，材料待补")
    )
    assert (row.status, row.note) == expected
    # both moves stay in the history with their notes; the one taken leads to the status
    steps = {(s.to, s.note) for s in row.history}
    assert (ProblemStatus.DONE, "外业：已整改，资料已补齐") in steps
    assert (ProblemStatus.IN_PROGRESS, "办公室：整改中，材料待补") in steps
    assert expected in steps
    # the command line says the same (problems list --json, key note)
    db.dispose()
    (listed,) = json.loads(run_main("--db", str(db.path), "problems", "list", "--json").stdout)
    assert listed["note"] == expected[1]


# -- c. a credit code with a character no code has --------------------------------------


def test_a_look_alike_letter_in_a_credit_code_is_named_on_every_lookup(
    park: Path, tmp_path: Path
) -> None:
    live = tmp_path / "live.sqlite3"
    live.write_bytes(park.read_bytes())
    listed = json.loads(run_main("--db", str(live), "orgs", "list", "--json").stdout)
    code = listed[0]["uscc"]
    cyrillic = code[:4] + "А" + code[5:]  # U+0410, drawn as the Latin A
    before = _dump(live)
    named = "第5位“А”（西里尔字母 U+0410）不是统一社会信用代码允许的字符"
    for command in (
        ["report", "unit", cyrillic, str(tmp_path / "一企一档.pdf")],
        ["visits", "add", "--org", cyrillic, "--date", "2026-11-20", "--instructor", "高洋"],
        ["field", "export", "--org", cyrillic, str(tmp_path / "外业.pdfield")],
    ):
        done = run_main("--db", str(live), *command)
        assert done.returncode == 1, done.stdout
        assert named in done.stderr, (command, done.stderr)
    assert _dump(live) == before
    assert not (tmp_path / "一企一档.pdf").exists() and not (tmp_path / "外业.pdfield").exists()


def test_the_score_sheet_names_a_look_alike_letter_too(db: Database) -> None:
    assert (
        uscc.odd_character("9145А") == "第5位“А”（西里尔字母 U+0410）不是统一社会信用代码允许的字符"
    )
    assert "希腊字母 U+0391" in uscc.odd_character("9145Α")
    with pytest.raises(LookupError, match="西里尔字母"):
        organizations.id_by_uscc(db, CODE[:4] + "А" + CODE[5:])


# -- d. a made-up revision is not a newer one -------------------------------------------


@pytest.mark.parametrize(
    ("revision", "said", "not_said"),
    [
        ("0010_x", "不是本版本 ParkDesk 认识的版本", "由较新版本"),
        ("abc", "不是本版本 ParkDesk 认识的版本", "由较新版本"),
        ("0099_later", "由较新版本的 ParkDesk 创建", "不是本版本"),
    ],
)
def test_a_database_at_an_unknown_revision_is_newer_only_when_numbered_past_ours(
    park: Path, tmp_path: Path, revision: str, said: str, not_said: str
) -> None:
    live = tmp_path / "live.sqlite3"
    live.write_bytes(park.read_bytes())
    with sqlite3.connect(live) as conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    conn.close()
    before = live.read_bytes()
    for command in (["stats"], ["demo", "--size", "3"]):
        done = run_main("--db", str(live), *command)
        assert done.returncode == 1
        assert said in done.stderr and not_said not in done.stderr, done.stderr
        assert revision in done.stderr
    assert live.read_bytes() == before


# -- e. a laptop's own files are its park's, not another's ------------------------------


def test_a_laptops_own_files_are_recognised_as_this_parks(
    db: Database, field_laptop: Callable[..., Laptop], tmp_path: Path
) -> None:
    problem_on_a_visit(db)
    laptop = field_laptop(db, instructor="王指导")
    with laptop.field.read_connection() as conn:
        unit, who = conn.execute("SELECT o.id, i.id FROM organization o, instructor i").fetchone()
    visits.add_visit(laptop.field, VisitDraft(unit, DAY, VisitKind.VISIT, [who], "回访"), DAY)
    own = tmp_path / "回传.pdreturn"
    return_package.make_return_package(laptop.field, own)
    before = _dump(laptop.target)

    # its own return package, merged on the laptop itself: its own, not another park's
    with pytest.raises(PackageError) as refused:
        package_merge.preview_merge(laptop.field, own)
    assert "另一个园区" not in str(refused.value)
    assert "这台笔记本（本外业数据库）自己制作的回传包" in str(refused.value)
    assert _dump(laptop.target) == before
    # the laptop's database merged at the office as a copy: this park's field database
    with pytest.raises(PackageError) as refused:
        database_merge.preview_database_merge(db, laptop.target)
    assert "另一个园区" not in str(refused.value)
    assert "本园区的外业数据库" in str(refused.value) and "回传包" in str(refused.value)
    # a package the laptop made again for a colleague comes back through the laptop
    colleague = field_laptop(laptop.field, instructor="王指导", name="转出.pdfield", folder="同事")
    back = tmp_path / "同事回传.pdreturn"
    return_package.make_return_package(colleague.field, back)
    with pytest.raises(PackageError) as refused:
        package_merge.preview_merge(db, back)
    assert "另一个园区" not in str(refused.value) and "再次制作" in str(refused.value)
    assert package_merge.preview_merge(laptop.field, back) is not None  # there it arrives
    # the office's own package comes in as before
    assert package_merge.preview_merge(db, own).as_report()["created"] == 1


# -- f. a folder given as the database ---------------------------------------------------


def test_a_folder_given_as_the_database_is_refused_before_anything_is_made(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "adir"
    folder.mkdir()
    for command in (["demo", "--size", "3"], ["restore", str(tmp_path / "x.sqlite3")]):
        done = run_main("--db", str(folder), *command)
        assert done.returncode == 1
        assert "“adir”：这是一个文件夹，不是文件" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["adir"]  # no adir.lock


# -- g. a visit's date is plausible ------------------------------------------------------


def test_a_visit_dated_1900_is_refused_typed_or_arriving_in_a_package(
    db: Database,
    field_laptop: Callable[..., Laptop],
    repack: Callable[..., Path],
    tmp_path: Path,
) -> None:
    problem_on_a_visit(db)
    laptop = field_laptop(db, instructor="王指导")
    with laptop.field.read_connection() as conn:
        unit, who = conn.execute("SELECT o.id, i.id FROM organization o, instructor i").fetchone()
    with pytest.raises(ValidationError, match="走访日期1900-01-01早于2000-01-01"):
        visits.add_visit(
            laptop.field, VisitDraft(unit, date(1900, 1, 1), VisitKind.VISIT, [who]), DAY
        )
    visits.add_visit(laptop.field, VisitDraft(unit, DAY, VisitKind.VISIT, [who], "回访"), DAY)
    out = tmp_path / "回传.pdreturn"
    return_package.make_return_package(laptop.field, out)

    def backdated(raw: bytes) -> bytes:
        changes = json.loads(raw)
        for change in changes:
            if change["entity"] == "visit":
                change["data"]["visited_on"] = "1900-01-01"
        return json.dumps(changes, ensure_ascii=False).encode()

    hacked = repack(out, tmp_path / "改过.pdreturn", "changes.json", backdated)
    before = _dump(db.path)
    with pytest.raises(PackageError, match="走访日期1900-01-01早于2000-01-01"):
        package_merge.preview_merge(db, hacked)
    assert _dump(db.path) == before
    # the command line, through the same check
    db.dispose()
    done = run_main(
        "--db", str(db.path), "visits", "add", "--org", CODE, "--date", "1900-01-01",
        "--instructor", "王指导",
    )  # fmt: skip
    assert done.returncode == 1 and "早于2000-01-01" in done.stderr, done.stderr
    assert _dump(db.path) == before


# -- h. no control character in a text -----------------------------------------------------


def test_a_nul_in_a_packages_text_is_refused_naming_the_record_and_field(
    db: Database,
    field_laptop: Callable[..., Laptop],
    repack: Callable[..., Path],
    tmp_path: Path,
) -> None:
    problem_on_a_visit(db)
    laptop = field_laptop(db, instructor="王指导")
    with laptop.field.read_connection() as conn:
        unit, who = conn.execute("SELECT o.id, i.id FROM organization o, instructor i").fetchone()
    visits.add_visit(laptop.field, VisitDraft(unit, DAY, VisitKind.VISIT, [who], "回访"), DAY)
    out = tmp_path / "回传.pdreturn"
    return_package.make_return_package(laptop.field, out)

    def with_nul(raw: bytes) -> bytes:
        changes = json.loads(raw)
        for change in changes:
            if change["entity"] == "visit":
                change["data"]["content"] = "回访\x00已删除"
        return json.dumps(changes, ensure_ascii=False).encode()

    hacked = repack(out, tmp_path / "改过.pdreturn", "changes.json", with_nul)
    before = _dump(db.path)
    with pytest.raises(PackageError) as refused:
        package_merge.preview_merge(db, hacked)
    message = str(refused.value)
    assert "走访" in message and "走访内容" in message, message
    assert "第3个字是控制字符（U+0000）" in message, message
    assert _dump(db.path) == before


def test_a_control_character_is_refused_in_a_form_a_workbook_and_a_command(
    db: Database, tmp_path: Path
) -> None:
    from app.services.workbooks.imports import preview_import

    with pytest.raises(ValidationError, match="U\\+0007"):
        organizations.create_organization(db, OrganizationDraft(name="甲\x07公司"))
    # a workbook cell written as Excel escapes a control character (_x0000_)
    book = write_xlsx(
        tmp_path / "名录.xlsx", [["组织名称", "统一社会信用代码"], ["甲XX公司", CODE]]
    )
    _escape_in_cells(book, "XX", "_x0000_")
    preview = preview_import(db, book)
    (bad,) = preview.errors
    assert (bad.row, bad.reason) == (2, "control_character"), bad
    assert "第2个字是控制字符（U+0000）" in bad.message, bad
    pid, _uuid = problem_on_a_visit(db)
    with pytest.raises(ValidationError, match="说明有误"):
        visits.set_status(db, pid, ProblemStatus.IN_PROGRESS, "已约谈\x1b书记", DAY)
    (row,) = visits.list_problems(db, DAY)
    assert row.history == ()


def _escape_in_cells(book: Path, marker: str, escaped: str) -> None:
    import zipfile

    with zipfile.ZipFile(book) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    for name, body in members.items():
        members[name] = body.replace(marker.encode(), escaped.encode())
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in members.items():
            zf.writestr(name, body)


def test_a_control_character_in_the_parks_own_sheets_is_refused_naming_the_cell(
    db: Database, tmp_path: Path
) -> None:
    """The quarterly workbook's own sheets (指导员, 党组织…) read back pass the same check."""
    from app.domain.quarters import Quarter
    from app.exchange.reader import WorkbookError
    from app.services.workbooks import submissions
    from app.services.workbooks.imports import preview_import

    organizations.create_organization(db, OrganizationDraft(name="甲公司", uscc=CODE))
    instructors.create_instructor(db, InstructorDraft(name="王指导", notes="MARKXX"))
    book = tmp_path / "报送.xlsx"
    submissions.export_quarter(db, book, Quarter(2026, 3), DAY)
    _escape_in_cells(book, "MARKXX", "MARK_x0000_")
    with pytest.raises(WorkbookError) as refused:
        preview_import(db, book)
    message = str(refused.value)
    assert "工作表“指导员”第3行" in message and "U+0000" in message, message
