"""考核设置: the scheme each kind of period uses, the 以奖代补 amount per 优秀 unit in
each class, and when the two halves of a year propose a class move."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QLineEdit, QWidget

from app.domain.assessment import LOW_TOTAL_DEFAULT, ReviewThresholds, decimal_text
from app.domain.validation import FieldIssue, ValidationError
from app.domain.vocabulary import OrgClass
from app.services.assessment import assessment_settings, assessments
from app.services.assessment.assessment_settings import AssessmentSettings, parse_amount
from app.services.files.database_files import Database
from ui.dialogs.form import FieldForm, lay_out


class AssessmentSettingsDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("考核设置"))
        self.db = db
        now = assessment_settings.get_settings(db)
        names = [s.name for s in assessments.list_schemes(db)]
        self.form = FieldForm()
        self.half = self.form.add("half_scheme", self.tr("半年考核方案"), QComboBox())
        self.year = self.form.add("year_scheme", self.tr("年度星级方案"), QComboBox())
        for combo, current in ((self.half, now.half_scheme), (self.year, now.year_scheme)):
            combo.addItems(names)
            combo.setCurrentText(current)
        self.amounts: dict[str, QLineEdit] = {}
        for cls in OrgClass:
            edit = QLineEdit(decimal_text(now.subsidy.get(cls.value, Decimal(0))))
            edit.setPlaceholderText(self.tr("元，0 表示不发放"))
            self.amounts[cls.value] = self.form.add(
                f"subsidy_{cls.value}", self.tr("%s 优秀单位以奖代补（元）") % cls.label, edit
            )
        self.up = self.form.add(
            "excellent_both_up",
            self.tr("升类建议"),
            QCheckBox(self.tr("上下半年均为优秀的，建议升一类")),
        )
        self.up.setChecked(now.review.excellent_both_up)
        self.low = self.form.add(
            "low_total", self.tr("降类分数线"), QLineEdit(decimal_text(now.review.low_total))
        )
        self.low.setToolTip(self.tr("上下半年总分都低于此分的，建议降一类；被一票否决的也建议降类"))
        lay_out(self, self.form, ok=self.tr("保存"), on_ok=self._save)
        self.setMinimumWidth(460)

    @Slot()
    def _save(self) -> None:
        self.form.clear_errors()
        issues = []
        subsidy = {}
        for cls, edit in self.amounts.items():
            try:
                amount = parse_amount(edit.text(), f"subsidy_{cls}")
            except ValidationError as exc:
                issues += exc.issues
                continue
            if amount:
                subsidy[cls] = amount
        try:
            low = Decimal(self.low.text().strip())
            if not low.is_finite() or low < 0:
                raise InvalidOperation
        except InvalidOperation:
            example = self.tr("请填写分数，如 %s") % decimal_text(LOW_TOTAL_DEFAULT)
            issues.append(FieldIssue("low_total", example, "invalid"))
            low = LOW_TOTAL_DEFAULT
        if issues:
            self.form.show_issues(issues)
            return
        assessment_settings.set_settings(
            self.db,
            AssessmentSettings(
                self.half.currentText(),
                self.year.currentText(),
                subsidy,
                ReviewThresholds(self.up.isChecked(), low),
            ),
        )
        self.accept()
