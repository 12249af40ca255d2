"""Packages in are validated like any import (issue 22): real field and return packages
made by the services, then tampered with as an attacker or a damaged stick would —
changes.json edited and its sha256 recomputed, a byte flipped inside the zip, JSON of
the wrong shape or nested 100,000 deep, a record twice, a record of another unit, a
zip bomb, a photo no record names, a field database that is not one, a disk that fills
while unpacking, a truncated copy of the database. Each is refused in Chinese, the
database is unchanged and no file is left behind."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from app.db.database import Database
from app.domain.validation import OrganizationDraft
from app.domain.visits import ProblemDraft, VisitDraft
from app.domain.vocabulary import ProblemStatus, VisitKind
from app.exchange.packages import PackageError
from app.services.field import database_merge, field_package, package_merge, return_package, visits
from app.services.registry import instructors, organizations
from app.services.registry.instructors import InstructorDraft
from tests.conftest import ROOT, run_main

if TYPE_CHECKING:
    from tests.hostile.conftest import Laptop

DAY = date(2026, 11, 20)


@dataclass
class Park:
    office: Database
    field: Database
    other: int  # a unit outside the package (office id)
    other_uuid: str
    other_visit: str  # the office's visit to it
    folder: Path
    field_package: Path
    repack: Callable[..., Path]  # tests/hostile/conftest.py: a member rewritten, sums remade


@pytest.fixture
def park(
    db: Database,
    tmp_path: Path,
    field_laptop: Callable[..., Laptop],
    repack: Callable[..., Path],
) -> Park:
    a = organizations.create_organization(db, OrganizationDraft(name="甲公司"))
    other = organizations.create_organization(db, OrganizationDraft(name="丙公司"))
    who = instructors.create_instructor(db, InstructorDraft(name="王指导"))
    instructors.assign(db, who, a)
    visits.add_visit(
        db,
        VisitDraft(a, DAY, VisitKind.VISIT, [who], "查阅记录", "", [ProblemDraft("记录不全")]),
        DAY,
    )
    visits.add_visit(db, VisitDraft(other, DAY, VisitKind.VISIT, [who], "别家"), DAY)
    with db.read_connection() as conn:
        other_uuid, other_visit = conn.execute(
            "SELECT o.uuid, v.uuid FROM organization o JOIN visit v ON v.organization_id = o.id"
            " WHERE o.id = ?",
            (other,),
        ).fetchone()
    laptop = field_laptop(db, instructor="王指导")
    return Park(db, laptop.field, other, other_uuid, other_visit, tmp_path, laptop.package, repack)


def _field_ids(park: Park) -> tuple[int, int]:
    with park.field.read_connection() as conn:
        return conn.execute("SELECT o.id, i.id FROM organization o, instructor i").fetchone()


def _return_package(park: Park, photo: Path | None = None) -> Path:
    """A real return package: a new visit with a problem, and a problem moved on."""
    unit, who = _field_ids(park)
    draft = VisitDraft(
        unit,
        date(2026, 11, 21),
        VisitKind.VISIT,
        [who],
        "回访",
        "",
        [ProblemDraft("台账缺页", deadline=date(2026, 12, 31))],
        [photo] if photo else [],
    )
    visits.add_visit(park.field, draft, date(2026, 11, 22))
    with park.field.read_connection() as conn:
        (problem,) = conn.execute("SELECT id FROM problem WHERE text = '记录不全'").fetchone()
    visits.set_status(park.field, problem, ProblemStatus.IN_PROGRESS)
    out = park.folder / "回传.pdreturn"
    return_package.make_return_package(park.field, out)
    return out


def _edited(park: Park, path: Path, edit: Callable[[list[dict[str, Any]]], Any]) -> Path:
    def rewrite(raw: bytes) -> bytes:
        changes = json.loads(raw)
        return json.dumps(edit(changes) or changes, ensure_ascii=False).encode()

    return park.repack(path, path.with_name("改过.pdreturn"), "changes.json", rewrite)


def _dump(db: Database) -> list[str]:
    conn = sqlite3.connect(db.path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def _files(folder: Path) -> set[Path]:
    """What the user's folders hold (not the packages made, not the program's own logs
    and settings, which conftest puts beside them)."""
    return {
        p
        for p in folder.rglob("*")
        if p.suffix not in (".pdreturn", ".pdfield")
        and p.relative_to(folder).parts[0] not in ("data", "config")
    }


def _refused(park: Park, path: Path, *words: str) -> str:
    """Merging ``path`` is refused naming ``words``; nothing written, nothing left."""
    dump, files = _dump(park.office), _files(park.folder)
    with pytest.raises(PackageError) as caught:
        preview = package_merge.preview_merge(park.office, path)
        package_merge.apply_merge(park.office, preview, everywhere=package_merge.THEIRS)
    message = str(caught.value)
    for word in words:
        assert word in message
    assert _dump(park.office) == dump
    assert _files(park.folder) == files
    return message


def _change(changes: list[dict[str, Any]], entity: str, **match: Any) -> dict[str, Any]:
    return next(
        c
        for c in changes
        if c["entity"] == entity and all(c["data"].get(k) == v for k, v in match.items())
    )


def test_every_record_that_travels_has_its_checks() -> None:
    """A new kind of travelling record (field_records.ENTITIES) is validated too: its
    fields are listed in package_check.FIELDS, or every package holding one is refused."""
    from app.services.field import field_records, package_check

    assert set(package_check.FIELDS) == set(field_records.ENTITIES)


def test_a_hacked_status_and_date_are_refused_and_the_lists_still_work(park: Park) -> None:
    def hack(changes: list[dict[str, Any]]) -> None:
        problem = _change(changes, "problem", text="记录不全")
        problem["data"]["status"] = "hacked"
        _change(changes, "visit", content="回访")["data"]["visited_on"] = "not-a-date"

    path = _edited(park, _return_package(park), hack)
    message = _refused(park, path, "“状态”", "hacked", "“走访日期”", "not-a-date", "问题")
    assert "第" in message and "条" in message  # which record
    office = str(park.office.path)
    done = run_main("--db", office, "field", "merge", str(path), "--all", "theirs")
    assert done.returncode != 0 and "错误：" in done.stderr and "hacked" in done.stderr
    assert "Traceback" not in done.stderr
    for listing in (("problems", "list"), ("visits", "list")):
        done = run_main("--db", office, *listing)
        assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (lambda c: {"records": c}, ("应为记录的列表",)),
        (lambda c: [1, 2, 3], ("第1条", "应为一条记录")),
        (lambda c: [{**c[0], "entity": "organization"}], ("不是可导入的记录种类",)),
        (lambda c: [{**c[0], "uuid": "x/../../etc"}], ("uuid",)),
        (lambda c: [{**c[0], "row_version": 10**30}], ("版本号",)),
        (lambda c: [*c, c[0]], ("出现了两次",)),
    ],
)
def test_changes_of_the_wrong_shape_are_refused(park: Park, edit: Any, words: Any) -> None:
    _refused(park, _edited(park, _return_package(park), edit), *words)


def _set(entity: str, key: str, value: Any, **match: Any) -> Callable[[list[Any]], None]:
    def edit(changes: list[dict[str, Any]]) -> None:
        _change(changes, entity, **match)["data"][key] = value

    return edit


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (_set("visit", "instructors", {"a": 1}, content="回访"), ("“指导员”",)),
        (_set("problem", "units", [1, 2], text="台账缺页"), ("“涉及单位”", "单位的编号")),
        (_set("problem", "common", "yes", text="台账缺页"), ("“共性问题”",)),
        (_set("visit", "kind", "party", content="回访"), ("“方式”", "party")),
        (_set("visit", "content", "长" * 40_000, content="回访"), ("“走访内容”", "40000")),
        (_set("problem", "text", "   ", text="台账缺页"), ("请填写发现的问题",)),
        (_set("problem", "deadline", "2026-01-01", text="台账缺页"), ("早于",)),
        (_set("problem", "status", "verified", text="记录不全"), ("核验意见",)),
        (_set("visit", "visited_on", "2099-01-01", content="回访"), ("晚于今天",)),
        (_set("visit", "hidden", "x", content="回访"), ("不是这种记录的字段",)),
        (_set("problem", "raised_on", None, text="台账缺页"), ("“提出日期”缺少日期",)),
        # a link row's uuid travels with the record: its shape checked like the rest
        (_set("visit", "links", [["visit_instructor", "x", "1"]], content="回访"), ("“关联记录”",)),
        (_set("problem", "links", {"a": "b"}, text="台账缺页"), ("“关联记录”", "列表")),
        (
            _set("problem", "visit", "0" * 8 + "-0000-4000-8000-" + "0" * 12, text="台账缺页"),
            ("“所属走访”",),
        ),
    ],
)
def test_values_are_checked_as_the_form_checks_them(park: Park, edit: Any, words: Any) -> None:
    _refused(park, _edited(park, _return_package(park), edit), *words)


def test_json_nested_100000_deep_is_refused_not_a_recursion_error(park: Park) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    path = park.repack(
        _return_package(park), park.folder / "深.pdreturn", "changes.json", lambda _: deep
    )
    _refused(park, path, "嵌套过深")
    nested = json.dumps([{"entity": "visit", "data": {"content": [[[[["x"]]]]]}}]).encode()
    path = park.repack(path, park.folder / "深2.pdreturn", "changes.json", lambda _: nested)
    _refused(park, path, "第1条")


def test_a_record_of_a_unit_outside_the_package_is_refused(park: Park) -> None:
    path = _return_package(park)
    _refused(
        park, _edited(park, path, _set("visit", "org", park.other_uuid, content="回访")), "单位不在"
    )

    def take_over(changes: list[dict[str, Any]]) -> None:  # the office's visit to 丙公司
        visit = _change(changes, "visit", content="回访")
        _change(changes, "problem", visit=visit["uuid"])["data"]["visit"] = park.other_visit
        visit["uuid"] = park.other_visit

    _refused(park, _edited(park, path, take_over), "不属于外业包的单位")

    def delete_it(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        gone = {"entity": "visit", "uuid": park.other_visit, "row_version": 1, "base_version": 1}
        return [*changes, gone | {"base": {"org": park.other_uuid}, "deleted": True}]

    _refused(park, _edited(park, path, delete_it), "不属于外业包的单位")


def test_another_instructors_name_on_the_package_is_refused(park: Park) -> None:
    path = _return_package(park)

    def rename(raw: bytes) -> bytes:
        manifest = json.loads(raw)
        manifest["instructor"] = "李指导"
        return json.dumps(manifest).encode()

    with zipfile.ZipFile(path) as src, zipfile.ZipFile(park.folder / "李.pdreturn", "w") as out:
        for item in src.infolist():
            body = src.read(item)
            out.writestr(item, rename(body) if item.filename == "manifest.json" else body)
    _refused(park, park.folder / "李.pdreturn", "指导员", "不符")


def test_a_manifest_of_the_wrong_types_is_refused(park: Park) -> None:
    path = _return_package(park)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(park.folder / "型.pdreturn", "w") as out:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "manifest.json":
                manifest = json.loads(body)
                manifest["package_id"] = {"$ne": 1}
                body = json.dumps(manifest).encode()
            out.writestr(item, body)
    _refused(park, park.folder / "型.pdreturn", "清单", "package_id")


def _flipped(path: Path, out: Path, member: str, at: float) -> Path:
    """One byte changed inside ``member``'s packed data (the zip's own sums untouched)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + int(info.compress_size * at)] ^= 0xFF
    out.write_bytes(bytes(data))
    return out


