"""Slow work off the GUI thread, with a progress dialog that never flashes.

    run_task(parent, title, fn, on_done=self._loaded)

``fn(progress)`` runs in a worker thread; ``progress(done, total)`` reports
and raises Cancelled when the user pressed Cancel. ``on_done(result)`` and
``on_error(exc)`` are called on the GUI thread through slots of the Task.
The dialog appears only when the work lasts more than SHOW_AFTER_MS.
"""

from __future__ import annotations

import functools
import sys
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

SHOW_AFTER_MS = 500
# While a worker runs Python, the GUI thread waits up to the interpreter's switch
# interval (5 ms) each time it needs the GIL back, and one pass of the event loop
# needs it many times: a 50,000-row import stalled the window for 350 ms. A 1 ms
# interval while work runs keeps the longest stall under 100 ms (bench_exchange.py).
BUSY_SWITCH_INTERVAL_S = 0.001
_idle_switch_interval = sys.getswitchinterval()

_running: set[Task] = set()
_closing = threading.Event()  # set by shutdown(): no new work from then on


class Cancelled(Exception):
    """Raised inside the work function when the user cancelled."""


Progress = Callable[[int, int], None]


class _Box:
    """Carries a result through a signal, so a signal never carries a bare
    None/True/False: PySide6 6.12 on Python 3.11 drops a reference of those and
    the interpreter aborts later. We pin 6.11.3 (pyproject.toml); this keeps an
    upgrade from bringing the abort back unnoticed (tests/ui/test_refcounts.py)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


class _Worker(QObject):
    done = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)

    def __init__(self, fn: Callable[[Progress], Any], cancel: threading.Event) -> None:
        super().__init__()
        self._fn = fn
        self._cancel = cancel

    def _progress(self, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise Cancelled
        self.progressed.emit(done, total)

    @Slot()
    def run(self) -> None:
        try:
            result = self._fn(self._progress)
        except BaseException as exc:
            self.failed.emit(_Box(exc))
        else:
            self.done.emit(_Box(result))


class Task(QObject):
    """One background job; lives on the GUI thread and owns its worker thread."""

    finished = Signal()

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        fn: Callable[[Progress], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        cancellable: bool = False,
        quiet: bool = False,
    ) -> None:
        # no Qt parent: the task must outlive a page closed while it runs
        super().__init__()
        # quiet: work the user did not ask for and need not wait on (the charts' library
        # loading behind the figures): no busy cursor, never a 请稍候 dialog
        self._quiet = quiet
        self._parent = parent
        self._title = title
        self._on_done = on_done
        self._on_error = on_error
        self._cancellable = cancellable
        self._cancel = threading.Event()
        self._dialog: QProgressDialog | None = None
        self._last = (0, 0)
        self._thread = QThread()
        self._worker = _Worker(fn, self._cancel)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.done.connect(self._done)
        self._worker.failed.connect(self._failed)
        self._worker.progressed.connect(self._progressed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show_dialog)

    def start(self) -> None:
        if _closing.is_set():
            # the application is quitting (a timer may still fire as its loop ends):
            # a thread started now would outlive the wait in shutdown() and abort
            return
        if not _running:
            sys.setswitchinterval(BUSY_SWITCH_INTERVAL_S)
        _running.add(self)
        if not self._quiet:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
            self._timer.start(SHOW_AFTER_MS)
        self._thread.start()

    @property
    def dialog_shown(self) -> bool:
        return self._dialog is not None

    def _alive(self, obj: object) -> bool:
        """False once the widget (or the owner of a bound method, or the widget a
        partial was made with) was deleted."""
        if isinstance(obj, functools.partial):
            return all(self._alive(a) for a in obj.args)
        owner = getattr(obj, "__self__", obj)
        return not isinstance(owner, QObject) or shiboken6.isValid(owner)

    @Slot()
    def _show_dialog(self) -> None:
        if self._parent is not None and not self._alive(self._parent):
            return
        dialog = QProgressDialog(
            self._title, self.tr("取消") if self._cancellable else "", 0, 0, self._parent
        )
        dialog.setWindowTitle(self.tr("请稍候"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if not self._cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(self._cancel_requested)
        done, total = self._last
        if total:
            dialog.setRange(0, total)
            dialog.setValue(done)
        elif done:
            dialog.setLabelText(self._step_text(done))
        dialog.show()
        self._dialog = dialog

    @Slot()
    def _cancel_requested(self) -> None:
        self._cancel.set()
        if self._dialog is not None:
            self._dialog.setLabelText(self.tr("正在取消…"))

    @Slot(int, int)
    def _progressed(self, done: int, total: int) -> None:
        self._last = (done, total)
        if self._dialog is not None and total:
            self._dialog.setRange(0, total)
            self._dialog.setValue(min(done, total))
        elif self._dialog is not None and done:
            self._dialog.setLabelText(self._step_text(done))

    def _step_text(self, done: int) -> str:
        """Work whose end is not known says how far it got (a report: its pages)."""
        return self._title + self.tr("（第 %d 页）") % done

    def _finish(self) -> None:
        self._timer.stop()
        if not self._quiet:
            QApplication.restoreOverrideCursor()
        if self._dialog is not None:
            if shiboken6.isValid(self._dialog):
                self._dialog.hide()
                self._dialog.deleteLater()
            self._dialog = None
        self._thread.quit()
        self._thread.wait()
        _running.discard(self)
        if not _running:
            sys.setswitchinterval(_idle_switch_interval)
        self.finished.emit()

    @Slot(object)
    def _done(self, box: _Box) -> None:
        self._finish()
        if self._on_done is not None and self._alive(self._on_done):
            self._on_done(box.value)

    @Slot(object)
    def _failed(self, box: _Box) -> None:
        exc: BaseException = box.value
        self._finish()
        if isinstance(exc, Cancelled):
            return
        if self._on_error is not None and self._alive(self._on_error):
            self._on_error(exc)
        else:
            raise exc


def run_task(
    parent: QWidget | None,
    title: str,
    fn: Callable[[Progress], Any],
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    cancellable: bool = False,
    quiet: bool = False,
) -> Task:
    task = Task(parent, title, fn, on_done, on_error, cancellable, quiet)
    task.start()
    return task


def shutdown() -> None:
    """At quit: ask running work to stop and wait for its threads, so no QThread
    is destroyed while it runs (Qt aborts the process then)."""
    _closing.set()
    for task in list(_running):
        task._cancel.set()
        task._thread.quit()
        task._thread.wait()
    _running.clear()
    sys.setswitchinterval(_idle_switch_interval)


def busy() -> bool:
    """True while any background task is running (tests wait on this)."""
    return bool(_running)


def reopen() -> None:
    """A new application may run tasks again (make_app calls this)."""
    _closing.clear()
