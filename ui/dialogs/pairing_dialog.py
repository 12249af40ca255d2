"""结对帮带: start or edit a pairing; record what was done; end it with its outcome."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QDialog, QLabel, QPlainTextEdit, QWidget

from app.domain.dates import DateError
from app.domain.validation import ValidationError
from app.services.files.database_files import Database
from app.services.grouping import pairings
from app.services.registry import org_list
from ui.dialogs.form import FieldForm, lay_out
from ui.dialogs.record_dialog import RecordDialog
from ui.widgets.inputs import DateEdit
from ui.widgets.unit_picker import UnitPicker


def _text_box(height: int = 60) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setMaximumHeight(height)
    return box


class PairingDialog(RecordDialog):
    def __init__(
        self, db: Database, pairing_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            db, pairing_id, parent, (self.tr("新增结对帮带"), self.tr("编辑结对帮带")), width=520
        )
        units = [(u.id, u.name, u.uscc) for u in org_list.unit_choices(db) if u.in_base]
        self.form = FieldForm()
        self.helper = self.form.add("helper", self.tr("帮带单位*"), UnitPicker(units))
        self.helped = self.form.add("helped", self.tr("被帮带单位*"), UnitPicker(units))
        hint = QLabel(self.tr("推荐方向：A→C 示范带成长，B→D 稳健带孵化，A→B 示范辐射稳健"))
        hint.setStyleSheet("color:#555")
        self.form.add("hint", "", hint)
        self.started = self.form.add("started_on", self.tr("开始日期*"), DateEdit())
        self.goal = self.form.add("goal", self.tr("帮带目标"), _text_box())
        draft = pairings.get_draft(db, pairing_id) if pairing_id else pairings.PairingDraft()
        self._draft = draft
        self.helper.set_unit(draft.helper_id)
        self.helped.set_unit(draft.helped_id)
        self.started.set_value(draft.started_on or date.today())
        self.goal.setPlainText(draft.goal)
        lay_out(self, self.form, ok=self.tr("保存"), on_ok=self._save)

    @Slot()
    def _save(self) -> None:
        self.form.clear_errors()
        try:
            started = self.started.value()
        except DateError as exc:
            self.form.set_error("started_on", str(exc))
            return
        for picker, field in ((self.helper, "helper"), (self.helped, "helped")):
            if picker.text().strip() and picker.unit_id() is None:
                self.form.set_error(field, self.tr("请从列表中选择一个在册单位"))
                return
        draft = pairings.PairingDraft(
            self.helper.unit_id(),
            self.helped.unit_id(),
            started,
            self.goal.toPlainText(),
            self._draft.ended_on,
            self._draft.outcome,
        )
        self.save(draft, pairings.create_pairing, pairings.update_pairing, self.form.show_issues)


class EntryDialog(QDialog):
    """记录帮带情况: one dated entry of what was done."""

    def __init__(self, db: Database, pairing_id: int, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.db, self.pairing_id = db, pairing_id
        self.setWindowTitle(self.tr("记录帮带情况：%s") % title)
        self.setMinimumWidth(480)
        self.form = FieldForm()
        self.day = self.form.add("done_on", self.tr("日期*"), DateEdit())
        self.day.set_value(date.today())
        self.text = self.form.add("text", self.tr("做了什么*"), _text_box(90))
        lay_out(self, self.form, ok=self.tr("记录"), on_ok=self._save)

    @Slot()
    def _save(self) -> None:
        self.form.clear_errors()
        try:
            day = self.day.value()
            pairings.add_entry(self.db, self.pairing_id, day, self.text.toPlainText())
        except DateError as exc:
            self.form.set_error("done_on", str(exc))
            return
        except ValidationError as exc:
            self.form.show_issues(exc.issues)
            return
        self.accept()


class EndPairingDialog(QDialog):
    """结束结对: the end date and the outcome."""

    def __init__(self, db: Database, pairing_id: int, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.db, self.pairing_id = db, pairing_id
        self.setWindowTitle(self.tr("结束结对：%s") % title)
        self.setMinimumWidth(480)
        self.form = FieldForm()
        self.day = self.form.add("ended_on", self.tr("结束日期*"), DateEdit())
        self.day.set_value(date.today())
        self.outcome = self.form.add("outcome", self.tr("帮带成效*"), _text_box(90))
        lay_out(self, self.form, ok=self.tr("结束结对"), on_ok=self._save)

    @Slot()
    def _save(self) -> None:
        self.form.clear_errors()
        try:
            day = self.day.value()
        except DateError as exc:
            self.form.set_error("ended_on", str(exc))
            return
        if day is None:
            self.form.set_error("ended_on", self.tr("请填写结束日期"))
            return
        try:
            pairings.end_pairing(self.db, self.pairing_id, day, self.outcome.toPlainText())
        except ValidationError as exc:
            self.form.show_issues(exc.issues)
            return
        self.accept()
