"""数据交换 → 外业包: in the clerk's database, a field package for an instructor, a
return package merged (preview, conflicts side by side, apply, undo as any change),
the packages made and merged, and the corrections instructors suggested; in a field
database, what has changed since the package was made and the return package."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.field.field_package import SUFFIX, PackageError
from ui import messages, tasks
from ui.widgets import layouts

if TYPE_CHECKING:
    from app.services.files.database_files import Database


@dataclass(frozen=True)
class _Office:
    """What the clerk's side shows, read from the database (anywhere: no widget)."""

    instructors: list[tuple[int, str]]
    ledger: list[tuple[Any, ...]]
    corrections: list[Any]


def _read_office(db: Database) -> _Office:
    from app.services.field import corrections, package_ledger
    from app.services.registry import instructors

    return _Office(
        instructors.choices(db), package_ledger.entries(db), corrections.list_corrections(db)
    )


class FieldTab(QWidget):
    changed = Signal()
    status_message = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.layout_ = QVBoxLayout(self)
        self.reload()

    def reload(self) -> None:
        from app.services.field.field_package import field_info

        info = field_info(self.db)
        if info is None:
            self._office(_read_office(self.db))
        else:
            layouts.clear(self.layout_)
            self._office_shown = False
            self._field(info)

    def _reload_in_worker(self) -> None:
        """The clerk's side read again in a worker (after a merge of 50,000 units'
        database: its reads on the GUI thread froze the window a fifth of a second)."""
        db = self.db
        tasks.run_task(self, self.tr("正在读取…"), lambda _p: _read_office(db), self._refresh)

    def _refresh(self, office: _Office) -> None:
        """The clerk's side with what was read: its lists filled again in place (built
        anew, the whole tab took a tenth of a second more)."""
        if not self._office_shown:
            self._office(office)
            return
        self._fill_instructors(office.instructors)
        self._fill(self.ledger, self._ledger_rows(office.ledger))
        self._corrections = office.corrections
        self._fill(self.corrections, self._correction_rows())

    # -- the clerk's database -------------------------------------------------------
    def _office(self, office: _Office) -> None:
        layouts.clear(self.layout_)
        self._office_shown = True
        t = self.tr
        make = QGroupBox(t("为指导员制作外业包"))
        row = QHBoxLayout(make)
        self.instructor = QComboBox()
        self.instructor.setObjectName("instructor")
        self._fill_instructors(office.instructors)
        button = QPushButton(t("制作外业包…"))
        button.setObjectName("make_package")
        button.clicked.connect(self.make_package)
        row.addWidget(QLabel(t("指导员")))
        row.addWidget(self.instructor)
        row.addWidget(button)
        row.addStretch(1)
        self.layout_.addWidget(make)
        merge = QGroupBox(t("导入指导员的回传包"))
        row = QHBoxLayout(merge)
        button = QPushButton(t("导入回传包…"))
        button.setObjectName("merge_package")
        button.clicked.connect(self.choose_return)
        about = QLabel(
            t(
                "外业包是一个文件（.pdfield），含该指导员联系单位的台账、整改、走访记录和考核方案，"
                "拷到指导员的笔记本上，用“文件 → 打开外业包”打开。走访回来后，指导员制作回传包"
                "（.pdreturn）交回，在这里导入：先预览，两边都改过的记录由您逐条选择。"
            )
        )
        about.setWordWrap(True)
        row.addWidget(button)
        row.addWidget(about, 1)
        self.layout_.addWidget(merge)
        copies = QGroupBox(t("合并同一数据库的另一份副本"))
        row = QHBoxLayout(copies)
        button = QPushButton(t("合并数据库…"))
        button.setObjectName("merge_database")
        button.clicked.connect(self.choose_database)
        about = QLabel(
            t(
                "数据库拷到另一台电脑（如笔记本）上分别修改后，在这里选择那一份合并回来："
                "对方改过、本机没改的记录取对方的；两边都改过的由您逐条选择。"
            )
        )
        about.setWordWrap(True)
        row.addWidget(button)
        row.addWidget(about, 1)
        self.layout_.addWidget(copies)
        self.layout_.addWidget(QLabel(t("外业包、回传包与合并记录")))
        self.ledger = self._ledger_table(office.ledger)
        self.layout_.addWidget(self.ledger, 1)
        self.layout_.addWidget(QLabel(t("指导员提出的台账更正")))
        self.corrections = self._corrections_table(office.corrections)
        self.layout_.addWidget(self.corrections, 1)
        row = QHBoxLayout()
        for text, accepted in ((t("采纳所选更正"), True), (t("不采纳"), False)):
            button = QPushButton(text)
            button.setObjectName("accept_correction" if accepted else "dismiss_correction")
            button.clicked.connect(lambda _c=False, a=accepted: self.settle(a))
            row.addWidget(button)
        row.addStretch(1)
        self.layout_.addLayout(row)

    def _fill_instructors(self, choices: list[tuple[int, str]]) -> None:
        self.instructor.clear()
        for _id, name in choices:
            self.instructor.addItem(name, name)

    @staticmethod
    def _fill(table: QTableWidget, rows: list[tuple]) -> None:
        table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                cell = QTableWidgetItem(str(value))
                cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                table.setItem(r, c, cell)

    def _table(self, name: str, headers: list[str], rows: list[tuple]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setObjectName(name)
        table.setHorizontalHeaderLabels(headers)
        self._fill(table, rows)
        table.verticalHeader().setVisible(False)
        table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        table.horizontalHeader().setSectionResizeMode(
            len(headers) - 1, QHeaderView.ResizeMode.Stretch
        )
        return table

    def _ledger_table(self, rows: list[tuple[Any, ...]]) -> QTableWidget:
        table = self._table(
            "ledger",
            [self.tr("时间"), self.tr("操作"), self.tr("指导员"), self.tr("文件"), self.tr("内容")],
            self._ledger_rows(rows),
        )
        for column, width in enumerate((140, 100, 90, 260)):
            table.horizontalHeader().resizeSection(column, width)
        return table

    def _ledger_rows(self, rows: list[tuple[Any, ...]]) -> list[tuple[str, ...]]:
        import json

        labels = {
            "field": self.tr("制作外业包"),
            "return": self.tr("导入回传包"),
            "database": self.tr("合并数据库"),
        }
        shown = []
        for at, kind, who, name, summary in rows:
            counts = json.loads(summary or "{}")
            if kind == "field":
                text = self.tr("走访%d次，问题%d个") % (
                    counts.get("visits", 0),
                    counts.get("problems", 0),
                )
            else:
                text = self.tr("新增%d，修改%d，删除%d") % (
                    counts.get("new", 0),
                    counts.get("updated", 0),
                    counts.get("deleted", 0),
                )
            shown.append((str(at)[:16], labels.get(kind, kind), who, name, text))
        return shown

    def _corrections_table(self, corrections: list[Any]) -> QTableWidget:
        self._corrections = corrections
        table = self._table(
            "corrections",
            [
                self.tr("单位"),
                self.tr("项目"),
                self.tr("台账现值"),
                self.tr("更正为"),
                self.tr("说明"),
                self.tr("提出人"),
                self.tr("处理"),
            ],
            self._correction_rows(),
        )
        for column, width in enumerate((190, 90, 150, 150, 220, 80)):
            table.horizontalHeader().resizeSection(column, width)
        return table

    def _correction_rows(self) -> list[tuple[str, ...]]:
        return [
            (
                c.org_name,
                c.field,
                c.current if c.key else self.tr("（请在台账中查看）"),
                c.value,
                "；".join(x for x in (c.note, c.meanwhile) if x),
                c.by,
                c.status_label,
            )
            for c in self._corrections
        ]

    @Slot()
    def make_package(self) -> None:
        from app.services.field import field_package

        name = self.instructor.currentData()
        if not name:
            messages.info(self, self.tr("制作外业包"), self.tr("还没有指导员"))
            return
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("保存外业包"),
            str(Path.home() / f"外业包-{name}{SUFFIX['field']}"),
            self.tr("ParkDesk 外业包 (*.pdfield)"),
        )
        if not path:
            return
        db = self.db
        tasks.run_task(
            self,
            self.tr("正在制作外业包…"),
            lambda _p: field_package.make_field_package(db, Path(path), instructor=name),
            self._package_made,
            self._failed,
        )

    def _package_made(self, result: Any) -> None:
        self.reload()
        messages.info(
            self,
            self.tr("外业包已制作"),
            self.tr(
                "%s\n\n%d个单位，走访记录%d次，问题%d个。"
                "请拷给指导员，在笔记本上用“文件 → 打开外业包”打开。"
            )
            % (result.path, result.units, result.visits, result.problems),
        )

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, PackageError | ValueError):
            messages.warn(self, self.tr("外业包"), str(exc))
            return
        raise exc

    @Slot()
    def choose_return(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("选择回传包"),
            str(Path.home()),
            self.tr("ParkDesk 回传包 (*.pdreturn);;所有文件 (*)"),
        )
        if path:
            self.merge(Path(path))

    def merge(self, path: Path) -> None:
        db = self.db

        def check(_progress: tasks.Progress) -> Any:
            # imported here, in the worker: importing the merge on the GUI thread was
            # half of its longest stall (bench/bench_stalls.py)
            from app.services.field import package_merge

            return package_merge.preview_merge(db, path)

        tasks.run_task(
            self,
            self.tr("正在检查回传包…"),
            check,
            self._previewed,
            self._failed,
        )

    def _previewed(self, preview: Any) -> None:
        from app.services.field import package_merge
        from ui.dialogs.merge_dialog import MergeDialog

        dialog = MergeDialog(preview, self)
        if not dialog.exec():
            return
        db, chosen = self.db, dialog.chosen()
        tasks.run_task(
            self,
            self.tr("正在导入回传包…"),
            lambda progress: package_merge.apply_merge(db, preview, chosen, progress=progress),
            self._merged,
            self._failed,
        )

    def _merged(self, result: Any) -> None:
        self._reload_in_worker()
        self.changed.emit()
        messages.info(
            self,
            self.tr("回传包已导入"),
            self.tr(
                "新增%d条，修改%d条，删除%d条，冲突%d条已按您的选择处理。"
                "可用“编辑 → 撤销”整体退回。"
            )
            % (result.created, result.updated, result.deleted, result.conflicts),
        )

    @Slot()
    def choose_database(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("选择另一份数据库"),
            str(Path.home()),
            self.tr("ParkDesk 数据库 (*.sqlite3);;所有文件 (*)"),
        )
        if path:
            self.merge_database(Path(path))

    def merge_database(self, path: Path) -> None:
        from app.services.field import database_merge

        db = self.db
        tasks.run_task(
            self,
            self.tr("正在比较两份数据库…"),
            lambda _p: database_merge.preview_database_merge(db, path),
            self._database_previewed,
            self._failed,
        )

    def _database_previewed(self, merge: Any) -> None:
        from app.services.field import database_merge
        from ui.dialogs.merge_dialog import MergeDialog

        dialog = MergeDialog(merge.preview, self)
        dialog.setWindowTitle(self.tr("合并数据库：%s") % merge.other.name)
        if not dialog.exec():
            return
        db, chosen = self.db, dialog.chosen()
        tasks.run_task(
            self,
            self.tr("正在合并…"),
            lambda progress: database_merge.apply_database_merge(
                db, merge, chosen, progress=progress
            ),
            self._merged,
            self._failed,
        )

    def settle(self, accepted: bool) -> None:
        """采纳 sets the unit's field to the value proposed (one change with the answer,
        撤销 takes both back); 不采纳 answers only. The office's own change of that field
        since the correction was written is asked about first."""
        from app.domain.validation import ValidationError
        from app.services.field import corrections

        row = self.corrections.currentRow()
        if row < 0 or row >= len(self._corrections):
            messages.info(self, self.tr("台账更正"), self.tr("请先选择一条更正"))
            return
        chosen = self._corrections[row]
        if not accepted:
            corrections.settle(self.db, chosen.id, False)
            self.reload()
            self.changed.emit()
            return
        if chosen.meanwhile and not messages.ask(
            self,
            self.tr("采纳更正"),
            self.tr("%s\n\n仍把“%s”的%s改为“%s”（台账现值“%s”）？")
            % (chosen.meanwhile, chosen.org_name, chosen.field, chosen.value, chosen.current),
            yes=self.tr("仍然采纳"),
        ):
            return
        try:
            adopted = corrections.adopt(self.db, chosen.id)
        except ValidationError as exc:
            messages.warn(self, self.tr("采纳更正"), str(exc))
            return
        self.reload()
        self.changed.emit()
        if adopted.applied:
            self.status_message.emit(adopted.message)
        else:
            messages.info(self, self.tr("已采纳"), adopted.message)

    # -- a field database ------------------------------------------------------------
    def _field(self, info: Any) -> None:
        from app.services.field.return_package import field_changes

        t = self.tr
        changes = field_changes(self.db)
        text = QLabel(
            t(
                "这是为 %s 制作的外业数据库（%s，%d个单位，制作于 %s）。"
                "自制作以来：新增或修改%d条，删除%d条。"
            )
            % (
                info.instructor or t("指定单位"),
                info.park_name,
                info.units,
                info.made_at.replace("T", " ")[:16],
                sum(1 for c in changes if not c.get("deleted")),
                sum(1 for c in changes if c.get("deleted")),
            )
        )
        text.setObjectName("field_summary")
        text.setWordWrap(True)
        self.layout_.addWidget(text)
        button = QPushButton(t("制作回传包…"))
        button.setObjectName("make_return")
        button.clicked.connect(self.make_return)
        row = QHBoxLayout()
        row.addWidget(button)
        row.addStretch(1)
        self.layout_.addLayout(row)
        self.layout_.addWidget(QLabel(t("回传包将带回的改动")))
        self.layout_.addWidget(self._changes_table(changes), 1)

    def _changes_table(self, changes: list[dict[str, Any]]) -> QTableWidget:
        from app.domain.vocabulary import ENTITY_LABELS
        from app.services.registry.org_list import names_by_uuid

        names = names_by_uuid(self.db)
        rows = []
        for c in changes:
            data = c.get("data") or c.get("base") or {}
            unit = data.get("org") or next(iter(data.get("units") or []), "")
            what = data.get("visited_on") or data.get("text") or data.get("period") or ""
            how = (
                self.tr("删除")
                if c.get("deleted")
                else self.tr("新增")
                if c["base"] is None
                else self.tr("修改")
            )
            rows.append((ENTITY_LABELS[c["entity"]], names.get(unit, ""), str(what)[:40], how))
        table = self._table(
            "changes", [self.tr("类别"), self.tr("单位"), self.tr("内容"), self.tr("改动")], rows
        )
        for column, width in enumerate((90, 260, 320)):
            table.horizontalHeader().resizeSection(column, width)
        return table

    @Slot()
    def make_return(self) -> None:
        from app.services.field import return_package
        from app.services.field.field_package import field_info

        info = field_info(self.db)
        who = info.instructor if info else ""
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("保存回传包"),
            str(Path.home() / f"回传包-{who}{SUFFIX['return']}"),
            self.tr("ParkDesk 回传包 (*.pdreturn)"),
        )
        if not path:
            return
        db = self.db
        tasks.run_task(
            self,
            self.tr("正在制作回传包…"),
            lambda _p: return_package.make_return_package(db, Path(path)),
            self._return_made,
            self._failed,
        )

    def _return_made(self, result: Any) -> None:
        messages.info(
            self,
            self.tr("回传包已制作"),
            self.tr("%s\n\n新增%d条，修改%d条，删除%d条。请交给园区办公室导入。")
            % (result.path, result.created, result.changed, result.deleted),
        )
