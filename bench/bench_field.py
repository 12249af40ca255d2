"""Benchmarks for the instructor's laptop (issue 13). Prints a table; each figure is a
ratio against bare work of the same size in the same run.

    python bench/bench_field.py [--quick]   (a 50,000-unit demo park)

Targets: a field package for 200 units out of 50,000 made ≤ 1 s; a return package
with 5,000 visits and problems merged (preview + apply) ≤ 2 s.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import (  # noqa: E402 - after the path set-up above
    Row,
    best,
    demo_park,
    parks,
    run_alone,
    scratch,
    work_in_the_field,
)

UNITS = 200
VISITS, PROBLEMS = 4_000, 1_000


def measure(quick: bool) -> list[Row]:
    from app.db.database import open_database
    from app.services.field import field_package, package_merge, return_package

    park = demo_park(parks() / "park-50k.sqlite3", 50_000)
    open_database(park, daily_backup=False).dispose()  # migrated once, before timing
    work = scratch()
    db = open_database(park, daily_backup=False)
    with sqlite3.connect(park) as conn:
        codes = [
            r[0]
            for r in conn.execute(
                "SELECT uscc FROM organization WHERE uscc IS NOT NULL"
                " ORDER BY id LIMIT ? OFFSET 1000",
                (UNITS,),
            )
        ]
    repeat = 2 if quick else 3
    runs = iter(range(100))

    def export() -> Path:
        out = work / f"pkg-{next(runs)}.pdfield"
        field_package.make_field_package(db, out, usccs=codes)
        return out

    t_export = best(export, repeat)
    package = export()
    field = work / "laptop.sqlite3"
    field_package.open_field_package(package, field)

    def bare_export() -> None:
        copy = work / "bare.sqlite3"
        source = sqlite3.connect(field)
        target = sqlite3.connect(copy)
        source.backup(target)
        source.close()
        target.close()
        with zipfile.ZipFile(work / "bare.zip", "w", zipfile.ZIP_DEFLATED) as zf:
            zf.write(copy, "field.sqlite3")
        copy.unlink()

    t_bare_export = best(bare_export, repeat)
    db.dispose()

    work_in_the_field(field, VISITS, PROBLEMS)
    fdb = open_database(field, daily_backup=False)
    back = work / "back.pdreturn"
    t_return = best(lambda: return_package.make_return_package(fdb, back), repeat)
    fdb.dispose()
    changes = json.loads(zipfile.ZipFile(back).read("changes.json"))

    def merge() -> float:
        office = work / "office.sqlite3"
        for stale in work.glob("office.sqlite3*"):
            stale.unlink()
        shutil.rmtree(work / "backups", ignore_errors=True)
        # through SQLite (the park is in WAL mode: its newest rows, the field package's
        # ledger row among them, may not be in the main file yet)
        with sqlite3.connect(park) as source, sqlite3.connect(office) as target:
            source.backup(target)
        source.close()
        target.close()
        odb = open_database(office, daily_backup=False)
        start = time.perf_counter()
        preview = package_merge.preview_merge(odb, back)
        package_merge.apply_merge(odb, preview)
        elapsed = time.perf_counter() - start
        odb.dispose()
        return elapsed

    t_merge = min(merge() for _ in range(1 if quick else 2))

    def bare_merge() -> None:
        conn = sqlite3.connect(work / "office.sqlite3")
        rows = json.loads(zipfile.ZipFile(back).read("changes.json"))
        conn.execute("CREATE TEMP TABLE t (uuid TEXT, data TEXT)")
        conn.executemany(
            "INSERT INTO temp.t VALUES (?, ?)", [(c["uuid"], json.dumps(c["data"])) for c in rows]
        )
        conn.rollback()
        conn.close()

    t_bare_merge = best(bare_merge, repeat)
    out = [
        (f"外业包：{UNITS}个单位（共5万）", t_export, t_bare_export, "≤ 1 s"),
        (f"回传包：{len(changes):,}条记录（制作）", t_return, t_bare_merge, "—"),
        (f"导入回传包：{len(changes):,}条走访与问题（预览+合并）", t_merge, t_bare_merge, "≤ 2 s"),
    ]
    return out


NOTE = (
    "基准：外业包——裸 sqlite3 复制同一外业数据库并压缩；回传包——裸 json 读出改动并逐行写入临时表。"
)

if __name__ == "__main__":
    sys.exit(run_alone(measure, NOTE))
