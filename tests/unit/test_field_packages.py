"""The instructor's laptop (issue 13): a field package made by the clerk, opened as a
field database whose registry is read-only, a return package made there and merged
into the clerk's database — with two real databases diverging through every path:
new records on both sides, a record changed on one side, on both (a conflict), deleted
on one side and changed on the other, the package twice, another park's package, a
tampered one, and a merge killed half-way (all or nothing)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from app.db.database import Database, open_database
from app.domain.validation import OrganizationDraft
from app.domain.visits import ProblemDraft, VisitDraft
from app.domain.vocabulary import ProblemStatus, VisitKind
from app.exchange.packages import PackageError
from app.services.field import field_package, package_merge, return_package, visits
from app.services.files import audit
from app.services.registry import instructors, organizations
from app.services.registry.instructors import InstructorDraft

DAY = date(2026, 11, 20)


@dataclass
class Park:
    office: Database
    field: Database
    a: int  # the instructor's units (ids in the office)
    b: int
    other: int  # a unit not in the package
    who: int  # the instructor, in the office
    visit_uuid: str
    problem_uuid: str
    folder: Path


@pytest.fixture
def park(db: Database, tmp_path: Path) -> Park:
    a = organizations.create_organization(db, OrganizationDraft(name="甲公司"))
    b = organizations.create_organization(db, OrganizationDraft(name="乙公司"))
    other = organizations.create_organization(db, OrganizationDraft(name="丙公司"))
    who = instructors.create_instructor(db, InstructorDraft(name="王指导"))
    instructors.assign(db, who, a)
    instructors.assign(db, who, b)
    visit_id = visits.add_visit(
        db,
        VisitDraft(a, DAY, VisitKind.VISIT, [who], "查阅会议记录", "", [ProblemDraft("记录不全")]),
        DAY,
    )
    (visit,) = [v for v in visits.list_visits(db, DAY) if v.id == visit_id]
    package = tmp_path / "王指导.pdfield"
    made = field_package.make_field_package(db, package, instructor="王指导")
    assert (made.units, made.visits, made.problems) == (2, 1, 1)
    field_package.open_field_package(package, tmp_path / "laptop" / "field.sqlite3")
    field = open_database(tmp_path / "laptop" / "field.sqlite3", daily_backup=False)
    yield Park(db, field, a, b, other, who, visit.uuid, visit.problems[0].uuid, tmp_path)
    field.dispose()


def _field_id(db: Database, table: str, uuid: str) -> int:
    with db.read_connection() as conn:
        return int(conn.execute(f"SELECT id FROM {table} WHERE uuid = ?", (uuid,)).fetchone()[0])


def _return(park: Park, name: str = "回传.pdreturn") -> Path:
    out = park.folder / name
    return_package.make_return_package(park.field, out)
    return out


def test_the_field_database_holds_the_units_and_says_what_it_is(park: Park) -> None:
    info = field_package.field_info(park.field)
    assert info is not None and (info.instructor, info.units) == ("王指导", 2)
    assert field_package.field_info(park.office) is None
    with park.field.read_connection() as conn:
        names = sorted(n for (n,) in conn.execute("SELECT name FROM organization"))
    assert names == ["乙公司", "甲公司"]  # 丙公司 stays home
    with pytest.raises(Exception, match="外业数据库中台账只读"):
        organizations.create_organization(park.field, OrganizationDraft(name="丁公司"))


def test_new_records_and_a_change_made_in_the_field_arrive_once(park: Park) -> None:
    with park.field.read_connection() as conn:
        a_in_field, who = conn.execute(
            "SELECT o.id, i.id FROM organization o, instructor i WHERE o.name = '甲公司'"
        ).fetchone()
    visits.add_visit(
        park.field,
        VisitDraft(
            a_in_field,
            date(2026, 11, 25),
            VisitKind.THREE_VISITS,
            [who],
            "三访三问三讲",
            "",
            [ProblemDraft("阵地标识不统一", deadline=date(2026, 12, 31))],
        ),
        date(2026, 11, 25),
    )
    problem = _field_id(park.field, "problem", park.problem_uuid)
    visits.set_status(park.field, problem, ProblemStatus.IN_PROGRESS)
    # meanwhile the clerk records a visit of their own: it stays as it is
    visits.add_visit(
        park.office, VisitDraft(park.other, DAY, VisitKind.VISIT, [park.who], "座谈"), DAY
    )
    path = _return(park)
    preview = package_merge.preview_merge(park.office, path)
    assert preview.as_report() == {
        "created": 3,  # the visit, its problem, and the status change's step in the history
        "updated": 1,
        "unchanged": 0,
        "deleted": 0,
        "published": [],
        "unit_deleted": 0,
        "conflicts": [],
    }
    package_merge.apply_merge(park.office, preview)
    rows = {v.content: v for v in visits.list_visits(park.office, DAY)}
    assert set(rows) == {"查阅会议记录", "三访三问三讲", "座谈"}
    assert rows["三访三问三讲"].instructors == ("王指导",)
    problems = {p.text: p for p in visits.list_problems(park.office, DAY)}
    assert problems["记录不全"].status is ProblemStatus.IN_PROGRESS
    assert [u.name for u in problems["阵地标识不统一"].units] == ["甲公司"]
    with pytest.raises(PackageError, match="已导入过"):
        package_merge.preview_merge(park.office, path)
    # one change: undone as a whole
    audit.undo_last(park.office)
    assert {v.content for v in visits.list_visits(park.office, DAY)} == {"查阅会议记录", "座谈"}
    problems = {p.text: p for p in visits.list_problems(park.office, DAY)}
    assert set(problems) == {"记录不全"} and problems["记录不全"].status is ProblemStatus.OPEN


def test_a_record_changed_on_both_sides_is_a_conflict_the_clerk_settles(park: Park) -> None:
    field_problem = _field_id(park.field, "problem", park.problem_uuid)
    visits.set_status(park.field, field_problem, ProblemStatus.DONE)
    office_problem = _field_id(park.office, "problem", park.problem_uuid)
    visits.set_status(park.office, office_problem, ProblemStatus.VERIFIED, "现场核验", DAY)
    preview = package_merge.preview_merge(park.office, _return(park))
    report = preview.as_report()
    statuses = {c["field"]: (c["ours"], c["theirs"]) for c in report["conflicts"]}
    # the verifier's note was written here only: not a conflict, it stays; it is shown
    # beside the status (the field typed none), both sides' notes kept whatever is chosen
    assert statuses == {"status": ("verified", "done"), "status_note": ("现场核验", "")}
    with pytest.raises(package_merge.MergeRefused):
        package_merge.apply_merge(park.office, preview)
    package_merge.apply_merge(park.office, preview, {park.problem_uuid: package_merge.OURS})
    (problem,) = visits.list_problems(park.office, DAY)
    assert problem.status is ProblemStatus.VERIFIED
    with park.office.read_connection() as conn:
        (kept,) = conn.execute(
            "SELECT after FROM audit_entry WHERE action = 'rejected' AND entity_uuid = ?",
            (park.problem_uuid,),
        ).fetchone()
    assert json.loads(kept)["status"] == "done"  # the field's version, not lost


def test_deleted_here_and_changed_there_conflict_both_ways(park: Park) -> None:
    field_problem = _field_id(park.field, "problem", park.problem_uuid)
    visits.set_status(park.field, field_problem, ProblemStatus.IN_PROGRESS)
    visits.delete_problem(park.office, _field_id(park.office, "problem", park.problem_uuid))
    preview = package_merge.preview_merge(park.office, _return(park))
    (conflict,) = preview.as_report()["conflicts"]
    assert (conflict["ours"], conflict["theirs"]) == ("（已删除）", "（已修改）")
    package_merge.apply_merge(park.office, preview, everywhere=package_merge.THEIRS)
    (problem,) = visits.list_problems(park.office, DAY)  # brought back as the field has it
    assert problem.status is ProblemStatus.IN_PROGRESS


def test_deleted_in_the_field_and_untouched_here_goes(park: Park) -> None:
    visits.delete_visit(park.field, _field_id(park.field, "visit", park.visit_uuid))
    preview = package_merge.preview_merge(park.office, _return(park))
    assert preview.as_report()["deleted"] == 1
    package_merge.apply_merge(park.office, preview)
    assert [v.uuid for v in visits.list_visits(park.office, DAY)] == []
    assert [p.text for p in visits.list_problems(park.office, DAY)] == ["记录不全"]  # kept


def test_packages_that_cannot_be_taken_are_refused_with_a_reason(
    park: Park, tmp_path: Path
) -> None:
    path = _return(park)
    not_one = tmp_path / "x.pdreturn"
    not_one.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(PackageError, match="不是ParkDesk回传包"):
        package_merge.preview_merge(park.office, not_one)
    truncated = tmp_path / "截断.pdreturn"
    truncated.write_bytes(path.read_bytes()[: path.stat().st_size // 2])  # a copy cut short
    with pytest.raises(PackageError, match="不完整"):
        package_merge.preview_merge(park.office, truncated)
    with pytest.raises(PackageError, match="是外业包，不是回传包"):
        package_merge.preview_merge(park.office, tmp_path / "王指导.pdfield")
    tampered = tmp_path / "改过.pdreturn"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tampered, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            out.writestr(item, data + b" " if item.filename == "changes.json" else data)
    with pytest.raises(PackageError, match="sha256"):
        package_merge.preview_merge(park.office, tampered)
    elsewhere = open_database(tmp_path / "另一园区.sqlite3", daily_backup=False)
    with pytest.raises(PackageError, match="另一个园区"):
        package_merge.preview_merge(elsewhere, path)
    elsewhere.dispose()
    newer = tmp_path / "新版本.pdreturn"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(newer, "w") as out:
        manifest = json.loads(src.read("manifest.json"))
        manifest["schema"] = "9999"
        out.writestr("manifest.json", json.dumps(manifest))
        for item in src.infolist():
            if item.filename != "manifest.json":
                out.writestr(item, src.read(item))
    with pytest.raises(PackageError, match="较新版本"):
        package_merge.preview_merge(park.office, newer)


_KILLED_MERGE = """
import os, signal, sys
from pathlib import Path
from app.db.database import open_database
from app.services.field import field_records, package_merge
db = open_database(Path(sys.argv[1]), daily_backup=False)
preview = package_merge.preview_merge(db, Path(sys.argv[2]))
written = []
real = field_records.Writer.write
def write_then_die(self, record, version):
    written.append(real(self, record, version))
    if len(written) == 2:  # half-way: one record written, inside the transaction
        os.kill(os.getpid(), signal.SIGKILL)
    return written[-1]
