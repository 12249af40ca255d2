"""Hostile cases of issue 22 on copies that merge both ways: what a merge wrote took the
other copy's values, so it is never that copy's own change the next time (no false
conflict, and never the older value brought back by taking the other side); a
one-sided edit after merging both ways arrives as a plain update, in either direction,
round after round. A record that travels keeps its uuid (a visit's instructors, a
problem's units), and the same unit's scores in a period entered on both copies are
one record to agree on or one conflict, never two, and stay quiet once agreed."""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from app.db.database import Database, open_database
from app.db.sqlite_file import copy_whole
from app.domain.validation import OrganizationDraft
from app.domain.visits import ProblemDraft, VisitDraft
from app.domain.vocabulary import ProblemStatus, VisitKind
from app.exchange.packages import PackageError
from app.services.assessment import assessments
from app.services.field import database_merge, field_package, package_merge, return_package, visits
from app.services.files import audit
from app.services.registry import instructors, organizations
from app.services.registry.instructors import InstructorDraft
from tests.conftest import run_main

DAY = date(2026, 11, 20)
SIX = {"组织设置": 15, "党员队伍": 15, "组织生活": 20, "工作保障": 15, "作用发挥": 20}


class Copies:
    """The office database and a laptop copy of it, with two units and a period."""

    def __init__(self, office: Database, folder: Path) -> None:
        self.office = office
        self.a = organizations.create_organization(office, OrganizationDraft(name="甲公司"))
        self.b = organizations.create_organization(office, OrganizationDraft(name="乙公司"))
        assessments.ensure_period(office, "2026H2")
        path = folder / "笔记本" / "laptop.sqlite3"
        path.parent.mkdir()
        # closed, not only committed: a connection left open keeps the office's -wal
        with closing(sqlite3.connect(office.path)) as src, closing(sqlite3.connect(path)) as dst:
            src.backup(dst)
        self.laptop = open_database(path, daily_backup=False)
        self.dbs = {"office": office, "laptop": self.laptop}

    def phone(self, side: str, unit: int, phone: str) -> None:
        db = self.dbs[side]
        draft = organizations.get_draft(db, unit)
        organizations.update_organization(db, unit, replace(draft, phone=phone))

    def phone_of(self, side: str, unit: int) -> str:
        return organizations.get_draft(self.dbs[side], unit).phone

    def merge(self, into: str, take: str | None = None) -> dict:
        """The other copy merged into ``into``; its preview's report."""
        mine = self.dbs[into]
        other = self.dbs["laptop" if into == "office" else "office"]
        merge = database_merge.preview_database_merge(mine, other.path)
        database_merge.apply_database_merge(mine, merge, everywhere=take)
        return merge.preview.as_report()


@pytest.fixture
def copies(db: Database, tmp_path: Path):  # type: ignore[no-untyped-def]
    made = Copies(db, tmp_path)
    yield made
    made.laptop.dispose()


def _both_ways(c: Copies) -> None:
    c.phone("office", c.a, "0771-1000001")
    c.phone("laptop", c.b, "0771-2000001")
    c.merge("office")
    c.merge("laptop")
    assert [c.phone_of(s, u) for s in c.dbs for u in (c.a, c.b)] == [
        "0771-1000001",
        "0771-2000001",
    ] * 2


def test_an_edit_after_merging_both_ways_is_a_plain_update_not_a_conflict(
    copies: Copies,
) -> None:
    _both_ways(copies)
    copies.phone("office", copies.a, "0771-1000002")
    report = copies.merge("office", take="theirs")  # the laptop merged into the office
    assert report["conflicts"] == []
    # taking the laptop's side never brings back the value the laptop took from here
    assert copies.phone_of("office", copies.a) == "0771-1000002"
    report = copies.merge("laptop")
    assert (report["updated"], report["conflicts"]) == (1, [])
    assert copies.phone_of("laptop", copies.a) == "0771-1000002"


def test_one_sided_edits_arrive_as_updates_round_after_round(copies: Copies) -> None:
    _both_ways(copies)
    for n in range(3):
        for side, other in (("office", "laptop"), ("laptop", "office")):
            phone = f"0771-3{n}{side[0]}0000"
            copies.phone(side, copies.a, phone)
            # the edited copy merges the other first: nothing to bring, nothing to lose
            quiet = copies.merge(side)
            assert (quiet["updated"], quiet["conflicts"]) == (0, [])
            report = copies.merge(other)
            assert (report["updated"], report["conflicts"]) == (1, []), (n, side)
            assert copies.phone_of(other, copies.a) == phone
            assert copies.phone_of(side, copies.a) == phone


