"""Unexpected errors: logged to a file and shown in a dialog with details to copy.

Known problems (database locked, disk full, …) get their Chinese message
instead of a crash dialog. The hook emits a signal so a failure in any thread
is shown on the GUI thread.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from types import TracebackType

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.domain.validation import ValidationError
from app.services.files.database_files import DbProblemKind
from app.services.files.database_files import problem_of as classify
from ui import messages

log = logging.getLogger("parkdesk.crash")


class CrashDialog(QDialog):
    def __init__(self, details: str, log_path: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("程序出错"))
        self.setMinimumSize(600, 380)
        text = QLabel(
            self.tr(
                "ParkDesk 遇到了意外错误。已保存的数据不受影响，未保存的修改可能丢失。\n"
                "请把下面的详细信息复制给维护人员。日志文件：%s"
            )
            % log_path
        )
        text.setWordWrap(True)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        copy = buttons.addButton(self.tr("复制详细信息"), QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self._copy)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)

    @Slot()
    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())


class ExceptionHandler(QObject):
    """Installed as sys.excepthook and threading.excepthook."""

    # one tuple, never a bare None (a traceback may be None): see ui/tasks.py _Box
    raised = Signal(object)

    def __init__(self, log_path: str) -> None:
        super().__init__()
        self.log_path = log_path
        self.raised.connect(self._raised)
        self._showing = False

    def install(self) -> None:
        sys.excepthook = self._hook
        threading.excepthook = self._thread_hook

    def _hook(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        self.raised.emit((kind, exc, tb))

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            self.raised.emit((args.exc_type, args.exc_value, args.exc_traceback))

    @Slot(object)
    def _raised(
        self, info: tuple[type[BaseException], BaseException, TracebackType | None]
    ) -> None:
        self._show(*info)

    def _show(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        parent = QApplication.activeWindow()
        problem = classify(exc)
        if problem is not None and problem.kind is DbProblemKind.PUBLISHED:
            messages.warn(parent, self.tr("无法保存"), problem.message)  # a refusal, not a fault
            return
        if problem is not None:
            log.warning("database problem: %s (%s)", problem.kind, problem.detail)
            messages.db_problem(parent, problem)
            return
        if isinstance(exc, ValidationError):
            messages.warn(parent, self.tr("无法保存"), str(exc))
            return
        details = f"ParkDesk {__version__}\n" + "".join(traceback.format_exception(kind, exc, tb))
        log.error("unexpected error\n%s", details)
        if self._showing:
            return
        self._showing = True
        try:
            CrashDialog(details, self.log_path, parent).exec()
        finally:
            self._showing = False
