"""A database opened by a command that only reads it (stats, lists, reports, checks).

A missing file is refused, naming it: reading never creates a database, nor the
folders of a mistyped --db. A database on a read-only place (a write-protected stick,
a read-only share or mount) or on a full disk is read as it is, with no backup, no
migration and no lock file, where opening it for writing would be refused."""

from __future__ import annotations

import os
import sqlite3
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from app.db import sqlite_file
from app.db.database import BUSY_TIMEOUT_S, Database, open_database
from app.db.errors import DbProblem, DbProblemKind, classify
from app.db.migrate import SCHEMA_HEAD, known_revisions, unknown_revision
from app.db.sqlite_file import is_sqlite, quick_check_ok, schema_revision
from app.os_errors import is_read_only_place
from app.output_guard import is_kept_backup

if TYPE_CHECKING:
    from sqlalchemy import Engine


class NoDatabase(LookupError):
    """The database a reading command was given does not exist."""


def open_for_reading(path: Path) -> Database:
    """The database at ``path`` to read: opened as usual (the day's backup, a migration)
    where it can be written, read-only where it cannot; NoDatabase when it is missing."""
    path = path.expanduser().resolve()
    if not path.is_file():
        raise NoDatabase(
            f"数据库文件不存在：{path}。查看数据的命令不会新建数据库，请检查 --db 给出的路径"
        )
    if not _read_only_place(path) and not is_kept_backup(path):
        try:
            return open_database(path)
        except DbProblem as problem:
            # a full disk: SQLite cannot even make the -shm it reads through
            if problem.kind is not DbProblemKind.DISK_FULL:
                raise
    _check(path)
    return ReadOnlyDatabase(path)


def _read_only_place(path: Path) -> bool:
    return is_read_only_place(path.parent) or not os.access(path, os.W_OK)


def read_only_uri(path: Path) -> str:
    """SQLite cannot make a WAL database's -shm on a read-only place or a full disk:
    with no committed data waiting in a -wal, the file is read as immutable (nothing
    can write there either)."""
    return sqlite_file.read_only_uri(path, immutable=not sqlite_file.wal_waits(path))


class ReadOnlyDatabase(Database):
    """A Database whose every connection is read-only (its sessions can only read)."""

    @cached_property
    def engine(self) -> Engine:
        from sqlalchemy import create_engine
        from sqlalchemy.pool import NullPool

        uri = self.uri()
        return create_engine(
            "sqlite://",
            creator=lambda: sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S),
            poolclass=NullPool,
        )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.uri(), uri=True, timeout=BUSY_TIMEOUT_S)

    def uri(self) -> str:
        return read_only_uri(self.path)


class ReadBeside(ReadOnlyDatabase):
    """The database the window has open, read by a child process of it (app/apart.py):
    read-only and never taken as immutable, for the window may commit meanwhile; no
    migration, backup or writer lock (the window holds those)."""

    def uri(self) -> str:
        return sqlite_file.read_only_uri(self.path, immutable=False)


def check_copyable(path: Path) -> None:
    """What copying a database that cannot be opened for writing asks (a backup of one on
    a read-only place): SQLite, intact, ParkDesk's, at a revision this program knows (an
    older one is copied as it is: a restore migrates it)."""
    _check(path, older_ok=True)


def _check(path: Path, older_ok: bool = False) -> None:
    """The checks of opening, made read-only: SQLite, intact, ParkDesk's, and at this
    program's schema (an older one would need a migration, which writes)."""
    if not is_sqlite(path):
        raise DbProblem(DbProblemKind.NOT_PARKDESK, f"文件头不是 SQLite：{path}")
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            intact = quick_check_ok(conn)
            version = schema_revision(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise classify(exc) or DbProblem(DbProblemKind.CANNOT_OPEN, str(exc)) from exc
    if not intact:
        raise DbProblem(DbProblemKind.CORRUPT, "quick_check")
    if version is None:
        raise DbProblem(DbProblemKind.NOT_PARKDESK, f"没有 ParkDesk 的表：{path}")
    if version not in known_revisions():
        raise unknown_revision(version)
    if version != SCHEMA_HEAD and not older_ok:
        # an older database must be upgraded first, which a read-only place forbids
        raise DbProblem(DbProblemKind.READ_ONLY, version)
