"""Choose a unit by typing part of its name (names that two units share are told
apart by their credit codes)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget


class UnitPicker(QLineEdit):
    def __init__(
        self, units: Iterable[tuple[int, str, str | None]], parent: QWidget | None = None
    ) -> None:
        """``units``: (id, name, credit code) of the units to choose from."""
        super().__init__(parent)
        units = list(units)
        shared = Counter(name for _id, name, _code in units)
        self._ids: dict[str, int] = {}
        self._labels: dict[int, str] = {}
        for ident, name, code in units:
            label = name if shared[name] == 1 else f"{name}（{code or '无信用代码'}）"
            self._ids[label] = ident
            self._labels[ident] = label
        self.setPlaceholderText(self.tr("输入单位名称查找"))
        completer = QCompleter(sorted(self._ids), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(completer)

    def unit_id(self) -> int | None:
        """The unit typed, or None when the text names none of them."""
        return self._ids.get(self.text().strip())

    def set_unit(self, unit_id: int | None) -> None:
        self.setText(self._labels.get(unit_id, "") if unit_id is not None else "")
