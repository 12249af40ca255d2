"""The park's name and committee; on first run also an empty or a demo park."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ui.dialogs.form import FieldForm, dialog_buttons


class ParkDialog(QDialog):
    def __init__(
        self, park_name: str = "", committee: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("园区信息"))
        self.setMinimumWidth(480)
        self.form = FieldForm()
        self.park = self.form.add("park_name", self.tr("园区名称*"), QLineEdit(park_name))
        self.park.setPlaceholderText(self.tr("如：柳州市河西工业园区"))
        self.committee = self.form.add(
            "committee_name", self.tr("党工委名称"), QLineEdit(committee)
        )
        self.committee.setPlaceholderText(self.tr("如：河西工业园区两新组织党工委"))
        self.buttons = dialog_buttons(self, self.tr("确定"), self._ok)
        self.body = QVBoxLayout(self)
        self.body.addWidget(self.form)

    def finish_layout(self) -> None:
        self.body.addWidget(self.buttons)

    @Slot()
    def _ok(self) -> None:
        if not self.park.text().strip():
            self.form.set_error("park_name", self.tr("请填写园区名称"))
            return
        self.accept()


class FirstRunDialog(ParkDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", "", parent)
        self.setWindowTitle(self.tr("欢迎使用园区两新党建工作台"))
        intro = QLabel(
            self.tr(
                "请填写园区和党工委名称。台账从空白开始，自己录入或导入；"
                "也可以另外打开一个演示园区熟悉功能（单独的数据文件，数据为虚构，"
                "不会混入您的台账，可随时在“文件 → 演示园区”删除重建）。"
            )
        )
        intro.setWordWrap(True)
        self.body.insertWidget(0, intro)
        self.empty = QRadioButton(self.tr("空白台账，自己录入或导入"))
        self.demo = QRadioButton(
            self.tr("空白台账，并先打开演示园区看看（约120个组织，数据为虚构）")
        )
        self.empty.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.empty)
        group.addButton(self.demo)
        self.body.addWidget(self.empty)
        self.body.addWidget(self.demo)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("开始使用"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("退出"))
        self.finish_layout()

    @property
    def wants_demo(self) -> bool:
        return self.demo.isChecked()
