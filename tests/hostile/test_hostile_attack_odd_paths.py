"""Issue 22 attack: a database in a folder whose name SQLite's URI reads as syntax
(备份#2, 50%20, a?b). Its read-only opening cut the path at # or ? (SQLite then made an
empty file of the cut name and checked that: 通过) or decoded %20: the integrity check
passed on the wrong file or crashed, a merge called the copy foreign or damaged and a
restore called the backup not ParkDesk's. The path is now quoted wherever a file is
read from outside."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import run_main


@pytest.mark.parametrize("folder", ["备份#2", "50%20", "a?b"])
def test_a_copy_in_a_folder_named_like_uri_syntax_is_read_as_itself(
    park: Path, tmp_path: Path, folder: str
) -> None:
    live = tmp_path / "live.sqlite3"
    shutil.copy(park, live)
    (tmp_path / folder).mkdir()
    copy = tmp_path / folder / "copy.sqlite3"
    shutil.copy(park, copy)
    before = set(tmp_path.iterdir())

    check = run_main("--db", str(copy), "check", "--integrity")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "数据库检查通过" in check.stdout + check.stderr
    merged = run_main("--db", str(live), "merge", str(copy))
    assert merged.returncode == 0, merged.stderr
    assert "已合并数据库" in merged.stdout + merged.stderr
    restored = run_main("--db", str(live), "restore", "--other-database", str(copy))
    assert restored.returncode == 0, restored.stderr

    made = {p.name for p in set(tmp_path.iterdir()) - before}
    assert made <= {"backups", *(f"live.sqlite3{end}" for end in ("-wal", "-shm", ".lock"))}, made