field_records.Writer.write = write_then_die
package_merge.apply_merge(db, preview)
"""


def test_a_merge_killed_half_way_leaves_nothing_behind(park: Park) -> None:
    with park.field.read_connection() as conn:
        a_in_field, who = conn.execute(
            "SELECT o.id, i.id FROM organization o, instructor i WHERE o.name = '甲公司'"
        ).fetchone()
    for day in (21, 22, 23):
        visits.add_visit(
            park.field,
            VisitDraft(a_in_field, date(2026, 11, day), VisitKind.VISIT, [who], f"第{day}日"),
            date(2026, 11, 30),
        )
    path = _return(park)
    before = len(visits.list_visits(park.office, DAY))
    park.office.dispose()
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", _KILLED_MERGE, str(park.office.path), str(path)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == -9, done.stderr
    office = open_database(park.office.path, daily_backup=False)
    try:
        assert len(visits.list_visits(office, DAY)) == before
        preview = package_merge.preview_merge(office, path)  # not in the ledger: still to do
        package_merge.apply_merge(office, preview)
        assert len(visits.list_visits(office, DAY)) == before + 3
    finally:
        office.dispose()


def test_the_command_line_keeps_its_json_keys(park: Park, tmp_path: Path) -> None:
    from tests.conftest import run_main

    path = _return(park)
    office = str(park.office.path)
    done = run_main("--db", office, "field", "merge", str(path), "--dry-run", "--json")
    assert done.returncode == 0, done.stderr
    assert set(json.loads(done.stdout)) >= {"created", "updated", "unchanged", "conflicts"}
    package = tmp_path / "cli.pdfield"
    done = run_main("--db", office, "field", "export", str(package), "--org", "")
    assert done.returncode != 0 and "统一社会信用代码" in done.stderr
    done = run_main("--db", office, "field", "export", str(package), "--instructor", "王指导")
    assert done.returncode == 0, done.stderr
    laptop = tmp_path / "cli-laptop.sqlite3"
    assert run_main("--db", str(laptop), "field", "open", str(package)).returncode == 0
    back = tmp_path / "cli.pdreturn"
    assert run_main("--db", str(laptop), "field", "return", str(back)).returncode == 0
    with sqlite3.connect(laptop) as conn:
        assert conn.execute("SELECT count(*) FROM organization").fetchone()[0] == 2


def test_photos_travel_with_their_visits_both_ways(park: Park, tmp_path: Path) -> None:
    photo = tmp_path / "活动室.jpg"
    photo.write_bytes(b"\xff\xd8\xff photo of the room")
    with park.field.read_connection() as conn:
        a_in_field, who = conn.execute(
            "SELECT o.id, i.id FROM organization o, instructor i WHERE o.name = '甲公司'"
        ).fetchone()
    draft = VisitDraft(a_in_field, DAY, VisitKind.VISIT, [who], "拍照", attachments=[photo])
    field_visit = visits.add_visit(park.field, draft, DAY)
    ((name, kept),) = visits.attachments_of(park.field, field_visit)
    assert name == "活动室.jpg" and kept.read_bytes() == photo.read_bytes()
    preview = package_merge.preview_merge(park.office, _return(park))
    package_merge.apply_merge(park.office, preview)
    (arrived,) = [v for v in visits.list_visits(park.office, DAY) if v.content == "拍照"]
    ((name, path),) = visits.attachments_of(park.office, arrived.id)
    assert name == "活动室.jpg" and path.read_bytes() == photo.read_bytes()
    assert path.parent == park.office.path.parent / "attachments"


def test_the_field_database_names_the_park_it_works_for(db: Database, tmp_path: Path) -> None:
    """The park is a row of its own since migration 0021: it travels in the package, or
    the laptop's window would ask for a park name as on a first start."""
    from app.services.registry import park as park_info

    park_info.set_park(db, "江口园区", "江口园区两新工委")
    unit = organizations.create_organization(db, OrganizationDraft(name="甲公司"))
    who = instructors.create_instructor(db, InstructorDraft(name="王指导"))
    instructors.assign(db, who, unit)
    package = tmp_path / "王指导.pdfield"
    field_package.make_field_package(db, package, instructor="王指导")
    field_package.open_field_package(package, tmp_path / "laptop" / "field.sqlite3")
    field = open_database(tmp_path / "laptop" / "field.sqlite3", daily_backup=False)
    try:
        got = park_info.get_park(field)
        assert (got.park_name, got.committee_name) == ("江口园区", "江口园区两新工委")
        assert got.configured
    finally:
        field.dispose()


def test_on_the_laptop_changes_are_the_instructors_not_the_logins(park: Park) -> None:
    """Issue 25: 提出人 said root (the login on the laptop); it is the instructor the
    package was made for, in the field database's log and on what it writes."""
    from app.services.field import corrections
    from app.services.files import audit

    field_unit = _field_id(park.field, "organization", _uuid_of(park.office, park.a))
    corrections.suggest(park.field, field_unit, "联系电话", "0772-7654321")
    (row,) = corrections.list_corrections(park.field)
    assert row.by == "王指导"
    (latest, *_rest) = audit.history(park.field, "correction", row.id)
    assert latest.actor == "王指导"
    # the clerk's own database keeps the login
    organizations.create_organization(park.office, OrganizationDraft(name="戊公司"))
    with park.office.read_connection() as conn:
        (actor,) = conn.execute("SELECT actor FROM audit_entry ORDER BY id DESC LIMIT 1").fetchone()
    assert actor != "王指导"


def _uuid_of(db: Database, org_id: int) -> str:
    with db.read_connection() as conn:
        return str(
            conn.execute("SELECT uuid FROM organization WHERE id = ?", (org_id,)).fetchone()[0]
        )
