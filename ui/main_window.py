"""The main window: navigation on the left, the page on the right, a status bar."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QSize, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import APP_TITLE, __version__
from app.services.files import database_files
from ui import field_mode, messages, settings
from ui.tasks import run_task

if TYPE_CHECKING:
    from app.services.files.database_files import Database
    from ui.pages.exchange_page import ExchangePage
    from ui.pages.gaps_page import GapsPage
    from ui.pages.instructors_page import InstructorsPage
    from ui.pages.organizations_page import OrganizationsPage
    from ui.pages.overview_page import OverviewPage
    from ui.pages.party_orgs_page import PartyOrgsPage


WARM_UP_AFTER_MS = 300
NAV = (
    ("overview", "总览"),
    ("registry", "组织台账"),
    ("party_orgs", "党组织"),
    ("instructors", "指导员"),
    ("classes", "分类管理"),
    ("clusters", "编组共建"),
    ("pairings", "结对帮带"),
    ("assessments", "考核"),
    ("funds", "经费保障"),
    ("visits", "走访整改"),
    ("gaps", "预警"),
    ("exchange", "数据交换"),
)
# a county database (services/county): its parks compared, and their units
COUNTY_NAV = (
    ("county", "园区对比"),
    ("county_units", "汇总名录"),
)
PAGE_NAMES = frozenset(name for name, _title in NAV)
PAGE_CLASSES = {  # each page's module and class, imported when the page is first shown
    "overview": ("ui.pages.overview_page", "OverviewPage"),
    "registry": ("ui.pages.organizations_page", "OrganizationsPage"),
    "party_orgs": ("ui.pages.party_orgs_page", "PartyOrgsPage"),
    "instructors": ("ui.pages.instructors_page", "InstructorsPage"),
    "classes": ("ui.pages.classes_page", "ClassesPage"),
    "clusters": ("ui.pages.clusters_page", "ClustersPage"),
    "pairings": ("ui.pages.pairings_page", "PairingsPage"),
    "assessments": ("ui.pages.assessments_page", "AssessmentsPage"),
    "funds": ("ui.pages.funds_page", "FundsPage"),
    "visits": ("ui.pages.visits_page", "VisitsPage"),
    "gaps": ("ui.pages.gaps_page", "GapsPage"),
    "exchange": ("ui.pages.exchange_page", "ExchangePage"),
    "county": ("ui.pages.county_page", "CountyPage"),
    "county_units": ("ui.pages.county_units_page", "CountyUnitsPage"),
}
START_PAGE_KEY = "main/page"


@dataclass(frozen=True, slots=True)
class FirstScreen:
    """What the start-up read for the first page as it opened the database: the
    registry's rows or the overview's figures; None for a page that reads its own
    (or a park still to be set up)."""

    page: str
    data: Any


# what a page shows first, read in the worker that opens the database: module, function
FIRST_READS = {
    "registry": ("app.services.registry.org_list", "first_screen"),
    "overview": ("ui.pages.overview_page", "read_numbers"),
}


def start_page() -> str:
    """The page used last; the first time, the overview leadership opens first."""
    name = settings.load_text(START_PAGE_KEY)
    return name if name in PAGE_NAMES else "overview"


def read_first_screen(db: Database, page: str) -> FirstScreen:
    """In the start-up's worker: what ``page`` shows first, when the park is set up."""
    from app.services.registry import park

    if park.get_park(db).county:  # a county database: its own pages, which read their own
        page = COUNTY_NAV[0][0]
    if page in PAGE_CLASSES:
        # the page's module too: the GUI thread then only builds it (30 ms less there)
        importlib.import_module(PAGE_CLASSES[page][0])
    reader = FIRST_READS.get(page)
    if reader is None or not park.get_park(db).configured:
        return FirstScreen(page, None)
    module, name = reader
    return FirstScreen(page, getattr(importlib.import_module(module), name)(db))


def _warm_up(_progress: object) -> None:
    """Import what edits and details need, off the GUI thread."""
    from app.services.files import audit  # noqa: F401
    from ui.dialogs import organization_dialog  # noqa: F401


