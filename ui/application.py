"""Start-up of the window: logging → crash hook → Qt + translations →
single instance → open database (backup, migrate) → first run → main window."""

from __future__ import annotations

import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLibraryInfo, QLocale, QLockFile, QObject, QTranslator
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget

from app import APP_NAME, APP_TITLE, __version__
from app.paths import default_db_path, log_dir
from app.services import org_list
from ui import gc_guard, messages, tasks
from ui.crash import ExceptionHandler
from ui.tasks import run_task

if TYPE_CHECKING:
    from app.db.database import Database
    from ui.main_window import MainWindow

log = logging.getLogger("parkdesk")


def setup_logging() -> Path:
    path = log_dir() / "parkdesk.log"
    handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    app.setApplicationVersion(__version__)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    translator = QTranslator(app)
    if translator.load(
        "qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ):
        app.installTranslator(translator)
    if sys.platform == "win32":
        app.setFont(QFont("Microsoft YaHei UI", 9))
    gc_guard.install(app)
    tasks.reopen()
    app.aboutToQuit.connect(tasks.shutdown)
    return app


class InstanceLock:
    """One window per database file (QLockFile works on Windows and Linux)."""

    def __init__(self, db_path: Path) -> None:
        self.lock = QLockFile(str(db_path.with_name(db_path.name + ".lock")))
        self.lock.setStaleLockTime(0)

    def acquire(self) -> bool:
        return self.lock.tryLock(200)

    def release(self) -> None:
        self.lock.unlock()


def open_and_read(db_path: Path, _progress: object = None) -> tuple[Database, list[Any] | None]:
    """In a worker thread: open (backup, migrate) and read the registry.

    SQLAlchemy is first imported here, so the window is already on screen.
    """
    from app.db.database import open_database
    from app.services import park

    db = open_database(db_path)
    rows = org_list.list_organizations(db) if park.get_park(db).configured else None
    return db, rows


class Startup(QObject):
    """Opens the database behind the shown window, then fills it."""

    def __init__(self, window: MainWindow, db_path: Path) -> None:
        super().__init__(window)
        self.window = window
        self.db_path = db_path

    def start(self) -> None:
        run_task(
            self.window,
            self.tr("正在打开数据…"),
            lambda _p: open_and_read(self.db_path),
            self._opened,
            self._failed,
        )

    def _opened(self, result: tuple[Database, list[Any] | None]) -> None:
        from app.services import park

        db, rows = result
        if not park.get_park(db).configured:
            if not first_run(db, self.window):
                db.dispose()
                self.window.close()
                return
            rows = None
        self.window.attach(db, rows)
        log.info("opened %s", db.path)

    def _failed(self, exc: BaseException) -> None:
        from app.db import backup
        from app.db.errors import DbProblemKind, classify

        problem = classify(exc)
        if problem is None:
            self.window.close()
            raise exc
        newest = backup.list_backups(self.db_path)
        offer = problem.kind is DbProblemKind.CORRUPT and bool(newest)
        if messages.db_problem(self.window, problem, offer_restore=offer) and newest:
            backup.restore_from(self.db_path, newest[0].path)
            self.start()
            return
        self.window.close()


def first_run(db: Database, parent: QWidget | None = None) -> bool:
    """Ask for the park; build the demo park if wanted. False = the user quit."""
    from app.services import demo, park
    from ui.dialogs.first_run_dialog import FirstRunDialog

    dialog = FirstRunDialog(parent)
    if not dialog.exec():
        return False
    park.set_park(db, dialog.park.text(), dialog.committee.text())
    if dialog.wants_demo:
        demo.build_demo(
            db,
            demo.DEFAULT_SIZE,
            park_name=dialog.park.text().strip(),
            committee_name=dialog.committee.text().strip(),
        )
    return True


def run_gui(db_arg: Path | None) -> int:
    log_path = setup_logging()
    app = make_app()
    handler = ExceptionHandler(str(log_path))
    handler.install()
    db_path = (db_arg or default_db_path()).expanduser().resolve()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    lock = InstanceLock(db_path)
    if not lock.acquire():
        messages.error(
            None,
            app.translate("startup", "已经打开"),
            app.translate(
                "startup", "这个数据文件已在另一个 ParkDesk 窗口中打开：\n%s\n\n请切换到那个窗口。"
            )
            % db_path,
        )
        return 1
    try:
        from ui.main_window import MainWindow

        window = MainWindow()
        window.show()
        Startup(window, db_path).start()
        return app.exec()
    finally:
        lock.release()
