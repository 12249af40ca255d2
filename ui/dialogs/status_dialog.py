"""Mark an organization 注销 / 迁出 (or back to 在册), with the date."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QDialog, QLineEdit, QWidget

from app.domain.dates import DateError
from app.domain.vocabulary import OrgStatus
from ui.dialogs.form import FieldForm, lay_out
from ui.widgets.inputs import DateEdit, EnumCombo


class StatusDialog(QDialog):
    def __init__(self, name: str, current: OrgStatus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("标记注销/迁出：%s") % name)
        self.setMinimumWidth(420)
        self.form = FieldForm()
        self.status = self.form.add("status", self.tr("状态"), EnumCombo(OrgStatus))
        self.status.set_value(OrgStatus.CLOSED if current is OrgStatus.ACTIVE else OrgStatus.ACTIVE)
        self.on = self.form.add("on", self.tr("日期"), DateEdit())
        self.on.set_value(date.today())
        self.note = self.form.add("note", self.tr("说明"), QLineEdit())
        lay_out(self, self.form, ok=self.tr("确定"), on_ok=self._ok)
        self.result_status: OrgStatus | None = None
        self.result_date: date | None = None

    @Slot()
    def _ok(self) -> None:
        try:
            on = self.on.value()
        except DateError as exc:
            self.form.set_error("on", str(exc))
            return
        if on is None:
            self.form.set_error("on", self.tr("请填写日期"))
            return
        if on > date.today():
            self.form.set_error("on", self.tr("日期晚于今天"))
            return
        self.result_status = self.status.value()
        self.result_date = on
        self.accept()
