"""手工调整 one unit's class, with the reason and the date it takes effect."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from app.domain.dates import DateError
from app.domain.vocabulary import OrgClass
from app.services.files.database_files import Database
from ui.dialogs.form import FieldForm, lay_out
from ui.dialogs.record_dialog import RecordDialog
from ui.widgets.inputs import DateEdit, EnumCombo


class ClassDialog(RecordDialog):
    def __init__(
        self, db: Database, row: Any, parent: QWidget | None = None, review_year: int | None = None
    ) -> None:
        """``review_year``: set while reviewing that year (the change is recorded as its review)."""
        title = self.tr("调整分类：%s") % row.name
        super().__init__(db, row.id, parent, (title, title), width=460)
        self.row = row
        self.review_year = review_year
        self.form = FieldForm()
        now = row.current.label if row.current else self.tr("未分类")
        self.form.add("current", self.tr("现分类"), QLabel(now))
        self.to = self.form.add("to", self.tr("调整为"), EnumCombo(OrgClass, self.tr("（未分类）")))
        suggested = row.proposal.to if row.proposal is not None else row.current
        self.to.set_value(suggested)
        self.on = self.form.add("on", self.tr("调整日期"), DateEdit())
        self.on.set_value(date.today())
        self.reason = self.form.add("reason", self.tr("调整理由*"), QLineEdit())
        if row.proposal is not None:
            self.reason.setText(row.proposal.reason)
        self.reason.setPlaceholderText(
            self.tr("例如：党组织作用发挥突出，经工委会议研究升为示范类")
        )
        lay_out(self, self.form, ok=self.tr("保存"), on_ok=self._save)

    @Slot()
    def _save(self) -> None:
        from app.services.grouping import classes

        self.form.clear_errors()
        to = self.to.value()
        if to == self.row.current:
            self.form.set_error("to", self.tr("分类没有变化"))
            return
        if not self.reason.text().strip():
            self.form.set_error("reason", self.tr("请写明调整理由，它记入分类变更记录"))
            return
        try:
            on = self.on.value()
        except DateError as exc:
            self.form.set_error("on", str(exc))
            return
        when = on or date.today()
        classes.change_class(self.db, self.row.id, to, self.reason.text(), when, self.review_year)
        self.saved_id = self.row.id
        self.accept()
