"""文件 → 新建数据库 / 打开数据库 / 最近打开 / 演示园区: the doors to another database.

Each starts ParkDesk again on the database chosen (field_mode.relaunch_on: the window's
lock and state belong to the database it opened with) and remembers it among the recent
ones. The demo park lives in a file of its own (services/files/demo_file.py), marked as a
demo on every page, and is never mixed with a real park.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from ui import field_mode, messages, settings, tasks

if TYPE_CHECKING:
    from app.services.files.database_files import Database

RECENT_KEY = "main/recent"
RECENT_MAX = 6


def tr(text: str) -> str:
    return QCoreApplication.translate("database_menu", text)


# -- the recent databases ------------------------------------------------------------


def recent() -> list[Path]:
    """The databases opened last, newest first, those still there."""
    try:
        names = json.loads(settings.load_text(RECENT_KEY) or "[]")
    except ValueError:
        names = []
    return [Path(n) for n in names if isinstance(n, str) and Path(n).is_file()][:RECENT_MAX]


def remember(path: Path) -> None:
    path = path.expanduser().resolve()
    names = [str(path), *(str(p) for p in recent() if p != path)]
    settings.save_text(RECENT_KEY, json.dumps(names[:RECENT_MAX], ensure_ascii=False))


def switch_to(window: QWidget, path: Path) -> None:
    """ParkDesk started on ``path``; this window closes."""
    remember(path)
    if field_mode.relaunch_on(path):
        window.close()
    else:
        messages.warn(window, tr("打开数据库"), tr("无法启动 ParkDesk 打开：%s") % path)


# -- the menu ------------------------------------------------------------------------


def _action(window: Any, menu: QMenu, text: str, name: str, slot: Any) -> None:
    action = QAction(text, window)
    action.setObjectName(name)
    action.triggered.connect(slot)
    menu.addAction(action)


def add_to(window: Any, menu: QMenu) -> None:
    """The database doors in the 文件 menu of ``window`` (a MainWindow)."""
    _action(window, menu, tr("新建数据库…"), "new_database", lambda: choose_new(window))
    _action(
        window, menu, tr("打开数据库…"), "open_database", lambda: field_mode.choose_database(window)
    )
    recent_menu = menu.addMenu(tr("最近打开"))
    recent_menu.setObjectName("recent_databases")
    recent_menu.aboutToShow.connect(lambda: _fill_recent(window, recent_menu))
    demo_menu = menu.addMenu(tr("演示园区"))
    demo_menu.setObjectName("demo_menu")
    _action(window, demo_menu, tr("打开演示园区"), "open_demo", lambda: open_demo(window))
    _action(
        window, demo_menu, tr("删除并重建演示园区…"), "rebuild_demo", lambda: rebuild_demo(window)
    )


def _fill_recent(window: Any, menu: QMenu) -> None:
    menu.clear()
    here = window.db.path.resolve() if window.db is not None else None
    paths = [p for p in recent() if p.resolve() != here]
    if not paths:
        menu.addAction(tr("（无）")).setEnabled(False)
    for path in paths:
        menu.addAction(f"{path.name}　{path.parent}", lambda p=path: switch_to(window, p))


def choose_new(window: QWidget) -> None:
    """A new, empty database: the window starts on it and asks for its park."""
    from app.services.files.database_files import check_new_database

    path, _ = QFileDialog.getSaveFileName(
        window,
        tr("新建数据库"),
        str(Path.home() / "园区数据.sqlite3"),
        tr("ParkDesk 数据库 (*.sqlite3)"),
        options=QFileDialog.Option.DontConfirmOverwrite,  # an existing file is refused below
    )
    if not path:
        return
    target = Path(path)
    if target.suffix.lower() != ".sqlite3":
        target = target.with_name(target.name + ".sqlite3")
    try:
        check_new_database(target)
    except ValueError as exc:
        messages.warn(window, tr("新建数据库"), str(exc))
        return
    switch_to(window, target)


def open_demo(window: QWidget) -> None:
    """The demo park (built the first time, in the background), opened in its own window."""
    from app.services.files import demo_file

    def done(path: Path) -> None:
        switch_to(window, path)

    tasks.run_task(
        window,
        tr("正在生成演示园区…"),
        lambda progress: demo_file.make_demo(progress=progress),
        done,
        lambda exc: _failed(window, exc),
    )


def rebuild_demo(window: Any) -> None:
    """The demo park deleted and made anew (never while it is the database open)."""
    from app.services.files import demo_file

    path = demo_file.demo_path()
    if window.db is not None and window.db.path.resolve() == path.resolve():
        messages.info(
            window,
            tr("重建演示园区"),
            tr("演示园区正在使用中：请先打开您的数据库（文件 → 最近打开），再重建演示园区。"),
        )
        return
    if not messages.ask(
        window,
        tr("重建演示园区"),
        tr("删除演示园区里的全部数据并重新生成？（您自己的数据库不受影响）"),
        yes=tr("删除并重建"),
    ):
        return
    tasks.run_task(
        window,
        tr("正在重建演示园区…"),
        lambda progress: demo_file.make_demo(progress=progress, again=True),
        lambda made: _rebuilt(window, made),
        lambda exc: _failed(window, exc),
    )


def _rebuilt(window: QWidget, path: Path) -> None:
    if messages.ask(
        window, tr("重建演示园区"), tr("演示园区已重新生成。现在打开？"), yes=tr("打开")
    ):
        switch_to(window, path)


def _failed(window: QWidget, exc: BaseException) -> None:
    if isinstance(exc, ValueError | OSError):
        messages.warn(window, tr("演示园区"), str(exc))
        return
    raise exc


def demo_banner(db: Database) -> str | None:
    """On every page of the demo park: what it is, and where the real data is."""
    from app.services.files import demo_file

    if not demo_file.is_demo(db):
        return None
    return tr(
        "演示园区 · 数据为虚构，仅供熟悉操作，可随时在“文件 → 演示园区”删除重建"
        " · 正式工作请用“文件 → 新建数据库 / 打开数据库”"
    )
