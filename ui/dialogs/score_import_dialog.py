"""The preview of a score workbook before it is imported: how many units are new,
changed and unchanged, and each refused cell with its row, column and reason."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.assessment.score_import import ScorePreview


class ScoreImportDialog(QDialog):
    def __init__(self, preview: ScorePreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导入评分表：%s") % preview.path.name)
        layout = QVBoxLayout(self)
        bad = len(preview.plans) - preview.good_rows
        summary = QLabel(
            self.tr("工作表“%s”共%d行：新增评分%d个，修改%d个，%d个无变化；%d行有问题，不会导入。")
            % (
                preview.sheet,
                len(preview.plans),
                preview.count("new"),
                preview.count("changed"),
                preview.count("unchanged"),
                bad,
            )
        )
        summary.setObjectName("summary")
        summary.setWordWrap(True)
        layout.addWidget(summary)
        if preview.errors:
            table = QTableWidget(len(preview.errors), 4)
            table.setObjectName("errors")
            table.setHorizontalHeaderLabels(
                [self.tr("行"), self.tr("列"), self.tr("填写的内容"), self.tr("问题")]
            )
            for r, e in enumerate(preview.errors):
                for c, text in enumerate((str(e.row), e.column, e.value, e.message)):
                    table.setItem(r, c, QTableWidgetItem(text))
            header = table.horizontalHeader()
            for column, width in enumerate((50, 170, 110)):
                header.resizeSection(column, width)
            header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
            table.verticalHeader().setVisible(False)
            layout.addWidget(table, 1)
        writes = preview.count("new") + preview.count("changed")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        if writes:
            ok = buttons.addButton(
                self.tr("导入%d个单位的评分") % writes, QDialogButtonBox.ButtonRole.AcceptRole
            )
            ok.setObjectName("apply")
        else:
            layout.addWidget(QLabel(self.tr("没有需要导入的变化。")))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 420 if preview.errors else 160)
