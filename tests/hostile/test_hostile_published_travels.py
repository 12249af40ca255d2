"""Issue 22: a period published on one copy only stays so. The office publishes 2026H2;
the clerk's second laptop, a copy of the office database, rescored a unit meanwhile.
Merging the office into the laptop brings the publication whole — the period, its frozen
scores and its 以奖代补 — so both copies show the same official results; undoing that
merge leaves the laptop as it was. Published on both with different results: one
conflict, nothing of the period written; published alike: nothing to do. Each merge and
each result is read through the command line, on real SQLite files."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from app.db.database import Database, open_database
from app.domain.validation import OrganizationDraft
from app.services.assessment import assessment_settings, assessments
from app.services.files import audit, redo
from app.services.registry import organizations
from tests.conftest import run_main
from tests.hostile.conftest import SCORED_NAMES, five_scored_units, score_entry

NAMES = SCORED_NAMES
PERIOD = "2026H2"


_entry = score_entry


def _copy(db: Database, to: Path) -> Path:
    to.parent.mkdir(parents=True, exist_ok=True)
    # closed, not left to the collector: a connection left open holds the -shm another
    # process may take away
    with closing(sqlite3.connect(db.path)) as src, closing(sqlite3.connect(to)) as dst:
        src.backup(dst)
    return to


def _rank(path: Path) -> dict:
    done = run_main("--db", str(path), "assess", "rank", "--period", PERIOD, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _published(path: Path) -> bool:
    with closing(sqlite3.connect(path)) as conn:
        row = conn.execute(
            "SELECT published FROM assessment_period WHERE code = ?", (PERIOD,)
        ).fetchone()
    return bool(row and row[0])


def _merge(into: Path, other: Path, *more: str) -> tuple[str, str]:
    done = run_main("--db", str(into), "merge", str(other), *more)
    assert done.returncode == 0, done.stderr
    return done.stdout, done.stderr


def _first(ranking: dict) -> tuple[str, bool, str]:
    top = ranking["classes"]["A"][0]
    return top["name"], top["excellent"], top["subsidy"]


@pytest.fixture
def office(db: Database) -> Database:
    """Five A units scored in 2026H2 (甲 best … 戊 last), 4,000 元 per 优秀 unit."""
    five_scored_units(db, PERIOD)
    return db


def _laptop_rescores(office: Database, tmp_path: Path) -> Path:
    """The clerk's laptop copy: 戊 rescored to the top, 以奖代补 set to 1,000 元."""
    path = _copy(office, tmp_path / "笔记本" / "parkdesk.sqlite3")
    laptop = open_database(path, daily_backup=False)
    try:
        with laptop.read_connection() as conn:
            (wu,) = conn.execute("SELECT id FROM organization WHERE name = '戊公司'").fetchone()
        assessments.set_scores(laptop, PERIOD, wu, _entry(15, bonus=5))
        settings = assessment_settings.get_settings(laptop)
        assessment_settings.set_settings(laptop, replace(settings, subsidy={"A": Decimal(1000)}))
    finally:
        laptop.dispose()
    return path


def test_a_period_published_at_the_office_arrives_whole_on_the_laptop(office, tmp_path) -> None:  # type: ignore[no-untyped-def]
    laptop = _laptop_rescores(office, tmp_path)
    assessments.set_published(office, PERIOD, True)
    office.dispose()
    published = _rank(office.path)
    assert _first(published) == ("甲公司", True, "4000")
    assert _first(_rank(laptop)) == ("戊公司", True, "1000")  # open there, its own scores
    out, err = _merge(laptop, office.path, "--dry-run")
    assert "对方已发布2026年下半年考核结果，本机该期未发布的1处评分将被取代" in out
    shown = json.loads(_merge(laptop, office.path, "--dry-run", "--json")[0])
    assert shown["published_arrives"] == [{"period": PERIOD, "replaced": 1, "added": 0}]
    assert shown["conflicts"] == [] and shown["published_conflicts"] == []
    _out, err = _merge(laptop, office.path)
    assert "随合并发布" in err
    assert _published(laptop)
    assert _rank(laptop) == published  # rank, 优秀 and 4,000 元 as the office published
    _merge(office.path, laptop)  # and back: nothing differs
    assert _rank(office.path) == _rank(laptop) == published


