"""数据交换: import a registry workbook with a preview, export the quarterly submission."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStringListModel, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.quarters import Quarter
from app.domain.vocabulary import CodeConflictChoice, ImportRowStatus
from app.services.files.database_files import FileNotWritten
from app.services.workbooks.imports import FIELD_LABELS, FIELDS
from ui import messages, tasks
from ui.table_model import Column, Prepared, RowTableModel, count_column
from ui.table_view import table_view

if TYPE_CHECKING:
    from app.services.files.database_files import Database
    from app.services.workbooks.imports import ImportPreview, ImportResult, RowPlan

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
STATUS_LABELS = {s.value: s.label for s in ImportRowStatus}
# the row filter's choices after 全部行, in its order
FILTER_STATUSES = [s.value for s in ImportRowStatus]


def _value_text(value: object) -> str:
    if value is None or value == "":
        return "空"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(map(str, value)) or "空"
    return str(value)


@dataclass(frozen=True)
class _Previewed:
    """What the preview's worker hands the page: the preview, its rows ready to show."""

    preview: ImportPreview
    rows: Prepared
    conflicts: bool


def plan_details(plan: RowPlan) -> str:
    if plan.status in ("bad", "conflict"):
        return "；".join(f"[{e.column}] {e.message}" for e in plan.errors)
    parts = [
        f"{FIELD_LABELS.get(k, k)}：{_value_text(old)} → {_value_text(new)}"
        for k, old, new in plan.changes
    ]
    if plan.conflict is not None and plan.conflict.choice is not None:
        parts.insert(0, f"代码冲突，已选“{plan.conflict.choice.label}”")
    return "；".join(parts + plan.warnings)


