"""Backups with SQLite's online backup API (never a file copy of a live WAL file)."""

from __future__ import annotations

import contextlib
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.paths import backup_dir_for

KEEP = 30
_NAME = re.compile(r"^parkdesk-(\d{8}-\d{6}(?:-\d+)?)-([a-z_]+)\.sqlite3$")

REASON_LABELS = {
    "daily": "每日备份",
    "migration": "升级前备份",
    "restore": "恢复前备份",
    "manual": "手动备份",
    "import": "导入前备份",
}


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    reason: str
    size: int

    @property
    def reason_label(self) -> str:
        return REASON_LABELS.get(self.reason, self.reason)


def _copy(src_path: Path, dest_path: Path) -> None:
    src = sqlite3.connect(src_path)
    try:
        dest = sqlite3.connect(dest_path)
        try:
            src.backup(dest)
        finally:
            dest.close()
    finally:
        src.close()


def backup_to(db_path: Path, dest: Path) -> Path:
    """A consistent copy of ``db_path`` at ``dest`` (overwritten if present)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    tmp.unlink(missing_ok=True)
    _copy(db_path, tmp)
    tmp.replace(dest)
    return dest


def take_backup(db_path: Path, reason: str, now: datetime | None = None) -> Path:
    """A new backup in the database's backups folder; keeps the newest ``KEEP``."""
    now = now or datetime.now()
    folder = backup_dir_for(db_path)
    stamp = now.strftime("%Y%m%d-%H%M%S")
    dest = folder / f"parkdesk-{stamp}-{reason}.sqlite3"
    n = 1
    while dest.exists():
        dest = folder / f"parkdesk-{stamp}-{n}-{reason}.sqlite3"
        n += 1
    backup_to(db_path, dest)
    prune(db_path)
    return dest


def list_backups(db_path: Path) -> list[BackupInfo]:
    """Newest first."""
    out: list[BackupInfo] = []
    for path in backup_dir_for(db_path).glob("parkdesk-*.sqlite3"):
        match = _NAME.match(path.name)
        if not match:
            continue
        stamp = match.group(1)[:15]
        out.append(
            BackupInfo(
                path,
                datetime.strptime(stamp, "%Y%m%d-%H%M%S"),
                match.group(2),
                path.stat().st_size,
            )
        )
    out.sort(key=lambda b: (b.taken_at, b.path.name), reverse=True)
    return out


def prune(db_path: Path, keep: int = KEEP) -> None:
    for old in list_backups(db_path)[keep:]:
        with contextlib.suppress(OSError):
            old.path.unlink()


def daily_backup(db_path: Path, now: datetime | None = None) -> Path | None:
    """One backup a day, taken at the first start of the day."""
    now = now or datetime.now()
    if any(b.reason == "daily" and b.taken_at.date() == now.date() for b in list_backups(db_path)):
        return None
    return take_backup(db_path, "daily", now)


class BackupFileError(ValueError):
    """The file chosen for a restore is not a usable ParkDesk backup."""


def check_is_parkdesk_db(path: Path) -> None:
    """Raise BackupFileError unless ``path`` is a readable SQLite file made by ParkDesk."""
    if not path.is_file():
        raise BackupFileError(f"备份文件不存在：{path}")
    with path.open("rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise BackupFileError(f"所选文件不是 ParkDesk 的备份（不是 SQLite 数据库）：{path}")
    conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    try:
        result = conn.execute("PRAGMA quick_check").fetchone()
        if not result or result[0] != "ok":
            raise BackupFileError(f"备份文件已损坏，不能用来恢复：{path}")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as exc:
        raise BackupFileError(f"备份文件已损坏，不能用来恢复：{path}") from exc
    finally:
        conn.close()
    if "organization" not in tables or "alembic_version" not in tables:
        raise BackupFileError(f"所选文件不是 ParkDesk 的备份：{path}")


def restore_from(db_path: Path, source: Path) -> Path | None:
    """Replace the database with ``source``, after backing up the current state.

    Returns the safety backup of the state that was replaced (None when there
    was no database yet). The caller disposes its engine and migrates again.
    """
    check_is_parkdesk_db(source)
    safety: Path | None = None
    if db_path.exists():
        try:
            safety = take_backup(db_path, "restore")
        except sqlite3.DatabaseError:
            # a corrupt file cannot be read by the backup API: keep it aside as it is
            safety = _set_aside(db_path)
    _copy(source, db_path)
    return safety


def _set_aside(db_path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = backup_dir_for(db_path) / f"{db_path.stem}-corrupt-{stamp}{db_path.suffix}"
    db_path.replace(target)
    for suffix in ("-wal", "-shm"):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            side.replace(target.with_name(target.name + suffix))
    return target
