"""Open a ParkDesk database: check it, back it up, migrate it, hand out sessions.

SQLAlchemy is imported only when a session is first needed: opening a database
that is already at the newest schema and reading the registry for the first
screen use the standard library's sqlite3 (start-up time; see bench/).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from app.db import backup, dialect, field_guard, migrate
from app.db.errors import DbProblem, DbProblemKind, classify, published, refine
from app.db.published_guard import published_codes
from app.db.sqlite_file import is_sqlite, open_read_only, quick_check_ok
from app.db.writer_lock import WAIT_SECONDS, writer_lock
from app.domain.validation import FieldIssue, ValidationError
from app.output_guard import is_kept_backup

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_S = 10
T = TypeVar("T")


class Database:
    """One SQLite file. Services open a Session per unit of work from it."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @cached_property
    def engine(self) -> Engine:
        from app.db.engine import make_engine

        return make_engine(self.path)

    @cached_property
    def _sessions(self) -> sessionmaker[Session]:
        from sqlalchemy.orm import sessionmaker

        return sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed when the block ends, rolled back on error."""
        with self._sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException as exc:
                session.rollback()
                said = [m for m in field_guard.MESSAGES if m in str(exc)]
                if said:  # a field database's registry or the park's standards (field_guard)
                    issue = FieldIssue("registry", said[0], "field_read_only")
                    raise ValidationError([issue]) from exc
                problem = classify(exc)
                if problem is not None and problem.kind is DbProblemKind.PUBLISHED:
                    with self.read_connection() as conn:  # named: which periods are frozen
                        problem = published(published_codes(conn), problem.detail)
                if problem is not None and problem is not exc:
                    raise problem from exc
                raise

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._sessions() as session:
            try:
                yield session
            except BaseException as exc:
                problem = classify(exc)
                if problem is not None and problem is not exc:
                    raise problem from exc
                raise

    @contextmanager
    def read_connection(self) -> Iterator[sqlite3.Connection]:
        """A plain sqlite3 connection for bulk reads of whole tables.

        SQLAlchemy's row handling costs about 3× a bare SELECT over 50,000 rows,
        so the registry lists read through this.
        """
        conn = self._connect()
        try:
            conn.execute(dialect.READ_ONLY)
            yield conn
        except sqlite3.Error as exc:
            raise classify(exc) or exc from exc
        finally:
            conn.close()

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)

    def dispose(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()


def _check_readable(path: Path) -> None:
    """Refuse a file ParkDesk cannot use, telling apart one that is not ParkDesk's
    at all (left as it is), a damaged one, and one that cannot be read."""
    if _check_header(path):
        _judge(path, *_inspect(path))


def _check_header(path: Path) -> bool:
    """False for a file still to be made; DbProblem when it is not SQLite at all."""
    if not path.exists() or path.stat().st_size == 0:
        return False
    if not is_sqlite(path):
        # damaged if ParkDesk has backed it up before; someone else's file otherwise
        kind = DbProblemKind.CORRUPT if backup.list_backups(path) else DbProblemKind.NOT_PARKDESK
        raise DbProblem(kind, f"文件头不是 SQLite：{path}")
    return True


def _inspect(path: Path) -> tuple[bool, set[str]]:
    """SQLite's quick check (every page of the file: the slow part of opening) and the
    tables the file has."""
    try:
        conn = open_read_only(path)
        try:
            intact = quick_check_ok(conn)
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        # only a damaged file is called damaged: a read-only folder or a full
        # disk is said as such
        raise classify(exc) or DbProblem(DbProblemKind.CANNOT_OPEN, str(exc)) from exc
    return intact, tables


def _judge(path: Path, intact: bool, tables: set[str]) -> None:
    if not intact:
        raise DbProblem(DbProblemKind.CORRUPT, "quick_check")
    if tables and "alembic_version" not in tables:
        raise DbProblem(DbProblemKind.NOT_PARKDESK, f"SQLite 数据库，但没有 ParkDesk 的表：{path}")


def open_database(path: Path, *, daily_backup: bool = True) -> Database:
    """Open (creating if needed) and migrate; DbProblem when it cannot be used,
    saying whether the file is damaged, read-only, on a full disk or not ParkDesk's."""
    return _refined(path.expanduser().resolve(), lambda p: _open(p, daily_backup))


def open_and_read(path: Path, read: Callable[[Database], T]) -> tuple[Database, T]:
    """``open_database(path)`` and then ``read(db)`` (the window's first screen), with
    the same checks and the same DbProblems. When opening has nothing to write (no
    migration, today's backup taken), ``read`` runs while SQLite checks the file: the
    check reads every page in C, outside the GIL. Nothing read from a file the check
    finds damaged is returned."""
    return _refined(path.expanduser().resolve(), lambda p: _open_and_read(p, read))


def _refined(path: Path, opening: Callable[[Path], T]) -> T:
    try:
        return opening(path)
    except DbProblem as problem:
        raise refine(problem, path.parent) from problem
    except Exception as exc:
        problem = classify(exc)
        if problem is None:
            raise
        raise refine(problem, path.parent) from exc


def _open_and_read(path: Path, read: Callable[[Database], T]) -> tuple[Database, T]:
    if not _nothing_to_write(path):
        db = _open(path, daily_backup=True)
        return db, read(db)
    check = _Inspection(path)
    check.start()
    db = Database(path)
    try:
        result = read(db)
    except BaseException:
        check.join()
        check.verdict()  # a damaged file is said so, whatever the read ran into
        raise
    check.join()
    check.verdict()
    field_guard.ensure(path)
    return db, result


def _nothing_to_write(path: Path) -> bool:
    """Whether opening ``path`` would write nothing: a ParkDesk database of this
    build's schema whose backup of the day is taken. Anything else (or a file these
    cheap reads stumble on) opens the careful way, the check first."""
    try:
        return (
            _check_header(path)
            and not is_kept_backup(path)
            and not migrate.needs_upgrade(path)
            and not backup.daily_backup_due(path)
        )
    except (DbProblem, sqlite3.Error, OSError):
        return False


class _Inspection(threading.Thread):
    """``_inspect`` in a thread of its own; ``verdict`` raises what it found."""

    def __init__(self, path: Path) -> None:
        super().__init__(name="quick_check", daemon=True)
        self.path = path
        self.found: tuple[bool, set[str]] | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.found = _inspect(self.path)
        except BaseException as exc:
            self.error = exc

    def verdict(self) -> None:
        if self.error is not None:
            raise self.error
        assert self.found is not None
        _judge(self.path, *self.found)


def _open(path: Path, daily_backup: bool) -> Database:
    if is_kept_backup(path) and path.exists():
        # opening writes (a migration, the field guard, a day's backup, the edit itself):
        # a backup stays as it was taken; reading it goes through open_for_reading
        raise DbProblem(DbProblemKind.BACKUP, str(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise classify(exc) or DbProblem(DbProblemKind.CANNOT_OPEN, str(exc)) from exc
    _check_readable(path)
    db = Database(path)
    try:
        if migrate.needs_upgrade(path):
            # a migration writes: never while another process does
            with writer_lock(path, "升级数据库", wait=WAIT_SECONDS):
                if path.exists():
                    field_guard.lift(path)
                migrate.upgrade(db.engine, lambda: backup.take_backup(path, "migration"))
        field_guard.ensure(path)
        if daily_backup:
            backup.daily_backup(path)
    except BaseException:
        db.dispose()
        raise
    return db
