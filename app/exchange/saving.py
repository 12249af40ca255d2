"""Saving a file for the user (a workbook, a report, a package): checked by the output
guard first (never over a database, its -wal, or into a backups folder), written
beside the file and renamed when whole, so a failure never leaves half a file under
the user's name nor a ``.part`` beside it; errors name the user's file."""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.output_guard import partial_beside, refuse_protected


def _os_error(exc: BaseException) -> OSError | None:
    if isinstance(exc, OSError):
        return exc
    # xlsxwriter's FileCreateError carries the OSError it met
    inner = exc.args[0] if exc.args else None
    return inner if isinstance(inner, OSError) else None


def _refuse(code: int, path: Path) -> OSError:
    return OSError(code, os.strerror(code), str(path))


@contextmanager
def saving(path: Path) -> Iterator[Path]:
    """The temporary path to write; renamed to ``path`` when the block ends.

    A folder that does not exist is refused (a mistyped path is not created),
    and so is a path naming a folder, a database or a backups folder."""
    refuse_protected(path)
    if path.is_dir():
        raise _refuse(errno.EISDIR, path)
    if not path.parent.is_dir():
        raise _refuse(errno.ENOENT, path)
    tmp = partial_beside(path)
    try:
        yield tmp
        tmp.replace(path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        cause = _os_error(exc)
        if cause is None:
            raise
        raise OSError(cause.errno, cause.strerror, str(path)) from exc