@pytest.mark.parametrize("at", [0.0, 0.1, 0.5, 0.9])
def test_a_byte_flipped_inside_the_zip_is_refused(park: Park, at: float) -> None:
    path = _flipped(_return_package(park), park.folder / "坏.pdreturn", "changes.json", at)
    _refused(park, path, "坏.pdreturn")


@pytest.mark.parametrize("at", [0.0, 0.5])
def test_a_field_package_with_a_byte_flipped_opens_nothing(park: Park, at: float) -> None:
    bad = _flipped(park.field_package, park.folder / "坏.pdfield", "field.sqlite3", at)
    files = _files(park.folder)
    with pytest.raises(PackageError, match=r"坏\.pdfield"):
        field_package.open_field_package(bad, park.folder / "新笔记本" / "f.sqlite3")
    assert _files(park.folder) == files


def test_a_zip_bomb_is_refused_before_a_byte_is_unpacked(park: Park) -> None:
    bomb = park.folder / "炸弹.pdreturn"
    park.repack(
        _return_package(park),
        bomb,
        "changes.json",
        lambda raw: raw,
        extra={"attachments/" + "0" * 64 + ".jpg": bytes(20 * 1024**2)},
    )
    assert bomb.stat().st_size < 1024**2  # 20 MB of zeros packs to a few KB
    _refused(park, bomb, "未解压")
    field_bomb = park.repack(
        park.field_package,
        park.folder / "炸弹.pdfield",
        "field.sqlite3",
        lambda b: b + bytes(40 * 1024**2),
    )
    files = _files(park.folder)
    with pytest.raises(PackageError, match="未解压"):
        field_package.open_field_package(field_bomb, park.folder / "新笔记本" / "f.sqlite3")
    assert _files(park.folder) == files


