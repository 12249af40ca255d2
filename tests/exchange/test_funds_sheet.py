"""The 经费保障 sheet on its own: written into a workbook made apart, read back with
openpyxl: one row per party organization, every amount a number (yuan, to the fen),
the 合计 row the sums, the rules under the table."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl

from app.domain.funds import FundSettings, OrgFacts, fund_rows, totals
from app.domain.vocabulary import FundKind
from app.exchange.export import new_workbook
from app.exchange.funds_sheet import HEADERS, SHEET, write_funds_sheet


def test_the_sheet_holds_numbers_and_sums(tmp_path: Path) -> None:
    facts = [
        OrgFacts(
            1, "u1", "甲公司党支部", date(2026, 3, 1), 5, awards=500_000, dues_returned=300_050
        ),
        OrgFacts(2, "u2", "乙联合党支部", None, 3),
    ]
    rows = fund_rows(facts, [(2, FundKind.MEMBER_ACTIVITY, 60_050)], 2026, FundSettings())
    path = tmp_path / "年度.xlsx"
    wb = new_workbook(path)
    write_funds_sheet(wb, "测试园区2026年经费保障", rows, totals(rows), ["说明一"])
    wb.close()

    ws = openpyxl.load_workbook(path)[SHEET]
    cells = [list(r) for r in ws.iter_rows(values_only=True)]
    assert cells[0][0] == "测试园区2026年经费保障"
    assert tuple(cells[1]) == HEADERS
    jia, yi, total, note = cells[2], cells[3], cells[4], cells[5]
    assert jia[:4] == [1, "甲公司党支部", 5, datetime(2026, 3, 1)]
    # 1,500 + 2,000 + 5,000 + 3,000.50; paid the dues: 8,500 left
    assert jia[4:] == [1500, 2000, 5000, 0, 3000.5, 11500.5, 3000.5, 8500]
    assert yi[3] is None and yi[4:] == [900, 0, 0, 0, 0, 900, 600.5, 299.5]
    assert total[1] == "合计" and total[2] == 8
    assert total[4:] == [a + b for a, b in zip(jia[4:], yi[4:], strict=True)]
    assert all(isinstance(v, int | float) for v in (*jia[4:], *yi[4:], *total[4:]))
    assert note[0] == "说明一"
    assert ws.cell(3, 5).number_format == "#,##0.00"
