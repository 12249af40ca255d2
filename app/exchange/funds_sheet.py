"""The 经费保障 sheet of a year, written into an XlsxWriter workbook the caller made
(export.new_workbook): one row per party organization with its entitlements by kind,
paid and balance, a 合计 row, then the rules it was worked out by. Every amount a number
in yuan (an upper level's SUM adds them), formatted to the fen."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from app.domain.funds import FundRow, Totals
from app.domain.vocabulary import FundKind
from app.exchange.export import display_width

SHEET = "经费保障"
HEADERS = (
    "序号",
    "党组织",
    "正式党员数",
    "成立日期",
    *(k.label for k in FundKind),
    "应拨合计",
    "已拨合计",
    "结余",
)


def _yuan(fen: int) -> float:
    # fen / 100 as a float is the nearest double to the exact yuan, as Excel holds any number
    return float(Decimal(fen) / 100)


def _amounts(entitled: dict[FundKind, int], e_total: int, p_total: int, balance: int) -> list[int]:
    return [*(entitled[k] for k in FundKind), e_total, p_total, balance]


def write_funds_sheet(
    wb: Any,
    title: str,
    rows: Sequence[FundRow],
    total: Totals,
    notes: Sequence[str] = (),
) -> Any:
    """Add the sheet to ``wb`` and return it; ``notes`` are written under the table."""
    base = {"font_name": "宋体", "font_size": 10, "valign": "vcenter"}
    f_title = wb.add_format({**base, "bold": True, "font_size": 14})
    f_head = wb.add_format(
        {**base, "bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}
    )
    f_text = wb.add_format({**base, "border": 1, "num_format": "@"})
    f_count = wb.add_format({**base, "border": 1, "num_format": "0"})
    f_day = wb.add_format({**base, "border": 1, "num_format": "yyyy-mm-dd"})
    f_money = wb.add_format({**base, "border": 1, "num_format": "#,##0.00"})
    f_sum = wb.add_format({**base, "border": 1, "bold": True, "num_format": "#,##0.00"})
    f_sum_text = wb.add_format({**base, "border": 1, "bold": True})
    f_note = wb.add_format({**base, "font_color": "#555555"})

    ws = wb.add_worksheet(SHEET)
    ws.write_string(0, 0, title, f_title)
    ws.set_row(1, 30)
    for c, header in enumerate(HEADERS):
        ws.write_string(1, c, header, f_head)
    width = max((display_width(r.name) for r in rows), default=10)
    ws.set_column(0, 0, 5)
    ws.set_column(1, 1, min(50, max(16, width + 2)))
    ws.set_column(2, 3, 11)
    ws.set_column(4, len(HEADERS) - 1, 14)
    r = 2
    for n, row in enumerate(rows, start=1):
        ws.write_number(r, 0, n, f_count)
        ws.write_string(r, 1, row.name, f_text)
        ws.write_number(r, 2, row.formal_members, f_count)
        if row.founded is not None:
            founded = datetime(row.founded.year, row.founded.month, row.founded.day)
            ws.write_datetime(r, 3, founded, f_day)
        else:
            ws.write_blank(r, 3, None, f_day)
        amounts = _amounts(row.entitled, row.entitled_total, row.paid_total, row.balance)
        for c, fen in enumerate(amounts, start=4):
            ws.write_number(r, c, _yuan(fen), f_money)
        r += 1
    ws.write_string(r, 0, "", f_sum_text)
    ws.write_string(r, 1, "合计", f_sum_text)
    ws.write_number(r, 2, sum(row.formal_members for row in rows), f_sum_text)
    ws.write_blank(r, 3, None, f_sum_text)
    amounts = _amounts(total.entitled, total.entitled_total, total.paid_total, total.balance)
    for c, fen in enumerate(amounts, start=4):
        ws.write_number(r, c, _yuan(fen), f_sum)
    for line in notes:
        r += 1
        ws.write_string(r, 0, line, f_note)
    ws.freeze_panes(2, 2)
    ws.set_landscape()
    ws.set_paper(9)
    ws.repeat_rows(0, 1)
    ws.fit_to_pages(1, 0)
    ws.set_footer("&C第 &P 页，共 &N 页")
    return ws