def test_only_the_photos_records_name_are_written_each_checked(park: Park) -> None:
    photo = park.folder / "活动室.jpg"
    photo.write_bytes(b"\xff\xd8\xff the room")
    path = _return_package(park, photo)
    stray = {"attachments/" + "1" * 64 + ".exe": b"MZ not a photo"}
    extra = park.repack(path, park.folder / "多.pdreturn", "changes.json", lambda raw: raw, stray)
    package_merge.apply_merge(park.office, package_merge.preview_merge(park.office, extra))
    kept = sorted(p.name for p in (park.office.path.parent / "attachments").iterdir())
    assert kept == [hashlib.sha256(photo.read_bytes()).hexdigest() + ".jpg"]


def test_a_photo_whose_bytes_are_not_its_name_is_refused(park: Park) -> None:
    photo = park.folder / "活动室.jpg"
    photo.write_bytes(b"\xff\xd8\xff the room")
    path = _return_package(park, photo)
    name = "attachments/" + hashlib.sha256(photo.read_bytes()).hexdigest() + ".jpg"
    swapped = park.repack(path, park.folder / "换.pdreturn", name, lambda _: b"something else")
    _refused(park, swapped, "附件", "不符")
    assert not (park.office.path.parent / "attachments").exists()


def _field_db_edited(park: Park, sql: str, name: str) -> Path:
    def edit(body: bytes) -> bytes:
        work = park.folder / "work.sqlite3"
        work.write_bytes(body)
        with sqlite3.connect(work) as conn:
            conn.execute(sql)
        conn.close()
        data = work.read_bytes()
        work.unlink()
        return data

    return park.repack(park.field_package, park.folder / name, "field.sqlite3", edit)