def _merged_undone_merged_again(c: Copies, into: str, take: str) -> None:
    c.merge(into, take=take)
    audit.undo_last(c.dbs[into])
    c.merge(into, take=take)


@pytest.mark.parametrize("undo", [False, True])
def test_an_edit_the_laptop_took_is_no_conflict_when_the_laptop_edits_it_again(
    copies: Copies, undo: bool
) -> None:
    """The office edits, merges the laptop (nothing new there), the laptop takes the
    office's edit (each merge undone and made again, or not): the laptop's next edit of
    that field arrives at the office as a plain update, not a conflict with the office's
    old value — the laptop's ledger says it has read it."""
    copies.phone("office", copies.a, "0771-5000001")
    for into, take in (("office", "ours"), ("laptop", "theirs")):
        if undo:
            _merged_undone_merged_again(copies, into, take)
        else:
            copies.merge(into, take=take)
    assert copies.phone_of("laptop", copies.a) == "0771-5000001"
    copies.phone("laptop", copies.a, "0772-5000002")
    report = copies.merge("office")
    assert (report["updated"], report["conflicts"]) == (1, [])
    assert copies.phone_of("office", copies.a) == "0772-5000002"
    assert copies.merge("laptop")["updated"] == 0


def test_an_edit_the_other_copy_never_read_is_still_a_conflict(copies: Copies) -> None:
    """The office merged the laptop after its edit, but the laptop never took it: the
    laptop's own edit of that field is a conflict, never the office's value overwritten."""
    copies.phone("office", copies.a, "0771-6000001")
    copies.merge("office")
    copies.phone("laptop", copies.a, "0772-6000002")
    merge = database_merge.preview_database_merge(copies.office, copies.laptop.path)
    assert [c["field"] for c in merge.preview.as_report()["conflicts"]] == ["phone"]


def test_a_copy_of_the_office_does_not_borrow_what_the_laptop_read_of_the_office(
    copies: Copies, tmp_path: Path
) -> None:
    """A third copy made from the office before the laptop read it shares the office's
    line, not its later entries: its own edit, never read by the laptop, stays a conflict."""
    copies.phone("office", copies.b, "0771-7000001")
    path = tmp_path / "第三台" / "third.sqlite3"
    path.parent.mkdir()
    with closing(sqlite3.connect(copies.office.path)) as src, closing(sqlite3.connect(path)) as dst:
        src.backup(dst)
    third = open_database(path, daily_backup=False)
    try:
        copies.phone("office", copies.b, "0771-7000002")  # entries the third copy lacks
        copies.merge("laptop")  # the laptop reads the office up to here
        draft = organizations.get_draft(third, copies.a)
        organizations.update_organization(third, copies.a, replace(draft, phone="0773-7000003"))
        copies.phone("laptop", copies.a, "0772-7000004")
        merge = database_merge.preview_database_merge(third, copies.laptop.path)
        fields = {c["field"] for c in merge.preview.as_report()["conflicts"]}
        assert "phone" in fields
    finally:
        third.dispose()


def test_a_conflict_settled_then_kept_on_the_other_copy_converges(copies: Copies) -> None:
    """The office keeps its value, then the laptop keeps its own: the last choice is the
    laptop's, and the next merge into the office brings it as an update."""
    copies.phone("office", copies.a, "0771-4000001")
    copies.phone("laptop", copies.a, "0771-4000002")
    assert len(copies.merge("office", take="ours")["conflicts"]) == 1
    assert len(copies.merge("laptop", take="ours")["conflicts"]) == 1
    report = copies.merge("office")
    assert (report["updated"], report["conflicts"]) == (1, [])
    assert copies.phone_of("office", copies.a) == "0771-4000002"
    assert copies.merge("laptop")["updated"] == 0


