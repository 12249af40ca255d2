"""提出更正: in a field database the registry is read-only, so a wrong or outdated
field of a unit is written as a correction for the clerk (services/field/corrections.py)."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QComboBox, QDialog, QLineEdit, QWidget

from app.domain.validation import ValidationError
from app.services.workbooks.imports import FIELD_LABELS
from ui.dialogs.form import FieldForm, lay_out


class CorrectionDialog(QDialog):
    def __init__(self, db: object, org_id: int, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.org_id = db, org_id
        self.setWindowTitle(self.tr("提出更正：%s") % name)
        self.setMinimumWidth(460)
        self.form = FieldForm()
        self.field = self.form.add("field", self.tr("更正项目"), QComboBox())
        self.field.setEditable(True)  # a field not in the list is written in
        for label in dict.fromkeys(FIELD_LABELS.values()):
            self.field.addItem(label)
        self.value = self.form.add("value", self.tr("正确的内容"), QLineEdit())
        self.note = self.form.add("note", self.tr("说明"), QLineEdit())
        lay_out(self, self.form, ok=self.tr("提出更正"), on_ok=self._ok)

    @Slot()
    def _ok(self) -> None:
        from app.services.field import corrections

        try:
            corrections.suggest(
                self.db,  # type: ignore[arg-type]
                self.org_id,
                self.field.currentText(),
                self.value.text(),
                self.note.text(),
            )
        except ValidationError as exc:
            self.form.show_issues(exc.issues)
            return
        self.accept()
