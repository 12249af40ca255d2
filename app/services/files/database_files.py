"""The database as a file: the window's writer lock, what went wrong when it
would not open, restoring a backup and the backup taken when the window closes.
The window asks these; the command line does the same through ``app.cli``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.db.backup import (
    BackupFileError,
    BackupInfo,
    BackupInfoCheck,
    ForeignBackup,
    backup_if_changed,
    backup_to,
    check_backup,
    list_backups,
    restore_from,
    take_backup,
)
from app.db.database import Database, open_and_read, open_database
from app.db.errors import DbProblem, DbProblemKind, classify
from app.db.reading import check_copyable, open_for_reading
from app.db.writer_lock import WAIT_SECONDS, DatabaseBusy, HeldLock, Holder, writer_lock
from app.os_errors import describe as describe_os_error
from app.output_guard import FileNotWritten, refuse_protected
from app.paths import backup_dir_for, default_db_path, log_dir

# what the window and the command line use of the layers below, named here so they
# import services only
__all__ = [
    "WAIT_SECONDS",
    "BackupFileError",
    "BackupInfo",
    "Database",
    "DatabaseBusy",
    "DbProblem",
    "DbProblemKind",
    "FileNotWritten",
    "ForeignBackup",
    "Holder",
    "backup_to",
    "default_db_path",
    "describe_os_error",
    "list_backups",
    "log_dir",
    "open_and_read",
    "open_database",
    "open_for_reading",
    "refuse_protected",
    "take_backup",
    "writer_lock",
]


def backup_folder(db_path: Path) -> Path:
    return backup_dir_for(db_path)


def window_lock(db_path: Path) -> HeldLock:
    """The writer lock the window holds while it is open."""
    return HeldLock(db_path, "ParkDesk 窗口")


def problem_of(exc: BaseException) -> DbProblem | None:
    """What the user can do about a failure; None for a bug."""
    return classify(exc)


@dataclass(frozen=True, slots=True)
class UsableBackup:
    """A backup that would restore, and what checking it found."""

    info: BackupInfo
    check: BackupInfoCheck


def newest_usable_backup(db_path: Path, problem: DbProblem) -> UsableBackup | None:
    """For a damaged database, the newest of its own backups that would restore
    (a damaged backup, or one whose schema is not ParkDesk's, is passed over).
    Checking a backup copies it: for a worker."""
    if problem.kind is not DbProblemKind.CORRUPT:
        return None
    for candidate in list_backups(db_path):
        try:
            return UsableBackup(candidate, check_backup(candidate.path))
        except BackupFileError:
            continue
    return None


def restore(
    db_path: Path,
    source: Path,
    *,
    other_database: bool = False,
    checked: BackupInfoCheck | None = None,
) -> Path | None:
    """Replace the data with ``source`` under the writer lock (refused while another
    process writes); returns where the replaced data was kept."""
    with writer_lock(db_path, "从备份恢复"):
        return restore_from(db_path, source, other_database=other_database, checked=checked)


def restore_and_open(
    db_path: Path, source: Path, *, other_database: bool = False
) -> tuple[Database, Path | None]:
    """Restore (see ``restore``), then open the restored data (an older backup is
    migrated): for a worker, as checking and copying a large backup takes seconds."""
    kept = restore(db_path, source, other_database=other_database)
    return open_database(db_path, daily_backup=False), kept


def backup_to_file(db_path: Path, dest: Path) -> Path:
    """``backup FILE``: the database opened (an older one migrated), then copied to
    ``dest`` through the output guard. A database on a read-only place is copied as it
    is (a backup only reads it; where the copy cannot be written is said of the copy,
    never as edits not saved). A database whose disk is full cannot even be opened:
    said as the backup not written, the database unchanged."""
    try:
        open_database(db_path, daily_backup=False).dispose()
    except DbProblem as problem:
        if problem.kind is DbProblemKind.READ_ONLY:
            check_copyable(db_path)
            return backup_to(db_path, dest)
        if problem.kind is not DbProblemKind.DISK_FULL:
            raise
        raise FileNotWritten(
            f"备份没有写入“{dest.name}”：数据库所在的磁盘已满（{db_path.parent}）。"
            "数据库本身没有改动"
        ) from problem
    return backup_to(db_path, dest)


def backup_on_close(db_path: Path) -> Path | None:
    """When the window closes after changes, the newest state goes into a backup."""
    if not db_path.exists():
        return None
    return backup_if_changed(db_path, "close")


def check_new_database(path: Path) -> None:
    """A new database may be made at ``path``: nothing there yet (an existing file is
    opened with 打开, never replaced), its folder there, not a backups folder."""
    target = path.expanduser()
    if target.exists() or target.is_symlink():
        raise ValueError(f"“{target.name}”已存在：要使用它请用“打开数据库”，新建请换一个文件名")
    if not target.parent.is_dir():
        raise ValueError(f"文件夹不存在：{target.parent}")
    refuse_protected(target)  # a backups folder, a database's side file (a ValueError)
