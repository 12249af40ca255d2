"""Benchmark for the database check (issue 22: `check --integrity`). Prints a table; the
figure is a ratio against SQLite's own `PRAGMA integrity_check` of the same file in the
same run, which the check runs first and cannot beat.

    python bench/bench_integrity.py [SIZE]   (a 50,000-unit demo park by default)

Target: the whole check ≤ 3× SQLite's own integrity check: that check itself, the
foreign keys, and one more read of every table for its enumerations, dates, numbers,
uuids and JSON (one scan a table asks every rule at once).
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import best, demo_park, print_table  # noqa: E402 - after the path set-up above


def main() -> None:
    from app.services.integrity import check_file

    size = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    path = demo_park(Path(tempfile.gettempdir()) / "parkdesk-bench" / f"park-{size}.sqlite3", size)

    def bare() -> None:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        finally:
            conn.close()

    def ours() -> None:
        assert check_file(path).ok

    print_table(
        [
            (
                f"数据库检查（{size:,}个单位）",
                best(ours),
                best(bare),
                "≤ 3× SQLite integrity_check",
            )
        ]
    )


if __name__ == "__main__":
    main()
