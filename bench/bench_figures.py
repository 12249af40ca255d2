"""Benchmarks for the figures and the overview (issue 4). Prints a table; each
figure is a ratio against bare SQLite doing comparable work in the same run.

    python bench/bench_figures.py [--quick]   (the 50,000- and 10,000-organization parks)

Targets (issue 23): the 预警清单 of 50,000 ≤ 100 ms; the overview with its charts ready
≤ 0.8 s on 10,000, against bare matplotlib importing and drawing five bar charts in Qt.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


from timing import Row, best, demo_park, parks, run_alone  # noqa: E402 - after the path set-up above

# the overview with its charts, matplotlib's import included, on 10,000 organizations
OVERVIEW = """
import sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from PySide6.QtCore import QTimer
from ui.application import make_app
from app.db.database import open_database
from ui.pages.overview_page import OverviewPage
app = make_app()
db = open_database(Path({park!r}), daily_backup=False)
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

# the bare libraries doing the same drawing: matplotlib imported, five bar charts in Qt
BARE_CHARTS = """
import sys, time
from PySide6.QtWidgets import QApplication, QGridLayout, QWidget
app = QApplication(sys.argv[:1])
w = QWidget(); w.resize(1300, 800); w.show()
start = time.perf_counter()
import matplotlib
matplotlib.use("QtAgg")
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
grid = QGridLayout(w)
for n in range(5):
    canvas = FigureCanvasQTAgg(Figure(figsize=(4.2, 2.8), layout="constrained"))
    canvas.figure.add_subplot().bar(["a", "b", "c"], [3, 2, 1])
    grid.addWidget(canvas, n // 2, n % 2)
    canvas.draw_idle()
app.processEvents()
print("READY", time.perf_counter() - start)
"""


def _ready(code: str, runs: int) -> float:
    """The fastest of ``runs`` fresh processes: the seconds each printed after READY."""
    import subprocess

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    times = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env
        )
        if done.returncode != 0:
            raise SystemExit(done.stderr)
        times.append(float(next(x for x in done.stdout.splitlines() if x.startswith("READY"))[6:]))
    return min(times)


def _gaps_floor(path: Path) -> None:
    """What the worklist's unit rules must read, read bare into Python on a fresh
    connection (as find_gaps opens one): the organizations' columns the rules ask, the
    assignments in force, the pairings in force, the overdue problems' units and each
    unit's last visit. No rule is applied, no gap made."""
    from datetime import date

    from app.db import rule_sql

    params = {"today": date.today().isoformat()}
    conn = sqlite3.connect(path)
    for sql in (
        "SELECT id, name, in_base, status, formation, formal_members, probationary_members,"
        " uscc IS NULL, party_org_id IS NULL, class_code FROM organization",
        "SELECT a.organization_id FROM assignment a JOIN instructor i ON i.id = a.instructor_id"
        f" WHERE {rule_sql.LOOKED_AFTER}",
        "SELECT pr.helped_id FROM pairing pr WHERE pr.started_on <= :today"
        " AND (pr.ended_on IS NULL OR pr.ended_on >= :today)",
        "SELECT pu.organization_id, p.text, p.deadline FROM problem p"
        " JOIN problem_unit pu ON pu.problem_id = p.id"
        f" WHERE {rule_sql.problem_still_open()} AND p.deadline < :today",
        "SELECT organization_id, max(visited_on) FROM visit GROUP BY organization_id",
    ):
        conn.execute(sql, params).fetchall()
    conn.close()


def measure(quick: bool) -> list[Row]:
    from app.db.database import open_database
    from app.services.overview.figures import registry_figures
    from app.services.overview.gaps import find_gaps

    repeat = 2 if quick else 3
    folder = parks()
    path = demo_park(folder / "park-50k.sqlite3", 50_000)
    park_10k = demo_park(folder / "park-10k.sqlite3", 10_000)
    db = open_database(path, daily_backup=False)
    conn = sqlite3.connect(path)

    def bare_group_by() -> None:
        conn.execute(
            "SELECT kind, formation, count(*) FROM organization WHERE in_base = 1"
            " GROUP BY kind, formation"
        ).fetchall()

    t_bare = best(bare_group_by, repeat)
    t_gaps = best(lambda: find_gaps(db), repeat)
    rows = [
        ("覆盖率等数字（5万组织）", best(lambda: registry_figures(db), repeat), t_bare, "≤ 100 ms"),
        ("预警清单（5万组织）", t_gaps, t_bare, "≤ 100 ms"),
        (
            "预警清单的下限：规则所需数据的裸读",
            t_gaps,
            best(lambda: _gaps_floor(path), repeat),
            "（参考）",
        ),
    ]
    db.dispose()
    conn.close()
    runs = 1 if quick else 3
    t_overview = _ready(OVERVIEW.format(root=str(ROOT), park=str(park_10k)), runs)
    t_charts = _ready(BARE_CHARTS, runs)
    rows.append(
        ("总览连同图表可操作（1万组织，含 matplotlib 导入）", t_overview, t_charts, "≤ 0.8 s")
    )
    return rows


NOTE = (
    "基准：数字与预警——同一数据库上裸 SQLite 的一次 GROUP BY；"
    "总览图表——裸 matplotlib 导入并在 Qt 中画五张柱状图。"
)

if __name__ == "__main__":
    sys.exit(run_alone(measure, NOTE))
