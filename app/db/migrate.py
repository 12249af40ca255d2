"""Alembic at start-up: backup first, upgrade only when behind, refuse newer files."""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app.db.errors import DbProblem, DbProblemKind
from app.paths import migrations_dir

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Engine

log = logging.getLogger(__name__)

# The newest revision in migrations/versions. Start-up compares the database
# with it without importing Alembic (≈130 ms); a test keeps it equal to
# Alembic's own head.
SCHEMA_HEAD = "0026_speed_indexes"
_LEADING_DIGITS = re.compile(r"\d+")
# the form of a ParkDesk revision: four digits, perhaps a topic ("0017", "0018_notes")
_OUR_FORM = re.compile(r"\d{4}(?:_[a-z0-9_]+)?")


def revision_number(revision: str) -> int | None:
    """A revision's order: its leading number ("0015" → 15, "0016_problem_notes" → 16);
    None for text that is not a revision of ours."""
    found = _LEADING_DIGITS.match(revision)
    return int(found.group()) if found else None


def is_newer(revision: str) -> bool:
    """Whether a revision this program does not know is a later ParkDesk's: of our form
    and numbered past the head. Any other unknown id (``0010_x``, ``abc``) is not newer,
    it is no ParkDesk revision this version knows."""
    number = revision_number(revision)
    head = revision_number(SCHEMA_HEAD) or 0
    return bool(_OUR_FORM.fullmatch(revision)) and number is not None and number > head


def unknown_revision(revision: str) -> DbProblem:
    """The refusal of a database at a revision this program does not know, saying which."""
    if is_newer(revision):
        return DbProblem(
            DbProblemKind.TOO_NEW,
            revision,
            f"这个数据库由较新版本的 ParkDesk 创建（数据版本 {revision}，本版本 {SCHEMA_HEAD}），"
            "当前版本无法打开，ParkDesk 没有改动它。请升级 ParkDesk。",
        )
    return DbProblem(
        DbProblemKind.UNKNOWN_REVISION,
        revision,
        f"这个数据库的数据版本“{revision}”不是本版本 ParkDesk 认识的版本"
        f"（本版本为 0001—{SCHEMA_HEAD}），也不是较新版本的编号：它可能被其他程序改动过。"
        "ParkDesk 没有改动它；请从备份恢复，或用 --db 指定 ParkDesk 的数据文件。",
    )


def alembic_config() -> Config:
    from alembic.config import Config

    # Built in code, no ini file: Alembic then never calls fileConfig(),
    # which would disable the application's loggers.
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    """Every schema revision this program can open or upgrade."""
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def _read_version(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:  # no alembic_version table yet
        return None
    return row[0] if row else None


def needs_upgrade(db_path: Path) -> bool:
    """Whether the file is behind (or ahead of) this build, read without SQLAlchemy."""
    if not db_path.exists():
        return True
    conn = sqlite3.connect(db_path)
    try:
        return _read_version(conn) != SCHEMA_HEAD
    finally:
        conn.close()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return _read_version(conn.connection.driver_connection)  # type: ignore[arg-type]


def upgrade(engine: Engine, backup_first: Callable[[], Path] | None) -> bool:
    """Bring the database to head, calling ``backup_first`` before a migration
    touches existing tables; a new (empty) file gets the head's schema in one
    transaction instead. Returns True when the schema was written."""
    current = current_revision(engine)
    if current == SCHEMA_HEAD:
        return False
    if current is None:
        from app.db import schema

        if schema.is_empty(engine):
            # a new database: its schema at once, not 19 migrations one by one
            schema.create_new(engine, SCHEMA_HEAD)
            return True
    elif current not in known_revisions():
        raise unknown_revision(current)
    from sqlalchemy import inspect

    has_tables = bool(inspect(engine).get_table_names())
    if backup_first is not None and has_tables:
        log.info("backup before migration: %s", backup_first())
    run_alembic(engine, "upgrade", "head")
    return True


def run_alembic(engine: Engine, name: str, *args: str) -> None:
    """Run an Alembic command on a connection of ``engine`` (shared with env.py)."""
    from alembic import command

    cfg = alembic_config()
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        getattr(command, name)(cfg, *args)
