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
