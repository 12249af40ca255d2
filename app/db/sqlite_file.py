"""A SQLite file looked at from outside: whether it is one, opened read-only, and
whether SQLite finds it intact. Opening, backing up and restoring all ask these."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

from app.os_errors import is_read_only_place

HEADER = b"SQLite format 3\x00"


def is_sqlite(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(16) == HEADER


def read_only_uri(path: Path, *, immutable: bool) -> str:
    """SQLite's URI reading ``path``, quoted: unquoted, a folder named 备份#2 or a?b cut
    the path there (SQLite opened, and made, another file without mode=ro) and 50%20
    was decoded to another name."""
    flag = "&immutable=1" if immutable else ""
    return f"file:{quote(path.as_posix(), safe='/:')}?mode=ro{flag}"


def wal_waits(path: Path) -> bool:
    """Whether committed data waits in the database's -wal (then it is not immutable)."""
    wal = path.with_name(path.name + "-wal")
    return wal.exists() and wal.stat().st_size > 0


def open_read_only(path: Path) -> sqlite3.Connection:
    """``path`` opened read-only. On a place that cannot be written (a write-protected
    stick, a read-only share) SQLite cannot make the -shm a WAL database is read
    through, and a whole database was called unreadable: with nothing waiting in its
    -wal it is read as immutable there."""
    immutable = is_read_only_place(path.parent) and not wal_waits(path)
    return sqlite3.connect(read_only_uri(path, immutable=immutable), uri=True)


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
