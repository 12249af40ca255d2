"""The window on an instructor's laptop: the banner that says a field database is open
(for whom, since when, the registry read-only), and 文件 → 打开外业包 / 打开其他数据库,
which start ParkDesk again on the database chosen and remember it for the next start."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QProcess
from PySide6.QtWidgets import QFileDialog, QWidget

from ui import messages, settings, tasks

if TYPE_CHECKING:
    from app.services.files.database_files import Database

DATABASE_KEY = "main/database"  # the database chosen last (打开外业包 / 打开其他数据库)


def tr(text: str) -> str:
    return QCoreApplication.translate("field_mode", text)


def banner_text(db: Database) -> str | None:
    from app.services.field.field_identity import field_info

    info = field_info(db)
    if info is None:
        return None
    text = tr(
        "外业数据库 · 为 %s 制作于 %s · %s · 台账只读（有误请在单位页“提出更正”）"
        " · 完成后在“数据交换 → 外业包”制作回传包"
    )
    # the units the pages list: the package's, and their pairing partners (shown whole)
    units = tr("%d个单位") % info.shown
    if info.shown > info.units:
        units += tr("（外业包%d个，另%d个为结对单位，只供查看）") % (
            info.units,
            info.shown - info.units,
        )
    return text % (info.instructor or tr("指定单位"), info.made_at.replace("T", " ")[:16], units)


def remembered_database() -> Path | None:
    """The database chosen last in the window, if it is still there."""
    text = settings.load_text(DATABASE_KEY)
    return Path(text) if text and Path(text).is_file() else None


def relaunch_on(path: Path) -> bool:
    """Start ParkDesk on ``path`` (a new process: the window's lock and state belong to
    the database it opened with) and remember it for the next start."""
    settings.save_text(DATABASE_KEY, str(path))
    if getattr(sys, "frozen", False):
        return QProcess.startDetached(sys.executable, ["--db", str(path)])[0]
    main = Path(__file__).resolve().parents[1] / "main.py"
    return QProcess.startDetached(sys.executable, [str(main), "--db", str(path)])[0]


def choose_and_open_package(window: QWidget, given: Path | None = None) -> None:
    """文件 → 打开外业包: the package (or the one ``given``, double-clicked in Explorer),
    then where its field database goes."""
    from app.services.field import field_package
    from app.services.files.database_files import FileNotWritten

    package = str(given or "")
    if not package:
        package, _ = QFileDialog.getOpenFileName(
            window,
            tr("选择外业包"),
            str(Path.home()),
            tr("ParkDesk 外业包 (*.pdfield);;所有文件 (*)"),
        )
    if not package:
        return
    target, _ = QFileDialog.getSaveFileName(
        window,
        tr("外业数据库保存为"),
        str(Path.home() / "ParkDesk外业" / (Path(package).stem + ".sqlite3")),
        tr("ParkDesk 数据库 (*.sqlite3)"),
    )
    if not target:
        return

    def opened(info: object) -> None:
        question = tr(
            "已建立外业数据库：\n%s\n\n现在切换到它吗？"
            "（ParkDesk 会在新窗口中打开它，下次启动也用它）"
        )
        switch = messages.ask(window, tr("外业包已打开"), question % target, yes=tr("切换"))
        if switch and relaunch_on(Path(target)):
            window.close()

    def failed(exc: BaseException) -> None:
        if isinstance(exc, field_package.PackageError | FileNotWritten):
            messages.warn(window, tr("无法打开外业包"), str(exc))
            return
        raise exc

    tasks.run_task(
        window,
        tr("正在打开外业包…"),
        lambda _p: field_package.open_field_package(Path(package), Path(target)),
        opened,
        failed,
    )


def choose_database(window: QWidget) -> None:
    """文件 → 打开其他数据库: back to the office's database, or another field one."""
    path, _ = QFileDialog.getOpenFileName(
        window,
        tr("打开数据库"),
        str(Path.home()),
        tr("ParkDesk 数据库 (*.sqlite3);;所有文件 (*)"),
    )
    if path and relaunch_on(Path(path)):
        window.close()
