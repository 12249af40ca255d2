"""Database failures told apart, each with a Chinese message saying what to do."""

from __future__ import annotations

import errno
import sqlite3
from enum import StrEnum
from pathlib import Path

from app.db.published_guard import MARKER as PUBLISHED_MARKER
from app.os_errors import is_nearly_full, is_read_only_place


class DbProblemKind(StrEnum):
    LOCKED = "locked"
    READ_ONLY = "read_only"
    DISK_FULL = "disk_full"
    CORRUPT = "corrupt"
    TOO_NEW = "too_new"
    UNKNOWN_REVISION = "unknown_revision"  # an alembic revision no ParkDesk numbered so
    CANNOT_OPEN = "cannot_open"
    NOT_PARKDESK = "not_parkdesk"
    PUBLISHED = "published"  # a published period's scores (published_guard.py)
    BACKUP = "backup"  # a file in a backups folder opened to be written


_MESSAGES: dict[DbProblemKind, str] = {
    DbProblemKind.LOCKED: (
        "数据库正被另一个程序占用（可能是另一个 ParkDesk 窗口或备份软件）。"
        "请关闭其他窗口后稍候再试。"
    ),
    DbProblemKind.READ_ONLY: (
        "数据库文件是只读的，无法保存修改。请检查文件或所在文件夹的权限，"
        "或把数据文件复制到可写的位置后用 --db 指定。"
    ),
    DbProblemKind.DISK_FULL: "磁盘空间已满，修改没有保存。请清理磁盘空间后重试。",
    DbProblemKind.CORRUPT: (
        "数据库文件已损坏，无法读取。可以从最近的备份恢复（恢复前会另存当前文件）。"
    ),
    DbProblemKind.TOO_NEW: (
        "这个数据库由更新版本的 ParkDesk 创建，当前版本无法打开。请升级 ParkDesk。"
    ),
    DbProblemKind.UNKNOWN_REVISION: (
        "这个数据库的数据版本不是本版本 ParkDesk 认识的版本，也不是较新版本的编号，"
        "ParkDesk 没有改动它。"
    ),
    DbProblemKind.CANNOT_OPEN: "无法打开数据库文件。请检查路径是否存在、是否有访问权限。",
    DbProblemKind.NOT_PARKDESK: (
        "这个文件不是 ParkDesk 的数据库，ParkDesk 没有改动它。"
        "请用 --db 指定 ParkDesk 的数据文件（*.sqlite3），或换一个新文件名建立新的数据库。"
    ),
    DbProblemKind.BACKUP: (
        "这是 ParkDesk 备份文件夹中的备份，不能在备份上修改（备份要保持它备份时的样子），"
        "什么也没有写入。要用它的数据，请用“恢复”，或把它复制到备份文件夹以外再打开。"
    ),
    DbProblemKind.PUBLISHED: (
        "考核期已发布，成绩不能再修改（考核期和它所用的考核方案也不能改），什么也没有写入。"
        "确需修改请先重新打开该考核期。"
    ),
}


class DbProblem(Exception):
    """A database problem the user can act on (not a bug)."""

    def __init__(self, kind: DbProblemKind, detail: str = "", message: str = "") -> None:
        super().__init__(message or _MESSAGES[kind])
        self.kind = kind
        self.detail = detail
        self._message = message  # a message naming what it is about (published())

    @property
    def message(self) -> str:
        return self._message or _MESSAGES[self.kind]

    def __str__(self) -> str:
        return self.message


def classify(exc: BaseException) -> DbProblem | None:
    """Map a driver or OS error to a DbProblem; None for errors that are bugs."""
    if isinstance(exc, DbProblem):
        return exc
    # SQLAlchemy wraps the driver's error; read it without importing SQLAlchemy
    orig = getattr(exc, "orig", None) or exc
    if isinstance(orig, sqlite3.Error) and PUBLISHED_MARKER in str(orig):
        return DbProblem(DbProblemKind.PUBLISHED, str(orig))
    if isinstance(orig, sqlite3.Error):
        text = str(orig).lower()
        code = getattr(orig, "sqlite_errorcode", None)
        if "locked" in text or "busy" in text or code in (5, 6):
            return DbProblem(DbProblemKind.LOCKED, str(orig))
        if "readonly" in text or "read-only" in text or code == 8:
            return DbProblem(DbProblemKind.READ_ONLY, str(orig))
        if "disk is full" in text or "database or disk is full" in text or code == 13:
            return DbProblem(DbProblemKind.DISK_FULL, str(orig))
        if "malformed" in text or "not a database" in text or code in (11, 26):
            return DbProblem(DbProblemKind.CORRUPT, str(orig))
        if "unable to open" in text or "disk i/o error" in text or code in (10, 14):
            return DbProblem(DbProblemKind.CANNOT_OPEN, str(orig))
    if isinstance(orig, OSError):
        if orig.errno == errno.ENOSPC:
            return DbProblem(DbProblemKind.DISK_FULL, str(orig))
        if orig.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return DbProblem(DbProblemKind.READ_ONLY, str(orig))
    return None


def refine(problem: DbProblem, folder: Path) -> DbProblem:
    """A failure to open or write told by its cause: SQLite says "unable to open"
    or "disk I/O error" for a read-only folder or a full disk alike."""
    if problem.kind not in (DbProblemKind.CANNOT_OPEN, DbProblemKind.LOCKED):
        return problem
    if is_read_only_place(folder):
        return DbProblem(DbProblemKind.READ_ONLY, problem.detail)
    if is_nearly_full(folder):
        return DbProblem(DbProblemKind.DISK_FULL, problem.detail)
    return problem


def published(codes: list[str], detail: str = "") -> DbProblem:
    """The refusal of a published period's trigger, naming the periods published (SQLite
    3.40's RAISE takes only a fixed text, so the trigger cannot name the row's period)."""
    if not codes:
        return DbProblem(DbProblemKind.PUBLISHED, detail)
    named = "、".join(codes)
    return DbProblem(
        DbProblemKind.PUBLISHED,
        detail,
        f"{named}已发布，成绩不能再修改（考核期和它所用的考核方案也不能改），什么也没有写入。"
        "确需修改请先重新打开该考核期。",
    )
