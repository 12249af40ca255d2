"""What every registry page shares: search, filters, a table, a detail pane.

Rows are loaded off the GUI thread, filtered and sorted in Python
(ui.table_model), and the column layout is remembered per page.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.domain.vocabulary import LabeledEnum
from app.services.files.database_files import DbProblem
from ui import messages, settings
from ui.table_model import Column, Prepared, RowTableModel
from ui.table_view import table_view
from ui.tasks import run_task

if TYPE_CHECKING:
    from app.services.files.database_files import Database
    from app.services.registry.org_list import FirstRows

Predicate = Callable[[Any], bool]
FilterOption = tuple[str, Predicate | None]


def each_of(
    everything: str, members: Iterable[LabeledEnum], value: Callable[[Any], object]
) -> list[FilterOption]:
    """All rows, then one option per member of a vocabulary: the rows whose value it is."""
    return [(everything, None)] + [(m.label, (lambda r, m=m: value(r) == m)) for m in members]


def unit_columns(name: str, code: str) -> list[Column]:
    """A unit's name (in natural order, numbers by value: ``name_rank``) and credit code,
    the first two columns of every list of units."""
    return [
        Column("name", name, lambda r: r.name, lambda r: r.name_rank, width=240),
        Column("uscc", code, lambda r: r.uscc or "", width=170),
    ]


def yes_or_no(both: str, yes: str, no: str, value: Callable[[Any], bool]) -> list[FilterOption]:
    return [(both, None), (yes, lambda r: bool(value(r))), (no, lambda r: not value(r))]


def day_text(value: date | None) -> str:
    """A date as every table shows it: 2026-03-15; nothing for none."""
    return "" if value is None else f"{value:%Y-%m-%d}"


def detail_table(rows: list[tuple[str, str]], red: set[int] | frozenset[int] = frozenset()) -> str:
    """Label–value pairs as the detail pane shows them; the rows of ``red`` in red."""
    key_style = "color:#555;padding-right:8px;white-space:nowrap"
    cells = "".join(
        f"<tr><td style='{key_style}'>{esc(k)}</td>"
        + (
            f"<td style='color:#b3261e'>{esc(v)}</td></tr>"
            if n in red
            else f"<td>{esc(v)}</td></tr>"
        )
        for n, (k, v) in enumerate(rows)
    )
    return f"<table cellspacing='2'>{cells}</table>"


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


class TablePage(QWidget):
    """Subclasses give columns, filters, actions, a loader and the detail HTML."""

    changed = Signal()  # data was written: other pages may be stale
    status_message = Signal(str)
    page_name = "page"

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.model = RowTableModel(self.columns(), self)
        self._filters: list[tuple[QComboBox, list[Predicate | None]]] = []
        self._selected_id: int | None = None
        self._scope: str | None = None  # scope_note, read with the rows
        self._row_actions: list[QPushButton] = []
        self.loaded_once = False
        self.stale = True

        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.search_hint())
        self.search.textChanged.connect(self.apply_filter)

        self.filter_bar = QHBoxLayout()
        self.filter_bar.addWidget(self.search, 2)

        self.action_bar = QHBoxLayout()
        self.count_label = QLabel()
        self.count_label.setObjectName("count")

        self.table = table_view(self.model, "table", sort_column=0, single=True, row_numbers=True)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.doubleClicked.connect(self._double_clicked)

        self.detail = QTextBrowser()
        self.detail.setObjectName("detail")
        self.detail.setOpenLinks(False)
        self.detail_box = QWidget()
        detail_layout = QVBoxLayout(self.detail_box)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.detail, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([900, 340])

        top = QHBoxLayout()
        top.addLayout(self.action_bar)
        top.addStretch(1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(self.filter_bar)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

        self.build_filters()
        self.build_actions()
        from ui.pages.list_output import add_output_menu

        self.output_button = add_output_menu(self, self.output_actions())
        # Ctrl+F: to the search box of the page shown (each page has its own)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self.search.setFocus)
        self._restore_layout()
        self.show_detail(None)

    # -- for subclasses -----------------------------------------------------
    def columns(self) -> list[Column]:
        raise NotImplementedError

    def search_hint(self) -> str:
        return self.tr("搜索")

    def build_filters(self) -> None:
        """Add filters with add_filter()."""

    def build_actions(self) -> None:
        """Add buttons with add_action()."""

    def report(self) -> Any:
        """What 打印/保存为PDF print: the list as shown (list_output.list_report)."""
        from ui.pages.list_output import list_report

        return list_report(self)

    def output_actions(self) -> list[tuple[str, str, Callable[[], None]]]:
        """A page's own entries in its 导出与打印 menu (a unit's file, say)."""
        return []

    def load_rows(self) -> list[Any]:
        """Runs in a worker thread."""
        raise NotImplementedError

    def scope_note(self) -> str | None:
        """On a field laptop, what this page's counts cover (仅本包单位), said beside the
        count; None: the park's own. Runs in the worker with load_rows."""
        return None

    def detail_html(self, row: Any) -> str:
        raise NotImplementedError

    def editor(self, row_id: int | None) -> QDialog:
        """The add (None) or edit dialog of this page; it sets ``saved_id`` when saved."""
        raise NotImplementedError

    def delete_question(self, row: Any) -> tuple[str, str]:
        """The title and the question asked before 删除误录 deletes ``row``."""
        raise NotImplementedError

    def delete_record(self, row_id: int) -> None:
        """Delete a record entered by mistake (the service logs it for undo)."""
        raise NotImplementedError

    def add_record_actions(self, add_text: str, *more: tuple[str, str, Callable[[], None]]) -> None:
        """新增, 编辑, the page's own actions, then 删除误录: every record page's buttons."""
        self.add_action("add", add_text, self.add_record, needs_row=False)
        self.add_action("edit", self.tr("编辑"), self.edit_current)
        for name, text, slot in more:
            self.add_action(name, text, slot)
        self.add_action("delete", self.tr("删除误录"), self.delete_current)

    @Slot()
    def delete_current(self) -> None:
        row = self.current_row()
        if row is None:
            return
        title, question = self.delete_question(row)
        if messages.ask(self, title, question, yes=self.tr("删除")):
            self.delete_record(row.id)
            self.after_write()

    @Slot()
    def add_record(self) -> None:
        dialog = self.editor(None)
        if dialog.exec():
            self.search.clear()
            self.after_write(dialog.saved_id)  # type: ignore[attr-defined]

    @Slot()
    def edit_current(self) -> None:
        """Also what a double-click on a row does."""
        row = self.current_row()
        if row is not None and self.editor(row.id).exec():
            self.after_write(row.id)

    # -- helpers for subclasses --------------------------------------------
    def add_filter(self, name: str, options: list[FilterOption]) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(f"filter_{name}")
        for label, _pred in options:
            combo.addItem(label)
        combo.currentIndexChanged.connect(self.apply_filter)
        self.filter_bar.addWidget(combo)
        self._filters.append((combo, [p for _l, p in options]))
        return combo

    def add_action(
        self, name: str, text: str, slot: Callable[[], None], needs_row: bool = True
    ) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(f"action_{name}")
        button.clicked.connect(slot)
        if needs_row:
            self._row_actions.append(button)
        self.action_bar.addWidget(button)
        return button

    def current_row(self) -> Any | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(index.row())

    # -- loading ------------------------------------------------------------
    def reload(self, select_id: int | None = None) -> None:
        if select_id is not None:
            self._selected_id = select_id
        self.stale = False
        self.status_message.emit(self.tr("正在读取…"))
        # the filter as it is now, applied in the worker (read from the widgets here)
        self._loading_filter = (self._filter_inputs(), self._predicate())
        run_task(
            self, self.tr("正在读取数据…"), self._load_in_worker, self._loaded, self._load_failed
        )

    def _load_in_worker(self, _progress: Callable[[int, int], None]) -> Prepared:
        self._scope = self.scope_note()  # read by _update_count once the rows arrive
        inputs, predicate = self._loading_filter
        return self.model.prepare(self.load_rows(), predicate, inputs)

    def show_rows(self, rows: list[Any]) -> None:
        """Show rows read elsewhere."""
        self.stale = False
        self._loaded(self.model.prepare(rows, self._predicate(), self._filter_inputs()))

    def show_first(self, first: FirstRows) -> None:
        """Show the first screenful the start-up read, then read them all: the page is
        not ``loaded_once`` (nor sorted, searched or counted in full) until they are."""
        if first.complete:
            self.show_rows(first.rows)
            return
        self.model.adopt(self.model.prepare(first.rows, None))
        self.count_label.setText(self.tr("共 %d 条，正在读取…") % first.total)
        # after the first rows are painted: the read would hold the GIL meanwhile
        QTimer.singleShot(0, self.reload)

    def reveal(self, record_id: int) -> None:
        """Clear the search and the filters and select the record: now when the rows
        are here, else once they are (re)loaded."""
        self.search.clear()
        for combo, _options in self._filters:
            combo.setCurrentIndex(0)
        self._selected_id = record_id
        if not self.stale and self.loaded_once:
            self.select_id(record_id)

    def _loaded(self, prepared: Prepared) -> None:
        keep = self._selected_id
        filtered = self.model.adopt(prepared) and prepared.tag == self._filter_inputs()
        self.loaded_once = True
        if filtered:
            self._filtered()
        else:  # sorted or filtered otherwise while the rows were read
            self.apply_filter()
        if keep is not None:
            self.select_id(keep)
        self.status_message.emit("")

    def _load_failed(self, exc: BaseException) -> None:
        if isinstance(exc, DbProblem):
            messages.db_problem(self, exc)
            return
        raise exc

    # -- filtering ----------------------------------------------------------
    def _filter_inputs(self) -> tuple[str, tuple[int, ...]]:
        """What the filter is made of: the search text, each filter's choice."""
        return self.search.text(), tuple(combo.currentIndex() for combo, _o in self._filters)

    def _predicate(self) -> Predicate | None:
        """The rows the search and the filters let through (None: every row); read from
        the widgets, so on the GUI thread, and run anywhere."""
        text = self.search.text().strip().casefold()
        preds: list[Predicate] = []
        for combo, options in self._filters:
            pred = options[combo.currentIndex()]
            if pred is not None:
                preds.append(pred)
        if text:
            terms = text.split()
            if len(terms) == 1:  # the usual case, without a generator per row
                term = terms[0]
                preds.append(lambda r: term in r.search_text)
            else:
                preds.append(lambda r: all(t in r.search_text for t in terms))
        if not preds:
            return None
        if len(preds) == 1:
            return preds[0]
        return lambda r: all(p(r) for p in preds)

    @Slot()
    def apply_filter(self) -> None:
        self.model.set_filter(self._predicate())
        self._filtered()

    def _filtered(self) -> None:
        """The count, the selection and the detail of the rows now shown."""
        self._update_count()
        if self._selected_id is not None:
            self.select_id(self._selected_id)
        else:
            self.show_detail(None)

    def _update_count(self) -> None:
        total = len(self.model.all_rows)
        shown = self.model.visible_count()
        text = (
            self.tr("共 %d 条") % total
            if shown == total
            else self.tr("显示 %d / 共 %d 条") % (shown, total)
        )
        self.count_label.setText(f"{text}（{self._scope}）" if self._scope else text)

    def select_id(self, row_id: int) -> bool:
        pos = self.model.view_row_of(row_id)
        if pos is None:
            self.table.clearSelection()
            self.show_detail(None)
            return False
        index = self.model.index(pos, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    @Slot()
    def _current_changed(self) -> None:
        row = self.current_row()
        self._selected_id = row.id if row is not None else None
        self.show_detail(row)

    @Slot()
    def _double_clicked(self) -> None:
        self.edit_current()

    def show_detail(self, row: Any | None) -> None:
        has_row = row is not None
        for button in self._row_actions:
            button.setEnabled(has_row)
        if row is None:
            self.detail.setHtml(f"<p style='color:#777'>{esc(self.tr('选择一行查看详情'))}</p>")
            return
        try:
            self.detail.setHtml(self.detail_html(row))
        except LookupError:
            self.detail.setHtml("")

    def after_write(self, select_id: int | None = None) -> None:
        self.changed.emit()
        self.reload(select_id)

    # -- layout memory ------------------------------------------------------
    def _restore_layout(self) -> None:
        state = settings.load_bytes(f"{self.page_name}/header")
        if state is not None:
            self.table.horizontalHeader().restoreState(state)
        split = settings.load_bytes(f"{self.page_name}/splitter")
        if split is not None:
            self.splitter.restoreState(split)

    def save_layout(self) -> None:
        settings.save_bytes(f"{self.page_name}/header", self.table.horizontalHeader().saveState())
        settings.save_bytes(f"{self.page_name}/splitter", self.splitter.saveState())
