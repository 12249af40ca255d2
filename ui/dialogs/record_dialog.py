"""What every 新增/编辑 dialog of a record shares: its database, the record it edits
(None for a new one) and, once saved, the id the page selects afterwards."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from app.domain.validation import FieldIssue, ValidationError
from app.services.files.database_files import Database
from ui import messages


class RecordDialog(QDialog):
    def __init__(
        self,
        db: Database,
        record_id: int | None,
        parent: QWidget | None,
        titles: tuple[str, str],
        width: int,
    ) -> None:
        """``titles``: the window's title for a new record, then for an existing one."""
        super().__init__(parent)
        self.db = db
        self.record_id = record_id
        self.saved_id: int | None = None
        self.setWindowTitle(titles[0] if record_id is None else titles[1])
        self.setMinimumWidth(width)
        self._typed: list[object] | None = None  # the inputs as first shown

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._typed is None:
            self._typed = self._inputs()

    def _inputs(self) -> list[object]:
        """What every input of the form holds now."""
        values: list[object] = []
        for w in self.findChildren(QWidget):
            if isinstance(w, QLineEdit) and not isinstance(
                w.parent(), QAbstractSpinBox | QComboBox
            ):
                values.append(w.text())
            elif isinstance(w, QPlainTextEdit | QTextEdit):
                values.append(w.toPlainText())
            elif isinstance(w, QComboBox):
                values.append(w.currentText())
            elif isinstance(w, QDateEdit):
                values.append(w.date())
            elif isinstance(w, QAbstractSpinBox):
                values.append(w.text())
            elif isinstance(w, QAbstractButton) and w.isCheckable():
                values.append(w.isChecked())
        return values

    def reject(self) -> None:
        """取消 (or Esc) with something typed asks before throwing it away."""
        typed = self._typed is not None and self.saved_id is None and self._inputs() != self._typed
        if typed and not messages.ask(
            self,
            self.windowTitle(),
            self.tr("已填写的内容还没有保存。放弃这些内容吗？"),
            yes=self.tr("放弃"),
            no=self.tr("继续填写"),
        ):
            return
        super().reject()

    def save(
        self,
        draft: Any,
        create: Callable[[Database, Any], int],
        update: Callable[[Database, int, Any], None],
        show_issues: Callable[[Sequence[FieldIssue]], object],
    ) -> None:
        """Create or update the record from the form's draft and close; what the
        service objects to goes back onto the form, and the dialog stays open."""
        try:
            if self.record_id is None:
                self.saved_id = create(self.db, draft)
            else:
                update(self.db, self.record_id, draft)
                self.saved_id = self.record_id
        except ValidationError as exc:
            show_issues(exc.issues)
            return
        except LookupError as exc:  # deleted meanwhile (another window, an undo)
            messages.error(self, self.tr("无法保存"), str(exc))
            return
        self.accept()
