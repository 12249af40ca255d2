"""A new database gets its schema from the models in one transaction (app/db/schema.py);
it must be the very schema the 19 migrations build, entry by entry of sqlite_master, and
an existing database still migrates, its backup first."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy.exc

from app.db import migrate, published_guard
from app.db.backup import list_backups
from app.db.database import open_database
from app.db.engine import make_engine

ROOT = Path(__file__).resolve().parents[2]


def _entries(path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """Every table, index (partial ones too), trigger: (type, name) → (table, SQL)."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    finally:
        conn.close()
    return {(t, n): (tbl, re.sub(r"\s+", " ", sql or "").strip()) for t, n, tbl, sql in rows}


def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """What the schema's making wrote into each table (the identity's value aside)."""
    conn = sqlite3.connect(path)
    try:
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        rows = {t: conn.execute(f'SELECT * FROM "{t}"').fetchall() for t in tables}
    finally:
        conn.close()
    rows["setting"] = [r[:1] for r in rows.get("setting", [])]
    # the unnamed park's row: its uuid and time aside (id, name, unit, level, source)
    rows["park"] = [r[:1] + r[2:6] for r in rows.get("park", [])]
    return rows


def _migrated(path: Path) -> Path:
    engine = make_engine(path)
    migrate.run_alembic(engine, "upgrade", "head")
    engine.dispose()
    return path


def test_a_new_database_has_exactly_the_schema_the_migrations_build(tmp_path: Path) -> None:
    db = open_database(tmp_path / "new.sqlite3", daily_backup=False)
    db.dispose()
    created = _entries(tmp_path / "new.sqlite3")
    migrated = _entries(_migrated(tmp_path / "migrated.sqlite3"))
    assert created == migrated
    assert _rows(tmp_path / "new.sqlite3") == _rows(tmp_path / "migrated.sqlite3")
    # what the comparison covers: migration 0017's triggers, the partial index of 0019
    assert {("trigger", name) for name in published_guard.TRIGGERS} <= set(created)
    assert "WHERE cluster_id IS NOT NULL" in created[("index", "ix_organization_cluster")][1]
    assert created[("table", "alembic_version")] == migrated[("table", "alembic_version")]


def test_a_new_database_is_stamped_at_head_without_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    db = open_database(path, daily_backup=False)
    assert migrate.current_revision(db.engine) == migrate.SCHEMA_HEAD
    db.dispose()
    assert "migration" not in [b.reason for b in list_backups(path)]


def test_the_new_schema_is_written_whole_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "new.sqlite3"
    monkeypatch.setattr(
        published_guard, "create_triggers", lambda: ["CREATE TRIGGER broken BEFORE nonsense"]
    )
    engine = make_engine(path)
    with pytest.raises(sqlalchemy.exc.OperationalError):
        migrate.upgrade(engine, None)
    engine.dispose()
    assert _entries(path) == {}


def test_an_existing_database_still_migrates_its_backup_first(tmp_path: Path) -> None:
    path = tmp_path / "v0016.sqlite3"
    engine = make_engine(path)
    migrate.run_alembic(engine, "upgrade", "0016")
    engine.dispose()
    db = open_database(path, daily_backup=False)
    assert migrate.current_revision(db.engine) == migrate.SCHEMA_HEAD
    db.dispose()
    assert [b.reason for b in list_backups(path)] == ["migration"]
    assert _entries(path) == _entries(_migrated(tmp_path / "migrated.sqlite3"))


def test_a_new_database_is_made_without_running_the_migrations(tmp_path: Path) -> None:
    """Alembic (and its 19 scripts) is not even imported to make a new database."""
    code = (
        "import sys; from pathlib import Path; from app.db.database import open_database;"
        f"open_database(Path({str(tmp_path / 'new.sqlite3')!r}), daily_backup=False).dispose();"
        "print('alembic' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "False"
