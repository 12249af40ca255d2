"""Test set-up: offscreen Qt, data directories inside tmp_path, a fixed today."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

# Before any QApplication exists (pytest-qt creates it lazily).
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_QUICK_BACKEND", "software")

TODAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _collect_on_the_main_thread() -> Iterator[None]:
    """As in the application (ui/gc_guard.py): no automatic collection, which
    could free Qt objects from a worker thread; collect between tests instead."""
    gc.disable()
    yield
    gc.collect()


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("PARKDESK_DATA_DIR", str(data))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "园区数据" / "parkdesk.sqlite3"


@pytest.fixture
def db(db_path: Path) -> Iterator[object]:
    from app.db.database import open_database

    database = open_database(db_path)
    yield database
    database.dispose()


@pytest.fixture
def demo_db(db: object) -> object:
    from app.services import demo

    demo.build_demo(db, 120, today=TODAY)  # type: ignore[arg-type]
    return db
