"""A SQLite file looked at from outside: whether it is one, opened read-only, and
whether SQLite finds it intact. Opening, backing up and restoring all ask these."""

from __future__ import annotations

import sqlite3
from pathlib import Path

HEADER = b"SQLite format 3\x00"


def is_sqlite(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(16) == HEADER


def open_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)


def quick_check_ok(conn: sqlite3.Connection) -> bool:
    """SQLite's quick integrity check on an open connection (DatabaseError when the
    file cannot even be read)."""
    row = conn.execute("PRAGMA quick_check").fetchone()
    return bool(row) and row[0] == "ok"


def schema_revision(conn: sqlite3.Connection) -> str | None:
    """The Alembic revision the file records; None where it has no ParkDesk tables."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    if "alembic_version" not in tables:
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def is_intact(path: Path) -> bool:
    """Whether the file opens and passes the quick check; False for anything else."""
    try:
        conn = open_read_only(path)
    except sqlite3.Error:
        return False
    try:
        return quick_check_ok(conn)
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()
