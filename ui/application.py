"""Start-up of the window: logging → crash hook → Qt + translations →
single instance → open database (backup, migrate) → first run → main window."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from enum import Enum
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLocale, QObject
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QWidget

from app import APP_NAME, APP_TITLE, __version__
from app.services.files import database_files
from ui import gc_guard, messages, qt_chinese, settings, single_instance, tasks
from ui.crash import ExceptionHandler
from ui.tasks import run_task

if TYPE_CHECKING:
    from app.services.files.database_files import Database
    from ui.main_window import FirstScreen, MainWindow

log = logging.getLogger("parkdesk")


def setup_logging() -> Path:
    path = database_files.log_dir() / "parkdesk.log"
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
    if not getattr(app, "_parkdesk_chinese", False):  # tests make the app again
        qt_chinese.install(app)
        _shipped_font()
        app.setWindowIcon(app_icon())
        app._parkdesk_chinese = True  # type: ignore[attr-defined]
    if sys.platform == "win32":
        app.setFont(QFont("Microsoft YaHei UI", 9))
    gc_guard.install(app)
    tasks.reopen()
    app.aboutToQuit.connect(tasks.shutdown)
    return app


def _shipped_font() -> None:
    """The CJK font shipped with the program (resources/fonts), for Qt to fall back on
    where the laptop has none: Chinese never shows as boxes."""
    from PySide6.QtGui import QFontDatabase

    from app.services.files.resources import CJK_FONT

    if CJK_FONT.is_file():
        QFontDatabase.addApplicationFont(str(CJK_FONT))


def app_icon() -> QIcon:
    """The program's icon at every size it is drawn in: the title bar, the task bar and
    the About box each take the one they need."""
    from app.services.files.resources import icon_files

    icon = QIcon()
    for path in icon_files():
        icon.addFile(str(path))
    return icon


def open_and_read(db_path: Path, page: str) -> tuple[Database, FirstScreen]:
    """In a worker thread: open (check, backup, migrate) and read what ``page``, the
    first page shown, shows first, while SQLite checks the file when nothing is due.

    SQLAlchemy is not imported here: the window is already on screen, and the first
    page reads with sqlite3."""
    from ui.main_window import read_first_screen

    return database_files.open_and_read(db_path, lambda db: read_first_screen(db, page))


class Startup(QObject):
    """Opens the database behind the shown window, then fills it."""

    def __init__(self, window: MainWindow, db_path: Path) -> None:
        super().__init__(window)
        self.window = window
        self.db_path = db_path
        self.then: list[Callable[[], None]] = []  # once the registry is on screen

    def start(self) -> None:
        from ui.main_window import start_page

        page = start_page()
        run_task(
            self.window,
            self.tr("正在打开数据…"),
            lambda _p: open_and_read(self.db_path, page),
            self._opened,
            self._failed,
        )

    def _opened(self, result: tuple[Database, FirstScreen]) -> None:
        from app.services.registry import park

        db, first = result
        # a park still to be set up: its first page reads its own once it is
        chosen = FirstRun.PARK if park.get_park(db).configured else first_run(db, self.window)
        if chosen is FirstRun.QUIT:
            db.dispose()
            self.window.close()
            return
        self.window.attach(db, first)
        if chosen is FirstRun.DEMO:  # the demo in a file of its own, opened once it is made
            from ui import database_menu

            self.then.append(lambda: database_menu.open_demo(self.window))
        log.info("opened %s", db.path)
        for step in self.then:
            step()
        self.then.clear()

    def _failed(self, exc: BaseException) -> None:
        from app.services.files import database_files

        problem = database_files.problem_of(exc)
        if problem is None:
            self.window.close()
            raise exc
        self._problem = problem
        # only a backup that would restore is offered: intact, ParkDesk's, known
        # (checking one copies it: in a worker)
        path = self.db_path
        run_task(
            self.window,
            self.tr("正在查找可以恢复的备份…"),
            lambda _p: database_files.newest_usable_backup(path, problem),
            self._offer,
        )

    def _offer(self, usable: Any) -> None:
        from app.services.files import database_files

        info = usable.info if usable is not None else None
        chosen = messages.db_problem(
            self.window, self._problem, offer_restore=usable is not None, backup=info
        )
        if not chosen or usable is None:
            self.window.close()
            return
        self._recovering = info
        path = self.db_path
        run_task(
            self.window,
            self.tr("正在从备份恢复…"),
            lambda _p: database_files.restore(path, usable.info.path, checked=usable.check),
            self._recovered,
            self._failed,
        )

    def _recovered(self, kept: Path | None) -> None:
        if kept is not None:
            messages.info(
                self.window,
                self.tr("已恢复"),
                self.tr("已从%s的备份恢复。损坏的文件已另存为：\n%s")
                % (f"{self._recovering.taken_at:%Y-%m-%d %H:%M}", kept),
            )
        self.start()


class FirstRun(Enum):
    QUIT = "quit"
    PARK = "park"  # the park named: its database opens
    DEMO = "demo"  # the park named, and the demo park wanted too (in its own file)


def first_run(db: Database, parent: QWidget | None = None) -> FirstRun:
    """Ask for the park. The demo park, when wanted, is never built into this database:
    it has a file of its own (文件 → 演示园区), opened after this one."""
    from app.services.registry import park
    from ui.dialogs.first_run_dialog import FirstRunDialog

    dialog = FirstRunDialog(parent)
    if not dialog.exec():
        return FirstRun.QUIT
    park.set_park(db, dialog.park.text(), dialog.committee.text())
    return FirstRun.DEMO if dialog.wants_demo else FirstRun.PARK


def _given(window: MainWindow, startup: Startup, path: Path) -> None:
    """A file handed over by a second start: opened here, the window brought up."""
    window.showNormal()
    window.raise_()
    window.activateWindow()
    if window.pages:
        window.open_file(path)
    else:  # still opening the database
        startup.then.append(lambda: window.open_file(path))


def _first_package(db_arg: Path | None, open_file: Path | None) -> Path | None:
    """A field package double-clicked on a laptop where ParkDesk has no database yet (an
    instructor's first start): its field database made at once in the user's documents
    (ParkDesk外业/), named for the package — no park to name, no place to choose, no
    switch to confirm: the package says whose it is and for which park. None: anything
    else (a database given or used before, a return package), or the package refused
    (the window then opens as usual and says why when it opens the package)."""
    from platformdirs import user_documents_dir

    from app.services.field import field_package
    from ui.field_mode import remembered_database

    field_suffix = field_package.SUFFIX["field"]
    if db_arg is not None or open_file is None or open_file.suffix.lower() != field_suffix:
        return None
    if remembered_database() is not None or database_files.default_db_path().exists():
        return None
    folder = Path(user_documents_dir()) / "ParkDesk外业"
    target = folder / f"{open_file.stem}.sqlite3"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{open_file.stem}（{n}）.sqlite3"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        field_package.open_field_package(open_file, target)
    except (field_package.PackageError, OSError, ValueError):
        log.warning("first package not opened at start: %s", open_file, exc_info=True)
        return None
    from ui.database_menu import remember
    from ui.field_mode import DATABASE_KEY

    settings.save_text(DATABASE_KEY, str(target))  # the next start opens it too
    remember(target)
    return target


def run_gui(db_arg: Path | None, open_file: Path | None = None) -> int:
    """The window on ``db_arg`` (or the database used last); ``open_file``, a package
    double-clicked in Explorer, is opened once the database is."""
    app = make_app()
    from ui.field_mode import remembered_database

    laptop = _first_package(db_arg, open_file)
    if laptop is not None:  # the package is open already: the window starts on it
        db_arg, open_file = laptop, None
    chosen = db_arg or remembered_database() or database_files.default_db_path()
    db_path = chosen.expanduser().resolve()
    # the window writes whenever the clerk edits: it holds the writer lock while
    # open, so no command line restore or import can write under it
    lock = database_files.window_lock(db_path)
    try:
        lock.acquire()
    except database_files.DatabaseBusy as exc:
        if open_file is not None and single_instance.hand_over(db_path, open_file):
            return 0  # the window open on this database takes the package
        messages.error(
            None,
            app.translate("startup", "无法打开"),
            app.translate("startup", "%s\n\n数据文件：%s") % (exc, db_path),
        )
        return 1
    except database_files.DbProblem as exc:
        messages.error(
            None,
            app.translate("startup", "无法打开"),
            app.translate("startup", "%s\n\n数据文件：%s") % (exc, db_path),
        )
        return 1
    log_path = setup_logging()
    ExceptionHandler(str(log_path)).install()
    try:
        from ui.main_window import MainWindow

        window = MainWindow()
        window.show()
        startup = Startup(window, db_path)
        if open_file is not None:
            startup.then.append(lambda: window.open_file(open_file))
        single_instance.Listener(db_path, lambda path: _given(window, startup, path), window)
        startup.start()
        return app.exec()
    finally:
        lock.release()
