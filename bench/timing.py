"""Shared by the bench scripts: the best of several timed runs, the demo parks."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

Row = tuple[str, float, float, str]
"""One line of a bench table: label, ParkDesk's time, the bare library's time, target."""


def best(fn: Callable[[], object], repeat: int = 3) -> float:
    """The fastest of ``repeat`` runs of ``fn``, in seconds (the least disturbed)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def demo_park(path: Path, size: int) -> Path:
    """A demo park of ``size`` organizations at ``path``, built once and kept. A file
    left empty by an interrupted build (or opened before it was built) is built again:
    measuring an empty park, or a window stopped at its first-run dialog, is no measure."""
    import sqlite3

    from app.db.database import open_database
    from app.services import demo

    if path.exists():
        with sqlite3.connect(path) as conn:
            try:
                (count,) = conn.execute("SELECT count(*) FROM organization").fetchone()
            except sqlite3.DatabaseError:
                count = 0
        if count >= size:
            return path
        for stale in path.parent.glob(path.name + "*"):
            stale.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    db = open_database(path, daily_backup=False)
    demo.build_demo(db, size)
    db.dispose()
    return path


def print_table(rows: list[Row], width: int = 34, digits: int = 1) -> None:
    """The table every bench prints: label, ParkDesk's time, the bare library's time in
    the same run, their ratio, the target."""
    print(f"\n{'测量':<{width}}{'ParkDesk':>10}{'基准':>12}{'倍数':>8}   目标")
    for label, t, base, target in rows:
        ratio = f"{t / base:>7.{digits}f}"
        print(f"{label:<{width}}{t * 1000:>8.1f}ms{base * 1000:>10.1f}ms{ratio}×   {target}")
