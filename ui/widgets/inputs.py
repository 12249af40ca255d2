"""Inputs that can be left blank: dates, counts, yes/no, enumerations.

Combo boxes keep their values in Python lists, never as item data: PySide6
6.12 on Python 3.11 drops a reference of None/True/False read back as item
data, and the interpreter aborts later (see ui/tasks.py _Box).
"""

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

    _VALUES: tuple[bool | None, ...] = (None, True, False)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.addItem(self.tr("（未填）"))
        self.addItem(self.tr("是"))
        self.addItem(self.tr("否"))

    def value(self) -> bool | None:
        return self._VALUES[max(self.currentIndex(), 0)]

    def set_value(self, value: bool | None) -> None:
        self.setCurrentIndex(self._VALUES.index(value))


class EnumCombo(QComboBox):
    """One member of a LabeledEnum, shown by its Chinese label."""

    def __init__(
        self, enum: type[LabeledEnum], blank: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._enum = enum
        # the members by position; None stands for the blank entry
        self._members: list[LabeledEnum | None] = []
        if blank is not None:
            self.addItem(blank)
            self._members.append(None)
        for member in enum:
            self.addItem(member.label)
            self._members.append(member)

    def value(self) -> Any:
        index = self.currentIndex()
        return self._members[index] if 0 <= index < len(self._members) else None

    def set_value(self, value: Enum | str | None) -> None:
        wanted = (
            None if value is None else self._enum(value.value if isinstance(value, Enum) else value)
        )
        if wanted in self._members:
            self.setCurrentIndex(self._members.index(wanted))

    def remove_member(self, member: LabeledEnum) -> None:
        index = self._members.index(member)
        self._members.pop(index)
        self.removeItem(index)


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
        self._ids: list[int | None] = [None]
        self.addItem(self._blank)
        for ident, name in choices:
            self.addItem(name)
            self._ids.append(ident)

    def value(self) -> int | None:
        index = self.findText(self.currentText().strip())
        return self._ids[index] if index >= 0 else None

    def set_value(self, ident: int | None) -> None:
        self.setCurrentIndex(self._ids.index(ident) if ident in self._ids else 0)
