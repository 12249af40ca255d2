"""A form whose fields carry their own error line (inline validation)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.limits import TextLimit
from app.domain.validation import FieldIssue

ERROR_STYLE = "color: #b3261e;"


class FieldForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QFormLayout(self)
        self.layout_.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self._errors: dict[str, QLabel] = {}
        self._widgets: dict[str, QWidget] = {}
        self._rows: dict[str, QWidget] = {}

    def add(self, field: str, label: str, widget: QWidget, extra: QWidget | None = None) -> QWidget:
        box = QWidget(self)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        if extra is not None:
            column.addWidget(extra)
        error = QLabel(box)
        error.setObjectName(f"error_{field}")
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        column.addWidget(error)
        self.layout_.addRow(label, box)
        self._errors[field] = error
        self._widgets[field] = widget
        self._rows[field] = box
        return widget

    def set_visible(self, field: str, visible: bool) -> None:
        """Show or hide a field's row (a form whose fields follow a choice)."""
        self.layout_.setRowVisible(self._rows[field], visible)

    def set_label(self, field: str, text: str) -> None:
        label = self.layout_.labelForField(self._rows[field])
        if isinstance(label, QLabel):
            label.setText(text)

    def limit_text(self, limits: dict[str, TextLimit]) -> None:
        """Line edits take no more characters than their field may hold."""
        for field, limit in limits.items():
            widget = self._widgets.get(field)
            if isinstance(widget, QLineEdit):
                widget.setMaxLength(limit.chars)

    def owns(self, field: str) -> bool:
        return field in self._errors

    def set_error(self, field: str, message: str | None) -> None:
        label = self._errors.get(field)
        if label is None:
            return
        label.setText(message or "")
        label.setVisible(bool(message))

    def error_text(self, field: str) -> str:
        label = self._errors.get(field)
        return label.text() if label is not None and label.isVisibleTo(self) else ""

    def clear_errors(self) -> None:
        for field in self._errors:
            self.set_error(field, None)

    def show_issues(self, issues: list[FieldIssue]) -> list[FieldIssue]:
        """Put each issue under its field; returns the issues no field here owns."""
        by_field: dict[str, list[str]] = {}
        rest = []
        for issue in issues:
            if issue.field in self._errors:
                by_field.setdefault(issue.field, []).append(issue.message)
            else:
                rest.append(issue)
        for field, messages in by_field.items():
            self.set_error(field, "；".join(messages))
        return rest

    def widget(self, field: str) -> QWidget:
        return self._widgets[field]


def dialog_buttons(dialog: QDialog, ok_text: str, on_ok: Callable[[], None]) -> QDialogButtonBox:
    """OK (with a verb such as 保存) and 取消; OK runs ``on_ok``, which accepts when all is well."""
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    box.button(QDialogButtonBox.StandardButton.Cancel).setText(dialog.tr("取消"))
    box.accepted.connect(on_ok)
    box.rejected.connect(dialog.reject)
    return box


def lay_out(dialog: QDialog, *parts: QWidget, ok: str, on_ok: Callable[[], None]) -> None:
    """A dialog's parts one under the other, then OK (``ok``) and 取消."""
    layout = QVBoxLayout(dialog)
    for part in parts:
        layout.addWidget(part)
    layout.addWidget(dialog_buttons(dialog, ok, on_ok))


def error_line(parent: QWidget | None = None) -> QLabel:
    """A red line for problems no single field owns; hidden until there is one."""
    label = QLabel(parent)
    label.setObjectName("other_errors")
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label
