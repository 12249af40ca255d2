"""The one check every file ParkDesk writes for the user passes first (a workbook, a
PDF, a package, a backup to a file; the window's save dialogs and the command line
alike): never over a database (the open one, another park's, a renamed one: told by
its first bytes, not its name), never a database's -wal/-shm/-journal or writer lock,
never into a backups folder. A refused file is not touched, and the message names it."""

from __future__ import annotations

import glob
from pathlib import Path

from app.db.sqlite_file import HEADER
from app.paths import BACKUP_NAME

# the files beside a database: writing SQLite's corrupts the database; replacing the
# writer lock's lets a second program write while the first still holds the old one
SIDE_FILES = ("-wal", "-shm", "-journal", ".lock")


class FileNotWritten(ValueError):
    """A file ParkDesk did not write; the message says which and why, in Chinese."""


class ProtectedFile(FileNotWritten):
    """The file asked for is a database, a database's own file or in a backups folder."""


def refuse_protected(path: Path) -> None:
    """ProtectedFile when ``path`` must not be written; nothing is touched either way."""
    target = path.expanduser().resolve()  # a link to a database is the database
    why = _why_protected(target)
    if why:
        raise ProtectedFile(
            f"没有写入“{path.name}”：{why}。请换一个文件名或文件夹（{target.parent}）"
        )


def partial_beside(path: Path) -> Path:
    """The temporary file a save writes beside ``path`` before renaming it there: the
    first of NAME.part, NAME.1.part… that exists in no form (nor its -wal/-journal),
    so a database that happens to bear that name is never written over nor renamed."""
    n = 0
    while True:
        tmp = path.with_name(f"{path.name}.{n}.part" if n else f"{path.name}.part")
        if not any(_exists(tmp.with_name(tmp.name + end)) for end in ("", *SIDE_FILES)):
            return tmp
        n += 1


def _exists(path: Path) -> bool:
    return path.exists() or path.is_symlink()  # a dangling link is still a name taken


def _why_protected(target: Path) -> str | None:
    if _is_database(target):
        return "它是一个数据库文件，写入会毁掉其中的数据"
    for suffix in SIDE_FILES:
        if target.name.lower().endswith(suffix):
            base = target.with_name(target.name[: -len(suffix)])
            if _is_database(base):
                return f"它是数据库“{base.name}”的工作文件，写入会损坏这个数据库"
    if _in_backups_folder(target):
        return "它所在的是 ParkDesk 的备份文件夹，那里只存放备份"
    return None


def _is_database(path: Path) -> bool:
    """A SQLite file, whatever its name (a database renamed .xlsx is still one)."""
    try:
        with path.open("rb") as fh:
            return fh.read(len(HEADER)) == HEADER
    except OSError:  # missing, a folder, unreadable: nothing here to destroy
        return False


def is_kept_backup(path: Path) -> bool:
    """Whether ``path`` is in a database's own backups folder (``<database folder>/
    backups/<database name>/``, app.paths.backup_dir_for): a backup ParkDesk keeps, not
    a copy the user took elsewhere (that one may be opened and changed)."""
    folder = path.expanduser().resolve().parent
    return folder.parent.name.lower() == "backups" and _has_database_named(folder)


def _in_backups_folder(target: Path) -> bool:
    """Whether ``target`` is in a backups folder: ParkDesk's layout (``<database
    folder>/backups/<database name>/``, app.paths.backup_dir_for, or ``backups/``
    itself) or any folder holding files named as ParkDesk names its backups."""
    for folder in target.parents:
        if folder.parent.name.lower() == "backups" and _has_database_named(folder):
            return True
    here = target.parent
    if any(BACKUP_NAME.match(p.name) for p in here.glob("parkdesk-*.sqlite3")):
        return True
    beside = here.iterdir() if here.name.lower() == "backups" and here.is_dir() else ()
    return any(_has_database_named(child) for child in beside if child.is_dir())


def _has_database_named(folder: Path) -> bool:
    """Whether ``folder`` is ``backups/<stem>`` of a database beside ``backups``."""
    home = folder.parent.parent
    pattern = glob.escape(folder.name) + ".*"
    candidates = [home / folder.name, *home.glob(pattern)]
    return any(_is_database(c) for c in candidates)
