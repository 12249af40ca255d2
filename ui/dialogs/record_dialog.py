"""What every 新增/编辑 dialog of a record shares: its database, the record it edits
(None for a new one) and, once saved, the id the page selects afterwards."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QDialog, QWidget

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
