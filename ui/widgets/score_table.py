"""The entry grid's view: a table that types like a spreadsheet. Typing starts an
edit; Enter saves and moves down, Tab right; the arrows move; Ctrl+V pastes a block
copied from Excel or WPS (tab-separated lines) from the current cell; Ctrl+C copies
the selection the same way; Delete clears the selected cells."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemDelegate, QAbstractItemView, QHeaderView, QTableView

from ui.score_grid_model import ScoreGridModel


def parse_block(text: str) -> list[list[str]]:
    """Excel/WPS put a copied block on the clipboard as tab-separated lines."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the copied block ends with a line break
    return [line.split("\t") for line in lines]


class ScoreTable(QTableView):
    pasted = Signal(int)  # cells refused by the check

    def __init__(self, model: ScoreGridModel) -> None:
        super().__init__()
        self.setObjectName("score_grid")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        rows = self.verticalHeader()
        rows.setDefaultSectionSize(24)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setMinimumHeight(44)
        model.modelReset.connect(self._sized)

    def grid(self) -> ScoreGridModel:
        return self.model()  # type: ignore[return-value]

    def _sized(self) -> None:
        header = self.horizontalHeader()
        for i, column in enumerate(self.grid().columns):
            header.resizeSection(i, column.width)

    def closeEditor(self, editor, hint) -> None:  # type: ignore[no-untyped-def,override]
        """Enter saves and goes to the row below, as in a spreadsheet."""
        move_down = hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache
        super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint if move_down else hint)
        if move_down:
            self._move(1, 0)

    def _move(self, dr: int, dc: int) -> None:
        current = self.currentIndex()
        if not current.isValid():
            return
        row = min(max(current.row() + dr, 0), self.grid().rowCount() - 1)
        column = min(max(current.column() + dc, 0), self.grid().columnCount() - 1)
        target = self.grid().index(row, column)
        self.selectionModel().setCurrentIndex(
            target, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste_clipboard()
        elif event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
        elif event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.clear_selection()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            self.state() != QAbstractItemView.State.EditingState
        ):
            self._move(1, 0)
        else:
            super().keyPressEvent(event)

    def paste_clipboard(self) -> None:
        current = self.currentIndex()
        text = QGuiApplication.clipboard().text()
        if not current.isValid() or not text:
            return
        refused = self.grid().paste(current.row(), current.column(), parse_block(text))
        self.pasted.emit(refused)

    def copy_selection(self) -> None:
        indexes = sorted(self.selectedIndexes(), key=lambda i: (i.row(), i.column()))
        if not indexes:
            return
        rows: dict[int, list[str]] = {}
        for index in indexes:
            rows.setdefault(index.row(), []).append(str(index.data() or ""))
        QGuiApplication.clipboard().setText("\n".join("\t".join(r) for r in rows.values()) + "\n")

    def clear_selection(self) -> None:
        grid = self.grid()
        cells: dict[int, dict[str, str]] = {}
        for index in self.selectedIndexes():
            if grid.flags(index) & Qt.ItemFlag.ItemIsEditable:
                cells.setdefault(index.row(), {})[grid.columns[index.column()].key] = ""
        if cells:
            grid.put(cells)
