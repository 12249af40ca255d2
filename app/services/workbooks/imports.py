"""Importing registry workbooks: preview, apply, the log, and undoing an import.

Light to import (the window's pages import it as they are built): SQLAlchemy and
the writing are imported when first used, not before the first screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from app.exchange.bad_rows import save_bad_rows
from app.exchange.fields import FIELDS
from app.exchange.plans import FIELD_LABELS, ImportPreview, ImportResult, RowPlan
from app.exchange.reader import WorkbookError
from app.services.workbooks.import_reads import preview_import, read_ahead, save_mapping

if TYPE_CHECKING:
    from app.db.database import Database
    from app.services.workbooks.import_apply import Progress

# the import as the window and the command line use it: one place to ask
__all__ = [
    "FIELDS",
    "FIELD_LABELS",
    "ImportPreview",
    "ImportResult",
    "RowPlan",
    "WorkbookError",
    "apply_import",
    "preview_import",
    "read_ahead",
    "save_bad_rows",
    "save_mapping",
]


def apply_import(
    db: Database, preview: ImportPreview, progress: Progress | None = None
) -> ImportResult:
    """Write every good row of ``preview`` in one transaction, after a backup."""
    from app.services.workbooks import import_apply

    return import_apply.apply_import(db, preview, progress)


@dataclass(frozen=True, slots=True)
class ImportLogRow:
    id: int
    at: datetime
    file_name: str
    sheet: str
    data_rows: int
    created: int
    updated: int
    unchanged: int
    bad_rows: int
    undone: bool
    change_id: str


def list_logs(db: Database) -> list[ImportLogRow]:
    from sqlalchemy import select

    from app.db.models import ImportLog

    with db.reading() as s:
        return [
            ImportLogRow(
                r.id,
                r.at,
                r.file_name,
                r.sheet,
                r.data_rows,
                r.created,
                r.updated,
                r.unchanged,
                r.bad_rows,
                r.undone,
                r.change_id,
            )
            for r in s.scalars(select(ImportLog).order_by(ImportLog.id.desc()))
        ]


class UndoRefused(ValueError):
    """An import can be undone only while nothing was changed after it."""


def undo_import(db: Database, log_id: int) -> str:
    from sqlalchemy import func, select

    from app.db.models import AuditEntry, ImportLog
    from app.services.files import audit

    with db.reading() as s:
        log = s.get(ImportLog, log_id)
        if log is None:
            raise LookupError("导入记录不存在")
        if log.undone:
            raise UndoRefused("这次导入已经撤销过了")
        newest = s.scalar(
            select(func.max(AuditEntry.id)).where(
                AuditEntry.undone.is_(False), AuditEntry.action != "undo"
            )
        )
        last_change = s.scalar(select(AuditEntry.change_id).where(AuditEntry.id == newest))
        if last_change != log.change_id:
            raise UndoRefused(
                "导入之后台账又有修改，不能直接撤销这次导入。请先用“撤销”退回之后的修改。"
            )
    summary = audit.undo_last(db)
    with db.session() as s:
        row = s.get(ImportLog, log_id)
        assert row is not None
        row.undone = True
    return summary or ""
