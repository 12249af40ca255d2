"""Backups with SQLite's online backup API (never a file copy of a live WAL file).

Each database keeps its backups in a folder of its own
(``backups/<database name>/`` beside it), and each backup carries the
database's identity (the ``database_id`` setting), so a backup of another
database is never taken for one of this one.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from app.db.backup_check import BackupFileError, BackupInfoCheck, check_backup, database_id
from app.db.errors import DbProblem, DbProblemKind, classify, refine
from app.db.sqlite_file import is_intact, open_read_only
from app.os_errors import reason
from app.output_guard import FileNotWritten, partial_beside, refuse_protected
from app.paths import BACKUP_NAME, backup_dir_for

__all__ = [
    "BackupFileError",
    "BackupInfoCheck",
    "ForeignBackup",
    "RestoreNotDone",
    "check_backup",
]

# the newest of each kind kept, and the newest of each day for this many days
KEEP_PER_REASON = 30
KEEP_DAYS = 30
_NAME = BACKUP_NAME

REASON_LABELS = {
    "daily": "每日备份",
    "migration": "升级前备份",
    "restore": "恢复前备份",
    "manual": "手动备份",
    "import": "导入前备份",
    "close": "关闭窗口时备份",
    "demo": "生成演示数据后备份",
    "merge": "合并前备份",  # a return package or another copy of the database
}


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    reason: str
    size: int
    seq: int = 0  # tells apart backups taken in the same microsecond

    @property
    def reason_label(self) -> str:
        return REASON_LABELS.get(self.reason, self.reason)


def _leftovers(path: Path) -> list[Path]:
    return [path, *(path.with_name(path.name + s) for s in ("-journal", "-wal", "-shm"))]


def _copy(src_path: Path, dest_path: Path) -> None:
    src = open_read_only(src_path)  # only read: a backup on a write-protected stick restores
    try:
        dest = sqlite3.connect(dest_path)
        try:
            src.backup(dest)
        finally:
            dest.close()
    finally:
        src.close()


def backup_to(db_path: Path, dest: Path) -> Path:
    """A consistent copy of ``db_path`` at a file the user chose: never over a
    database or into a backups folder (the output guard); a copy that cannot be
    written says so, and that the database itself is unchanged."""
    refuse_protected(dest)
    try:
        return _write_copy(db_path, dest)
    except (OSError, DbProblem) as exc:
        if isinstance(exc, DbProblem) and exc.kind not in _WRITE_FAILURES:
            raise
        raise FileNotWritten(_not_written(exc, dest)) from exc


# what a failure to write the copy is (a damaged source says so itself)
_WRITE_FAILURES = (DbProblemKind.DISK_FULL, DbProblemKind.READ_ONLY, DbProblemKind.CANNOT_OPEN)


def _not_written(exc: OSError | DbProblem, dest: Path) -> str:
    if isinstance(exc, OSError):
        why = reason(exc, dest)
    else:
        kind = refine(exc, dest.parent).kind  # SQLite says "unable to open" for both
        why = _WHY.get(kind, "无法建立这个文件")
    return f"备份没有写入“{dest.name}”：{why}（{dest.parent}）。数据库本身没有改动"


_WHY = {DbProblemKind.DISK_FULL: "磁盘已满", DbProblemKind.READ_ONLY: "所在位置是只读的"}


def _write_copy(db_path: Path, dest: Path) -> Path:
    """A consistent copy of ``db_path`` at ``dest`` (overwritten if present).

    Written beside ``dest`` first and renamed when whole: a failure (a full
    disk) leaves neither a partial copy nor its journal behind."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = partial_beside(dest)  # a name nothing holds: nothing to clear first
    try:
        _copy(db_path, tmp)
        tmp.replace(dest)
    except BaseException as exc:
        for path in _leftovers(tmp):
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
        problem = classify(exc)
        if problem is not None and problem is not exc:
            raise problem from exc
        raise
    return dest


def take_backup(db_path: Path, reason: str, now: datetime | None = None) -> Path:
    """A new backup in the database's backups folder, then the old ones pruned."""
    now = now or datetime.now()
    folder = backup_dir_for(db_path)
    stamp = now.strftime("%Y%m%d-%H%M%S-%f")
    dest = folder / f"parkdesk-{stamp}-{reason}.sqlite3"
    n = 1
    while dest.exists():
        dest = folder / f"parkdesk-{stamp}-{n}-{reason}.sqlite3"
        n += 1
    _write_copy(db_path, dest)
    prune(db_path, now)
    return dest


def _parse(path: Path) -> BackupInfo | None:
    match = _NAME.match(path.name)
    if not match:
        return None
    stamp, micro, seq, reason = match.groups()
    taken = datetime.strptime(stamp, "%Y%m%d-%H%M%S").replace(microsecond=int(micro or 0))
    try:
        size = path.stat().st_size
    except OSError:
        return None
    return BackupInfo(path, taken, reason, size, int(seq or 0))


def list_backups(db_path: Path) -> list[BackupInfo]:
    """This database's backups, newest first (by the time taken, to the microsecond)."""
    found = (_parse(p) for p in backup_dir_for(db_path).glob("parkdesk-*.sqlite3"))
    out = [b for b in found if b is not None]
    out.sort(key=lambda b: (b.taken_at, b.seq), reverse=True)
    return out


