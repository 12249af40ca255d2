"""Every message box goes through here, so tests patch one place.

Functions take the parent widget; texts are already translated by callers
or translated here under the "messages" context.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from app.services.files.database_files import DbProblem

if TYPE_CHECKING:
    from app.services.files.database_files import BackupInfo


def tr(text: str) -> str:
    return QCoreApplication.translate("messages", text)


def info(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def warn(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def error(parent: QWidget | None, title: str, text: str, detail: str = "") -> None:
    box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok, parent)
    if detail:
        box.setDetailedText(detail)
    box.exec()


def ask(parent: QWidget | None, title: str, text: str, *, yes: str = "", no: str = "") -> bool:
    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    ok = box.addButton(yes or tr("确定"), QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(no or tr("取消"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is ok


def save_failed(parent: QWidget | None, exc: BaseException, path: object) -> None:
    """Tell why a file could not be written, naming it (on Windows a workbook open
    in Excel or WPS refuses writing). Anything but an OSError is raised again."""
    from app.services.files.database_files import FileNotWritten
    from app.services.files.database_files import describe_os_error as describe
    from app.services.workbooks.submissions import ValueTooLong

    if isinstance(exc, ValueTooLong):  # stopped rather than cut a value short
        warn(parent, tr("无法导出"), str(exc))
        return
    if isinstance(exc, FileNotWritten):  # the output guard: a database, a backups folder
        warn(parent, tr("无法保存"), str(exc))
        return
    if not isinstance(exc, OSError):
        raise exc
    warn(parent, tr("无法保存"), describe(exc, Path(str(path))))


def db_problem(
    parent: QWidget | None,
    problem: DbProblem,
    *,
    offer_restore: bool = False,
    backup: BackupInfo | None = None,
) -> bool:
    """Tell the user what went wrong with the database; True if they chose to restore."""
    from app.services.files.database_files import DbProblemKind

    title = tr("数据库问题")
    if problem.kind is DbProblemKind.CORRUPT and offer_restore:
        which = (
            tr("%s的%s") % (f"{backup.taken_at:%Y-%m-%d %H:%M}", backup.reason_label)
            if backup is not None
            else tr("最近的备份")
        )
        return ask(
            parent,
            title,
            problem.message
            + "\n\n"
            + tr("现在从%s恢复吗？损坏的文件会另存一份，不会删除。") % which,
            yes=tr("从备份恢复"),
            no=tr("退出"),
        )
    error(parent, title, problem.message, problem.detail)
    return False
