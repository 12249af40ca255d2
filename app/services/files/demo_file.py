"""The demo park in a file of its own (文件 → 演示园区): never mixed with a real park.

The window's demo lives at ``demo_path()`` beside the real database, marked as a demo
(the ``demo`` setting) so the window says so on every page, and can be deleted and made
again at will. A file that is not a marked demo is never deleted or filled here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.db.database import Database
from app.paths import data_dir
from app.services.files.demo_size import DEFAULT_SIZE

DEMO_FILE = "演示园区.sqlite3"
DEMO_KEY = "demo"


def demo_path() -> Path:
    return data_dir() / DEMO_FILE


def is_demo(db: Database) -> bool:
    """Asked as every window opens (its banner): light, no SQLAlchemy."""
    from app.services.registry.park import read_setting

    return read_setting(db, DEMO_KEY) == "1"


def file_is_demo(path: Path) -> bool:
    """Whether ``path`` is a demo this module made (read without opening it for writing)."""
    import sqlite3

    from app.db.queries.registry import SETTING_SQL

    if not path.is_file():
        return False
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = conn.execute(SETTING_SQL, (DEMO_KEY,)).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return bool(row) and row[0] == "1"


def make_demo(
    path: Path | None = None,
    size: int = DEFAULT_SIZE,
    progress: Callable[[int, int], None] | None = None,
    *,
    again: bool = False,
) -> Path:
    """The demo database at ``path`` (``demo_path()``), built when missing; ``again``:
    deleted and built anew. A file there that is not a marked demo is refused, never
    overwritten."""
    from app.db.database import open_database
    from app.services.files import demo  # SQLAlchemy: not at start-up (the demo banner)
    from app.services.registry.park import write_setting

    path = path or demo_path()
    if path.exists() and not file_is_demo(path):
        raise ValueError(f"“{path}”不是演示园区的数据文件，不会被覆盖或删除")
    if path.exists() and not again:
        return path
    if path.exists():
        _remove(path)
    db = open_database(path, daily_backup=False)
    try:
        demo.build_demo(db, size, progress=progress)
        write_setting(db, DEMO_KEY, "1")
    finally:
        db.dispose()
    return path


def _remove(path: Path) -> None:
    """A demo database and its journal files (its backups stay in their folder)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
