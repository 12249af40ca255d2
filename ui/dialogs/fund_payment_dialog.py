"""登记拨付: one payment to a party organization against one of its entitlements of the
year (经费保障); what the service refuses is said under its field, nothing is written."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QWidget

from app.domain.clusters import yuan_text
from app.domain.dates import DateError
from app.domain.funds import DUES_WHERE, PAYABLE, STAR_LEVELS
from app.domain.validation import ValidationError
from app.domain.vocabulary import FundKind
from app.services.files.database_files import Database
from app.services.funds import fund_settings, funds
from app.services.registry import party_orgs
from ui.dialogs.form import FieldForm, error_line, lay_out
from ui.dialogs.record_dialog import RecordDialog
from ui.widgets.inputs import DateEdit, EnumCombo, IdCombo


class PaymentDialog(RecordDialog):
    """A new payment of ``year``, to ``party_org_id`` when one is chosen on the page."""

    def __init__(
        self, db: Database, year: int, party_org_id: int | None, parent: QWidget | None
    ) -> None:
        super().__init__(db, None, parent, ("", ""), 520)
        self.setWindowTitle(self.tr("登记经费拨付（%d年）") % year)
        self.year = year
        self.form = FieldForm()
        self.party_org = IdCombo(self.tr("（请选择）"))
        self.party_org.setObjectName("party_org")
        self.party_org.set_choices([(i, name) for i, name, _f in party_orgs.choices(db)])
        self.party_org.set_value(party_org_id)
        self.form.add("party_org", self.tr("收款党组织*"), self.party_org)
        self.kind = EnumCombo(FundKind)
        self.kind.setObjectName("kind")
        for member in FundKind:
            if member not in PAYABLE:  # recorded on the cluster (编组 → 经费统筹)
                self.kind.remove_member(member)
        hint = QLabel(DUES_WHERE)  # the domain's words, as the command line says them
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #777;")
        self.form.add("kind", self.tr("经费类别*"), self.kind, hint)
        self.day = DateEdit()
        self.day.setObjectName("paid_on")
        today = date.today()
        self.day.set_value(today if today.year == year else date(year, 12, 31))
        self.form.add("paid_on", self.tr("拨付日期*"), self.day)
        self.amount = QLineEdit()
        self.amount.setObjectName("amount")
        self.amount.setPlaceholderText(self.tr("元，最多两位小数，如 2000 或 1,200.50"))
        self.form.add("amount", self.tr("金额（元）*"), self.amount)
        self.payer = QLineEdit()
        self.payer.setObjectName("payer")
        self.payer.setPlaceholderText(self.tr("如 区委两新工委、市委组织部"))
        self.form.add("payer", self.tr("拨付单位*"), self.payer)
        self.note = QPlainTextEdit()
        self.note.setObjectName("note")
        self.note.setFixedHeight(70)
        self.form.add("note", self.tr("备注"), self.note)
        self.other = error_line(self)
        lay_out(self, self.form, self.other, ok=self.tr("登记"), on_ok=self._save)

    @Slot()
    def _save(self) -> None:
        self.form.clear_errors()
        self.other.hide()
        try:
            day = self.day.value()
        except DateError as exc:
            self.form.set_error("paid_on", str(exc))
            return
        draft = funds.PaymentDraft(
            self.year,
            self.party_org.value(),
            self.kind.value(),
            day,
            self.amount.text(),
            self.payer.text(),
            self.note.toPlainText(),
        )
        try:
            self.saved_id = funds.add_payment(self.db, draft)
        except ValidationError as exc:
            rest = self.form.show_issues(exc.issues)
            if rest:
                self.other.setText("；".join(i.message for i in rest))
                self.other.show()
            self.adjustSize()  # the error lines take room: the note box stays whole
            return
        self.accept()


class StandardsDialog(RecordDialog):
    """经费标准: "3个100元" per formal member a year, and the 阵地建设启动经费."""

    def __init__(self, db: Database, parent: QWidget | None) -> None:
        super().__init__(db, None, parent, ("", ""), 460)
        self.setWindowTitle(self.tr("经费保障标准"))
        now = fund_settings.get_settings(db)
        self.form = FieldForm()
        self.per_member = QLineEdit(yuan_text(now.per_member).replace(",", ""))
        self.per_member.setObjectName("per_member")
        self.form.add("per_member", self.tr("每名正式党员每年（元）"), self.per_member)
        self.startup = QLineEdit(yuan_text(now.startup).replace(",", ""))
        self.startup.setObjectName("startup")
        self.form.add("startup", self.tr("当年新建党组织启动经费（元）"), self.startup)
        self.stars = {}
        for n in STAR_LEVELS:
            edit = QLineEdit(yuan_text(now.star_award(n)).replace(",", ""))
            edit.setObjectName(f"star{n}")
            self.form.add(f"star{n}", self.tr("%d星级党组织奖励（元）") % n, edit)
            self.stars[n] = edit
        note = QLabel(
            self.tr(
                "柳州：每名两新组织党员每年“3个100元”活动经费，新组建党组织2000元阵地建设启动经费；"
                "市级列支经费作为星级党组织奖励（文件未定每个党组织的金额，默认0）。"
            )
        )
        note.setWordWrap(True)
        lay_out(self, self.form, note, ok=self.tr("保存"), on_ok=self._save)

    @Slot()
    def _save(self) -> None:
        self.form.clear_errors()
        try:
            fund_settings.set_settings(
                self.db,
                self.per_member.text(),
                self.startup.text(),
                {n: edit.text() for n, edit in self.stars.items()},
            )
        except ValidationError as exc:
            self.form.show_issues(exc.issues)
            return
        self.saved_id = 0
        self.accept()
