"""Test set-up: offscreen Qt, data directories inside tmp_path, a fixed today."""

from __future__ import annotations

import contextlib
import gc
import os
import subprocess
import sys
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


@pytest.fixture(autouse=True)
def _databases_left_intact(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[None]:
    """After every test, every SQLite file it left (its databases, copies, backups) passes
    the database check (`check --integrity`): silent corruption fails the suite wherever
    it comes from. A test that damages a file on purpose says so (damages_database)."""
    yield
    if request.node.get_closest_marker("damages_database"):
        return
    from app.db.sqlite_file import is_sqlite
    from app.services.files.integrity import check_file

    found = []
    for path in sorted(tmp_path.rglob("*")):
        if path.is_file() and not path.is_symlink() and is_sqlite(path):
            report = check_file(path)
            found += [f"{path.relative_to(tmp_path)}: {f.text()}" for f in report.faults]
    assert not found, "数据库检查未通过:\n" + "\n".join(found)


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
    from app.services.files import demo

    demo.build_demo(db, 120, today=TODAY)  # type: ignore[arg-type]
    return db


ROOT = Path(__file__).resolve().parents[1]
# The public sample registries and their MANIFEST.json, kept in the repo so a
# fresh clone tests on its own.
SAMPLES_DIR = ROOT / "tests" / "fixtures" / "samples"


def run_main(*args: str) -> subprocess.CompletedProcess[str]:
    """The command line as a user runs it: python main.py ARGS."""
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
    )


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    """A plain workbook with these rows on its first sheet."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


@contextlib.contextmanager
def lock_held_elsewhere(db_path: Path, what: str) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the database's writer lock, as an import would."""
    code = (
        "import sys, time; from pathlib import Path;"
        "from app.db.writer_lock import writer_lock;"
        "cm = writer_lock(Path(sys.argv[1]), sys.argv[2]); cm.__enter__();"
        "print('held', flush=True); sys.stdin.readline()"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(db_path), what],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "held"
        yield child
    finally:
        assert child.stdin is not None and child.stdout is not None
        child.stdin.close()
        child.wait(timeout=30)
        child.stdout.close()