def to_keep(backups: list[BackupInfo], today: date) -> set[Path]:
    """The newest ``KEEP_PER_REASON`` of each kind, and the newest of each of the
    last ``KEEP_DAYS`` days: thirty imports in a day no longer push the day's
    daily backup out, nor last week's days."""
    keep: set[Path] = set()
    per_reason: dict[str, int] = {}
    days: set[date] = set()
    oldest_day = today - timedelta(days=KEEP_DAYS - 1)
    for b in backups:  # newest first
        per_reason[b.reason] = per_reason.get(b.reason, 0) + 1
        if per_reason[b.reason] <= KEEP_PER_REASON:
            keep.add(b.path)
        day = b.taken_at.date()
        if day >= oldest_day and day not in days:
            days.add(day)
            keep.add(b.path)
    return keep


def prune(db_path: Path, now: datetime | None = None) -> None:
    backups = list_backups(db_path)
    keep = to_keep(backups, (now or datetime.now()).date())
    for old in backups:
        if old.path not in keep:
            with contextlib.suppress(OSError):
                old.path.unlink()


# a WAL file's header; a file no longer than it holds no commit
_WAL_HEADER = 32


def _data_stamp(db_path: Path) -> float:
    """When the data last changed on disk (a commit in WAL mode writes the -wal file).
    A -wal file holding no frame is left out: opening the database to read creates an
    empty one, and a window only opened and closed has changed nothing."""
    stamps = []
    with contextlib.suppress(OSError):
        stamps.append(db_path.stat().st_mtime)
    with contextlib.suppress(OSError):
        wal = db_path.with_name(db_path.name + "-wal").stat()
        if wal.st_size > _WAL_HEADER:
            stamps.append(wal.st_mtime)
    return max(stamps, default=0.0)


def backup_if_changed(db_path: Path, reason: str) -> Path | None:
    """A backup unless the newest one already holds the data as it is now (the
    window closing after edits, so the newest state is always in a backup)."""
    backups = list_backups(db_path)
    if backups:
        with contextlib.suppress(OSError):
            if backups[0].path.stat().st_mtime >= _data_stamp(db_path):
                return None
    return take_backup(db_path, reason)


def daily_backup_due(db_path: Path, now: datetime | None = None) -> bool:
    """Whether today's backup is still to be taken (none with reason daily today)."""
    today = (now or datetime.now()).date()
    taken = (b for b in list_backups(db_path) if b.reason == "daily")
    return all(b.taken_at.date() != today for b in taken)


def daily_backup(db_path: Path, now: datetime | None = None) -> Path | None:
    """One backup a day, taken at the first start of the day."""
    now = now or datetime.now()
    if not daily_backup_due(db_path, now):
        return None
    return take_backup(db_path, "daily", now)


class ForeignBackup(BackupFileError):
    """The backup is of another database: restored only when the user says so."""


def usable_backups(db_path: Path) -> list[BackupInfo]:
    """This database's backups that would restore (intact, ParkDesk's schema, a
    revision this program knows), newest first: what recovery may offer."""
    good = []
    for b in list_backups(db_path):
        try:
            check_backup(b.path)
        except BackupFileError:
            continue
        good.append(b)
    return good


def restore_from(
    db_path: Path,
    source: Path,
    *,
    other_database: bool = False,
    checked: BackupInfoCheck | None = None,
) -> Path | None:
    """Replace the database with ``source``, after backing up the current state.

    The backup is checked whole before anything is replaced. A backup of
    another database is refused (ForeignBackup) unless ``other_database``.
    Returns where the replaced data was kept (None when there was none). The
    caller holds the writer lock, disposes its engine and migrates again.
    ``checked``: what ``check_backup`` said of ``source`` just now (not checked twice).
    """
    checked = checked or check_backup(source)
    if db_path.exists():
        ours = _own_identity(db_path)
        if ours and checked.database_id and ours != checked.database_id and not other_database:
            raise ForeignBackup(
                f"所选备份属于另一个数据库（{checked.describe()}），不是当前数据库的备份：{source}"
            )
    safety = _keep_current(db_path) if db_path.exists() else None
    try:
        _copy(source, db_path)  # one transaction: a failed copy leaves the data as it was
    except (sqlite3.Error, OSError) as exc:
        problem = classify(exc)
        if problem is None or problem.kind not in _WRITE_FAILURES:
            raise
        raise RestoreNotDone(_not_restored(problem, db_path, safety)) from exc
    return safety


class RestoreNotDone(BackupFileError):
    """The backup was checked but could not be copied in (a full disk): nothing changed."""


def _not_restored(problem: DbProblem, db_path: Path, safety: Path | None) -> str:
    why = _WHY.get(refine(problem, db_path.parent).kind, "无法写入数据库文件")
    kept = f"恢复前的数据另存在：{safety}" if safety else ""
    return f"没有恢复：{why}（{db_path.parent}），当前数据库没有改动。{kept}"


def _own_identity(db_path: Path) -> str | None:
    try:
        return database_id(db_path)
    except sqlite3.DatabaseError:
        return None


def _keep_current(db_path: Path) -> Path:
    """A copy of the data a restore replaces: a backup when it is intact, else the
    file itself set aside (never listed as a backup, so never offered)."""
    if is_intact(db_path):
        return take_backup(db_path, "restore")
    return _set_aside(db_path)


def _set_aside(db_path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = backup_dir_for(db_path) / f"{db_path.stem}-damaged-{stamp}{db_path.suffix}"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        db_path.replace(target)
        for suffix in ("-wal", "-shm"):
            side = db_path.with_name(db_path.name + suffix)
            if side.exists():
                side.replace(target.with_name(target.name + suffix))
    except OSError as exc:
        raise classify(exc) or DbProblem(DbProblemKind.CANNOT_OPEN, str(exc)) from exc
    return target
