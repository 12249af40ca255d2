"""脱联单建: a unit of a joint (or attached) party organization sets up its own branch."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QWidget

from app.domain.dates import DateError
from app.domain.limits import PARTY_ORGANIZATION
from app.domain.terms import TERM_YEARS
from app.domain.validation import ValidationError
from app.services.files.database_files import Database
from ui.dialogs.form import FieldForm, error_line, lay_out
from ui.dialogs.record_dialog import RecordDialog
from ui.widgets.inputs import DateEdit


class DetachDialog(RecordDialog):
    """For the registry's row ``row``; ``result_text`` says what was done."""

    def __init__(self, db: Database, row: Any, parent: QWidget | None = None) -> None:
        title = self.tr("脱联单建：%s") % row.name
        super().__init__(db, row.id, parent, (title, title), width=500)
        self.result_text = ""
        note = QLabel(
            self.tr(
                "“%s”从“%s”脱离，单独建立党支部。新党支部覆盖本单位，上级党组织与原党组织相同；"
                "原党组织不再覆盖本单位。整个操作可用“编辑 → 撤销”恢复。"
            )
            % (row.name, row.party_org or self.tr("（无）"))
        )
        note.setWordWrap(True)
        self.form = FieldForm()
        self.form.add("unit", self.tr("单位"), QLabel(row.name))
        self.name = self.form.add("name", self.tr("党支部名称*"), QLineEdit(f"{row.name}党支部"))
        self.founded = self.form.add("founded", self.tr("成立（首次选举）日期*"), DateEdit())
        self.founded.set_value(date.today())
        self.secretary = self.form.add("secretary", self.tr("书记"), QLineEdit())
        term = QComboBox()
        for years in TERM_YEARS:
            term.addItem(self.tr("%d年") % years, years)
        self.term = self.form.add("term_years", self.tr("任期"), term)
        self.set_class = self.form.add(
            "class", self.tr("分类"), QCheckBox(self.tr("记为 C 成长类（新建党组织从成长类起步）"))
        )
        self.set_class.setChecked(True)
        self.form.limit_text(PARTY_ORGANIZATION)
        self.other_errors = error_line(self)
        lay_out(self, note, self.form, self.other_errors, ok=self.tr("脱联单建"), on_ok=self._save)

    @Slot()
    def _save(self) -> None:
        from app.services.registry.detach import DetachDraft, detach_unit

        self.form.clear_errors()
        self.other_errors.hide()
        try:
            founded = self.founded.value()
        except DateError as exc:
            self.form.set_error("founded", str(exc))
            return
        draft = DetachDraft(
            branch_name=self.name.text(),
            founded=founded,
            secretary=self.secretary.text(),
            term_years=int(self.term.currentData()),
            set_class=self.set_class.isChecked(),
        )
        try:
            result = detach_unit(self.db, self.record_id, draft)  # type: ignore[arg-type]
        except ValidationError as exc:
            rest = self.form.show_issues(exc.issues)
            self.other_errors.setText("；".join(i.message for i in rest))
            self.other_errors.setVisible(bool(rest))
            return
        self.saved_id = self.record_id
        self.result_text = self.tr("已成立“%s”。“%s”现覆盖%d个单位。") % (
            draft.branch_name.strip(),
            result.left,
            result.left_units,
        )
        if result.too_small:
            self.result_text += self.tr(
                "联合党支部不足两个单位，已列入预警：请改为单独组建或并入其他联合党支部。"
            )
        self.accept()
