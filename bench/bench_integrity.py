"""Benchmark for the database check (issue 22: `check --integrity`). Prints a table; the
figure is a ratio against SQLite's own `PRAGMA integrity_check` of the same file in the
same run, which the check runs first and cannot beat.

    python bench/bench_integrity.py [--quick] [SIZE]   (a 50,000-unit demo park by default)

Target: the whole check ≤ 3× SQLite's own integrity check: that check itself, the
foreign keys, and one more read of every table for its enumerations, dates, numbers,
uuids and JSON (one scan a table asks every rule at once).
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import Row, best, demo_park, parks, run_alone  # noqa: E402 - after the path set-up above


def measure(quick: bool, size: int = 50_000) -> list[Row]:
    from app.services.files.integrity import check_file

    repeat = 1 if quick else 3
    path = demo_park(parks() / f"park-{size}.sqlite3", size)

    def bare() -> None:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        finally:
            conn.close()

    def ours() -> None:
        assert check_file(path).ok

    return [
        (
            f"数据库检查（{size:,}个单位）",
            best(ours, repeat),
            best(bare, repeat),
            "≤ 3× SQLite integrity_check",
        )
    ]


if __name__ == "__main__":
    size = next((int(a) for a in sys.argv[1:] if a.isdigit()), 50_000)
    sys.exit(run_alone(lambda quick: measure(quick, size)))
