"""Benchmarks for printed reports (issue 14). Prints a table; each figure is a ratio
against bare reportlab doing the same work in the same run.

    python bench/bench_reports.py   (a 10,000-unit demo park)

No target is set by the issue: the register of 10,000 units (about 400 A4 pages) is
made in a worker, so the measure here is what the clerk waits for.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import Row, best, demo_park, parks, run_alone, scratch  # noqa: E402 - after the path set-up above


def measure(quick: bool) -> list[Row]:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import LongTable, SimpleDocTemplate

    from app.db.database import open_database
    from app.services.registry import org_list
    from app.services.registry.registry_columns import BY_KEY, PRINTED
    from app.services.reports import pdf
    from app.services.reports.registry import registry_pdf

    park = demo_park(parks() / "park-10k.sqlite3", 10_000)
    db = open_database(park, daily_backup=False)
    out = scratch()
    rows = org_list.list_organizations(db)
    cells = [[BY_KEY[k].text(r) for k in PRINTED] for r in rows]
    pdf.register_font()

    def bare() -> None:
        # the same cells as plain strings in one LongTable, no wrapping, no page furniture
        doc = SimpleDocTemplate(str(out / "bare.pdf"), pagesize=landscape(A4))
        grid = LongTable([list(PRINTED), *cells], repeatRows=1)
        grid.setStyle([("FONTNAME", (0, 0), (-1, -1), pdf.FONT), ("FONTSIZE", (0, 0), (-1, -1), 9)])
        doc.build([grid])

    t_bare = best(bare, repeat=1)
    pages = registry_pdf(db, out / "registry.pdf").pages
    t_registry = best(lambda: registry_pdf(db, out / "registry.pdf"), repeat=1 if quick else 2)
    db.dispose()
    return [(f"组织名录PDF：{len(rows):,}个单位（{pages}页）", t_registry, t_bare, "—")]


NOTE = (
    "基准：裸 reportlab 把同样的单元格（纯文本，不折行，无页眉页脚）排成一张长表；"
    "ParkDesk 先量好每行的高度，分页时不再逐页重算，所以比它快。"
)

if __name__ == "__main__":
    sys.exit(run_alone(measure, NOTE))
