"""Whether a file would restore: checked whole before anything is replaced.

A file passes when it is an intact SQLite database (integrity check), carries a
schema revision this program knows (a newer one is refused here, not after the
restore), and, brought to today's schema on a scratch copy, has every table
and column ParkDesk uses. A SQLite file with an ``organization(x)`` table and
an ``alembic_version`` row is not a backup.
"""

from __future__ import annotations

import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from app.db.queries.park import OWN_PARK_SQL
from app.db.sqlite_file import is_sqlite, open_read_only, schema_revision


class BackupFileError(ValueError):
    """The file chosen for a restore is not a usable ParkDesk backup."""


@dataclass(frozen=True, slots=True)
class BackupInfoCheck:
    """What a checked backup holds."""

    revision: str
    database_id: str | None
    park_name: str
    organizations: int

    def describe(self) -> str:
        park = self.park_name or "未命名园区"
        return f"{park}，{self.organizations}个组织"


def database_id(path: Path) -> str | None:
    """The identity a database (and each backup of it) carries; None before it had one."""
    conn = open_read_only(path)
    try:
        row = conn.execute("SELECT value FROM setting WHERE key = 'database_id'").fetchone()
    except sqlite3.OperationalError:
        return None
    finally:
        conn.close()
    return row[0] if row else None


def check_backup(path: Path) -> BackupInfoCheck:
    """What the backup holds; BackupFileError saying why it would not restore."""
    from app.db.migrate import is_newer, known_revisions

    if not path.is_file():
        raise BackupFileError(f"备份文件不存在：{path}")
    if not is_sqlite(path):
        raise BackupFileError(f"所选文件不是 ParkDesk 的备份（不是 SQLite 数据库）：{path}")
    damaged = BackupFileError(f"备份文件已损坏，不能用来恢复：{path}")
    try:
        conn = open_read_only(path)
        try:
            ok = conn.execute("PRAGMA integrity_check(1)").fetchone()
            version = schema_revision(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise damaged from exc
    if not ok or ok[0] != "ok":
        raise damaged
    if version is None:
        raise BackupFileError(f"所选文件不是 ParkDesk 的备份（没有数据版本）：{path}")
    revision = str(version)
    if revision not in known_revisions():
        if is_newer(revision):
            raise BackupFileError(
                f"这个备份由更新版本的 ParkDesk 生成（数据版本 {revision}），"
                f"当前版本无法使用，请先升级 ParkDesk：{path}"
            )
        raise BackupFileError(f"所选文件不是 ParkDesk 的备份（未知的数据版本 {revision}）：{path}")
    return _check_schema(path, revision)


def _check_schema(path: Path, revision: str) -> BackupInfoCheck:
    """Bring a scratch copy to today's schema and compare it with the models."""
    from app.db.engine import make_engine
    from app.db.migrate import SCHEMA_HEAD, run_alembic
    from app.db.models import Base

    with tempfile.TemporaryDirectory(prefix="parkdesk-check-") as folder:
        scratch = Path(folder) / "check.sqlite3"
        src = open_read_only(path)
        dest = sqlite3.connect(scratch)
        try:
            src.backup(dest)
        finally:
            dest.close()
            src.close()
        if revision != SCHEMA_HEAD:
            engine = make_engine(scratch)
            try:
                run_alembic(engine, "upgrade", "head")
            except Exception as exc:
                raise BackupFileError(
                    f"所选文件不是完整的 ParkDesk 数据（无法升级到当前版本）：{path}"
                ) from exc
            finally:
                engine.dispose()
        conn = sqlite3.connect(scratch)
        try:
            missing = [
                f"{table.name}.{column}"
                for table in Base.metadata.sorted_tables
                for column in _missing_columns(conn, table.name, [c.name for c in table.columns])
            ]
            if missing:
                shown = "、".join(missing[:5]) + ("等" if len(missing) > 5 else "")
                raise BackupFileError(f"所选文件不是完整的 ParkDesk 数据（缺少 {shown}）：{path}")
            _refuse_foreign_park(conn, path)
            park = conn.execute(OWN_PARK_SQL).fetchone()
            ident = conn.execute("SELECT value FROM setting WHERE key = 'database_id'").fetchone()
            count = conn.execute("SELECT count(*) FROM organization").fetchone()[0]
        finally:
            conn.close()
    return BackupInfoCheck(
        revision=revision,
        database_id=_original_identity(path, ident),
        park_name=park[0] if park else "",
        organizations=int(count),
    )


def _refuse_foreign_park(conn: sqlite3.Connection, path: Path) -> None:
    """Every record belongs to a park the file holds (models.park_id_column): a file
    edited by hand to say park 7 restored as it was, and every later check of the
    database named its rows broken. Refused before anything is replaced."""
    from app.db.models import Base

    stray = 0
    for table in Base.metadata.sorted_tables:
        if "park_id" in table.c:
            stray += conn.execute(
                f"SELECT count(*) FROM {table.name} WHERE park_id NOT IN (SELECT id FROM park)"
            ).fetchone()[0]
    if stray:
        raise BackupFileError(
            f"所选文件中有{stray}条记录属于文件中没有的园区，文件可能被改动过，不能用来恢复：{path}"
        )


def _original_identity(path: Path, upgraded: tuple[str] | None) -> str | None:
    """The backup's own identity: one the upgrade made up on the scratch copy is none."""
    return database_id(path) if upgraded else None


def _missing_columns(conn: sqlite3.Connection, table: str, columns: list[str]) -> list[str]:
    have = {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}
    if not have:
        return ["（整张表）"]
    return [c for c in columns if c not in have]
