"""A SQLite file looked at from outside: whether it is one, opened read-only, and
whether SQLite finds it intact. Opening, backing up and restoring all ask these."""

from __future__ import annotations

import shutil
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


def _sides(path: Path) -> tuple[Path, Path, Path]:
    """The files SQLite keeps beside a database: -wal, -shm, -journal."""
    wal, shm, journal = (path.with_name(path.name + end) for end in ("-wal", "-shm", "-journal"))
    return wal, shm, journal


def _stamps(paths: tuple[Path, ...]) -> list[tuple[int, int] | None]:
    return [(p.stat().st_size, p.stat().st_mtime_ns) if p.exists() else None for p in paths]


def copy_whole(path: Path, target: Path) -> sqlite3.Connection:
    """``path`` copied whole (its -wal's commits too) into the new file ``target``,
    which is returned open; nothing beside ``path`` is ever changed or deleted. A -wal
    or -shm belongs to whoever has the database open: deleting one another program
    still uses sends its next commits into a file nobody else sees, and a program
    opening the database then makes new ones — commits lost, the file malformed.
    Without a -shm (or -journal) nobody has it open for writing: its file and -wal are
    copied as bytes and SQLite reads them there; with one, or when they changed while
    copied, it is read through SQLite's own locks (using the files as they are)."""
    wal, shm, journal = _sides(path)
    if not shm.exists() and not journal.exists():
        before = _stamps((path, wal, shm, journal))
        shutil.copyfile(path, target)
        if wal.exists():
            shutil.copyfile(wal, target.with_name(target.name + "-wal"))
        if _stamps((path, wal, shm, journal)) == before:
            return sqlite3.connect(target)
        for made in (target, *_sides(target)):
            made.unlink(missing_ok=True)
    source = open_read_only(path)  # its path quoted: a folder named 备份#2 is that folder
    try:
        copy = sqlite3.connect(target)
        source.backup(copy)
    finally:
        source.close()
    return copy


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
