"""Benchmarks for visits and rectifications (issue 13). Prints a table; each figure is a
ratio against bare work on the same rows in the same run.

    python bench/bench_visits.py [--quick]   (a 10,000-unit demo park with 100,000 visits added)

Target: the 走访整改 page over 100,000 visits sorts and filters ≤ 50 ms (the slowest
keystroke of a search, a filter, a first sort of a column); reading the 100,000 visits
for it ≤ 3× a bare sqlite3 read of the visit table (issue 23).
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import Row, best, building, demo_park, parks, publish, run_alone  # noqa: E402 - after the path set-up above

VISITS = 100_000


def _park(folder: Path) -> Path:
    """The demo park with visits added until there are 100,000 (each by an instructor)."""
    path = folder / "park-10k-visits.sqlite3"
    if path.exists():
        return path
    from app.db.database import open_database

    base = demo_park(folder / "park-10k-assessed.sqlite3", 10_000)
    open_database(base, daily_backup=False).dispose()  # migrated: a park built before visits
    built = building(path)
    shutil.copyfile(base, built)
    rng = random.Random(13)
    conn = sqlite3.connect(built)
    with conn:
        (have,) = conn.execute("SELECT count(*) FROM visit").fetchone()
        pairs = conn.execute("SELECT organization_id, instructor_id FROM assignment").fetchall()
        (start,) = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM visit").fetchone()
        today = date.today()
        visits, links = [], []
        for n in range(VISITS - have):
            org, who = rng.choice(pairs)
            vid = start + n
            day = (today - timedelta(days=rng.randint(1, 1500))).isoformat()
            visits.append(
                (
                    vid,
                    f"bench-{vid}",
                    org,
                    day,
                    rng.choice(("visit", "unannounced")),
                    "查看党员活动室，查阅会议记录",
                    "",
                    1,
                    "bench",
                    day,
                    day,
                )
            )
            links.append((f"bench-link-{vid}", vid, who))
        conn.executemany(
            "INSERT INTO visit (id, uuid, organization_id, visited_on, kind, content,"
            " people_met, row_version, changed_by, created_at, updated_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            visits,
        )
        conn.executemany(
            "INSERT INTO visit_instructor (uuid, visit_id, instructor_id) VALUES (?,?,?)", links
        )
    conn.close()
    return publish(built, path)


def measure(quick: bool) -> list[Row]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from app.db.database import open_database
    from app.services.field import visits
    from ui.pages.visits_page import VisitListPage

    path = _park(parks())
    app = QApplication.instance() or QApplication([])
    db = open_database(path, daily_backup=False)
    repeat = 2 if quick else 3
    t_load = best(lambda: visits.list_visits(db), repeat=repeat)
    rows = visits.list_visits(db)
    page = VisitListPage(db)
    page.show_rows(rows)
    page.resize(1300, 800)
    page.show()
    app.processEvents()

    def timed(fn) -> float:  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        fn()
        app.processEvents()
        return time.perf_counter() - start

    def typing() -> float:
        return max(
            timed(lambda t=t: page.search.setText(t)) for t in ("广", "广西", "广西华", "广西", "")
        )

    t_typing = min(typing() for _ in range(repeat))

    def cold_sort() -> None:
        page.model._keys.clear()  # a first click on the column: its keys are made too
        page.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)

    t_sort = min(timed(cold_sort) for _ in range(repeat))
    combo = page._filters[0][0]
    t_filter = min(
        max(timed(lambda: combo.setCurrentIndex(1)), timed(lambda: combo.setCurrentIndex(0)))
        for _ in range(repeat)
    )
    haystacks = [r.search_text for r in rows]
    names = [r.org.name for r in rows]
    conn = sqlite3.connect(path)
    t_bare_read = best(lambda: conn.execute("SELECT * FROM visit").fetchall(), repeat)
    out = [
        (f"走访整改页：读取{len(rows):,}次走访（后台线程）", t_load, t_bare_read, "≤ 3×"),
        (
            "走访整改页：边输边搜（最慢一键）",
            t_typing,
            best(lambda: [h for h in haystacks if "广" in h]),
            "≤ 50 ms",
        ),
        ("走访整改页：按单位排序（首次）", t_sort, best(lambda: sorted(names)), "≤ 50 ms"),
        (
            "走访整改页：按方式筛选",
            t_filter,
            best(lambda: [r for r in rows if r.kind.value == "visit"]),
            "≤ 50 ms",
        ),
    ]
    db.dispose()
    conn.close()
    return out


NOTE = "基准：裸 sqlite3 读同样的表；排序、筛选、搜索为同样的行在 Python 中做同样的事。"

if __name__ == "__main__":
    sys.exit(run_alone(measure, NOTE))
