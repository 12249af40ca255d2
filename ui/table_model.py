"""A table model over a Python list of rows, sorted and filtered in Python.

QSortFilterProxyModel over 50,000 Python rows takes seconds to sort; sorting
the index list with precomputed keys and resetting the model takes tens of
milliseconds, so the model does both itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import compress
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.domain.sorting import natural_key

Index = QModelIndex | QPersistentModelIndex
ROW_ID_ROLE = Qt.ItemDataRole.UserRole + 1

# the roles as plain ints, looked up once: a repaint after a filter asks a 100,000-row
# table ~1,100 times for a cell's data and ~1,000 times for a row number's header (its
# width measured over 200 rows), each role in turn (font, decoration, check state…);
# the roles nothing here answers are refused first, before a row is looked up
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ANSWERED = frozenset({_DISPLAY, _TOOLTIP, _ALIGNMENT, _FOREGROUND, int(ROW_ID_ROLE)})
_HORIZONTAL = Qt.Orientation.Horizontal
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

_WARN = QBrush(QColor("#b3261e"))
_MUTED = QBrush(QColor("#777777"))


@dataclass(frozen=True)
class Prepared:
    """Rows with what showing them costs done beforehand, in the worker that read
    them: the sort keys of the column sorted by, the order, the rows the filter lets
    through. Sorting and filtering 50,000 rows on the GUI thread froze the window
    for a tenth of a second and more (bench/bench_stalls.py); adopting this is a reset."""

    rows: list[Any]
    sort: tuple[int, Qt.SortOrder] | None
    keys: dict[int, list[Any]]
    order: list[int]
    visible: list[int]
    tag: object = None  # what the filter was made of, for the page to compare


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    text: Callable[[Any], str]
    sort_key: Callable[[Any], Any] | None = None
    numeric: bool = False
    warning: bool = False  # shown in red
    width: int = 100


def count_column(
    key: str, title: str, value: Callable[[Any], int | None], width: int = 70
) -> Column:
    """A right-aligned count sorted by value; an unknown count is blank and sorts first."""

    def text(row: Any) -> str:
        n = value(row)
        return "" if n is None else str(n)

    def sort_key(row: Any) -> int:
        n = value(row)
        return -1 if n is None else n

    return Column(key, title, text, sort_key, numeric=True, width=width)


class RowTableModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[Any] = []
        self._visible: list[int] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None
        # sort keys per column, computed once per set of rows
        self._keys: dict[int, list[Any]] = {}
        # every row in the order of the sort in force (the sort it was made for, the order)
        self._order: tuple[tuple[int, Qt.SortOrder] | None, list[int]] | None = None
        self._muted: Callable[[Any], bool] | None = None

    # -- data -------------------------------------------------------------
    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self._rows = rows
        self._keys = {}
        self._order = None
        self._visible = list(range(len(rows)))
        self._apply_sort()
        self.endResetModel()

    def prepare(
        self, rows: list[Any], predicate: Callable[[Any], bool] | None, tag: object = None
    ) -> Prepared:
        """The work of set_rows and set_filter, touching nothing of the model's own:
        safe in a worker while the model shows other rows."""
        sort = self._sort
        keys: dict[int, list[Any]] = {}
        order = list(range(len(rows)))
        if sort is not None:
            column, how = sort
            keys[column] = self._column_keys(column, rows)
            order.sort(key=keys[column].__getitem__, reverse=how == Qt.SortOrder.DescendingOrder)
        visible = order if predicate is None else self._passing(rows, order, predicate)
        return Prepared(rows, sort, keys, order, list(visible), tag)

    def adopt(self, prepared: Prepared) -> bool:
        """Show prepared rows; False when the sort changed meanwhile (the rows are then
        shown unfiltered, in the new order: filter them again)."""
        if prepared.sort != self._sort:
            self.set_rows(prepared.rows)
            return False
        self.beginResetModel()
        self._rows = prepared.rows
        self._keys = dict(prepared.keys)
        self._order = (prepared.sort, prepared.order)
        self._visible = prepared.visible
        self.endResetModel()
        return True

    def set_muted(self, predicate: Callable[[Any], bool]) -> None:
        """Rows drawn in grey (closed or moved-out units, say)."""
        self._muted = predicate

    def set_filter(self, predicate: Callable[[Any], bool] | None) -> None:
        """Rows the predicate lets through, in the order shown: the whole list's order
        (kept per sort) filtered, not the filtered rows sorted again — a filter over
        100,000 rows then costs one pass."""
        rows = self._rows
        self.beginResetModel()
        order = self._sorted_order()
        if predicate is None:
            self._visible = list(order)
        else:
            self._visible = self._passing(rows, order, predicate)
        self.endResetModel()

    @staticmethod
    def _passing(rows: list[Any], order: list[int], predicate: Callable[[Any], bool]) -> list[int]:
        # the predicate runs over the rows in the order they were read, which is their
        # order in memory; then the verdicts are picked in the order shown. Asked in a
        # sorted order (by unit, say) the rows were visited at random across memory:
        # 100,000 visits took 45–100 ms instead of 13. The loops are in C (map, compress)
        passes = list(map(predicate, rows))
        return list(compress(order, map(passes.__getitem__, order)))

    def _sorted_order(self) -> list[int]:
        if self._order is None or self._order[0] != self._sort:
            everything = list(range(len(self._rows)))
            if self._sort is not None:
                column, order = self._sort
                descending = order == Qt.SortOrder.DescendingOrder
                everything.sort(key=self._keys_of(column).__getitem__, reverse=descending)
            self._order = (self._sort, everything)
        return self._order[1]

    def row_at(self, view_row: int) -> Any:
        return self._rows[self._visible[view_row]]

    def view_row_of(self, row_id: int) -> int | None:
        for pos, i in enumerate(self._visible):
            if self._rows[i].id == row_id:
                return pos
        return None

    @property
    def all_rows(self) -> list[Any]:
        return self._rows

    def visible_rows(self) -> list[Any]:
        """The rows the filter lets through, in the order shown."""
        return [self._rows[i] for i in self._visible]

    def visible_count(self) -> int:
        return len(self._visible)

    # -- sorting ----------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._apply_sort()
        self.layoutChanged.emit()

    def _keys_of(self, column: int) -> list[Any]:
        keys = self._keys.get(column)
        if keys is None:
            keys = self._keys[column] = self._column_keys(column, self._rows)
        return keys

    def _column_keys(self, column: int, rows: list[Any]) -> list[Any]:
        col = self.columns[column]
        if col.sort_key is not None:
            return [col.sort_key(r) for r in rows]
        text = col.text  # text: numbers by value (第2联合支部 before 第10联合支部)
        return [natural_key(text(r)) for r in rows]

    def _apply_sort(self) -> None:
        if self._sort is None:
            return
        column, order = self._sort
        keys = self._keys_of(column)
        self._visible.sort(key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)

    # -- Qt API -----------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if role != _DISPLAY:
            return None
        if orientation == _HORIZONTAL:
            return self.columns[section].title
        return str(section + 1)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if role not in _ANSWERED or not index.isValid():
            return None
        row = self._rows[self._visible[index.row()]]
        col = self.columns[index.column()]
        if role in (_DISPLAY, _TOOLTIP):
            return col.text(row)
        if role == _ALIGNMENT:
            return _RIGHT if col.numeric else None
        if role == _FOREGROUND:
            if col.warning:
                return _WARN
            if self._muted is not None and self._muted(row):
                return _MUTED
            return None
        return row.id
