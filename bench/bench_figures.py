"""Benchmarks for the figures and the overview (issue 4). Prints a table; each
figure is a ratio against bare SQLite doing comparable work in the same run.

    python bench/bench_figures.py   (uses the 50,000-organization park of bench_registry.py)
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


from timing import best, demo_park  # noqa: E402 - after the path set-up above


def main() -> int:
    from app.db.database import open_database
    from app.services.figures import registry_figures
    from app.services.gaps import find_gaps

    folder = Path(tempfile.gettempdir()) / "parkdesk-bench"
    path = demo_park(folder / "park-50k.sqlite3", 50_000)
    park_10k = demo_park(folder / "park-10k.sqlite3", 10_000)
    db = open_database(path, daily_backup=False)
    conn = sqlite3.connect(path)

    def bare_group_by() -> None:
        conn.execute(
            "SELECT kind, formation, count(*) FROM organization WHERE in_base = 1"
            " GROUP BY kind, formation"
        ).fetchall()

    t_bare = best(bare_group_by)
    rows = [
        ("覆盖率等数字（5万组织）", best(lambda: registry_figures(db)), t_bare, "≤ 100 ms"),
        ("预警清单（5万组织）", best(lambda: find_gaps(db), 3), t_bare, "≤ 100 ms"),
    ]
    # the overview with its charts, matplotlib's import included, on 10,000 organizations
    code = f"""
import sys, time
t0 = time.perf_counter()
sys.path.insert(0, {str(ROOT)!r})
from pathlib import Path
from PySide6.QtCore import QTimer
from ui.application import make_app
from app.db.database import open_database
from ui.pages.overview_page import OverviewPage
app = make_app()
db = open_database(Path({str(park_10k)!r}), daily_backup=False)
page = OverviewPage(db); page.resize(1300, 800); page.show()
start = time.perf_counter()
page.reload()
def check():
    if page.canvases:
        app.processEvents()
        print("READY", time.perf_counter() - start)
        app.quit()
    else:
        QTimer.singleShot(5, check)
QTimer.singleShot(0, check)
app.exec()
"""
    import subprocess

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    ready = float(next(x for x in done.stdout.splitlines() if x.startswith("READY")).split()[1])
    print()
    print(f"{'测量':<26}{'ParkDesk':>12}{'基准':>12}{'倍数':>8}   目标")
    for name, mine, base, target in rows:
        print(
            f"{name:<26}{mine * 1000:>10.1f}ms{base * 1000:>10.1f}ms{mine / base:>7.1f}×   {target}"
        )
    label = "总览连同图表可操作（1万组织）"
    print(f"{label:<26}{ready * 1000:>10.0f}ms{'':>20}   ≤ 1 s（含 matplotlib 导入）")
    print("\n基准：同一数据库上裸 SQLite 的一次 GROUP BY。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
