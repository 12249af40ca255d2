"""A long library call run in a process of its own, so the window never waits for it.

XlsxWriter's and reportlab's C calls (a shared-strings sort over half a million
texts, a font's glyph lookups) hold the GIL for 100-800 ms at 50,000 units: run in a
worker thread, the window cannot draw meanwhile (bench/bench_stalls.py). In a spawned
process they hold that process's GIL only; the calling thread waits on a pipe, the GIL
free.

    run_apart(make_workbook, (db_path, tmp), progress)

``fn(*args, progress=…)`` runs in the child, which reports progress over the pipe;
its result, or its exception (the same type and Chinese message), comes back. The
child only reads the database and writes the file it is given: what is written under
the user's name, and to the database, the caller does. ``progress`` is also called
while the child is quiet, so a Cancelled it raises (the user's 取消, the window
closing) ends the child at once. Works in the frozen build: main.py calls
multiprocessing.freeze_support() first.
"""

from __future__ import annotations

import multiprocessing
import pickle
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

Progress = Callable[[int, int], None]
HEARTBEAT_S = 0.1  # how often a quiet child's caller hears progress (and may cancel)


class ApartFailed(RuntimeError):
    """The child process ended without an answer (killed, out of memory)."""


def run_apart(fn: Callable[..., Any], args: tuple[Any, ...], progress: Progress | None) -> Any:
    """``fn(*args, progress=…)`` in a spawned process; its result, or its exception."""
    context = multiprocessing.get_context("spawn")
    mine, theirs = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(theirs, fn, args), daemon=True)
    child.start()
    theirs.close()
    try:
        return _wait(mine, child, progress)
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
        mine.close()


def run_reading_apart(
    db_path: Any, fn: Callable[..., Any], args: tuple[Any, ...], progress: Progress | None
) -> Any:
    """``fn(db, *args, progress)`` in a spawned process, ``db`` the window's database
    read beside it there (never written: app/db/reading.ReadBeside)."""
    return run_apart(_read_beside, (db_path, fn, *args), progress)


def _read_beside(db_path: Any, fn: Callable[..., Any], *args: Any, progress: Progress) -> Any:
    from app.db.reading import ReadBeside

    db = ReadBeside(db_path)
    try:
        return fn(db, *args, progress)
    finally:
        db.dispose()


def _wait(mine: Connection, child: Any, progress: Progress | None) -> Any:
    last = (0, 0)
    while True:
        if not mine.poll(HEARTBEAT_S):
            if progress is not None:
                progress(*last)  # raises Cancelled when the user cancelled
            if not child.is_alive() and not mine.poll(0):
                raise ApartFailed(f"后台处理进程意外退出（退出码 {child.exitcode}），没有写出文件")
            continue
        try:
            kind, value = mine.recv()
        except EOFError:
            continue  # the child ended: its exit code is read above
        if kind == "progress":
            last = value
            if progress is not None:
                progress(*value)
        elif kind == "done":
            return value
        else:
            raise value


def _child(conn: Connection, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """In the child: run, report, answer once."""

    def progress(done: int, total: int) -> None:
        conn.send(("progress", (done, total)))

    try:
        answer: tuple[str, Any] = ("done", fn(*args, progress=progress))
    except BaseException as exc:  # every error goes back to the caller, as it was
        answer = ("failed", _sendable(exc))
    conn.send(answer)
    conn.close()


def _sendable(exc: BaseException) -> BaseException:
    """``exc`` if it survives the pipe, else the nearest built-in kind of it with its
    message (the caller tells an OSError, a ValueError… apart, and shows the words)."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        base = next(c for c in type(exc).__mro__ if c.__module__ == "builtins")
        try:
            return base(*exc.args)
        except Exception:
            return RuntimeError(str(exc))