@pytest.mark.parametrize(
    ("sql", "words"),
    [
        ("UPDATE problem SET status = 'hacked'", ("“状态”", "hacked")),
        ("UPDATE visit SET kind = 'x', visited_on = 'not-a-date'", ("“方式”",)),
        ("DELETE FROM setting WHERE key = 'field_package'", ("不是外业数据库",)),
    ],
)
def test_a_field_package_is_checked_like_a_return_package_and_leaves_nothing(
    park: Park, sql: str, words: tuple[str, ...]
) -> None:
    package = _field_db_edited(park, sql, "改.pdfield")
    files = _files(park.folder)
    target = park.folder / "新笔记本" / "f.sqlite3"
    with pytest.raises(PackageError) as caught:
        field_package.open_field_package(package, target)
    for word in words:
        assert word in str(caught.value)
    assert _files(park.folder) == files
    done = run_main("--db", str(target), "field", "open", str(package))
    assert done.returncode != 0 and "错误：" in done.stderr and "Traceback" not in done.stderr
    assert _files(park.folder) == files


_FULL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), resource.RLIM_INFINITY))
sys.argv = ["main.py", "--db", sys.argv[2], "field", "open", sys.argv[3]]
import runpy
runpy.run_path("main.py", run_name="__main__")
"""


def test_a_disk_that_fills_while_unpacking_leaves_no_part(park: Park) -> None:
    assert resource and signal  # the child limits its file size as a full disk would
    files = _files(park.folder)
    target = park.folder / "满" / "f.sqlite3"
    done = subprocess.run(
        [sys.executable, "-c", _FULL_DISK, str(64 * 1024), str(target), str(park.field_package)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0 and "错误：无法写入外业数据库“f.sqlite3”" in done.stderr, (
        done.stderr
    )
    assert "Traceback" not in done.stderr
    assert _files(park.folder) == files


@pytest.mark.damages_database  # the truncated copy it makes is left in its folder
def test_a_truncated_copy_of_the_database_is_refused_in_words(park: Park) -> None:
    copy = park.folder / "笔记本副本.sqlite3"
    with sqlite3.connect(park.office.path) as conn, sqlite3.connect(copy) as out:
        conn.backup(out)
    out.close()
    conn.close()
    copy.write_bytes(copy.read_bytes()[: copy.stat().st_size // 2])
    dump, files = _dump(park.office), _files(park.folder)
    with pytest.raises(PackageError, match="已损坏或不完整"):
        database_merge.preview_database_merge(park.office, copy)
    done = run_main("--db", str(park.office.path), "merge", str(copy))
    assert done.returncode != 0 and "已损坏或不完整" in done.stderr
    assert "Traceback" not in done.stderr
    assert _dump(park.office) == dump
    assert {p for p in _files(park.folder) if "backups" not in p.parts} == {
        p for p in files if "backups" not in p.parts
    }


def test_a_problem_on_a_visit_the_package_deletes_is_refused(park: Park) -> None:
    def delete_its_visit(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        problem = _change(changes, "problem", text="记录不全")
        visit, unit = problem["data"]["visit"], problem["data"]["units"][0]
        gone = {"entity": "visit", "uuid": visit, "row_version": 1, "base_version": 1}
        return [gone | {"base": {"org": unit}, "deleted": True}, *changes]

    _refused(park, _edited(park, _return_package(park), delete_its_visit), "“所属走访”", "不在")


def test_a_field_package_this_database_lost_still_brings_its_instructors_units(
    park: Park,
) -> None:
    """The ledger row of the field package gone (an earlier backup restored): the work
    still arrives, checked against the units of the instructor the package names."""
    path = _return_package(park)
    with sqlite3.connect(park.office.path) as conn:
        conn.execute("DELETE FROM package_ledger WHERE kind = 'field'")
    conn.close()
    _refused(
        park, _edited(park, path, _set("visit", "org", park.other_uuid, content="回访")), "单位不在"
    )
    package_merge.apply_merge(park.office, package_merge.preview_merge(park.office, path))
    assert "回访" in {v.content for v in visits.list_visits(park.office, DAY)}


def test_a_photo_no_record_of_the_field_package_names_is_not_written(park: Park) -> None:
    stray = {"attachments/" + "2" * 64 + ".exe": b"MZ not a photo"}
    package = park.repack(
        park.field_package, park.folder / "多.pdfield", "field.sqlite3", bytes, stray
    )
    target = park.folder / "新笔记本" / "f.sqlite3"
    field_package.open_field_package(package, target)
    assert not (target.parent / "attachments").exists()


def test_a_package_over_the_size_limit_is_refused_unopened(
    park: Park, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.exchange import packages

    monkeypatch.setattr(packages, "MAX_UNPACKED", 64 * 1024)  # the limit, made small
    files = _files(park.folder)
    with pytest.raises(PackageError, match="超出包的限度"):
        field_package.open_field_package(park.field_package, park.folder / "新" / "f.sqlite3")
    assert _files(park.folder) == files
    photo = park.folder / "大.jpg"
    photo.write_bytes(os.urandom(100 * 1024))  # does not pack: over the limit, not a bomb
    _refused(park, _return_package(park, photo), "超出包的限度")


def test_a_unit_deleted_at_the_office_since_is_still_the_packages_own(park: Park) -> None:
    """Not a foreign unit: the package is read and previewed, and the merge decides
    what becomes of its records (the unit cannot come back from a return package)."""
    path = _return_package(park)
    with park.office.read_connection() as conn:
        (unit,) = conn.execute("SELECT id FROM organization WHERE name = '甲公司'").fetchone()
    organizations.delete_organization(park.office, unit)
    preview = package_merge.preview_merge(park.office, path)
    assert {"visit", "problem"} <= {i.entity for i in preview.items}
    _refused(
        park, _edited(park, path, _set("visit", "org", park.other_uuid, content="回访")), "单位不在"
    )


def test_an_instructor_deleted_at_the_office_since_is_known_a_made_up_one_is_not(
    park: Park,
) -> None:
    path = _return_package(park)
    made_up = "0" * 8 + "-0000-4000-8000-" + "0" * 12
    _refused(
        park, _edited(park, path, _set("visit", "instructors", [made_up], content="回访")), "指导员"
    )
    with park.office.read_connection() as conn:
        (who,) = conn.execute("SELECT id FROM instructor WHERE name = '王指导'").fetchone()
    instructors.delete_instructor(park.office, who)
    preview = package_merge.preview_merge(park.office, path)
    assert [i.outcome for i in preview.items if i.entity == "visit"] == ["new"]
