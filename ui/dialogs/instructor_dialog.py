"""Add or edit an instructor; assign one to an organization."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from app.domain.dates import DateError
from app.domain.limits import INSTRUCTOR
from app.domain.validation import ValidationError
from app.domain.vocabulary import AssignmentRole, InstructorRole
from app.services.files.database_files import Database
from app.services.registry import instructors, org_list
from ui.dialogs.form import FieldForm, lay_out
from ui.dialogs.record_dialog import RecordDialog
from ui.widgets.inputs import CountEdit, DateEdit, EnumCombo
from ui.widgets.unit_picker import UnitPicker


class InstructorDialog(RecordDialog):
    def __init__(
        self, db: Database, inst_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            db, inst_id, parent, (self.tr("新增指导员"), self.tr("编辑指导员")), width=460
        )
        self.form = FieldForm()
        self.name = self.form.add("name", self.tr("姓名*"), QLineEdit())
        self.role = self.form.add("role", self.tr("身份"), EnumCombo(InstructorRole))
        self.unit = self.form.add("unit", self.tr("所在单位"), QLineEdit())
        self.phone = self.form.add("phone", self.tr("电话"), QLineEdit())
        self.active = self.form.add("active", self.tr("在岗"), QCheckBox(self.tr("在岗")))
        self.capacity = self.form.add("capacity", self.tr("联系单位上限"), CountEdit())
        self.capacity.setPlaceholderText(self.tr("个"))
        self.notes = self.form.add("notes", self.tr("备注"), QPlainTextEdit())
        self.notes.setMaximumHeight(60)
        self.form.limit_text(INSTRUCTOR)
        lay_out(self, self.form, ok=self.tr("保存"), on_ok=self._save)
        d = (
            instructors.get_draft(db, inst_id)
            if inst_id is not None
            else instructors.InstructorDraft()
        )
        self.name.setText(d.name)
        self.role.set_value(d.role)
        self.unit.setText(d.unit)
        self.phone.setText(d.phone)
        self.active.setChecked(d.active)
        self.capacity.set_value(d.capacity)
        self.notes.setPlainText(d.notes)

    @Slot()
    def _save(self) -> None:
        self.form.clear_errors()
        problem = self.capacity.problem()
        if problem:
            self.form.set_error("capacity", problem)
            return
        draft = instructors.InstructorDraft(
            name=self.name.text(),
            role=self.role.value(),
            unit=self.unit.text(),
            phone=self.phone.text(),
            active=self.active.isChecked(),
            capacity=self.capacity.value(),
            notes=self.notes.toPlainText().strip(),
        )
        self.save(
            draft,
            instructors.create_instructor,
            instructors.update_instructor,
            self.form.show_issues,
        )


class AssignDialog(QDialog):
    """Assign the instructor to an organization, from a date."""

    def __init__(
        self, db: Database, inst_id: int, inst_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.record_id = inst_id
        self.setWindowTitle(self.tr("安排联系单位：%s") % inst_name)
        self.setMinimumWidth(480)
        units = [(u.id, u.name, u.uscc) for u in org_list.unit_choices(db) if u.in_base]
        self.form = FieldForm()
        self.org = self.form.add("organization", self.tr("联系单位"), UnitPicker(units))
        self.role = self.form.add("role", self.tr("联系方式"), EnumCombo(AssignmentRole))
        self.start = self.form.add("started_on", self.tr("开始日期"), DateEdit())
        self.start.set_value(date.today())
        lay_out(self, self.form, ok=self.tr("安排"), on_ok=self._save)

    @Slot()
    def _save(self) -> None:
        self.form.clear_errors()
        org_id = self.org.unit_id()
        if org_id is None:
            self.form.set_error("organization", self.tr("请从列表中选择一个在册单位"))
            return
        try:
            start = self.start.value()
        except DateError as exc:
            self.form.set_error("started_on", str(exc))
            return
        try:
            instructors.assign(self.db, self.record_id, org_id, self.role.value(), start)
        except ValidationError as exc:
            rest = self.form.show_issues(exc.issues)
            if rest:
                self.form.set_error("organization", "；".join(i.message for i in rest))
            return
        self.accept()


class EndDateDialog(QDialog):
    """Ask for the day an assignment ended."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = FieldForm()
        self.day = self.form.add("day", self.tr("结束日期"), DateEdit())
        self.day.set_value(date.today())
        lay_out(self, self.form, ok=self.tr("确定"), on_ok=self._ok)
        self.value: date | None = None

    @Slot()
    def _ok(self) -> None:
        try:
            value = self.day.value()
        except DateError as exc:
            self.form.set_error("day", str(exc))
            return
        if value is None:
            self.form.set_error("day", self.tr("请填写日期"))
            return
        self.value = value
        self.accept()