def test_undoing_the_merge_leaves_the_laptop_open_with_its_own_scores(office, tmp_path) -> None:  # type: ignore[no-untyped-def]
    laptop = _laptop_rescores(office, tmp_path)
    assessments.set_published(office, PERIOD, True)
    office.dispose()
    before = _rank(laptop)
    _merge(laptop, office.path)
    assert _published(laptop)
    db = open_database(laptop, daily_backup=False)
    try:
        assert audit.undo_last(db) == f"合并数据库《{office.path.name}》"
    finally:
        db.dispose()
    assert not _published(laptop)
    assert _rank(laptop) == before  # 戊 first, 1,000 元: the laptop's own, open
    db = open_database(laptop, daily_backup=False)
    try:  # 重做 publishes it again, over the office's scores; 撤销 once more
        assert redo.redo_last(db) == f"合并数据库《{office.path.name}》"
        assert _published(laptop) and _rank(laptop) == _rank(office.path)
        audit.undo_last(db)
    finally:
        db.dispose()
    assert not _published(laptop) and _rank(laptop) == before
    _merge(laptop, office.path)  # merged again, the publication arrives again
    assert _rank(laptop) == _rank(office.path)


def test_published_on_both_differently_is_one_conflict_and_nothing_of_it_is_written(
    office, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    laptop = _laptop_rescores(office, tmp_path)
    db = open_database(laptop, daily_backup=False)
    try:
        assessments.set_published(db, PERIOD, True)
        with db.read_connection() as conn:
            (first,) = conn.execute("SELECT id FROM organization WHERE name = '甲公司'").fetchone()
        draft = organizations.get_draft(db, first)
        organizations.update_organization(db, first, replace(draft, phone="0771-1"))
    finally:
        db.dispose()
    assessments.set_published(office, PERIOD, True)
    office.dispose()
    ours, theirs = _rank(laptop), _rank(office.path)
    assert ours != theirs
    out, err = _merge(office.path, laptop)
    assert "冲突：两份都已发布2026年下半年考核结果，但结果不一致（已发布结果不一致）" in out
    assert "assess reopen --period 2026H2" in out
    assert "已发布结果不一致1期" in err
    assert _rank(office.path) == theirs  # nothing of the period written
    with closing(sqlite3.connect(office.path)) as conn:  # the rest merged
        assert conn.execute("SELECT phone FROM organization WHERE name = '甲公司'").fetchone() == (
            "0771-1",
        )
    shown = json.loads(_merge(office.path, laptop, "--dry-run", "--json")[0])
    assert shown["published_conflicts"] == [
        {"period": PERIOD, "units_deleted_here": [], "scheme": ""}
    ]
    # settled as the message says: reopened on the laptop, which then takes the office's
    done = run_main("--db", str(laptop), "assess", "reopen", "--period", PERIOD)
    assert done.returncode == 0, done.stderr
    _merge(laptop, office.path)
    assert _rank(laptop) == _rank(office.path) == theirs


def test_published_alike_on_both_is_nothing_to_do(db: Database, tmp_path: Path) -> None:
    """Each copy opened 2026H2 itself after they parted (two period rows, two uuids),
    entered the same scores and published: no conflict, nothing to write."""
    ids = {
        n: organizations.create_organization(db, OrganizationDraft(name=n, class_code="A"))
        for n in NAMES
    }
    laptop = _copy(db, tmp_path / "笔记本" / "parkdesk.sqlite3")
    other = open_database(laptop, daily_backup=False)
    try:
        for copy in (db, other):
            assessments.ensure_period(copy, PERIOD)
            for n, brand in zip(NAMES, (15, 14, 13, 12, 11), strict=True):
                assessments.set_scores(copy, PERIOD, ids[n], _entry(brand))
            assessments.set_published(copy, PERIOD, True)
    finally:
        other.dispose()
    db.dispose()
    published = _rank(db.path)
    shown = json.loads(_merge(laptop, db.path, "--dry-run", "--json")[0])
    assert (shown["conflicts"], shown["published"]) == ([], [])
    assert (shown["published_conflicts"], shown["published_arrives"]) == ([], [])
    _merge(laptop, db.path)
    _merge(db.path, laptop)
    assert _rank(laptop) == _rank(db.path) == published


def test_a_period_each_copy_opened_itself_arrives_over_the_laptops_own(
    db: Database, tmp_path: Path
) -> None:
    """The copies parted before 2026H2 was opened: each opened it (its own period row and
    scheme version) and scored; the office published. The laptop takes the office's."""
    ids = {
        n: organizations.create_organization(db, OrganizationDraft(name=n, class_code="A"))
        for n in NAMES
    }
    laptop = _copy(db, tmp_path / "笔记本" / "parkdesk.sqlite3")
    other = open_database(laptop, daily_backup=False)
    try:
        for copy, brands in ((db, (15, 14, 13, 12, 11)), (other, (11, 12, 13, 14, 15))):
            assessments.ensure_period(copy, PERIOD)
            for n, brand in zip(NAMES[:4], brands, strict=False):
                assessments.set_scores(copy, PERIOD, ids[n], _entry(brand))
        assessments.set_scores(other, PERIOD, ids["戊公司"], _entry(15))  # the laptop's only
        assessments.set_published(db, PERIOD, True)
    finally:
        other.dispose()
    db.dispose()
    before, published = _rank(laptop), _rank(db.path)
    shown = json.loads(_merge(laptop, db.path, "--dry-run", "--json")[0])
    assert shown["conflicts"] == []
    assert shown["published_arrives"] == [{"period": PERIOD, "replaced": 4, "added": 0}]
    _merge(laptop, db.path)
    assert _published(laptop) and _rank(laptop) == published
    copy = open_database(laptop, daily_backup=False)
    try:
        audit.undo_last(copy)
    finally:
        copy.dispose()
    assert not _published(laptop) and _rank(laptop) == before
    _merge(laptop, db.path)
    _merge(db.path, laptop)
    assert _rank(laptop) == _rank(db.path) == published


def test_a_field_package_made_on_the_laptop_after_the_merge_carries_the_publication(
    office, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """The publication the laptop took from the office is the one its field packages
    carry: the instructor's field database shows the office's ranks, not its own."""
    laptop = _laptop_rescores(office, tmp_path)
    assessments.set_published(office, PERIOD, True)
    office.dispose()
    published = _rank(office.path)
    _merge(laptop, office.path)
    package = tmp_path / "王指导.pdfield"
    done = run_main("--db", str(laptop), "field", "export", str(package), "--instructor", "王指导")
    assert done.returncode == 0, done.stderr
    field = tmp_path / "外业" / "field.sqlite3"
    done = run_main("--db", str(field), "field", "open", str(package))
    assert done.returncode == 0, done.stderr
    shown = _rank(field)
    assert shown["basis"] == "office"  # the office's results, carried
    assert shown["classes"] == published["classes"]


def test_a_unit_of_the_published_ranking_deleted_on_the_laptop_keeps_the_period_out(
    office, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """The laptop deleted 戊 while 2026H2 was open there; the office published with 戊
    ranked. The publication cannot come whole: one conflict naming 戊, nothing of the
    period written, the rest merged."""
    laptop = _copy(office, tmp_path / "笔记本" / "parkdesk.sqlite3")
    db = open_database(laptop, daily_backup=False)
    try:
        with db.read_connection() as conn:
            (unit,) = conn.execute("SELECT id FROM organization WHERE name = '戊公司'").fetchone()
        organizations.delete_organization(db, unit)
    finally:
        db.dispose()
    assessments.set_published(office, PERIOD, True)
    office.dispose()
    before = _rank(laptop)
    out, err = _merge(laptop, office.path)
    assert "冲突：对方已发布2026年下半年考核结果，其中戊公司本机已删除，该期未合并" in out
    assert "已发布结果不一致1期" in err
    assert not _published(laptop) and _rank(laptop) == before