def test_the_command_line_merges_an_edit_after_both_ways_without_a_conflict(
    copies: Copies,
) -> None:
    _both_ways(copies)
    copies.phone("office", copies.a, "0771-5000001")
    office, laptop = str(copies.office.path), str(copies.laptop.path)
    copies.office.dispose()
    copies.laptop.dispose()
    done = run_main("--db", office, "merge", laptop, "--all", "theirs", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["conflicts"] == []
    done = run_main("--db", laptop, "merge", office, "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["updated"], report["conflicts"]) == (1, [])
    for path in (office, laptop):
        with closing(sqlite3.connect(path)) as conn:
            found = conn.execute("SELECT phone FROM organization WHERE name = '甲公司'")
            assert found.fetchone() == ("0771-5000001",), path


# -- a visit's instructors and a problem's units keep their uuids ---------------------


class Field:
    """The office, one unit looked after by 王指导 with a visit and a problem, and the
    field database of his package."""

    def __init__(self, office: Database, folder: Path) -> None:
        self.office, self.folder = office, folder
        self.unit = organizations.create_organization(office, OrganizationDraft(name="甲公司"))
        self.who = instructors.create_instructor(office, InstructorDraft(name="王指导"))
        instructors.assign(office, self.who, self.unit)
        draft = VisitDraft(
            self.unit, DAY, VisitKind.VISIT, [self.who], "查阅", "", [ProblemDraft("记录不全")]
        )
        visits.add_visit(office, draft, DAY)
        package = folder / "王指导.pdfield"
        field_package.make_field_package(office, package, instructor="王指导")
        field_package.open_field_package(package, folder / "laptop" / "field.sqlite3")
        self.field = open_database(folder / "laptop" / "field.sqlite3", daily_backup=False)

    def returned(self, name: str = "回传.pdreturn", take: str | None = None) -> dict:
        path = self.folder / name
        return_package.make_return_package(self.field, path)
        return self.merged(path, take)

    def merged(self, path: Path, take: str | None = None) -> dict:
        preview = package_merge.preview_merge(self.office, path)
        package_merge.apply_merge(self.office, preview, everywhere=take)
        return preview.as_report()


@pytest.fixture
def field(db: Database, tmp_path: Path):  # type: ignore[no-untyped-def]
    made = Field(db, tmp_path)
    yield made
    made.field.dispose()


def _links(db: Database) -> dict[str, set[tuple[str, ...]]]:
    """Every link row by its uuid and the uuids of what it links."""
    with db.read_connection() as conn:
        return {
            "visit_instructor": set(
                conn.execute(
                    "SELECT l.uuid, v.uuid, i.uuid FROM visit_instructor l"
                    " JOIN visit v ON v.id = l.visit_id JOIN instructor i ON i.id = l.instructor_id"
                )
            ),
            "problem_unit": set(
                conn.execute(
                    "SELECT l.uuid, p.uuid, o.uuid FROM problem_unit l"
                    " JOIN problem p ON p.id = l.problem_id"
                    " JOIN organization o ON o.id = l.organization_id"
                )
            ),
        }


def test_a_visit_from_the_field_keeps_the_uuids_of_its_instructors_and_units(
    field: Field,
) -> None:
    with field.field.read_connection() as conn:
        unit, who = conn.execute("SELECT o.id, i.id FROM organization o, instructor i").fetchone()
    later = date(2026, 11, 25)
    draft = VisitDraft(unit, later, VisitKind.FORUM, [who], "座谈", "", [ProblemDraft("台账缺")])
    visits.add_visit(field.field, draft, later)
    field.returned()
    assert _links(field.office) == _links(field.field)
    # undone and merged again: the same uuids, not new ones
    audit.undo_last(field.office)
    field.merged(field.folder / "回传.pdreturn")
    assert _links(field.office) == _links(field.field)


# -- one unit's scores in a period entered on both copies -----------------------------


def _scores(db: Database) -> list[tuple[str, str]]:
    with db.read_connection() as conn:
        return list(conn.execute("SELECT uuid, scores FROM assessment_score ORDER BY uuid"))


def _quiet(report: dict) -> tuple[int, int, int, list]:
    return report["created"], report["updated"], report["deleted"], report["conflicts"]


def _score_both(c: Copies, office: dict, laptop: dict) -> tuple[str, str]:
    """The same unit scored in the period on each copy."""
    for side, points in (("office", office), ("laptop", laptop)):
        assessments.set_scores(c.dbs[side], "2026H2", c.a, assessments.ScoreEntry(points))
    (mine,), (theirs,) = _scores(c.office), _scores(c.laptop)
    return mine[0], theirs[0]


def test_the_same_scores_entered_on_both_copies_are_agreed_and_stay_quiet(
    copies: Copies,
) -> None:
    mine, theirs = _score_both(copies, SIX, SIX)
    assert mine != theirs  # each copy's own record
    for into in ("office", "laptop", "office", "laptop"):
        assert _quiet(copies.merge(into)) == (0, 0, 0, []), into
    # one score for the unit on each copy, each keeping its own uuid
    assert [u for u, _s in _scores(copies.office)] == [mine]
    assert [u for u, _s in _scores(copies.laptop)] == [theirs]


def test_different_scores_on_both_copies_are_one_conflict_then_agreed(copies: Copies) -> None:
    mine, theirs = _score_both(copies, SIX, {**SIX, "组织设置": 10})
    report = copies.merge("office", take="theirs")
    assert [(c["table"], c["field"]) for c in report["conflicts"]] == [
        ("assessment_score", "scores")
    ]
    (kept,) = _scores(copies.office)  # one row, its uuid kept, the laptop's values in it
    assert kept[0] == mine and json.loads(kept[1])["组织设置"] == "10.0"
    # the office took the laptop's values: nothing more to say either way, round after round
    for into in ("laptop", "office", "laptop"):
        assert _quiet(copies.merge(into)) == (0, 0, 0, []), into
    assert [u for u, _s in _scores(copies.laptop)] == [theirs]


# -- a second return package from the same field database -----------------------------


def _problem_in(db: Database) -> int:
    with db.read_connection() as conn:
        return conn.execute("SELECT id FROM problem WHERE text = '记录不全'").fetchone()[0]


def _status(db: Database) -> str:
    with db.read_connection() as conn:
        return conn.execute("SELECT status FROM problem WHERE text = '记录不全'").fetchone()[0]


def test_a_second_return_package_after_the_first_merged_is_a_plain_update(
    field: Field,
) -> None:
    problem = _problem_in(field.field)
    visits.set_status(field.field, problem, ProblemStatus.IN_PROGRESS)
    assert field.returned("回传1.pdreturn")["conflicts"] == []
    visits.set_status(field.field, problem, ProblemStatus.DONE)
    report = field.returned("回传2.pdreturn", take="ours")
    assert report["conflicts"] == []  # the office's 整改中 came from the field itself
    assert _status(field.office) == ProblemStatus.DONE.value


def test_an_office_edit_after_a_return_is_not_undone_by_the_next_package(field: Field) -> None:
    with field.field.read_connection() as conn:
        unit, who = conn.execute("SELECT o.id, i.id FROM organization o, instructor i").fetchone()
    visits.set_status(field.field, _problem_in(field.field), ProblemStatus.IN_PROGRESS)
    later = date(2026, 11, 25)
    draft = VisitDraft(unit, later, VisitKind.FORUM, [who], "座谈", "", [ProblemDraft("台账缺")])
    visits.add_visit(field.field, draft, later)
    field.returned("回传1.pdreturn")
    # the office moves the problem on; the field adds a visit and leaves the problem be
    visits.set_status(field.office, _problem_in(field.office), ProblemStatus.DONE)
    visits.add_visit(field.field, replace(draft, content="回访", problems=[]), later)
    report = field.returned("回传2.pdreturn", take="theirs")
    assert (report["created"], report["conflicts"]) == (1, [])  # the new visit only
    assert _status(field.office) == ProblemStatus.DONE.value  # never the field's older 整改中


def test_an_older_return_package_after_a_newer_one_is_refused(field: Field) -> None:
    problem = _problem_in(field.field)
    visits.set_status(field.field, problem, ProblemStatus.IN_PROGRESS)
    older = field.folder / "回传1.pdreturn"
    return_package.make_return_package(field.field, older)
    visits.set_status(field.field, problem, ProblemStatus.DONE)
    field.returned("回传2.pdreturn")
    with pytest.raises(PackageError, match="较新"):
        package_merge.preview_merge(field.office, older)
    assert _status(field.office) == ProblemStatus.DONE.value


def test_a_deletion_the_office_declined_is_not_asked_again_by_the_next_package(
    field: Field,
) -> None:
    visits.set_status(field.office, _problem_in(field.office), ProblemStatus.IN_PROGRESS)
    visits.delete_problem(field.field, _problem_in(field.field))
    first = field.returned("回传1.pdreturn", take="ours")  # the office keeps its problem
    assert [(c["table"], c["field"]) for c in first["conflicts"]] == [("problem", "*")]
    again = field.returned("回传2.pdreturn")
    assert (again["deleted"], again["conflicts"]) == (0, [])
    assert _status(field.office) == ProblemStatus.IN_PROGRESS.value


def test_the_command_line_merges_a_second_return_package_without_a_conflict(
    field: Field,
) -> None:
    problem = _problem_in(field.field)
    office, laptop = str(field.office.path), str(field.field.path)
    for n, status in enumerate((ProblemStatus.IN_PROGRESS, ProblemStatus.DONE), 1):
        visits.set_status(field.field, problem, status)
        path = str(field.folder / f"回传{n}.pdreturn")
        field.field.dispose()
        field.office.dispose()
        done = run_main("--db", laptop, "field", "return", path)
        assert done.returncode == 0, done.stderr
        done = run_main("--db", office, "field", "merge", path, "--json", "--all", "ours")
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout)
        assert (report["updated"], report["conflicts"]) == (1, []), n
    assert _status(field.office) == ProblemStatus.DONE.value


def _files(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in sorted(folder.iterdir())}


def test_a_copy_held_open_with_commits_in_its_wal_merges_them_and_keeps_its_files(
    copies: Copies,
) -> None:
    """Another program holds the laptop copy open, its last commits still in the -wal:
    the merge brings them, and its -wal and -shm are left as they are, so its next
    commit is seen by everyone."""
    path = copies.laptop.path
    held = sqlite3.connect(path, isolation_level=None)
    try:
        held.execute("PRAGMA wal_autocheckpoint=0")  # its commits stay in the -wal
        held.execute("SELECT count(*) FROM organization").fetchall()
        copies.phone("laptop", copies.a, "0772-8000001")
        copies.laptop.dispose()  # ParkDesk closed; the other program has it still
        files = _files(path.parent)
        assert files["laptop.sqlite3-wal"] > 0
        report = copies.merge("office")
        assert report["updated"] == 1
        assert copies.phone_of("office", copies.a) == "0772-8000001"
        assert _files(path.parent) == files
        held.execute("UPDATE organization SET address = '合并时写入' WHERE id = ?", (copies.b,))
    finally:
        held.close()
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        row = conn.execute("SELECT address FROM organization WHERE id = ?", (copies.b,))
        assert row.fetchone() == ("合并时写入",)


def test_a_program_opening_the_copy_while_it_is_merged_loses_no_commit(
    copies: Copies, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program opens the laptop copy just as the merge reads it: the -wal and
    -shm it then uses are never deleted under it, so its commit after the merge is seen
    by a program opening the copy next, and that one's commit is kept too."""
    copies.phone("laptop", copies.a, "0772-9000001")
    path = copies.laptop.path
    copies.laptop.dispose()  # closed: no -wal, no -shm beside it
    assert set(_files(path.parent)) == {"laptop.sqlite3"}
    connect = sqlite3.connect
    held = connect(path, isolation_level=None)
    started: list[bool] = []

    def opening(target: object, *args: object, **kwargs: object) -> sqlite3.Connection:
        conn = connect(target, *args, **kwargs)  # type: ignore[arg-type]
        if not started:  # the merge's first look at a database: the other program starts
            held.execute("SELECT count(*) FROM organization").fetchall()
            started.append(True)
        return conn

    monkeypatch.setattr(sqlite3, "connect", opening)
    try:
        assert copies.merge("office")["updated"] == 1
        monkeypatch.undo()
        assert started
        held.execute("UPDATE organization SET address = '合并后写入' WHERE id = ?", (copies.b,))
        with closing(sqlite3.connect(path)) as other:
            row = other.execute("SELECT address FROM organization WHERE id = ?", (copies.b,))
            assert row.fetchone() == ("合并后写入",), "a commit went into a deleted -wal"
            other.execute("UPDATE organization SET address = '再写入' WHERE id = ?", (copies.a,))
            other.commit()
    finally:
        held.close()
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = conn.execute("SELECT id, address FROM organization ORDER BY id").fetchall()
        assert rows == [(copies.a, "再写入"), (copies.b, "合并后写入")]
    assert copies.phone_of("office", copies.a) == "0772-9000001"


def test_a_copy_written_while_it_is_copied_is_read_again_whole(
    copies: Copies, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program commits to the laptop copy (and checkpoints it into the file)
    while its bytes are being copied: the copy is made again through SQLite's locks,
    holding that commit, and the program's files are left to it."""
    path = copies.laptop.path
    copies.laptop.dispose()
    copy_file = shutil.copyfile
    held = sqlite3.connect(path, isolation_level=None)
    wrote: list[bool] = []

    def copying(src: Path, dst: Path) -> Path:
        done = copy_file(src, dst)
        if not wrote:
            held.execute("UPDATE organization SET address = '复制时写入' WHERE id = ?", (copies.a,))
            held.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # into the file already copied
            wrote.append(True)
        return done

    monkeypatch.setattr(shutil, "copyfile", copying)
    try:
        with closing(copy_whole(path, tmp_path / "copy.sqlite3")) as copy:
            row = copy.execute("SELECT address FROM organization WHERE id = ?", (copies.a,))
            assert row.fetchone() == ("复制时写入",)
            assert copy.execute("PRAGMA quick_check").fetchone() == ("ok",)
        assert wrote
        held.execute("UPDATE organization SET address = '之后写入' WHERE id = ?", (copies.b,))
    finally:
        held.close()
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute("SELECT address FROM organization ORDER BY id").fetchall()
        assert rows == [("复制时写入",), ("之后写入",)]
