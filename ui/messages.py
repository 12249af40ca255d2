"""Every message box goes through here, so tests patch one place.

Functions take the parent widget; texts are already translated by callers
or translated here under the "messages" context.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from app.db.errors import DbProblem


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
    """Tell why a file could not be written: on Windows a workbook open in Excel or
    WPS refuses writing (permission denied). Anything but an OSError is raised again."""
    if isinstance(exc, PermissionError):
        warn(parent, tr("无法保存"), tr("文件可能正在 Excel/WPS 中打开，请关闭后重试：\n%s") % path)
    elif isinstance(exc, OSError):
        warn(parent, tr("无法保存"), tr("无法写入文件：%s") % (exc.strerror or exc))
    else:
        raise exc


def db_problem(parent: QWidget | None, problem: DbProblem, *, offer_restore: bool = False) -> bool:
    """Tell the user what went wrong with the database; True if they chose to restore."""
    from app.db.errors import DbProblemKind

    title = tr("数据库问题")
    if problem.kind is DbProblemKind.CORRUPT and offer_restore:
        return ask(
            parent,
            title,
            problem.message + "\n\n" + tr("现在从最近的备份恢复吗？"),
            yes=tr("从最近的备份恢复"),
            no=tr("退出"),
        )
    error(parent, title, problem.message, problem.detail)
    return False
