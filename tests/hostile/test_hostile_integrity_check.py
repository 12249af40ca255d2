"""The database check (`check --integrity`): what ParkDesk never writes is found, named by
table, row and column, and a damaged or foreign file is said so, never a traceback."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from app.services.files.integrity import NotADatabase, check_file
from tests.conftest import run_main


@pytest.fixture
def park(demo_db: object, db_path: Path) -> Path:
    demo_db.dispose()  # type: ignore[attr-defined]
    return db_path


def _tamper(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    with conn:
        for sql in statements:
            conn.execute(sql)
    conn.close()


def test_a_park_as_parkdesk_wrote_it_passes(park: Path) -> None:
    report = check_file(park)
    assert report.ok and report.faults == [] and report.counts == {}
    done = run_main("--db", str(park), "check", "--integrity", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ok"] is True
    assert "数据库检查通过" in done.stderr


@pytest.mark.damages_database
def test_each_kind_of_silent_corruption_is_found_where_it_is(park: Path) -> None:
    _tamper(
        park,
        "UPDATE problem SET status = 'hacked' WHERE id = (SELECT min(id) FROM problem)",
        "UPDATE visit SET visited_on = 'not-a-date' WHERE id = (SELECT min(id) FROM visit)",
        "UPDATE organization SET formal_members = 'many' WHERE id = 1",
        "UPDATE organization SET kind = 'company' WHERE id = 2",
        "INSERT INTO audit_entry (change_id, at, actor, action, summary, entity, entity_id,"
        " entity_uuid, before, after, undone) VALUES ('c', '2026-11-23 10:00:00', '', 'update',"
        " '', 'organization', 1, '', '{}', '{broken', 0)",
        "UPDATE organization SET uuid = 'not-a-uuid' WHERE id = 3",
        "PRAGMA foreign_keys = OFF",
        "UPDATE assignment SET organization_id = 999999 WHERE id = (SELECT min(id) FROM "
        "assignment)",
    )
    report = check_file(park)
    assert not report.ok
    where = {(f.table, f.column, f.problem) for f in report.faults}
    assert ("problem", "status", "不是已知的取值") in where
    assert ("visit", "visited_on", "不是日期") in where
    assert ("organization", "formal_members", "不是整数") in where
    assert ("organization", "kind", "不是已知的取值") in where
    assert ("audit_entry", "after", "不是可读的 JSON") in where
    assert ("organization", "uuid", "不是有效的 UUID") in where
    assert ("assignment", "", "引用的记录不存在") in where
    hacked = next(f for f in report.faults if f.column == "status")
    assert hacked.value == "hacked" and "problem 第" in hacked.text()

    done = run_main("--db", str(park), "check", "--integrity", "--json")
    assert done.returncode == 1
    out = json.loads(done.stdout)
    assert out["ok"] is False
    assert {"table", "row_id", "column", "value", "problem"} <= set(out["faults"][0])
    plain = run_main("--db", str(park), "check", "--integrity")
    assert plain.returncode == 1 and "problem 第" in plain.stdout and "hacked" in plain.stdout
    assert "数据库检查发现" in plain.stderr and "Traceback" not in plain.stderr


@pytest.mark.damages_database
def test_an_illegal_state_is_found(park: Path) -> None:
    _tamper(
        park,
        "UPDATE problem SET status = 'verified', verified_on = NULL "
        "WHERE id = (SELECT min(id) FROM problem)",
        "UPDATE problem SET status = 'verified', verified_on = '2000-01-01' "
        "WHERE id = (SELECT max(id) FROM problem)",
    )
    problems = {f.problem for f in check_file(park).faults}
    assert {"已核验的问题没有核验日期", "核验日期早于发现日期"} <= problems


@pytest.mark.damages_database
def test_a_damaged_file_is_reported_not_raised(park: Path, tmp_path: Path) -> None:
    whole = park.read_bytes()
    cut = tmp_path / "截断的副本.sqlite3"
    cut.write_bytes(whole[: len(whole) // 3])
    report = check_file(cut)
    assert not report.ok
    done = run_main("--db", str(cut), "check", "--integrity")
    assert done.returncode == 1 and "Traceback" not in done.stderr


def test_a_file_that_is_no_database_is_said_so(tmp_path: Path) -> None:
    note = tmp_path / "笔记.txt"
    note.write_text("不是数据库", encoding="utf-8")
    with pytest.raises(NotADatabase):
        check_file(note)
    done = run_main("--db", str(note), "check", "--integrity")
    assert done.returncode == 1 and "不是 SQLite 数据库文件" in done.stderr
    missing = run_main("--db", str(tmp_path / "没有.sqlite3"), "check", "--integrity")
    assert missing.returncode == 1 and "数据库不存在" in missing.stderr
    assert not (tmp_path / "没有.sqlite3").exists()
