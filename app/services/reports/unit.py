"""一企一档 printed: one unit's whole file (services/registry/unit_file.py), A4 portrait."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.db.database import Database
from app.services.reports import pdf


def unit_pdf(db: Database, org_id: int, path: Path, today: date | None = None) -> pdf.Printed:
    from app.services.registry import park, unit_file

    today = today or date.today()
    file = unit_file.unit_file(db, org_id, today)
    info = park.get_park(db)
    page = pdf.Page(info.park_name or "园区", f"一企一档：{file.name}", today, wide=False)
    s = pdf.styles()
    width = pdf.content_width(page)
    story: list[object] = [pdf.paragraph(s, file.name, s.title)]
    for warning in file.warnings:
        story.append(pdf.paragraph(s, f"⚠ {warning}", s.body))
    for section in file.sections:
        story.append(pdf.paragraph(s, section.title, s.heading))
        if section.rows:
            story.append(pdf.fields(s, section.rows, width, red=section.red))
        else:
            story.append(pdf.paragraph(s, "无", s.body))
    if file.notes:
        story += [pdf.paragraph(s, "备注", s.heading), pdf.paragraph(s, file.notes, s.body)]
    return pdf.build(path, page, story, s)
