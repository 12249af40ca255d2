"""Inputs that can be left blank: dates, counts, yes/no, enumerations."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from app.domain.dates import DateError, format_date, parse_date
from app.domain.validation import parse_count
from app.domain.vocabulary import LabeledEnum


class DateEdit(QLineEdit):
    """A date typed as clerks write it; blank means unknown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(self.tr("如 2019-03-15"))
        self.setClearButtonEnabled(True)

    def value(self) -> date | None:
        """The date, or None when blank; raises DateError for impossible dates."""
        return parse_date(self.text())

    def problem(self) -> str | None:
        try:
            self.value()
        except DateError as exc:
            return str(exc)
        return None

    def set_value(self, value: date | None) -> None:
        self.setText(format_date(value))


class CountEdit(QLineEdit):
    """A head count; blank means unknown, negatives are refused."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(self.tr("人数"))
        self.setMaximumWidth(120)

    def value(self) -> int | None:
        return parse_count(self.text())

    def problem(self) -> str | None:
        try:
            self.value()
        except ValueError as exc:
            return str(exc)
        return None

    def set_value(self, value: int | None) -> None:
        self.setText("" if value is None else str(value))


class YesNoCombo(QComboBox):
    """是 / 否 / not known."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.addItem(self.tr("（未填）"), None)
        self.addItem(self.tr("是"), True)
        self.addItem(self.tr("否"), False)

    def value(self) -> bool | None:
        return self.currentData()

    def set_value(self, value: bool | None) -> None:
        self.setCurrentIndex({None: 0, True: 1, False: 2}[value])


class EnumCombo(QComboBox):
    """One member of a LabeledEnum, shown by its Chinese label."""

    def __init__(
        self, enum: type[LabeledEnum], blank: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._enum = enum
        if blank is not None:
            self.addItem(blank, None)
        for member in enum:
            # Qt stores a str enum as a plain string: value() turns it back
            self.addItem(member.label, member.value)

    def value(self) -> Any:
        data = self.currentData()
        return None if data is None else self._enum(data)

    def set_value(self, value: Enum | str | None) -> None:
        wanted = None if value is None else str(value.value if isinstance(value, Enum) else value)
        for i in range(self.count()):
            if self.itemData(i) == wanted:
                self.setCurrentIndex(i)
                return


class IdCombo(QComboBox):
    """Pick a record by name; data is its id (None for the blank entry)."""

    def __init__(self, blank: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._blank = blank
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.completer().setFilterMode(self.completer().filterMode().MatchContains)

    def set_choices(self, choices: list[tuple[int, str]]) -> None:
        self.clear()
        self.addItem(self._blank, None)
        for ident, name in choices:
            self.addItem(name, ident)

    def value(self) -> int | None:
        text = self.currentText().strip()
        index = self.findText(text)
        if index < 0:
            return None
        return self.itemData(index)

    def set_value(self, ident: int | None) -> None:
        index = self.findData(ident) if ident is not None else 0
        self.setCurrentIndex(max(index, 0))