class ExchangePage(QWidget):
    changed = Signal()
    status_message = Signal(str)
    page_name = "exchange"

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.preview: ImportPreview | None = None
        self._has_conflicts = False  # some row of the preview is (or was) a code conflict
        self._applied_result: ImportResult | None = None  # the preview was imported
        self._saving: Path | None = None  # the workbook being written in a worker
        self.stale = False
        self.loaded_once = True
        tabs = QTabWidget()
        tabs.addTab(self._build_import(), self.tr("导入登记表"))
        tabs.addTab(self._build_export(), self.tr("导出报送"))
        tabs.addTab(self._build_log(), self.tr("导入记录"))
        from ui.pages.field_tab import FieldTab

        self.field_tab = FieldTab(db)
        self.field_tab.changed.connect(self.changed)
        self.field_tab.status_message.connect(self.status_message)
        tabs.addTab(self.field_tab, self.tr("外业包"))
        self.tabs = tabs
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        self._show_preview()

    # -- import tab ---------------------------------------------------------------
    def _build_import(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.addLayout(self._build_file_bar())
        self.summary = QLabel(self.tr("还没有选择文件。"))
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self._build_rows_view())
        split.addWidget(self._build_mapping_panel())
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([950, 330])
        layout.addWidget(split, 1)
        layout.addLayout(self._build_action_bar())
        return box

    def _build_file_bar(self) -> QHBoxLayout:
        """The workbook, its sheet, and whether a blank cell clears a value."""
        t = self.tr
        self.choose_button = QPushButton(t("选择工作簿…"))
        self.choose_button.setObjectName("choose_file")
        self.choose_button.clicked.connect(self.choose_file)
        hint = QLabel(t("支持 xlsx、xlsm、xls、ods；也可以把文件拖到窗口中。"))
        hint.setStyleSheet("color:#555")
        self.sheet_combo = QComboBox()
        self.sheet_combo.setObjectName("sheet")
        self.sheet_combo.setMinimumWidth(160)
        self.sheet_combo.activated.connect(self._sheet_chosen)
        self.blank_clears = QCheckBox(t("空白单元格清空原有内容"))
        self.blank_clears.setToolTip(t("默认空白单元格不会改动台账里已有的内容"))
        self.blank_clears.toggled.connect(self.refresh_preview)
        top = QHBoxLayout()
        top.addWidget(self.choose_button)
        top.addWidget(hint, 1)
        top.addWidget(QLabel(t("工作表")))
        top.addWidget(self.sheet_combo)
        top.addWidget(self.blank_clears)
        return top

    def _build_rows_view(self) -> QTableView:
        """Every row of the sheet with what the import does with it."""
        t = self.tr
        self.rows_model = RowTableModel(
            [
                count_column("row", t("行号"), lambda p: p.row, width=60),
                Column("status", t("结果"), lambda p: STATUS_LABELS[p.status], width=70),
                Column("name", t("组织名称"), lambda p: p.name, width=240),
                Column("uscc", t("统一社会信用代码"), lambda p: p.uscc, width=170),
                Column("details", t("说明"), plan_details, width=520),
            ],
            self,
        )
        # sorted by row number: the sheet's order
        self.rows_view = table_view(self.rows_model, "preview_rows", sort_column=0)
        self.rows_view.horizontalHeader().setStretchLastSection(True)
        self.rows_view.selectionModel().selectionChanged.connect(self._selection_changed)
        return self.rows_view

    def _build_mapping_panel(self) -> QWidget:
        """The sheet's columns and the fields they are read as, to change."""
        t = self.tr
        self.mapping = QTableWidget(0, 3)
        self.mapping.setObjectName("mapping")
        self.mapping.setHorizontalHeaderLabels([t("列"), t("表头"), t("对应字段")])
        self.mapping.verticalHeader().hide()
        self.mapping.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.mapping.setColumnWidth(0, 36)
        self.mapping.setColumnWidth(2, 130)
        self.remap_button = QPushButton(t("按此对应重新预览"))
        self.remap_button.setObjectName("remap")
        self.remap_button.clicked.connect(self.refresh_preview)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(QLabel(t("列的对应（可修改或忽略某列）")))
        side_layout.addWidget(self.mapping, 1)
        side_layout.addWidget(self.remap_button)
        return side

    def _build_action_bar(self) -> QHBoxLayout:
        """The row filter, the conflict decisions, and what to do with the preview."""
        t = self.tr
        self.filter_combo = QComboBox()
        self.filter_combo.setObjectName("row_filter")
        self.filter_combo.addItem(t("全部行"))
        for status in ImportRowStatus:
            self.filter_combo.addItem(status.label)
        self.filter_combo.currentIndexChanged.connect(self._filter_rows)
        self.apply_button = QPushButton(t("导入"))
        self.apply_button.setObjectName("apply_import")
        self.apply_button.clicked.connect(self.apply)
        self.bad_button = QPushButton(t("导出有问题的行…"))
        self.bad_button.setObjectName("save_bad_rows")
        self.bad_button.clicked.connect(self.save_bad_rows)
        self.cancel_button = QPushButton(t("放弃"))
        self.cancel_button.clicked.connect(self.discard)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel(t("显示")))
        bottom.addWidget(self.filter_combo)
        bottom.addSpacing(16)
        bottom.addLayout(self._build_conflict_bar())
        bottom.addStretch(1)
        bottom.addWidget(self.bad_button)
        bottom.addWidget(self.cancel_button)
        bottom.addWidget(self.apply_button)
        return bottom

    def _build_conflict_bar(self) -> QHBoxLayout:
        """Buttons settling the selected code conflicts (a row named like a registered
        organization with another credit code is never imported by itself)."""
        bar = QHBoxLayout()
        self.conflict_label = QLabel(self.tr("代码冲突的行："))
        bar.addWidget(self.conflict_label)
        self.conflict_buttons: dict[CodeConflictChoice, QPushButton] = {}
        for choice in CodeConflictChoice:
            button = QPushButton(self.tr(choice.label))
            button.setObjectName(f"conflict_{choice.value}")
            button.clicked.connect(self._settle_selected)
            button.setProperty("choice", choice.value)
            self.conflict_buttons[choice] = button
            bar.addWidget(button)
        return bar

    def _selected_conflicts(self) -> list[RowPlan]:
        rows = {i.row() for i in self.rows_view.selectionModel().selectedRows()}
        plans = [self.rows_model.row_at(r) for r in sorted(rows)]
        return [p for p in plans if p.conflict is not None]

    @Slot()
    def _selection_changed(self) -> None:
        has_conflicts = self.preview is not None and self._has_conflicts
        can_settle = has_conflicts and not self._applied_result
        chosen = self._selected_conflicts() if can_settle else []
        self.conflict_label.setVisible(has_conflicts)
        for button in self.conflict_buttons.values():
            button.setVisible(has_conflicts)
            button.setEnabled(bool(chosen))

    @Slot()
    def _settle_selected(self) -> None:
        p = self.preview
        button = self.sender()
        if p is None or not isinstance(button, QPushButton):
            return
        choice = CodeConflictChoice(button.property("choice"))
        settled = p.settled | {plan.row: choice for plan in self._selected_conflicts()}
        self._run_preview(p.sheet, self._mapping_from_table(), settled)

    @Slot()
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("选择要导入的工作簿"),
            str(Path.home()),
            self.tr("Excel/WPS 工作簿 (*.xlsx *.xlsm *.xls *.ods);;所有文件 (*)"),
        )
        if path:
            self.start_import(Path(path))

    def merge_return(self, path: Path) -> None:
        """A return package given to the window (dropped, or opened from Explorer):
        the 外业包 tab checks it and shows the merge."""
        self.tabs.setCurrentWidget(self.field_tab)
        self.field_tab.merge(path)

    def start_import(self, path: Path, sheet: str | None = None) -> None:
        """Read ``path`` in the background and show what importing it would do."""
        self.tabs.setCurrentIndex(0)
        self._path = path
        self._run_preview(sheet, None)

    def _run_preview(
        self,
        sheet: str | None,
        mapping: dict[str, str | None] | None,
        settled: dict[int, CodeConflictChoice] | None = None,
    ) -> None:
        from app.services.workbooks.imports import preview_import

        path, db, clears = self._path, self.db, self.blank_clears.isChecked()
        model, (shown, predicate) = self.rows_model, self._row_filter()

        def work(progress: tasks.Progress) -> _Previewed:
            p = preview_import(db, path, sheet, mapping, clears, progress, settled)
            # the list sorted and filtered here: 50,000 rows froze the window
            conflicts = any(plan.conflict is not None for plan in p.rows)
            return _Previewed(p, model.prepare(p.rows, predicate, shown), conflicts)

        self.summary.setText(self.tr("正在读取 %s …") % path.name)
        tasks.run_task(
            self,
            self.tr("正在读取并检查 %s …") % path.name,
            work,
            self._previewed,
            self._preview_failed,
            cancellable=True,
        )

    def _previewed(self, done: _Previewed) -> None:
        self.preview = done.preview
        self._has_conflicts = done.conflicts
        self._applied_result = None
        self._show_preview(done.rows)

    def _preview_failed(self, exc: BaseException) -> None:
        from app.services.files.database_files import describe_os_error
        from app.services.workbooks.imports import WorkbookError

        self.preview = None
        self._show_preview()
        if isinstance(exc, WorkbookError | OSError):
            # (the file open in Excel/WPS, gone, a folder: said as every save says it)
            text = (
                str(exc)
                if isinstance(exc, WorkbookError)
                else describe_os_error(exc, None, "无法读取")
            )
            self.summary.setText(text)
            messages.warn(self, self.tr("无法导入"), text)
            return
        raise exc

    @Slot()
    def _sheet_chosen(self) -> None:
        if self.preview is not None:
            self._run_preview(self.sheet_combo.currentText(), None)

    @Slot()
    def refresh_preview(self) -> None:
        if self.preview is None or self._applied_result is not None:
            return
        self._run_preview(self.preview.sheet, self._mapping_from_table(), self.preview.settled)

    def _mapping_from_table(self) -> dict[str, str | None]:
        mapping: dict[str, str | None] = {}
        for r in range(self.mapping.rowCount()):
            letter = self.mapping.item(r, 0).text()
            combo = self.mapping.cellWidget(r, 2)
            assert isinstance(combo, QComboBox)
            mapping[letter] = self._field_keys[combo.currentIndex()]
        return mapping

    def _show_preview(self, rows: Prepared | None = None) -> None:
        """The page for the preview (or for none); ``rows``: the preview's rows made
        ready in its worker."""
        p = self.preview
        done = self._applied_result is not None
        for w in (self.apply_button, self.remap_button, self.blank_clears):
            w.setEnabled(p is not None and not done)
        self.cancel_button.setEnabled(p is not None)
        # after an import the list stays for its bad rows; closing it clears the page
        self.cancel_button.setText(self.tr("关闭") if done else self.tr("放弃"))
        self.bad_button.setEnabled(p is not None and p.not_applied > 0)
        self.sheet_combo.setEnabled(not done)
        self.sheet_combo.clear()
        self.apply_button.setText(self.tr("导入"))
        if p is None:
            self.mapping.setRowCount(0)
            self._mapped = None
            self.rows_model.set_rows([])
            self._selection_changed()
            return
        self.sheet_combo.addItems(p.sheet_names)
        self.sheet_combo.setCurrentText(p.sheet)
        self.summary.setText(self._summary_text(p))
        if done:
            self.apply_button.setText(self.tr("已导入"))
        else:
            new, changed = p.count("new"), p.count("changed")
            self.apply_button.setText(self.tr("导入（新增%d，更新%d）") % (new, changed))
            self.apply_button.setEnabled(new + changed > 0)
        if rows is not None:
            if not (self.rows_model.adopt(rows) and rows.tag == self._row_filter()[0]):
                self._filter_rows()
        elif self.rows_model.all_rows is not p.rows:
            self.rows_model.set_rows(p.rows)
            self._filter_rows()
        self._fill_mapping(p)
        self._selection_changed()

    def _summary_text(self, p: ImportPreview) -> str:
        result = self._applied_result
        if result is not None:
            text = self.tr(
                "导入完成：新增%d个，更新%d个，%d行有问题未导入。可在“导入记录”中撤销。"
            ) % (
                result.created,
                result.updated,
                result.bad,
            )
            if result.others:  # every other record written (联系分工, 指导员…)
                text += result.others_text()
            if result.bad:
                text += self.tr("有问题的行仍列在下面，可导出给报送单位修改。")
            return text
        counts = [p.count(s) for s in ("new", "changed", "unchanged", "bad")]
        text = self.tr(
            "《%s》工作表“%s”，表头在第%s行，数据%d行：新增%d个，更新%d个，无变化%d个，有问题%d行（不导入）。"
        ) % (p.path.name, p.sheet, "、".join(map(str, p.layout.header_rows)), len(p.rows), *counts)
        conflicts = p.count("conflict")
        if conflicts:
            text += (
                self.tr(
                    "代码冲突%d行（名称与已登记组织相同而信用代码不同）：选中后决定如何处理，未决定的不导入。"
                )
                % conflicts
            )
        if p.new_party_orgs:
            text += self.tr("将新建党组织%d个。") % len(p.new_party_orgs)
        if p.new_instructors:
            text += self.tr("将新建指导员%d名。") % len(p.new_instructors)
        for e in p.own_errors:  # rows of the workbook's other sheets left out
            text += self.tr("第%d行“%s”未导入（%s）。") % (e.row, e.value, e.message)
        if p.already_imported is not None:
            text += self.tr("注意：同一文件已于%s导入过。") % f"{p.already_imported:%Y-%m-%d %H:%M}"
        return text

    def _fill_mapping(self, p: ImportPreview) -> None:
        """The sheet's columns, each with its field to choose: built again only for a
        new layout (one combo per column, 40 of them: after an import they are only
        locked), the field names one model all the combos share."""
        done = self._applied_result is not None
        if getattr(self, "_mapped", None) is not p.layout:
            self._mapped = p.layout
            self._field_keys: list[str | None] = [None] + [f.key for f in FIELDS]
            labels = [self.tr("（忽略）")] + [f.template_header for f in FIELDS]
            self._field_names = QStringListModel(labels, self)
            self.mapping.setRowCount(len(p.layout.columns))
            for r, col in enumerate(p.layout.columns):
                self.mapping.setItem(r, 0, QTableWidgetItem(col.letter))
                self.mapping.setItem(r, 1, QTableWidgetItem(col.header.replace("\n", " ")))
                combo = QComboBox()
                combo.setModel(self._field_names)
                combo.setCurrentIndex(self._field_keys.index(col.field))
                self.mapping.setCellWidget(r, 2, combo)
        for r in range(self.mapping.rowCount()):
            self.mapping.cellWidget(r, 2).setEnabled(not done)

    def _row_filter(self) -> tuple[int, Callable[[RowPlan], bool] | None]:
        """The filter's choice, and the rows it lets through (None: every row)."""
        index = self.filter_combo.currentIndex()
        wanted = None if index <= 0 else FILTER_STATUSES[index - 1]
        return index, None if wanted is None else (lambda p: p.status == wanted)

    @Slot()
    def _filter_rows(self) -> None:
        self.rows_model.set_filter(self._row_filter()[1])

    @Slot()
    def discard(self) -> None:
        imported = self._applied_result is not None
        self.preview = None
        self._applied_result = None
        self._show_preview()
        self.summary.setText("" if imported else self.tr("已放弃，没有写入任何内容。"))

    @Slot()
    def apply(self) -> None:
        from app.services.workbooks.imports import apply_import, save_mapping

        p = self.preview
        if p is None or self._applied_result is not None:
            return
        db = self.db

        def work(progress: Any) -> Any:
            save_mapping(db, p.layout)
            return apply_import(db, p, progress)

        title = self.tr("正在导入（导入前已自动备份）…") if p.writes else self.tr("正在记录导入…")
        tasks.run_task(self, title, work, self._applied)

    def _applied(self, result: Any) -> None:
        """Show what was done; the rows stay listed so the bad ones can still be saved."""
        self._applied_result = result
        if result.bad:
            self.filter_combo.setCurrentIndex(0)
        self._show_preview()
        self.changed.emit()
        self._load_logs()

    @Slot()
    def save_bad_rows(self) -> None:
        p = self.preview
        if p is None:
            return
        suggested = p.path.with_name(f"{p.path.stem}-有问题的行.xlsx")
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("保存有问题的行"), str(suggested), self.tr("Excel 工作簿 (*.xlsx)")
        )
        if path:
            self.write_bad_rows(Path(path))

    def write_bad_rows(self, path: Path) -> None:
        """Write the preview's bad rows to ``path`` in a worker (a sheet where every row
        is wrong, 10,000 of them, takes seconds)."""
        from app.services.workbooks.imports import save_bad_rows

        p = self.preview
        if p is None:
            return
        self._saving = path
        tasks.run_task(
            self,
            self.tr("正在保存 %s …") % path.name,
            lambda _progress: save_bad_rows(p, path),
            self._bad_rows_saved,
            self._save_failed,
        )

    def _bad_rows_saved(self, n: int) -> None:
        messages.info(
            self,
            self.tr("已保存"),
            self.tr("已把%d行连同问题说明保存到：\n%s") % (n, self._saving),
        )

    def _save_failed(self, exc: BaseException) -> None:
        """A workbook this page wrote (bad rows, the quarter) could not be saved."""
        messages.save_failed(self, exc, self._saving)

    # -- export tab ---------------------------------------------------------------
    def _build_export(self) -> QWidget:
        t = self.tr
        box = QWidget()
        self.quarter_combo = QComboBox()
        self.quarter_combo.setObjectName("quarter")
        q = Quarter.of(date.today())
        for _ in range(6):
            self.quarter_combo.addItem(q.label, q.code)
            q = q.previous()
        export = QPushButton(t("导出季度报送…"))
        export.setObjectName("export_quarter")
        export.clicked.connect(self.export_quarter)
        template = QPushButton(t("导出空白导入模板…"))
        template.setObjectName("export_template")
        template.clicked.connect(self.export_template)
        row = QHBoxLayout()
        row.addWidget(QLabel(t("报送季度")))
        row.addWidget(self.quarter_combo)
        row.addWidget(export)
        row.addStretch(1)
        row.addWidget(template)
        about = QLabel(
            t(
                "季度报送工作簿包括：封面汇总（按非公企业、社会组织分列的数字）、组织名录（全部字段）、"
                "党组织及其覆盖的单位、指导员与联系分工、较上次报送的变化。"
                "导出后会记下本次报送的数字和文件指纹，下季度据此列出变化。"
            )
        )
        about.setWordWrap(True)
        self.export_result = QLabel()
        self.export_result.setObjectName("export_result")
        self.export_result.setWordWrap(True)
        layout = QVBoxLayout(box)
        layout.addLayout(row)
        layout.addWidget(about)
        layout.addLayout(self._build_year_row())
        layout.addWidget(self.export_result)
        layout.addStretch(1)
        return box

    def _build_year_row(self) -> QVBoxLayout:
        """年度报表: the year's results in one workbook (app/services/workbooks/yearly.py)."""
        from app.domain.quarters import year_years

        t = self.tr
        self.year_combo = QComboBox()
        self.year_combo.setObjectName("year")
        for year in list(reversed(year_years(date.today())))[:6]:  # the service's years
            self.year_combo.addItem(t("%d年") % year, year)
        export = QPushButton(t("导出年度报表…"))
        export.setObjectName("export_year")
        export.clicked.connect(self.export_year)
        row = QHBoxLayout()
        row.addWidget(QLabel(t("年度报表")))
        row.addWidget(self.year_combo)
        row.addWidget(export)
        row.addStretch(1)
        about = QLabel(
            t(
                "年度报表包括：年度数字、上下半年考核结果（未发布的注明未发布）、星级党组织、经费保障（应拨、已拨与结余）、"
                "分类复核及年内分类变更、走访整改情况。年度报表只供查阅和上报，不能再导入。"
            )
        )
        about.setWordWrap(True)
        box = QVBoxLayout()
        box.addLayout(row)
        box.addWidget(about)
        return box

    @Slot()
    def export_quarter(self) -> None:
        from app.services.registry import park

        quarter = Quarter.parse(self.quarter_combo.currentData())
        name = park.get_park(self.db).park_name or "园区"
        suggested = Path.home() / f"{name}-{quarter.label}两新组织党建报送.xlsx"
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("导出季度报送"), str(suggested), self.tr("Excel 工作簿 (*.xlsx)")
        )
        if path:
            self.write_quarter(Path(path), quarter)

    def write_quarter(self, path: Path, quarter: Quarter) -> None:
        db = self.db
        self._saving = path

        def export(progress: tasks.Progress) -> Any:
            # imported in the worker (on the GUI thread the import was the longest
            # stall left); apart: XlsxWriter's C calls hold a GIL for up to 0.8 s
            from app.services.workbooks.submissions import export_quarter

            return export_quarter(db, path, quarter, progress=progress, apart=True)

        tasks.run_task(
            self,
            self.tr("正在生成季度报送…"),
            export,
            self._exported,
            self._save_failed,
        )

    def _exported(self, result: Any) -> None:
        self.export_result.setText(
            self.tr("已导出%s报送：%d个组织，%s。\n%s")
            % (result.quarter.label, result.organizations, result.changes_text(), result.path)
        )
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.path.parent)))

    @Slot()
    def export_year(self) -> None:
        from app.services.registry import park

        year = int(self.year_combo.currentData())
        name = park.get_park(self.db).park_name or "园区"
        suggested = Path.home() / f"{name}-{year}年度两新组织党建报表.xlsx"
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("导出年度报表"), str(suggested), self.tr("Excel 工作簿 (*.xlsx)")
        )
        if path:
            self.write_year(Path(path), year)

    def write_year(self, path: Path, year: int) -> None:
        """The yearly workbook written off the GUI thread, in a process of its own as
        the quarter's (XlsxWriter's long C calls), with the same progress box."""
        db = self.db
        self._saving = path

        def export(progress: tasks.Progress) -> Any:
            from app.services.workbooks.yearly import export_year

            return export_year(db, path, year, progress=progress, apart=True)

        tasks.run_task(
            self,
            self.tr("正在生成年度报表…"),
            export,
            self._year_exported,
            self._year_failed,
        )

    def _year_failed(self, exc: BaseException) -> None:
        """A year the service refuses, or a park without results to give, is told; a
        file that could not be written, as for the quarter."""
        if isinstance(exc, ValueError | LookupError) and not isinstance(exc, OSError):
            messages.warn(self, self.tr("导出年度报表"), str(exc))
            return
        self._save_failed(exc)

    def _year_exported(self, result: Any) -> None:
        self.export_result.setText(
            self.tr("已导出%d年度报表：%s。\n%s")
            % (result.year, "、".join(result.sheets), result.path)
        )
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.path.parent)))

    @Slot()
    def export_template(self) -> None:
        from app.services.workbooks.submissions import export_template

        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("导出导入模板"),
            str(Path.home() / "两新组织登记表-导入模板.xlsx"),
            self.tr("Excel 工作簿 (*.xlsx)"),
        )
        if not path:
            return
        try:
            export_template(Path(path))
        except (OSError, FileNotWritten) as exc:
            messages.save_failed(self, exc, path)
            return
        self.export_result.setText(self.tr("已生成导入模板：%s") % path)

    # -- import log tab -------------------------------------------------------------
    def _build_log(self) -> QWidget:
        t = self.tr
        box = QWidget()
        self.log_model = RowTableModel(
            [
                Column("at", t("时间"), lambda r: f"{r.at:%Y-%m-%d %H:%M}", width=130),
                Column("file", t("文件"), lambda r: r.file_name, width=260),
                Column("sheet", t("工作表"), lambda r: r.sheet, width=120),
                count_column("rows", t("数据行"), lambda r: r.data_rows, width=60),
                count_column("new", t("新增"), lambda r: r.created, width=50),
                count_column("upd", t("更新"), lambda r: r.updated, width=50),
                count_column("bad", t("有问题"), lambda r: r.bad_rows, width=60),
                Column("undone", t("状态"), lambda r: t("已撤销") if r.undone else "", width=60),
            ],
            self,
        )
        self.log_view = table_view(self.log_model, "import_log")
        undo = QPushButton(t("撤销所选导入"))
        undo.setObjectName("undo_import")
        undo.clicked.connect(self.undo_import)
        layout = QVBoxLayout(box)
        layout.addWidget(self.log_view, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(undo)
        layout.addLayout(row)
        return box

    def _load_logs(self) -> None:
        from app.services.workbooks import imports

        self.log_model.set_rows(imports.list_logs(self.db))

    def reload(self, _select: int | None = None) -> None:
        self._load_logs()
        self.field_tab.db = self.db
        self.field_tab.reload()

    @Slot()
    def undo_import(self) -> None:
        from app.services.workbooks import imports

        index = self.log_view.currentIndex()
        if not index.isValid():
            messages.info(self, self.tr("撤销导入"), self.tr("请先选择一条导入记录"))
            return
        log = self.log_model.row_at(index.row())
        if not messages.ask(
            self,
            self.tr("撤销导入"),
            self.tr("撤销《%s》的导入？这次导入新增和修改的内容都会退回。") % log.file_name,
            yes=self.tr("撤销导入"),
        ):
            return
        db, log_id = self.db, log.id
        tasks.run_task(
            self,
            self.tr("正在撤销导入…"),
            lambda _p: imports.undo_import(db, log_id),
            self._import_undone,
            self._undo_refused,
        )

    def _import_undone(self, _summary: str) -> None:
        self._load_logs()
        self.changed.emit()

    def _undo_refused(self, exc: BaseException) -> None:
        from app.services.workbooks import imports

        if not isinstance(exc, imports.UndoRefused):
            raise exc
        messages.warn(self, self.tr("不能撤销"), str(exc))

    def save_layout(self) -> None:
        """Nothing to remember here yet (the registry pages keep their columns)."""
