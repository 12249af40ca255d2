"""为未覆盖单位推荐指导员: the suggestions with their reasons, ticked; the clerk
unticks what they do not want and accepts the rest. Units nobody has room for are
listed too, unticked, so the clerk sees what is left to do."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.assignment_plan import Suggestion
from app.domain.validation import ValidationError
from app.services.files.database_files import Database
from ui import messages

_HEADERS = ("采纳", "单位", "分类", "片区", "楼宇", "推荐指导员", "理由")


class SuggestionsDialog(QDialog):
    def __init__(self, db: Database, plan: list[Suggestion], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.db, self.plan = db, plan
        self.accepted_count = 0
        self.setWindowTitle(self.tr("为党的工作未覆盖的单位推荐指导员"))
        self.resize(1100, 600)
        given = sum(1 for s in plan if s.helper_id is not None)
        summary = QLabel(
            self.tr(
                "党的工作未覆盖 %d 个单位：可推荐 %d 个，名额不足 %d 个。取消勾选不采纳的推荐。"
            )
            % (len(plan), given, len(plan) - given)
        )
        self.table = QTableWidget(len(plan), len(_HEADERS))
        self.table.setObjectName("suggestions")
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in _HEADERS])
        self.table.verticalHeader().setVisible(False)
        for row, s in enumerate(plan):
            tick = QTableWidgetItem()
            if s.helper_id is not None:
                tick.setCheckState(Qt.CheckState.Checked)
            else:
                tick.setFlags(Qt.ItemFlag.NoItemFlags)
            self.table.setItem(row, 0, tick)
            cells = (s.unit.name, s.unit.class_code or "", s.unit.zone, s.unit.building)
            for col, text in enumerate(
                (*cells, s.helper_name or self.tr("（名额不足）"), s.reason), 1
            ):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, col, item)
        for col, width in enumerate((44, 240, 44, 70, 90, 90, 480)):
            self.table.setColumnWidth(col, width)
        self.accept_button = QPushButton(self.tr("采纳勾选的推荐"))
        self.accept_button.setObjectName("accept_suggestions")
        self.accept_button.setEnabled(given > 0)
        self.accept_button.clicked.connect(self._accept_ticked)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.accept_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def ticked(self) -> list[tuple[int, int]]:
        return [
            (s.unit.id, s.helper_id)
            for row, s in enumerate(self.plan)
            if s.helper_id is not None
            and self.table.item(row, 0).checkState() == Qt.CheckState.Checked
        ]

    @Slot()
    def _accept_ticked(self) -> None:
        from app.services.grouping.suggestions import apply_suggestions

        picks = self.ticked()
        if not picks:
            messages.info(self, self.windowTitle(), self.tr("没有勾选任何推荐"))
            return
        try:
            self.accepted_count = apply_suggestions(self.db, picks)
        except ValidationError as exc:
            messages.warn(self, self.tr("无法安排"), str(exc))
            return
        self.accept()
