from __future__ import annotations

from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt

from ui.table_model import Column, RowTableModel

pytestmark = pytest.mark.gui


@dataclass
class Row:
    id: int
    name: str
    members: int | None


def _model() -> RowTableModel:
    model = RowTableModel(
        [
            Column("name", "名称", lambda r: r.name),
            Column(
                "members",
                "党员",
                lambda r: "" if r.members is None else str(r.members),
                lambda r: -1 if r.members is None else r.members,
                numeric=True,
            ),
        ]
    )
    model.set_rows([Row(1, "乙", 3), Row(2, "甲", None), Row(3, "丙", 12)])
    return model


def _ids(model: RowTableModel) -> list[int]:
    return [model.row_at(i).id for i in range(model.rowCount())]


def test_model_passes_qt_model_checks(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(_model())


def test_numeric_sort_uses_numbers_not_text(qtbot) -> None:  # type: ignore[no-untyped-def]
    model = _model()
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert _ids(model) == [3, 1, 2]  # 12 before 3; unknown last
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert _ids(model) == [2, 1, 3]


def test_filter_keeps_the_sort_and_counts(qtbot) -> None:  # type: ignore[no-untyped-def]
    model = _model()
    model.sort(1, Qt.SortOrder.DescendingOrder)
    model.set_filter(lambda r: r.members is not None)
    assert _ids(model) == [3, 1]
    assert model.visible_count() == 2 and len(model.all_rows) == 3
    assert model.view_row_of(1) == 1 and model.view_row_of(2) is None
    assert model.data(model.index(0, 1), Qt.ItemDataRole.TextAlignmentRole) is not None


def test_names_with_numbers_sort_by_their_value(qtbot) -> None:  # type: ignore[no-untyped-def]
    model = _model()
    model.set_rows([Row(1, "第10联合支部", 1), Row(2, "第1联合支部", 1), Row(3, "第2联合支部", 1)])
    model.sort(0)
    assert _ids(model) == [2, 3, 1]


def test_each_role_is_answered_as_before_and_the_others_refused(qtbot) -> None:  # type: ignore[no-untyped-def]
    from ui.table_model import ROW_ID_ROLE

    model = _model()
    model.set_muted(lambda r: r.members is None)
    first, count = model.index(0, 0), model.index(0, 1)
    role = Qt.ItemDataRole
    assert model.data(first) == model.data(first, role.ToolTipRole) == "乙"
    assert model.data(count, role.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    )
    assert model.data(first, role.TextAlignmentRole) is None  # a text column: the style's
    assert model.data(first, ROW_ID_ROLE) == 1
    assert model.data(model.index(1, 0), role.ForegroundRole) is not None  # muted: grey
    assert model.data(first, role.ForegroundRole) is None
    for other in (role.FontRole, role.DecorationRole, role.CheckStateRole, role.BackgroundRole):
        assert model.data(first, other) is None
    horizontal, vertical = Qt.Orientation.Horizontal, Qt.Orientation.Vertical
    assert model.headerData(1, horizontal) == "党员" and model.headerData(2, vertical) == "3"
    assert model.headerData(0, vertical, role.FontRole) is None
    assert model.headerData(0, horizontal, role.SizeHintRole) is None
