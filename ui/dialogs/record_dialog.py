"""What every 新增/编辑 dialog of a record shares: its database, the record it edits
(None for a new one) and, once saved, the id the page selects afterwards."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from app.services.database_files import Database


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
