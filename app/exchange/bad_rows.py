"""Save the rows an import could not take, with what is wrong, for the sender to fix."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from app.exchange.plans import NOT_APPLIED, ImportPreview, RowPlan
from app.exchange.saving import saving


def save_bad_rows(preview: ImportPreview, path: Path) -> int:
    """A workbook with the sheet's own headers, the bad rows as they were, and a
    last column 问题 saying what to fix. Returns the number of rows written."""

    bad = [r for r in preview.rows if r.status in NOT_APPLIED]
    with saving(path) as tmp:
        _write(preview, bad, tmp)
    return len(bad)


def _write(preview: ImportPreview, bad: list[RowPlan], tmp: Path) -> None:
    import xlsxwriter

    columns = preview.layout.columns
    wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_numbers": False})
    head = wb.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True})
    problem = wb.add_format({"font_color": "#B3261E", "text_wrap": True})
    day = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws = wb.add_worksheet(preview.sheet[:31])
    ws.write_string(0, 0, "原行号", head)
    for c, col in enumerate(columns, start=1):
        ws.write_string(0, c, col.header or col.letter, head)
        ws.set_column(c, c, 16)
    last = len(columns) + 1
    ws.write_string(0, last, "问题", head)
    ws.set_column(last, last, 60)
    for r, plan in enumerate(bad, start=1):
        ws.write_number(r, 0, plan.row)
        for c, col in enumerate(columns, start=1):
            value = plan.raw[col.index] if col.index < len(plan.raw) else None
            if value is None or value == "":
                continue
            if isinstance(value, datetime | date):
                ws.write_datetime(r, c, datetime(value.year, value.month, value.day), day)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                ws.write_number(r, c, value)
            else:
                ws.write_string(r, c, str(value))
        text = "；".join(f"[{e.column}] {e.message}" for e in plan.errors)
        ws.write_string(r, last, text, problem)
    ws.freeze_panes(1, 1)
    wb.close()
