"""Choose a backup to restore: the automatic ones, or any file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.files.database_files import list_backups
from ui import messages


class RestoreDialog(QDialog):
    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("从备份恢复"))
        self.setMinimumSize(520, 380)
        self.chosen: Path | None = None
        note = QLabel(self.tr("恢复会用所选备份替换当前数据；恢复前会自动把当前数据另存一份备份。"))
        note.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("backups")
        for b in list_backups(db_path):
            item = QListWidgetItem(
                f"{b.taken_at:%Y-%m-%d %H:%M:%S}　{b.reason_label}　{b.size // 1024} KB"
            )
            item.setData(Qt.ItemDataRole.UserRole, str(b.path))
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        buttons = QDialogButtonBox()
        self.restore_button = buttons.addButton(
            self.tr("恢复所选备份"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        other = buttons.addButton(self.tr("选择其他文件…"), QDialogButtonBox.ButtonRole.ActionRole)
        cancel = buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.clicked.connect(self._restore_selected)
        other.clicked.connect(self._pick_file)
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)

    @Slot()
    def _restore_selected(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self._confirm(Path(item.data(Qt.ItemDataRole.UserRole)))

    @Slot()
    def _pick_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("选择备份文件"),
            "",
            self.tr("ParkDesk 数据 (*.sqlite3 *.db);;所有文件 (*)"),
        )
        if path:
            self._confirm(Path(path))

    def _confirm(self, path: Path) -> None:
        if messages.ask(
            self,
            self.tr("确认恢复"),
            self.tr("用下面的备份替换当前数据？\n%s\n\n当前数据会先另存为备份。") % path,
            yes=self.tr("恢复"),
        ):
            self.chosen = path
            self.accept()
