"""A registry sheet's data rows told from blank rows and the notes below them with each
row's first text read once (issue 23: every row of a 10,000-row sheet was read two or
three times over to say it is not blank)."""

from __future__ import annotations

import pytest

from app.exchange import layout
from app.exchange.reader import Sheet

HEADER = ["组织名称", "统一社会信用代码", "组织类型"]


def _sheet(rows: list[list[object]]) -> Sheet:
    return Sheet("名录", 0, rows)


def test_blank_rows_and_the_notes_are_no_data() -> None:
    rows: list[list[object]] = [
        HEADER,
        ["甲公司", "", "非公企业"],
        ["", "  ", None],  # blank: spaces and nothing
        [None, "", "非公企业"],  # text after blank cells: a row
        ["乙公司"],
        ["  填表说明：每行一个单位", "", ""],
        ["丙公司", "", "非公企业"],  # below the notes: not data
    ]
    found = layout.find_layout(_sheet(rows))
    assert found is not None
    assert found.data_rows == [1, 3, 4]
    assert found.notes_row == 6


def test_each_row_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    n = 500
    rows: list[list[object]] = [HEADER, *[[f"公司{i}", "", "非公企业"] for i in range(n)]]
    calls: list[object] = []
    real = layout._text

    def counted(value: object) -> str:
        calls.append(value)
        return real(value)

    monkeypatch.setattr(layout, "_text", counted)
    found = layout.find_layout(_sheet(rows))
    assert found is not None and len(found.data_rows) == n
    assert len(calls) < n + 20  # the header's cells, then a cell a row
