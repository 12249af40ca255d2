"""Reading sheets: long sheets come row by row and must give the same cells."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from app.db.database import Database
from app.exchange import reader
from app.services.workbooks.imports import preview_import


def _offset_registry(path: Path) -> Path:
    """A registry that starts at column C, below a title and a blank row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["C1"] = "某园区两新组织名录"
    for r, row in enumerate(
        [
            ["组织名称", "统一社会信用代码", "组织类型", "正式党员数"],
            ["甲公司", "", "企业", 3],
            ["乙协会", "", "社会组织", None],
        ],
        start=3,
    ):
        for c, value in enumerate(row, start=3):
            ws.cell(r, c, value)
    wb.save(path)
    return path


def test_a_long_sheet_read_row_by_row_gives_the_same_cells(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _offset_registry(tmp_path / "偏移.xlsx")
    whole = reader.open_workbook(path).sheet(0).rows
    monkeypatch.setattr(reader, "LONG_SHEET_ROWS", 0)  # every sheet counts as long
    by_row = reader.open_workbook(path).sheet(0).rows
    assert by_row == whole and whole[2][2] == "组织名称"
    preview = preview_import(db, path)
    assert preview.layout.columns[0].letter == "C"
    assert [(p.row, p.name, p.status) for p in preview.rows] == [
        (4, "甲公司", "new"),
        (5, "乙协会", "new"),
    ]
