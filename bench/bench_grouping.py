"""Benchmarks for grouping and pairing (issue 11): classes, and as they land clusters,
pairings and instructor suggestions. Prints a table; each figure is a ratio against
bare sqlite3 reading the same rows in the same run.

    python bench/bench_grouping.py [--quick]   (uses the 50,000-organization demo park)

Targets (issue 23): 编组页 reads all its clusters ≤ 20 ms; 分类管理页 reads every unit with
its proposal ≤ 3× bare sqlite3 reading the same columns.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import Row, best, demo_park, parks, run_alone, scratch  # noqa: E402 - after the path set-up above


def _suggestions(path: Path, repeat: int) -> Row:
    """Suggestions on a copy of the park where about 10,000 units lost their instructor."""
    import shutil

    from app.db.database import open_database
    from app.services.grouping.suggestions import suggest_assignments

    copy = scratch() / "park-50k-uncovered.sqlite3"
    shutil.copyfile(path, copy)
    with sqlite3.connect(copy) as conn:
        conn.execute(
            "DELETE FROM assignment WHERE organization_id IN (SELECT id FROM organization"
            " WHERE formation = 'none' AND id % 4 != 0)"
        )
    db = open_database(copy, daily_backup=False)
    units = len(suggest_assignments(db))
    conn = sqlite3.connect(copy)
    t_bare = best(
        lambda: conn.execute(
            "SELECT o.id, o.uscc, o.name, o.zone, o.building, o.class_code FROM organization o"
            " WHERE o.in_base = 1 AND o.formation = 'none'"
        ).fetchall(),
        repeat,
    )
    t = best(lambda: suggest_assignments(db), repeat)
    db.dispose()
    conn.close()
    return (f"推荐指导员：{units:,}个未覆盖单位（5万组织）", t, t_bare, "≤ 1 s")


def _pages(path: Path, repeat: int) -> list[Row]:
    """In the real pages (offscreen): a 400-unit cluster opened, and the slowest
    keystroke of a search over 50,000 units on 分类管理."""
    import os
    import shutil
    import time

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from app.db.database import open_database
    from app.services.grouping import classes, clusters
    from ui.pages.classes_page import ClassesPage
    from ui.pages.clusters_page import ClustersPage

    app = QApplication.instance() or QApplication([])
    copy = scratch() / "park-50k-big-cluster.sqlite3"
    shutil.copyfile(path, copy)
    with sqlite3.connect(copy) as conn:
        conn.execute(
            "UPDATE organization SET cluster_id = 1, is_cluster_leader = 0 WHERE id <= 400"
        )
        conn.execute("UPDATE organization SET is_cluster_leader = 1 WHERE id = 1")
    db = open_database(copy, daily_backup=False)
    page = ClustersPage(db)
    page.show_rows(clusters.list_clusters(db, page.year.value()))

    def open_big() -> None:
        page.select_id(2)  # another cluster first: its detail is not the one measured
        app.processEvents()
        start = time.perf_counter()
        page.select_id(1)
        app.processEvents()
        opened.append(time.perf_counter() - start)

    opened: list[float] = []
    for _ in range(repeat):
        open_big()
    t_cluster = min(opened)
    t_list = best(lambda: clusters.list_clusters(db, page.year.value()), repeat)
    members = len(next(r for r in page.model.all_rows if r.id == 1).members)
    conn = sqlite3.connect(copy)
    t_bare = best(
        lambda: conn.execute("SELECT * FROM organization WHERE cluster_id = 1").fetchall(), repeat
    )
    out = [
        (f"编组页：打开{members}个单位的编组", t_cluster, t_bare, "≤ 100 ms"),
        (
            f"编组页：读取全部{len(page.model.all_rows):,}个编组（后台线程）",
            t_list,
            t_bare,
            "≤ 20 ms",
        ),
    ]

    review = ClassesPage(db)
    review.show_rows(classes.review_rows(db))
    review._filters[0][0].setCurrentIndex(1)  # 全部单位
    haystacks = [r.search_text for r in review.model.all_rows]

    def typing() -> float:
        worst = 0.0
        for text in ("华", "华泰", "华泰机", "华泰", ""):
            start = time.perf_counter()
            review.search.setText(text)
            app.processEvents()
            worst = max(worst, time.perf_counter() - start)
        return worst

    t_typing = min(typing() for _ in range(repeat))
    t_bare_typing = best(lambda: [h for h in haystacks if "华" in h], repeat)
    out.append(("分类管理页边输边搜（最慢一键）5万行", t_typing, t_bare_typing, "≤ 50 ms"))
    from PySide6.QtCore import Qt

    def cold_sort() -> None:
        review.model._keys.clear()  # a first click on the column: its keys are made too
        review.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)

    codes = [r.current.value if r.current else "Z" for r in review.model.all_rows]
    t_sort = best(cold_sort, repeat)
    out.append(
        (
            "分类管理页按现分类排序 5万行（首次）",
            t_sort,
            best(lambda: sorted(codes), repeat),
            "≤ 50 ms",
        )
    )
    db.dispose()
    conn.close()
    return out


def measure(quick: bool) -> list[Row]:
    from app.db.database import open_database
    from app.services.grouping import classes

    repeat = 2 if quick else 3
    path = demo_park(parks() / "park-50k.sqlite3", 50_000)
    db = open_database(path, daily_backup=False)
    conn = sqlite3.connect(path)

    def bare_review_columns() -> None:
        conn.execute(
            "SELECT id, uscc, name, kind, formation, class_code, formal_members,"
            " probationary_members, activists FROM organization WHERE status = 'active'"
        ).fetchall()

    t_bare = best(bare_review_columns, repeat)
    rows: list[Row] = [
        (
            "年度分类复核：调整建议（5万组织）",
            best(lambda: classes.proposals(db), repeat),
            t_bare,
            "≤ 200 ms",
        ),
        (
            "分类管理页：全部单位及建议（5万组织，后台线程）",
            best(lambda: classes.review_rows(db), repeat),
            t_bare,
            "≤ 3×",
        ),
    ]
    db.dispose()
    conn.close()
    rows.append(_suggestions(path, repeat))
    return rows + _pages(path, repeat)


NOTE = "基准：裸 sqlite3 读出同样的列。均为多次中的最小值。"

if __name__ == "__main__":
    sys.exit(run_alone(measure, NOTE))
