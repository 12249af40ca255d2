"""新建考核期: a period code (2026H1, 2026H2, 2026) and the scheme it is scored against
(the park's setting for that kind of period, unless the clerk chooses another)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QComboBox, QDialog, QLineEdit, QWidget

from app.domain.validation import ValidationError
from app.services.assessment import assessments
from app.services.assessment.assessment_settings import get_settings
from app.services.files.database_files import Database
from ui.dialogs.form import FieldForm, lay_out


def next_half(today: date) -> str:
    return f"{today.year}H{1 if today.month <= 6 else 2}"


class PeriodDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("新建考核期"))
        self.db = db
        self.code_ = ""
        self._settings = get_settings(db)
        self.form = FieldForm()
        self.code = self.form.add("period", self.tr("考核期*"), QLineEdit(next_half(date.today())))
        self.code.setPlaceholderText(self.tr("如 2026H1（上半年）、2026H2（下半年）、2026（年度）"))
        self.scheme = self.form.add("scheme", self.tr("考核方案*"), QComboBox())
        for scheme in assessments.list_schemes(db):
            self.scheme.addItem(
                self.tr("%s（第%d版）") % (scheme.name, scheme.version), scheme.name
            )
        self.code.textChanged.connect(self._code_changed)
        self._code_changed(self.code.text())
        lay_out(self, self.form, ok=self.tr("开始考核"), on_ok=self._save)
        self.setMinimumWidth(420)

    def _code_changed(self, text: str) -> None:
        wanted = self._settings.scheme_for(text.strip() or "H")
        index = self.scheme.findData(wanted)
        if index >= 0:
            self.scheme.setCurrentIndex(index)

    @Slot()
    def _save(self) -> None:
        self.form.clear_errors()
        try:
            assessments.open_period(self.db, self.code.text(), self.scheme.currentData())
        except ValidationError as exc:
            self.form.show_issues(exc.issues)
            return
        self.code_ = self.code.text().strip().upper()
        self.accept()
