"""Benchmarks for grouping and pairing (issue 11): classes, and as they land clusters,
pairings and instructor suggestions. Prints a table; each figure is a ratio against
bare sqlite3 reading the same rows in the same run.

    python bench/bench_grouping.py   (uses the 50,000-organization demo park)
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import best, demo_park  # noqa: E402 - after the path set-up above


def _suggestions(path: Path) -> tuple[str, float, float, str]:
    """Suggestions on a copy of the park where about 10,000 units lost their instructor."""
    import shutil

    from app.db.database import open_database
    from app.services.suggestions import suggest_assignments

    copy = path.with_name("park-50k-uncovered.sqlite3")
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
        ).fetchall()
    )
    t = best(lambda: suggest_assignments(db))
    db.dispose()
    conn.close()
    return (f"推荐指导员：{units:,}个未覆盖单位（5万组织）", t, t_bare, "≤ 1 s")


def main() -> int:
    from app.db.database import open_database
    from app.services import classes

    path = demo_park(Path(tempfile.gettempdir()) / "parkdesk-bench" / "park-50k.sqlite3", 50_000)
    db = open_database(path, daily_backup=False)
    conn = sqlite3.connect(path)

    def bare_review_columns() -> None:
        conn.execute(
            "SELECT id, uscc, name, kind, formation, class_code, formal_members,"
            " probationary_members, activists FROM organization WHERE status = 'active'"
        ).fetchall()

    t_bare = best(bare_review_columns)
    rows = [
        (
            "年度分类复核：调整建议（5万组织）",
            best(lambda: classes.proposals(db)),
            t_bare,
            "≤ 200 ms",
        ),
        (
            "分类管理页：全部单位及建议（5万组织）",
            best(lambda: classes.review_rows(db)),
            t_bare,
            "后台线程",
        ),
    ]
    rows.append(_suggestions(path))
    print(f"\n{'测量':<30}{'ParkDesk':>10}{'基准':>12}{'倍数':>8}   目标")
    for label, t, base, target in rows:
        print(f"{label:<30}{t * 1000:>8.1f}ms{base * 1000:>10.1f}ms{t / base:>7.1f}×   {target}")
    print("\n基准：裸 sqlite3 读出同样的列。均为多次中的最小值。")
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
