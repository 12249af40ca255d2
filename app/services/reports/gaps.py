"""The worklist printed (预警清单): every flagged record with its rule, A4 landscape."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.db.database import Database
from app.services.reports import pdf


def gaps_pdf(db: Database, path: Path, today: date | None = None) -> pdf.Printed:
    from app.services.field import field_office
    from app.services.overview import gaps
    from app.services.registry import park

    today = today or date.today()
    found = gaps.find_gaps(db, today)
    info = park.get_park(db)
    page = pdf.Page(info.park_name or "园区", "预警清单", today, wide=True)
    s = pdf.styles()
    width = pdf.content_width(page)
    story = [
        pdf.paragraph(s, f"预警清单（共{len(found)}条）", s.title),
        pdf.table(
            s,
            ["序号", "预警", "对象", "说明"],
            [[str(n), g.label, g.name, g.detail] for n, g in enumerate(found, start=1)],
            [width * 0.05, width * 0.15, width * 0.3, width * 0.5],
            numeric=[0],
        ),
    ]
    if note := field_office.warnings_note(db):  # a laptop: the package's units only
        story.insert(1, pdf.paragraph(s, note, s.body))
    return pdf.build(path, page, story, s)
