"""bench_registry times the start-up to the first page painted with its data, watching
that page's widget alone: an event filter on the whole application made PySide build
Python types for every event's enums (about 190) that the bare window it is compared
with never builds, a cost of the bench charged to ParkDesk."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.db.database import open_database
from app.services.files import demo

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import bench_registry  # noqa: E402 - after the bench folder is on the path


@pytest.fixture
def park(db_path: Path) -> Path:
    db = open_database(db_path)  # the day's backup is taken, as in the bench's parks
    demo.build_demo(db, 60)
    db.dispose()
    return db_path


def _loaded(park: Path, page: str) -> list[str]:
    code = bench_registry.PARKDESK_WINDOW.format(root=str(ROOT), db=str(park), page=page)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(park.parent))
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return next(x for x in done.stdout.splitlines() if x.startswith("LOADED")).split()


@pytest.mark.gui
def test_the_registry_start_is_timed_to_its_rows_painted(park: Path) -> None:
    fields = _loaded(park, "registry")
    assert int(fields[2]) == 60  # every row was in the table when it painted


@pytest.mark.gui
def test_the_overview_start_is_timed_to_its_figures_painted(park: Path) -> None:
    fields = _loaded(park, "overview")
    assert float(fields[1]) > 0


def test_the_bench_watches_only_the_page_it_times() -> None:
    code = bench_registry.PARKDESK_WINDOW
    assert "QApplication.instance().installEventFilter" not in code
    assert "target().installEventFilter(painted)" in code
