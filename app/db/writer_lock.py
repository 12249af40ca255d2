"""One writer per database, across processes: the window for as long as it is
open, each command-line command that writes for as long as it runs.

The lock is the operating system's lock on a file beside the database
(``parkdesk.sqlite3.lock``): it goes with the process, so a killed process
never leaves a stale lock behind. After the lock byte the file says who holds
it, so the one refused can be told what is running. Within one process the
lock is re-entrant (the window's workers and its services share it).
"""

from __future__ import annotations

import errno
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from app.db.errors import DbProblem, DbProblemKind, classify, refine
from app.os_errors import describe

if os.name == "nt":  # pragma: no cover - exercised on Windows
    import msvcrt

    def _try_lock(fh: IO[bytes]) -> bool:
        fh.seek(0)
        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fh: IO[bytes]) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    # flock, not lockf: a POSIX record lock is dropped when the process closes any
    # handle of the file, such as the one that reads who holds it
    def _try_lock(fh: IO[bytes]) -> bool:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(fh: IO[bytes]) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


# how long a command waits for another writer before it gives up
WAIT_SECONDS = float(os.environ.get("PARKDESK_LOCK_WAIT", "60"))


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds a database's writer lock."""

    pid: int
    what: str
    since: str

    def describe(self) -> str:
        return f"{self.what}（进程 {self.pid}，自 {self.since} 起）"


class DatabaseBusy(Exception):
    """Another ParkDesk process is writing to this database."""

    def __init__(self, db_path: Path, holder: Holder | None) -> None:
        self.db_path = db_path
        self.holder = holder
        who = holder.describe() if holder else "另一个 ParkDesk 程序"
        super().__init__(f"数据库正在被使用：{who}。请等它完成或关闭后再试。数据库：{db_path}")


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


_held: dict[Path, tuple[IO[bytes], int]] = {}
_guard = threading.Lock()


def read_holder(db_path: Path) -> Holder | None:
    """Who said they hold the lock (the text after the lock byte), if anyone."""
    try:
        with lock_path(db_path).open("rb") as fh:
            fh.seek(1)  # past the lock byte (Windows refuses to read a locked range)
            raw = fh.read(4096)
        data = json.loads(raw.decode("utf-8"))
        return Holder(int(data["pid"]), str(data["what"]), str(data["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _refuse_a_folder(db_path: Path) -> None:
    """A folder given as the database (``--db adir``) is refused before anything is
    made beside it: no ``adir.lock``, no database inside it."""
    if db_path.is_dir():
        exc = IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(db_path))
        message = describe(exc, db_path, doing="无法打开数据库") + "。什么也没有创建"
        raise DbProblem(DbProblemKind.CANNOT_OPEN, str(db_path), message)


def _acquire(db_path: Path, what: str) -> bool:
    _refuse_a_folder(db_path)
    with _guard:
        held = _held.get(db_path)
        if held is not None:
            _held[db_path] = (held[0], held[1] + 1)
            return True
        try:
            fh = _open_locked(db_path, what)
        except OSError as exc:  # a read-only folder, a full disk
            raise refine(
                classify(exc) or DbProblem(DbProblemKind.CANNOT_OPEN, str(exc)), db_path.parent
            ) from exc
        if fh is None:
            return False
        _held[db_path] = (fh, 1)
        return True


def _open_locked(db_path: Path, what: str) -> IO[bytes] | None:
    """The lock file, locked and saying who holds it; None when another process has it."""
    path = lock_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = path.open("a+b")
    try:
        if not _try_lock(fh):
            fh.close()
            return None
        note = {"pid": os.getpid(), "what": what, "since": f"{datetime.now():%Y-%m-%d %H:%M:%S}"}
        fh.seek(1)
        fh.truncate()
        fh.write(json.dumps(note, ensure_ascii=False).encode("utf-8"))
        fh.flush()
    except BaseException:
        fh.close()
        raise
    return fh


def _release(db_path: Path) -> None:
    with _guard:
        fh, count = _held[db_path]
        if count > 1:
            _held[db_path] = (fh, count - 1)
            return
        del _held[db_path]
        fh.seek(1)
        fh.truncate()
        fh.flush()
        _unlock(fh)
        fh.close()


def holds(db_path: Path) -> bool:
    """Whether this process holds the database's writer lock."""
    return db_path in _held


@contextmanager
def writer_lock(
    db_path: Path,
    what: str,
    wait: float = 0.0,
    waiting: Callable[[Holder | None], None] | None = None,
) -> Iterator[None]:
    """Hold the database's writer lock for the block; wait up to ``wait`` seconds
    for another writer (``waiting`` is told once who it is), then DatabaseBusy."""
    db_path = db_path.resolve()
    deadline = time.monotonic() + wait
    told = False
    while not _acquire(db_path, what):
        if time.monotonic() >= deadline:
            raise DatabaseBusy(db_path, read_holder(db_path))
        if waiting is not None and not told:
            waiting(read_holder(db_path))
            told = True
        time.sleep(0.1)
    try:
        yield
    finally:
        _release(db_path)


class HeldLock:
    """The writer lock held until ``release`` (the window holds it while open)."""

    def __init__(self, db_path: Path, what: str) -> None:
        self.db_path = db_path.resolve()
        self.what = what
        self._held = False

    def acquire(self) -> None:
        """DatabaseBusy when another process holds it."""
        if not _acquire(self.db_path, self.what):
            raise DatabaseBusy(self.db_path, read_holder(self.db_path))
        self._held = True

    def release(self) -> None:
        if self._held:
            self._held = False
            _release(self.db_path)
