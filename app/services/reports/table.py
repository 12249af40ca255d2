"""Any list the window shows, printed as it is shown (its filter, its order, its
columns): the party organizations with their election dates, the instructors, a
class's ranking, the worklist as filtered. A4 landscape, the header row on every page."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from app.db.database import Database
from app.services.reports import pdf


def table_pdf(
    db: Database,
    path: Path,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    weights: Sequence[float],
    numeric: Sequence[int] = (),
    today: date | None = None,
) -> pdf.Printed:
    """Write the list; its number of pages. ``weights``: each column's share of the width
    (the window's column widths will do)."""
    from app.services.registry import park

    info = park.get_park(db)
    page = pdf.Page(info.park_name or "园区", title, today or date.today(), wide=True)
    s = pdf.styles()
    width = pdf.content_width(page) * 0.96
    total = sum(weights) or 1
    story = [
        pdf.paragraph(s, f"{title}（共{len(rows)}条）", s.title),
        pdf.table(
            s,
            ["序号", *headers],
            [[str(n), *row] for n, row in enumerate(rows, start=1)],
            [width / 0.96 * 0.04, *[width * w / total for w in weights]],
            numeric=[0, *[n + 1 for n in numeric]],
        ),
    ]
    return pdf.build(path, page, story, s)
