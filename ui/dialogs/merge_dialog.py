"""The preview of a return package before it is merged: what is new, changed and
deleted, and each conflict side by side — the office's version and the field's — with
the clerk's choice per record. 导入 stays disabled until every conflict is chosen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.vocabulary import PUBLISHED_ARRIVES, PUBLISHED_CLASH
from app.services.assessment.published import ARRIVES, CLASH, PUBLISHED, PUBLISHED_NOT_MERGED
from app.services.field.merge_text import field_label, published_lines, sides, value_label
from app.services.field.package_merge import OURS, THEIRS, MergePreview
from ui.table_model import Column, RowTableModel
from ui.table_view import table_view

OUTCOME_LABELS = {
    "new": "新增",
    "updated": "修改",
    "deleted": "删除",
    "unchanged": "无变化",
    "conflict": "冲突",
    PUBLISHED: PUBLISHED_NOT_MERGED,  # a published period's record: shown, never written
    ARRIVES: PUBLISHED_ARRIVES,  # published on the other copy only: written whole
    CLASH: PUBLISHED_CLASH,  # published on both differently: never written
    "follows": "随所属记录的选择",  # part of a record deleted here: comes only with it
    "unit_deleted": "单位已删除，未合并",
}


class MergeDialog(QDialog):
    def __init__(self, preview: MergePreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        m = preview.manifest
        self.setWindowTitle(self.tr("导入回传包：%s") % preview.path.name)
        layout = QVBoxLayout(self)
        counts = (
            preview.count("new"),
            preview.count("updated"),
            preview.count("deleted"),
            preview.count("unchanged"),
            len(preview.conflicts),
        )
        made = str(m.get("made_at", ""))[:16].replace("T", " ")
        if m.get("database"):
            head = self.tr("另一份数据库《%s》（修改于 %s）") % (m.get("device", ""), made)
        else:
            who = m.get("instructor") or self.tr("指导员")
            head = self.tr("%s的回传包（%s 制作于 %s）") % (who, m.get("device", ""), made)
        text = head + self.tr("：新增%d条，修改%d条，删除%d条，无变化%d条，冲突%d条。") % counts
        frozen = preview.count(PUBLISHED)
        if frozen:  # records of a published period: never written, said so
            text += self.tr("另有%d条属于已发布的考核期，%s（发布的结果不变）。") % (
                frozen,
                self.tr(PUBLISHED_NOT_MERGED),
            )
        for line in published_lines(preview):  # a publication arriving, or a clash
            text += line + "。"
        gone = preview.count("unit_deleted")
        if gone:  # what apply does with them, said before it is done
            text += (
                self.tr("另有%d条记录的单位已在办公室删除，不会合并（保存在修改记录中）。") % gone
            )
        summary = QLabel(text)
        summary.setObjectName("summary")
        summary.setWordWrap(True)
        layout.addWidget(summary)
        tabs = QTabWidget()
        self.choices: dict[str, QComboBox] = {}
        if preview.conflicts:
            tabs.addTab(self._conflicts(), self.tr("冲突（%d）") % len(preview.conflicts))
        tabs.addTab(self._changes(), self.tr("全部改动（%d）") % len(preview.items))
        layout.addWidget(tabs, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.apply_button = buttons.addButton(
            self.tr("导入"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.apply_button.setObjectName("apply")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._update_apply()
        self.resize(1000, 560)

    def _conflicts(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        ours, theirs = sides(self.preview)  # 办公室/外业, or 本机/另一份 for a copy
        note = QLabel(
            self.tr(
                "下列记录在%s和%s两边都改过（或一边删除、一边修改）。请逐条选择采用哪一方；"
                "未采用的版本会记入修改记录，不会丢失。"
            )
            % (ours, theirs)
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        rows = [(i, c) for i in self.preview.conflicts for c in i.conflicts]
        table = QTableWidget(len(rows), 5)
        table.setObjectName("conflicts")
        table.setHorizontalHeaderLabels(
            [
                self.tr("记录"),
                self.tr("项目"),
                self.tr("%s的版本") % ours,
                self.tr("%s的版本") % theirs,
                self.tr("采用"),
            ]
        )
        for r, (item, conflict) in enumerate(rows):
            cells = (
                self.preview.describe(item),
                field_label(item.entity, conflict.field),
                value_label(self.preview, item.entity, conflict.field, conflict.ours),
                value_label(self.preview, item.entity, conflict.field, conflict.theirs),
            )
            for c, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                cell.setToolTip(text)
                table.setItem(r, c, cell)
            if item.uuid not in self.choices:
                combo = QComboBox()
                combo.addItem(self.tr("请选择"), "")
                combo.addItem(self.tr("采用%s的") % ours, OURS)
                combo.addItem(self.tr("采用%s的") % theirs, THEIRS)
                combo.currentIndexChanged.connect(self._update_apply)
                self.choices[item.uuid] = combo
                table.setCellWidget(r, 4, combo)
        header = table.horizontalHeader()
        for column, width in enumerate((260, 90, 220, 220)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setVisible(False)
        layout.addWidget(table, 1)
        row = QHBoxLayout()
        for text, side in (
            (self.tr("全部采用%s的") % ours, OURS),
            (self.tr("全部采用%s的") % theirs, THEIRS),
        ):
            button = QPushButton(text)
            button.setObjectName(f"all_{side}")
            button.clicked.connect(lambda _c=False, s=side: self.choose_all(s))
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        return box

    def _changes(self) -> QWidget:
        """Every record the merge touches: each described when it is drawn (5,000 of
        them described at once froze the window for a third of a second)."""
        preview = self.preview
        model = RowTableModel(
            [
                Column("record", self.tr("记录"), preview.describe, width=520),
                Column(
                    "outcome",
                    self.tr("结果"),
                    lambda item: OUTCOME_LABELS.get(item.outcome, item.outcome),
                ),
            ],
            self,
        )
        model.set_rows(preview.items)
        table = table_view(model, "changes")
        table.horizontalHeader().setStretchLastSection(True)
        return table

    def choose_all(self, side: str) -> None:
        for combo in self.choices.values():
            combo.setCurrentIndex(combo.findData(side))

    def chosen(self) -> dict[str, str]:
        return {uuid: combo.currentData() for uuid, combo in self.choices.items()}

    def _update_apply(self) -> None:
        waiting = sum(1 for side in self.chosen().values() if not side)
        writes = (
            len(self.preview.items)
            - self.preview.count("unchanged")
            - self.preview.count(PUBLISHED)
            - self.preview.count(CLASH)
        )
        self.apply_button.setEnabled(waiting == 0 and writes > 0)
        self.apply_button.setText(
            self.tr("还有%d处冲突未选择") % waiting if waiting else self.tr("导入")
        )
