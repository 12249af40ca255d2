"""Issue 22 attack: `merge` given the open database itself said 已合并数据库 and kept a
ledger entry for "another copy" that is this one; given a mistyped file it said the file
was not a ParkDesk database. Each now says what it is, and nothing is written."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.conftest import run_main

PARK_SIZE = 6  # the demo park of tests/hostile/conftest.py


def _ledger(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM package_ledger").fetchone()[0])
    finally:
        conn.close()


def test_merging_the_open_database_with_itself_is_refused(park: Path, tmp_path: Path) -> None:
    link = tmp_path / "同一个.sqlite3"
    link.symlink_to(park)
    before = _ledger(park)
    for other in (park, link):
        done = run_main("--db", str(park), "merge", str(other))
        assert done.returncode == 1, done.stdout
        assert "就是当前打开的数据库，不能与自己合并" in done.stderr, done.stderr
    assert _ledger(park) == before


def test_a_missing_copy_is_said_to_be_missing(park: Path, tmp_path: Path) -> None:
    done = run_main("--db", str(park), "merge", str(tmp_path / "笔记本.sqlite3"))
    assert done.returncode == 1
    assert f"“笔记本.sqlite3”不存在（{tmp_path}）" in done.stderr, done.stderr
