"""Which columns to print: the list's columns in the order the page shows them, those a
printed register usually has already ticked."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)


class ColumnsDialog(QDialog):
    def __init__(
        self,
        columns: Sequence[tuple[str, str]],
        ticked: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("选择打印的列"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("A4横向，每页重复表头；列越少，字越清楚（不小于9磅）。")))
        grid = QGridLayout()
        self.boxes: list[tuple[str, QCheckBox]] = []
        for n, (key, title) in enumerate(columns):
            box = QCheckBox(title)
            box.setObjectName(f"column_{key}")
            box.setChecked(key in ticked)
            box.toggled.connect(self._update)
            grid.addWidget(box, n // 4, n % 4)
            self.boxes.append((key, box))
        layout.addLayout(grid)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确定"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout.addWidget(buttons)
        self._update()

    def chosen(self) -> list[str]:
        return [key for key, box in self.boxes if box.isChecked()]

    def _update(self) -> None:
        self.ok.setEnabled(bool(self.chosen()))
