"""The printed register: the organizations as the window lists them (or as filtered
there), the columns chosen, A4 landscape, 9 pt, the header row on every page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from app.db.database import Database
from app.services.registry.registry_columns import BY_KEY, PRINTED, REGISTRY_COLUMNS, org_list_key
from app.services.reports import pdf

Progress = Callable[[int, int], None]


def unknown_columns(keys: Sequence[str]) -> list[str]:
    return [k for k in keys if k not in BY_KEY]


def registry_pdf(
    db: Database,
    path: Path,
    columns: Sequence[str] = PRINTED,
    rows: Sequence[Any] | None = None,
    today: date | None = None,
    progress: Progress | None = None,
) -> pdf.Printed:
    """Write the register; its number of pages. ``rows`` as the window filtered and
    sorted them; every organization in name order when not given. ``progress`` hears
    each page as it is laid out."""
    from app.services.registry import org_list, park

    wrong = unknown_columns(columns)
    if wrong:
        known = "、".join(org_list_key(c.key) for c in REGISTRY_COLUMNS)
        raise ValueError(f"没有这些列：{'、'.join(wrong)}（可选：{known}）")
    if rows is None:
        rows = sorted(org_list.list_organizations(db, today), key=lambda r: r.name_rank)
    chosen = [BY_KEY[k] for k in columns]
    info = park.get_park(db)
    page = pdf.Page(info.park_name or "园区", "组织名录", today or date.today(), wide=True)
    s = pdf.styles()
    width = pdf.content_width(page)
    total = sum(c.width for c in chosen)
    numeric = [n for n, c in enumerate(chosen) if c.value is not None]
    red = [n for n, c in enumerate(chosen) if c.warning]
    story = [
        pdf.paragraph(s, f"组织名录（共{len(rows)}个）", s.title),
        pdf.table(
            s,
            ["序号", *[c.label for c in chosen]],
            [[str(n), *[c.text(r) for c in chosen]] for n, r in enumerate(rows, start=1)],
            [width * 0.04, *[width * 0.96 * c.width / total for c in chosen]],
            numeric=[0, *[n + 1 for n in numeric]],
            red=[n + 1 for n in red],
        ),
    ]
    return pdf.build(path, page, story, s, progress)


# from this many rows a register is laid out in a process of its own: below, the
# process's start (a Python, reportlab, the font: about a second) costs more than it saves
APART_FROM_ROWS = 500


def registry_pdf_apart(
    db: Database,
    path: Path,
    columns: Sequence[str],
    rows: Sequence[Any],
    progress: Progress | None = None,
) -> pdf.Printed:
    """registry_pdf of ``rows`` (as the window shows them); a long register made in a
    process of its own (app/apart.py): reportlab's C calls held the window's GIL for
    150 ms at a time over 50,000 rows. The child reads the rows again by id from the
    database, read-only, and writes ``path`` only. ``progress`` hears each page laid out
    (the total is not known before the last); the Cancelled it raises (取消, the window
    closing) ends the child at once."""
    if len(rows) < APART_FROM_ROWS:
        return registry_pdf(db, path, columns, rows)
    from app.apart import run_apart

    ids = [r.id for r in rows]
    return run_apart(_registry_pdf_beside, (db.path, path, list(columns), ids), progress)


def _registry_pdf_beside(
    db_path: Path, path: Path, columns: list[str], ids: list[int], progress: Progress
) -> pdf.Printed:
    from app.db.reading import ReadBeside
    from app.services.registry import org_list

    db = ReadBeside(db_path)
    try:
        rows = {r.id: r for r in org_list.list_organizations(db)}
        return registry_pdf(
            db, path, columns, [rows[i] for i in ids if i in rows], progress=progress
        )
    finally:
        db.dispose()
