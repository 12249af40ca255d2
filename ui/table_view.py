"""A read-only table view over a RowTableModel, set up the one way every list
in the window is: whole rows selected, no editing in place, each column at its
width, row heights fixed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ui.table_model import RowTableModel


def table_view(
    model: RowTableModel,
    name: str,
    *,
    sort_column: int | None = None,
    single: bool = False,
    row_numbers: bool = False,
    parent: QWidget | None = None,
) -> QTableView:
    """``sort_column``: sortable by clicking a header, sorted by that column first;
    ``single``: one row at a time; ``row_numbers``: the vertical header shown."""
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single:
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    rows = view.verticalHeader()
    rows.setDefaultSectionSize(24)
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setVisible(row_numbers)
    header = view.horizontalHeader()
    for i, col in enumerate(model.columns):
        header.resizeSection(i, col.width)
    if sort_column is not None:
        view.setSortingEnabled(True)
        view.sortByColumn(sort_column, Qt.SortOrder.AscendingOrder)
    return view
