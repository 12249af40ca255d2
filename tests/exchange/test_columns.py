"""Reading mapped columns: what each cell becomes, blanks, problems, odd sheets."""

from __future__ import annotations

from app.exchange.columns import ColumnReader, read_rows
from app.exchange.fields import ValueKind
from app.exchange.normalize import NORMALIZERS
from app.exchange.odd_cells import error_mark


def _reader(index: int, key: str, kind: ValueKind) -> ColumnReader:
    return ColumnReader(index, f"列{index}", key, kind, NORMALIZERS[kind])


READERS = [
    _reader(0, "name", ValueKind.NAME),
    _reader(1, "formal_members", ValueKind.COUNT),
    _reader(2, "kind", ValueKind.ORG_KIND),
    _reader(3, "phone", ValueKind.TEXT),
]


def test_each_cell_becomes_a_value_a_blank_or_a_problem() -> None:
    rows = [
        ["甲", True, "企业", 13800000000.0],  # TRUE typed in a count: not a number
        ["乙", 1, "民办非企业单位", "  "],
        ["丙", 1.0, "社会团体", None],
        ["丁", "3人", "", "0772-1"],
        ["戊", -1, "学校", ""],
        [None, "", "企业", "x"],
    ]
    got = read_rows(rows, list(range(len(rows))), READERS, {})
    assert got[0].values == {"name": "甲", "kind": "enterprise", "phone": "13800000000"}
    assert [(h, e.reason) for h, e in got[0].errors] == [("列1", "count_not_numeric")]
    # 1 and 1.0 are counts, though True, 1 and 1.0 are one key to a dict
    assert got[1].values == {
        "name": "乙",
        "formal_members": 1,
        "kind": "social",
        "social_subtype": "private_non_enterprise",
    }
    assert got[2].values["formal_members"] == 1 and got[2].values["social_subtype"] == "association"
    assert got[3].values == {"name": "丁", "formal_members": 3, "phone": "0772-1"}
    assert [e.reason for _h, e in got[4].errors] == ["count_negative", "kind_unknown"]
    assert got[4].values == {"name": "戊"}
    assert [e.reason for _h, e in got[5].errors] == ["name_missing"]


def test_short_rows_and_formula_errors() -> None:
    rows = [["标题"], ["甲", 2], ["乙"], [None, 3, "企业"]]
    # the name cell of the last row held =1/0: an error, not a missing name
    got = read_rows(rows, [1, 2, 3], READERS, {(3, 0): error_mark("#DIV/0!")})
    assert got[0].values == {"name": "甲", "formal_members": 2}
    assert got[1].values == {"name": "乙"} and got[1].errors == []
    assert [(e.reason, e.shown) for _h, e in got[2].errors] == [("formula_error", "#DIV/0!")]