class MainWindow(QMainWindow):
    """Shown before the database is open (start-up is then fast); ``attach``
    puts the pages in once it is. Given a database, it attaches at once."""

    def __init__(self, db: Database | None = None) -> None:
        super().__init__()
        self.db: Database = None  # type: ignore[assignment] - set by attach()
        self.setMinimumSize(QSize(960, 600))
        self.setWindowTitle(APP_TITLE)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(130)
        self.nav.setStyleSheet("QListWidget{font-size:15px} QListWidget::item{padding:8px 10px}")
        self.stack = QStackedWidget()
        self.opening = QLabel(self.tr("正在打开数据…"))
        self.opening.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.opening)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(6, 6, 6, 6)
        # shown on a field database (ui/field_mode.py)
        self.banner = QLabel()
        self.banner.setObjectName("field_banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("QLabel{background:#fff3c4;padding:6px 10px;color:#5c4400}")
        self.banner.hide()
        column.addWidget(self.banner)
        row = QHBoxLayout()
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        column.addLayout(row, 1)
        self.setCentralWidget(central)
        self.park_label = QLabel()
        self.statusBar().addPermanentWidget(self.park_label)
        self._build_menus()
        self.menuBar().setEnabled(False)
        self.setAcceptDrops(True)
        geometry = settings.load_bytes("main/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1360, 820)
        if db is not None:
            self.attach(db)

    def attach(self, db: Database, first: FirstScreen | None = None) -> None:
        """Build the pages on an open database; ``first`` is what the start-up read
        for the first page (the registry's rows, the overview's figures).

        Only the page shown is built now; the others are built the first time they
        are needed (start-up time)."""
        from PySide6.QtWidgets import QWidget as Placeholder

        from app.services.registry import park
        from ui import database_menu

        self.db = db
        database_menu.remember(db.path)  # among 文件 → 最近打开
        self.county = park.get_park(db).county
        self.nav_items = COUNTY_NAV if self.county else NAV
        self._built: dict[str, Any] = {}
        self._placeholders: dict[str, QWidget] = {}
        self._preload_registry = not self.county and first is not None and first.page != "registry"
        for name, title in self.nav_items:
            self.nav.addItem(self.tr(title))
            placeholder = Placeholder()
            self._placeholders[name] = placeholder
            self.stack.addWidget(placeholder)
        self.stack.removeWidget(self.opening)
        self.opening.deleteLater()
        if first is not None and first.data is not None:
            page = self.page(first.page)
            if first.page == "registry":
                page.show_first(first.data)
            else:
                page.show_numbers(first.data)
        self.nav.currentRowChanged.connect(self._show_page)
        # the page used last: shown again, saved already (a county opens on its parks)
        self._page_saved = COUNTY_NAV[0][0] if self.county else start_page()
        self.nav.setCurrentRow(self.nav_index(self._page_saved))
        self.menuBar().setEnabled(True)
        self._refresh_title()
        # SQLAlchemy and the writing services load behind the first screen, once it
        # is painted and read (an import holds the GIL for long stretches)
        QTimer.singleShot(WARM_UP_AFTER_MS, self._warm_up)

    nav_items: tuple[tuple[str, str], ...] = NAV

    def nav_index(self, name: str) -> int:
        return [n for n, _t in self.nav_items].index(name)

    def page(self, name: str) -> Any:
        """The page called ``name``, built on first use (each keeps the Page
        contract of ui/pages/page.py; typed by name through the properties below)."""
        if name in self._built:
            return self._built[name]
        # only this page's module: importing all eleven held up the first screen
        module, cls = PAGE_CLASSES[name]
        factory = getattr(importlib.import_module(module), cls)
        page = factory(self.db)
        page.changed.connect(self._data_changed)
        page.status_message.connect(self._status)
        if name == "overview":
            page.open_gaps.connect(self._show_gaps)
        if name == "gaps":
            page.open_record.connect(self.show_record)
        if name == "county":
            page.open_units.connect(self._open_units)
        index = self.nav_index(name)
        placeholder = self._placeholders.pop(name)
        current = self.stack.currentIndex()
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        self.stack.insertWidget(index, page)
        self.stack.setCurrentIndex(current)
        self._built[name] = page
        return page

    @property
    def pages(self) -> list[Any]:
        """The pages built so far, in navigation order."""
        built = getattr(self, "_built", {})
        return [built[n] for n, _t in self.nav_items if n in built]

    # named pages, built on first use
    @property
    def overview(self) -> OverviewPage:
        return cast("OverviewPage", self.page("overview"))

    @property
    def registry(self) -> OrganizationsPage:
        return cast("OrganizationsPage", self.page("registry"))

    @property
    def party_orgs_page(self) -> PartyOrgsPage:
        return cast("PartyOrgsPage", self.page("party_orgs"))

    @property
    def instructors_page(self) -> InstructorsPage:
        return cast("InstructorsPage", self.page("instructors"))

    @property
    def gaps(self) -> GapsPage:
        return cast("GapsPage", self.page("gaps"))

    @property
    def exchange(self) -> ExchangePage:
        return cast("ExchangePage", self.page("exchange"))

    def show_page(self, name: str) -> Any:
        page = self.page(name)
        if self.nav.currentRow() == self.nav_index(name):
            if page.stale:  # already shown: no row change to reload it
                page.reload()
        else:
            self.nav.setCurrentRow(self.nav_index(name))
        return page

    @Slot()
    def _warm_up(self) -> None:
        from ui import tasks

        if tasks.busy():  # the first page still reading, or drawing its charts
            QTimer.singleShot(WARM_UP_AFTER_MS, self._warm_up)
            return
        if self._preload_registry and not self.registry.loaded_once:
            # the registry's rows come with the start-up whichever page is shown:
            # read once the first page is in, so they never delay it
            self.registry.reload()
        run_task(self, self.tr("正在准备…"), _warm_up, self._warmed_up)

    def _warmed_up(self, _result: object) -> None:
        self._refresh_undo()

    # -- menus --------------------------------------------------------------
    def _build_menus(self) -> None:
        t = self.tr
        keys = QKeySequence.StandardKey
        file_menu = self.menuBar().addMenu(t("文件(&F)"))
        from ui import database_menu

        database_menu.add_to(self, file_menu)
        file_menu.addSeparator()
        self._add_action(file_menu, t("立即备份到文件…"), self.backup_to_file)
        self._add_action(file_menu, t("从备份恢复…"), self.restore_dialog, name="restore")
        file_menu.addSeparator()
        self._add_action(file_menu, t("导入登记表…"), self._choose_workbook, keys.Open)
        self._add_action(
            file_menu, t("打开外业包…"), lambda: field_mode.choose_and_open_package(self)
        )
        file_menu.addSeparator()
        self._add_action(file_menu, t("打印当前列表…"), self.print_page, keys.Print, "print")
        file_menu.addSeparator()
        self._add_action(file_menu, t("园区信息…"), self.edit_park)
        file_menu.addSeparator()
        self._add_action(file_menu, t("退出"), self.close, keys.Quit)

        edit_menu = self.menuBar().addMenu(t("编辑(&E)"))
        self.undo_action = self._add_action(edit_menu, t("撤销"), self.undo, keys.Undo, "undo")
        self.redo_action = self._add_action(edit_menu, t("重做"), self.redo, None, "redo")
        # Ctrl+Y on every system (Qt's standard Redo is Ctrl+Shift+Z on Linux)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence(keys.Redo)])
        edit_menu.aboutToShow.connect(self._refresh_undo)

        help_menu = self.menuBar().addMenu(t("帮助(&H)"))
        self._add_action(help_menu, t("使用说明"), self.help, keys.HelpContents, "help")
        self._add_action(help_menu, t("快捷键"), lambda: self.help("keys"), None, "keys")
        self._add_action(help_menu, t("关于 ParkDesk"), self.about)

    def _add_action(
        self,
        menu: Any,
        text: str,
        slot: Any,
        shortcut: QKeySequence.StandardKey | None = None,
        name: str = "",
    ) -> QAction:
        act = QAction(text, self)
        if name:
            act.setObjectName(name)
        if shortcut is not None:
            act.setShortcut(shortcut)
        act.triggered.connect(slot)
        menu.addAction(act)
        return act

    # -- pages --------------------------------------------------------------
    @Slot(int)
    def _show_page(self, index: int) -> None:
        name = self.nav_items[index][0]
        page = self.page(name)
        if name != self._page_saved and not self.county:  # saving writes the settings file
            settings.save_text(START_PAGE_KEY, name)
            self._page_saved = name
        self.stack.setCurrentWidget(page)
        if page.stale:
            page.reload()

    @Slot()
    def _data_changed(self) -> None:
        sender = self.sender()
        for page in self.pages:
            if page is not sender:
                page.stale = True
        self._refresh_undo()

    @Slot(str)
    def _status(self, text: str) -> None:
        self.statusBar().showMessage(text, 4000 if text else 1)

    def current_page(self) -> Any:
        return self.stack.currentWidget()

    def _refresh_title(self) -> None:
        from app.services.registry import park

        info = park.get_park(self.db)
        name = info.park_name or self.tr("未命名园区")
        self.setWindowTitle(f"{name} — {APP_TITLE}")
        self.park_label.setText(f"{info.committee_name or name}　|　{self.db.path}")
        from ui import database_menu

        banner = field_mode.banner_text(self.db) or database_menu.demo_banner(self.db)
        self.banner.setText(banner or "")
        self.banner.setVisible(banner is not None)

    def _reload_all(self) -> None:
        for page in self.pages:
            page.stale = True
        self.current_page().reload()
        self._refresh_undo()
        self._refresh_title()

    # -- actions ------------------------------------------------------------
    @Slot()
    def _refresh_undo(self) -> None:
        from app.services.files import audit

        if self.db is None:
            return
        from app.services.files import redo

        summary = audit.last_undoable(self.db)
        self.undo_action.setEnabled(summary is not None)
        self.undo_action.setText(self.tr("撤销：%s") % summary if summary else self.tr("撤销"))
        again = redo.redoable(self.db)
        self.redo_action.setEnabled(again is not None)
        self.redo_action.setText(self.tr("重做：%s") % again if again else self.tr("重做"))

    @Slot()
    def undo(self) -> None:
        from app.services.files import audit

        # in a worker: undoing an import reverts thousands of rows
        db = self.db
        run_task(self, self.tr("正在撤销…"), lambda _p: audit.undo_last(db), self._undone)

    @Slot()
    def redo(self) -> None:
        from app.services.files import redo

        db = self.db
        run_task(self, self.tr("正在重做…"), lambda _p: redo.redo_last(db), self._redone)

    # bound methods, not closures: a task's result is not delivered to a closed window
    def _undone(self, summary: str | None) -> None:
        self._reverted(summary, self.tr("没有可撤销的修改"), self.tr("已撤销：%s"))

    def _redone(self, summary: str | None) -> None:
        self._reverted(summary, self.tr("没有可重做的修改"), self.tr("已重做：%s"))

    def _reverted(self, summary: str | None, nothing: str, done: str) -> None:
        """What the window says after an undo or a redo; every page read again when
        something changed."""
        if summary is None:
            self._status(nothing)
            return
        self._status(done % summary)
        self._reload_all()

    def help(self, anchor: str = "") -> None:
        from ui.dialogs.help_dialog import HelpDialog

        HelpDialog(anchor if isinstance(anchor, str) else "", self).exec()

    @Slot()
    def print_page(self) -> None:
        """打印 (Ctrl+P): the page's own print preview, or its list's."""
        from ui.pages.list_output import print_with
        from ui.printing import preview

        page = self.current_page()
        tabs = getattr(page, "tabs", None)
        inner = tabs.currentWidget() if tabs is not None else None
        for candidate in (page, inner):
            if candidate is not None and hasattr(candidate, "print_preview"):
                candidate.print_preview()
                return
            if candidate is not None and hasattr(candidate, "report"):
                print_with(candidate, preview)
                return
        self._status(self.tr("这一页没有可打印的列表"))

    @Slot()
    def backup_to_file(self) -> None:
        from datetime import date

        suggested = str(Path.home() / f"ParkDesk备份-{date.today():%Y%m%d}.sqlite3")
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("备份到文件"), suggested, self.tr("ParkDesk 数据 (*.sqlite3)")
        )
        if not path:
            return
        run_task(
            self,
            self.tr("正在备份…"),
            lambda _p: database_files.backup_to(self.db.path, Path(path)),
            self._backup_done,
            self._backup_failed,
        )

    def _backup_done(self, dest: Path) -> None:
        messages.info(self, self.tr("备份完成"), self.tr("已备份到：\n%s") % dest)

    def _backup_failed(self, exc: BaseException) -> None:
        problem = database_files.problem_of(exc)
        if problem is not None:
            messages.db_problem(self, problem)
            return
        messages.save_failed(self, exc, getattr(exc, "filename", None) or "")

    @Slot()
    def restore_dialog(self) -> None:
        from ui.dialogs.restore_dialog import RestoreDialog

        dialog = RestoreDialog(self.db.path, self)
        if dialog.exec() and dialog.chosen is not None:
            self.restore(dialog.chosen)

    def restore(self, source: Path, other_database: bool = False) -> None:
        """Replace the data with a backup, in a worker (the backup is checked whole
        first); the current state is backed up first."""
        self.db.dispose()
        self._restoring = source
        path = self.db.path
        run_task(
            self,
            self.tr("正在检查并恢复备份…"),
            lambda _p: database_files.restore_and_open(path, source, other_database=other_database),
            self._restored,
            self._restore_failed,
        )

    def _restored(self, result: tuple[Database, Path | None]) -> None:
        self.db, safety = result
        for page in self.pages:
            page.db = self.db
        self._reload_all()
        note = self.tr("恢复前的数据已另存为：\n%s") % safety if safety else ""
        messages.info(
            self,
            self.tr("恢复完成"),
            self.tr("已从备份恢复：\n%s") % self._restoring + ("\n\n" + note if note else ""),
        )

    def _restore_failed(self, exc: BaseException) -> None:
        if isinstance(exc, database_files.ForeignBackup):
            if messages.ask(
                self,
                self.tr("另一个数据库的备份"),
                str(exc) + self.tr("\n\n仍要用它替换当前数据吗？当前数据会先另存为备份。"),
                yes=self.tr("仍然恢复"),
            ):
                self.restore(self._restoring, other_database=True)
            return
        if isinstance(exc, database_files.BackupFileError | database_files.DatabaseBusy):
            messages.error(self, self.tr("无法恢复"), str(exc))
            return
        problem = database_files.problem_of(exc)
        if problem is None:
            raise exc
        messages.db_problem(self, problem)

    @Slot(str)
    def _show_gaps(self, rule: str) -> None:
        self.show_page("gaps").show_rule(rule)

    @Slot(str, int)
    def show_record(self, record: str, record_id: int) -> None:
        page = {
            "organization": self.registry,
            "party_organization": self.party_orgs_page,
            "instructor": self.instructors_page,
        }[record]
        page.reveal(record_id)  # selected now, or once its rows are (re)loaded
        nav = {"organization": "registry", "party_organization": "party_orgs"}
        self.nav.setCurrentRow(self.nav_index(nav.get(record, "instructors")))

    @Slot()
    def _choose_workbook(self) -> None:
        if self.county:  # a county imports its parks' submissions
            self.show_page("county").choose_submissions()
            return
        self.show_page("exchange").choose_file()

    @Slot(str, str)
    def _open_units(self, park: str, measure: str) -> None:
        """园区对比's drill-down: the units of a park (or every park) behind a figure."""
        self.show_page("county_units").show_park(park, measure)

    @Slot()
    def edit_park(self) -> None:
        from app.services.registry import park
        from ui.dialogs.first_run_dialog import ParkDialog

        info = park.get_park(self.db)
        dialog = ParkDialog(info.park_name, info.committee_name, self)
        dialog.finish_layout()
        if dialog.exec():
            park.set_park(self.db, dialog.park.text(), dialog.committee.text())
            self._refresh_title()

    @Slot()
    def about(self) -> None:
        """The version and where this database and its backups are: what a clerk reads
        out on the telephone when something needs looking at."""
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("关于 ParkDesk"))
        box.setIconPixmap(self.windowIcon().pixmap(64, 64))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(self.tr("ParkDesk %s\n%s") % (__version__, APP_TITLE))
        box.setInformativeText(
            self.tr("数据文件：%s\n备份目录：%s\n\n离线运行，数据只保存在本机。")
            % (self.db.path, database_files.backup_folder(self.db.path))
        )
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.exec()

    # -- a file dropped on the window, or double-clicked in Explorer -----------------
    @staticmethod
    def _dropped_file(event: QDragEnterEvent | QDropEvent) -> Path | None:
        from app.services.field.field_package import SUFFIX
        from ui.pages.exchange_page import WORKBOOK_SUFFIXES

        wanted = (*WORKBOOK_SUFFIXES, *SUFFIX.values())
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        for url in urls:
            path = Path(url.toLocalFile())
            if url.isLocalFile() and path.suffix.lower() in wanted:
                return path
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.pages and self._dropped_file(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_file(event)
        if path is None or not self.pages:
            return
        event.acceptProposedAction()
        self.open_file(path)

    def open_file(self, path: Path) -> None:
        """A file given to ParkDesk: a field package is opened (on the instructor's
        laptop), a return package merged (at the office), a workbook imported."""
        from app.services.field.field_package import SUFFIX

        suffix = path.suffix.lower()
        if suffix == SUFFIX["field"]:
            field_mode.choose_and_open_package(self, path)
        elif suffix == SUFFIX["return"]:
            self.show_page("exchange").merge_return(path)
        else:
            self.open_workbook(path)

    def open_workbook(self, path: Path) -> None:
        if self.county:
            self.show_page("county").import_files([path])
            return
        self.show_page("exchange").start_import(path)

    def closeEvent(self, event: QCloseEvent) -> None:
        for page in self.pages:
            page.save_layout()
        settings.save_bytes("main/geometry", self.saveGeometry())
        if self.pages:
            self._backup_on_close()
        super().closeEvent(event)

    def _backup_on_close(self) -> None:
        """The newest state goes into a backup when the window closes after changes."""
        try:
            database_files.backup_on_close(self.db.path)
        except database_files.DbProblem as problem:
            messages.db_problem(self, problem)
