"""The county view (issue 24): a county of 20 parks × 2,500 units, each park's quarterly
workbook exported by ParkDesk.

- importing the 20 submissions (preview and apply, one transaction) against python-calamine
  reading the same 20 files' registry sheets into Python: ≤ 3×;
- ``county stats`` (every figure per park and the total) ≤ 200 ms, beside a bare GROUP BY
  of the same units;
- the 园区对比 page usable (its table filled) ≤ 1 s.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import Row, best, building, parks, run_alone, scratch  # noqa: E402 - after the path

PARKS = 20
UNITS = 2_500


def _submissions(folder: Path) -> list[Path]:
    """The 20 parks' workbooks, built once and kept (a demo park each, exported)."""
    from app.db.database import open_database
    from app.domain.quarters import Quarter
    from app.services.files import demo
    from app.services.workbooks.submissions import export_quarter

    out = []
    for n in range(1, PARKS + 1):
        name = f"第{n:02d}园区"
        workbook = folder / f"{name}.xlsx"
        out.append(workbook)
        if workbook.exists():
            continue
        db_path = building(folder / f"{name}.sqlite3")
        db = open_database(db_path, daily_backup=False)
        try:
            demo.build_demo(db, UNITS, park_name=name)
            made = building(workbook).with_suffix(".xlsx")
            export_quarter(db, made, Quarter.of(date.today()))
        finally:
            db.dispose()
        made.replace(workbook)
        for leftover in folder.glob(db_path.name + "*"):
            leftover.unlink()
    return out


def _bare_read(files: list[Path]) -> None:
    from python_calamine import CalamineWorkbook

    for path in files:
        book = CalamineWorkbook.from_path(str(path))
        book.get_sheet_by_name("组织名录").to_python()


def _county(path: Path, files: list[Path]) -> float:
    """A fresh county database with the 20 submissions imported; the seconds it took."""
    from app.db.database import open_database
    from app.services.county.county_db import init_county
    from app.services.county.county_import import apply_county_import, preview_county_import

    for stale in path.parent.glob(path.name + "*"):
        stale.unlink()
    db = open_database(path, daily_backup=False)
    try:
        init_county(db, "测速县")
        start = time.perf_counter()
        apply_county_import(db, preview_county_import(db, files))
        return time.perf_counter() - start
    finally:
        db.dispose()


def _page_ready(path: Path) -> float:
    """The 园区对比 page built and its table filled, in this process's Qt application."""
    from PySide6.QtCore import QEventLoop, QTimer

    from app.db.database import open_database
    from ui import tasks
    from ui.application import make_app
    from ui.pages.county_page import CountyPage

    make_app()
    db = open_database(path, daily_backup=False)
    start = time.perf_counter()
    page = CountyPage(db)
    page.resize(1300, 800)
    page.show()
    page.reload()
    loop = QEventLoop()

    def check() -> None:
        if page.model.rowCount() > PARKS:
            loop.quit()
        else:
            QTimer.singleShot(2, check)

    QTimer.singleShot(0, check)
    loop.exec()
    took = time.perf_counter() - start
    while tasks.busy():  # the charts' matplotlib import: not part of "usable"
        loop2 = QEventLoop()
        QTimer.singleShot(20, loop2.quit)
        loop2.exec()
    page.close()
    db.dispose()
    return took


def measure(quick: bool) -> list[Row]:
    from app.db.database import open_database
    from app.services.county.county_figures import county_figures

    folder = parks() / "county"
    folder.mkdir(exist_ok=True)
    files = _submissions(folder)
    repeat = 1 if quick else 3
    county = scratch() / "county.sqlite3"
    t_import = min(_county(county, files) for _ in range(repeat))
    t_read = best(lambda: _bare_read(files), repeat)
    db = open_database(county, daily_backup=False)
    conn = sqlite3.connect(county)

    def bare_group_by() -> None:
        conn.execute(
            "SELECT submission_id, kind, formation, count(*) FROM county_unit"
            " WHERE in_base = 1 GROUP BY submission_id, kind, formation"
        ).fetchall()

    t_stats = best(lambda: county_figures(db), 3 if quick else 5)
    t_bare = best(bare_group_by, 3 if quick else 5)
    db.dispose()
    conn.close()
    t_page = min(_page_ready(county) for _ in range(1 if quick else 2))
    label = f"{PARKS}园区×{UNITS:,}"
    return [
        (f"区县汇总导入{PARKS}份报送（{label}）", t_import, t_read, "≤ 3× calamine"),
        (f"county stats（{label}）", t_stats, t_bare, "≤ 200 ms"),
        (f"园区对比页可用（{label}）", t_page, t_bare, "≤ 1 s"),
    ]


NOTE = (
    "基准：导入——python-calamine 读出同样20个文件的“组织名录”工作表；"
    "统计与页面——同一汇总库上裸 SQLite 的一次 GROUP BY。"
)

if __name__ == "__main__":
    sys.exit(run_alone(measure, NOTE))
