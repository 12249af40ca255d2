"""Database failures are told apart, each with its own Chinese message."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from app.db.database import Database
from app.db.errors import DbProblem, DbProblemKind, classify


def test_locked(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    holder = sqlite3.connect(path, timeout=0)
    holder.execute("CREATE TABLE t (x)")
    holder.commit()
    holder.execute("BEGIN EXCLUSIVE")
    other = sqlite3.connect(path, timeout=0)
    with pytest.raises(sqlite3.OperationalError) as err:
        other.execute("INSERT INTO t VALUES (1)")
    problem = classify(err.value)
    assert problem is not None and problem.kind is DbProblemKind.LOCKED
    assert "另一个程序占用" in problem.message
    holder.rollback()


def test_read_only(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit()
    ro = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as err:
        ro.execute("INSERT INTO t VALUES (1)")
    problem = classify(err.value)
    assert problem is not None and problem.kind is DbProblemKind.READ_ONLY


def test_disk_full_through_a_service_transaction(db: Database) -> None:
    with pytest.raises(DbProblem) as err, db.session() as s:
        s.execute(text("PRAGMA max_page_count = 1"))
        s.execute(text("CREATE TABLE filler (x TEXT)"))
        for _ in range(200):
            s.execute(text("INSERT INTO filler VALUES (:x)"), {"x": "x" * 4000})
    assert err.value.kind is DbProblemKind.DISK_FULL
    assert "磁盘空间已满" in err.value.message


def test_os_errors() -> None:
    import errno

    assert classify(OSError(errno.ENOSPC, "full")).kind is DbProblemKind.DISK_FULL  # type: ignore[union-attr]
    assert classify(PermissionError(errno.EACCES, "denied")).kind is DbProblemKind.READ_ONLY  # type: ignore[union-attr]
    assert classify(ValueError("bug")) is None
