from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QProgressDialog, QWidget

from app.db.database import Database, open_database
from ui import tasks


@pytest.fixture(autouse=True)
def _own_settings(tmp_path: Path) -> None:
    """Each test starts with no saved settings (Qt reads XDG_CONFIG_HOME only once)."""
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "qt-settings"))


@pytest.fixture(autouse=True, scope="session")
def _no_thread_outlives_the_session() -> Iterator[None]:
    """After the last test no work starts (a timer of a closed window firing as the
    session ends would start a thread nobody waits for: Qt aborts the process at exit
    with "QThread: Destroyed while thread is still running")."""
    yield
    tasks.shutdown()  # and not reopened


@pytest.fixture(autouse=True)
def _no_thread_outlives_its_test() -> Iterator[None]:
    """Whatever work a test started ends with it (a QThread still running when the
    interpreter exits aborts it), as quitting the application does."""
    yield
    tasks.shutdown()
    tasks.reopen()


@pytest.fixture
def gui_db(tmp_path: Path) -> Iterator[Database]:
    from app.services.registry import park

    db = open_database(tmp_path / "界面" / "parkdesk.sqlite3")
    park.set_park(db, "测试园区", "测试园区两新工委")
    yield db
    db.dispose()


@contextlib.contextmanager
def window_on(qtbot, db: Database) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """The main window shown on ``db``, closed again with every task it started."""
    from ui.application import make_app
    from ui.main_window import MainWindow

    make_app()
    win = MainWindow(db)
    qtbot.addWidget(win)
    win.show()
    wait_idle(qtbot)
    yield win
    # a timer may start work as the test ends: wait for its thread, as quitting does
    # (a QThread still running when the interpreter exits aborts it)
    win.close()
    tasks.shutdown()
    tasks.reopen()


@pytest.fixture
def window(qtbot, gui_db: Database):  # type: ignore[no-untyped-def]
    with window_on(qtbot, gui_db) as win:
        yield win


def wait_idle(qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=10_000)


def on_modal(handler: Callable[[QWidget], None], timeout_ms: int = 5000) -> None:
    """Run ``handler`` on the next modal dialog once it is shown (exec() blocks). A
    task's progress dialog is passed over: it shows when work takes long (a loaded
    machine) and closes by itself, and is never the dialog a test answers."""
    waited = {"ms": 0}

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        answerable = isinstance(widget, QDialog) and not isinstance(widget, QProgressDialog)
        if answerable and widget.isVisible():
            try:
                handler(widget)
            except BaseException:
                # a failed check must not leave the dialog's exec() waiting: the test
                # would hang instead of failing (pytest-qt reports the exception)
                if widget.isVisible():
                    # done(), not reject(): a form with typed data would ask first
                    widget.done(QDialog.DialogCode.Rejected)
                raise
            return
        waited["ms"] += 20
        if waited["ms"] > timeout_ms:
            raise AssertionError("no dialog appeared")
        QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def type_text(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type like a user: keys for ASCII, an input-method commit for Chinese."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            widget.insert(ch)
