"""Add or edit an organization, every field of the registry, checked as you type."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain import uscc
from app.domain.limits import ORGANIZATION
from app.domain.validation import (
    FieldIssue,
    OrganizationDraft,
    check_organization,
)
from app.domain.vocabulary import (
    Formation,
    NoPartyOrgReason,
    OrgClass,
    OrgKind,
    Scale,
    SocialSubtype,
)
from app.services.files.database_files import Database
from app.services.registry import organizations, park, party_orgs
from ui.dialogs.form import FieldForm, dialog_buttons, error_line
from ui.dialogs.record_dialog import RecordDialog
from ui.widgets.inputs import CountEdit, DateEdit, EnumCombo, IdCombo, YesNoCombo


class OrganizationDialog(RecordDialog):
    def __init__(
        self,
        db: Database,
        org_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(db, org_id, parent, (self.tr("新增组织"), self.tr("编辑组织")), width=620)
        self._build()
        draft = organizations.get_draft(db, org_id) if org_id is not None else OrganizationDraft()
        self._status = draft.status
        self._status_date = draft.status_date
        self._load(draft)
        self._live_check()

    # -- layout -------------------------------------------------------------
    def _build(self) -> None:
        tabs = QTabWidget(self)
        self.tabs = tabs
        basic, contact = self._basic_form(), self._contact_form()
        party, base = self._party_form(), self._base_form()
        for form, title in (
            (basic, self.tr("基本信息")),
            (contact, self.tr("地址与联系")),
            (party, self.tr("党建情况")),
            (base, self.tr("统计与状态")),
        ):
            form.limit_text(ORGANIZATION)  # typing stops at the field's limit
            tabs.addTab(form, title)
        self.forms = [basic, contact, party, base]
        self.other_errors = error_line(self)
        self.buttons = buttons = dialog_buttons(self, self.tr("保存"), self._save)

        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(self.other_errors)
        layout.addWidget(buttons)

        for edit in (self.uscc, self.name):
            edit.textChanged.connect(self._live_check)
        for edit in (self.employees, self.formal, self.probationary, self.activists, self.founded):
            edit.textChanged.connect(self._live_check)
        self.kind.currentIndexChanged.connect(self._live_check)
        self.kind_fix.clicked.connect(self._take_kind_from_code)

    def _basic_form(self) -> FieldForm:
        basic = FieldForm()
        self.name = basic.add("name", self.tr("组织名称*"), QLineEdit())
        self.uscc = basic.add("uscc", self.tr("统一社会信用代码"), QLineEdit())
        self.uscc.setPlaceholderText(self.tr("18位，可暂缺"))
        self.kind = EnumCombo(OrgKind)
        self.kind_fix = QPushButton()
        self.kind_fix.setObjectName("kind_fix")
        self.kind_fix.hide()
        basic.add("kind", self.tr("组织类型"), self.kind, self.kind_fix)
        self.subtype = basic.add(
            "social_subtype",
            self.tr("社会组织类别"),
            EnumCombo(SocialSubtype, self.tr("（不适用）")),
        )
        self.industry = basic.add("industry", self.tr("行业类别"), QLineEdit())
        self.scale = basic.add("scale", self.tr("企业规模"), EnumCombo(Scale, self.tr("（未填）")))
        self.employees = basic.add("employees", self.tr("从业人员数"), CountEdit())
        self.legal_rep = basic.add("legal_rep", self.tr("法定代表人"), QLineEdit())
        self.investor = basic.add("investor", self.tr("出资人"), QLineEdit())
        self.investor_member = basic.add(
            "investor_is_member", self.tr("出资人是否党员"), YesNoCombo()
        )
        self.founded = basic.add("founded", self.tr("成立日期"), DateEdit())
        return basic

    def _contact_form(self) -> FieldForm:
        contact = FieldForm()
        self.address = contact.add("address", self.tr("地址"), QLineEdit())
        self.zone = contact.add("zone", self.tr("所在片区"), QLineEdit())
        self.building = contact.add("building", self.tr("所在楼宇"), QLineEdit())
        self.contact = contact.add("contact", self.tr("联系人"), QLineEdit())
        self.phone = contact.add("phone", self.tr("联系电话"), QLineEdit())
        return contact

    def _party_form(self) -> FieldForm:
        party = FieldForm()
        self.formal = party.add("formal_members", self.tr("正式党员数"), CountEdit())
        self.probationary = party.add("probationary_members", self.tr("预备党员数"), CountEdit())
        self.activists = party.add("activists", self.tr("入党积极分子数"), CountEdit())
        self.formation = party.add("formation", self.tr("组建方式"), EnumCombo(Formation))
        self.party_org = IdCombo(self.tr("（尚未录入）"))
        self.party_org.set_choices([(i, n) for i, n, _f in party_orgs.choices(self.db)])
        party.add("party_org_id", self.tr("覆盖它的党组织"), self.party_org)
        self.no_reason = party.add(
            "no_party_org_reason",
            self.tr("未单独建立党组织的原因"),
            EnumCombo(NoPartyOrgReason, self.tr("（未填）")),
        )
        self.union = party.add("has_union", self.tr("是否建立工会"), YesNoCombo())
        self.league = party.add("has_youth_league", self.tr("是否建立团组织"), YesNoCombo())
        self.women = party.add("has_women_org", self.tr("是否建立妇女组织"), YesNoCombo())
        self.org_class = party.add(
            "class_code", self.tr("分类"), EnumCombo(OrgClass, self.tr("（未分类）"))
        )
        self.cluster = IdCombo(self.tr("（未编组）"))
        self.cluster.set_choices(park.cluster_choices(self.db))
        party.add("cluster_id", self.tr("编组"), self.cluster)
        self.leader = party.add(
            "is_cluster_leader", self.tr("组长单位"), QCheckBox(self.tr("是本编组的组长单位"))
        )
        return party

    def _base_form(self) -> FieldForm:
        base = FieldForm()
        self.in_base = base.add("in_base", self.tr("纳入统计基数"), QCheckBox(self.tr("纳入")))
        self.base_reason = base.add("base_reason", self.tr("纳入/不纳入的理由"), QLineEdit())
        self.status_label = QLabel()
        base.add("status", self.tr("状态"), self.status_label)
        self.notes = base.add("notes", self.tr("备注"), QPlainTextEdit())
        self.notes.setMaximumHeight(90)
        return base

    # -- data ---------------------------------------------------------------
    def _load(self, d: OrganizationDraft) -> None:
        self.name.setText(d.name)
        self.uscc.setText(d.uscc)
        self.kind.set_value(d.kind)
        self.subtype.set_value(d.social_subtype)
        self.industry.setText(d.industry)
        self.scale.set_value(d.scale)
        self.employees.set_value(d.employees)
        self.legal_rep.setText(d.legal_rep)
        self.investor.setText(d.investor)
        self.investor_member.set_value(d.investor_is_member)
        self.founded.set_value(d.founded)
        self.address.setText(d.address)
        self.zone.setText(d.zone)
        self.building.setText(d.building)
        self.contact.setText(d.contact)
        self.phone.setText(d.phone)
        self.formal.set_value(d.formal_members)
        self.probationary.set_value(d.probationary_members)
        self.activists.set_value(d.activists)
        self.formation.set_value(d.formation)
        self.party_org.set_value(d.party_org_id)
        self.no_reason.set_value(d.no_party_org_reason)
        self.union.set_value(d.has_union)
        self.league.set_value(d.has_youth_league)
        self.women.set_value(d.has_women_org)
        self.org_class.set_value(d.class_code)
        self.cluster.set_value(d.cluster_id)
        self.leader.setChecked(d.is_cluster_leader)
        self.in_base.setChecked(d.in_base)
        self.base_reason.setText(d.base_reason)
        status = d.status.label
        if d.status_date:
            status += f"（{d.status_date:%Y-%m-%d}）"
        self.status_label.setText(status + self.tr("　注销、迁出请在台账中用“标记注销/迁出”"))
        self.notes.setPlainText(d.notes)

    def _read(self) -> tuple[OrganizationDraft | None, list[FieldIssue]]:
        """The draft, plus the issues found while reading (impossible dates, bad counts)."""
        issues: list[FieldIssue] = []

        def count(field: str, edit: CountEdit) -> int | None:
            problem = edit.problem()
            if problem:
                issues.append(FieldIssue(field, problem, "count_invalid"))
                return None
            return edit.value()

        founded = None
        problem = self.founded.problem()
        if problem:
            issues.append(FieldIssue("founded", problem, "date_impossible"))
        else:
            founded = self.founded.value()
        draft = OrganizationDraft(
            name=self.name.text(),
            uscc=self.uscc.text(),
            kind=self.kind.value(),
            social_subtype=self.subtype.value(),
            industry=self.industry.text().strip(),
            scale=self.scale.value(),
            employees=count("employees", self.employees),
            legal_rep=self.legal_rep.text().strip(),
            investor=self.investor.text().strip(),
            investor_is_member=self.investor_member.value(),
            address=self.address.text().strip(),
            zone=self.zone.text().strip(),
            building=self.building.text().strip(),
            contact=self.contact.text().strip(),
            phone=self.phone.text().strip(),
            founded=founded,
            formal_members=count("formal_members", self.formal),
            probationary_members=count("probationary_members", self.probationary),
            activists=count("activists", self.activists),
            has_union=self.union.value(),
            has_youth_league=self.league.value(),
            has_women_org=self.women.value(),
            status=self._status,
            status_date=self._status_date,
            in_base=self.in_base.isChecked(),
            base_reason=self.base_reason.text().strip(),
            formation=self.formation.value(),
            no_party_org_reason=self.no_reason.value(),
            party_org_id=self.party_org.value(),
            class_code=self.org_class.value(),
            cluster_id=self.cluster.value(),
            is_cluster_leader=self.leader.isChecked(),
            notes=self.notes.toPlainText().strip(),
        )
        return draft, issues

    def _show(self, issues: list[FieldIssue]) -> None:
        rest = issues
        for form in self.forms:
            form.clear_errors()
        for form in self.forms:
            rest = form.show_issues(rest)
        self.other_errors.setText("；".join(i.message for i in rest))
        self.other_errors.setVisible(bool(rest))
        suggestion = next((i.suggestion for i in issues if i.code == "kind_mismatch"), None)
        if isinstance(suggestion, OrgKind):
            self.kind_fix.setText(self.tr("按信用代码改为“%s”") % suggestion.label)
            self.kind_fix.setProperty("kind", suggestion.value)
            self.kind_fix.show()
        else:
            self.kind_fix.hide()

    @Slot()
    def _live_check(self) -> None:
        draft, issues = self._read()
        assert draft is not None
        fields_with_input_problems = {i.field for i in issues}
        issues += [
            i
            for i in check_organization(draft, date.today())
            if i.field not in fields_with_input_problems
        ]
        # a name is required, but saying so while the form is still empty is noise
        if not draft.name.strip() and self.record_id is None:
            issues = [i for i in issues if i.code != "name_missing"]
        self._show(issues)

    @Slot()
    def _take_kind_from_code(self) -> None:
        kind = OrgKind(self.kind_fix.property("kind"))
        self.kind.set_value(kind)
        subtype = uscc.social_subtype_from_code(uscc.normalize(self.uscc.text()))
        if kind is OrgKind.SOCIAL and subtype is not None:
            self.subtype.set_value(subtype)

    def _focus_first_error(self, issues: list[FieldIssue]) -> None:
        for tab, form in enumerate(self.forms):
            for issue in issues:
                if form.owns(issue.field):
                    self.tabs.setCurrentIndex(tab)
                    form.widget(issue.field).setFocus()
                    return

    @Slot()
    def _save(self) -> None:
        draft, issues = self._read()
        assert draft is not None
        if issues:
            self._show(issues)
            self._focus_first_error(issues)
            return
        self.save(
            draft,
            organizations.create_organization,
            organizations.update_organization,
            self._show_and_focus,
        )

    def _show_and_focus(self, issues: Sequence[FieldIssue]) -> None:
        self._show(list(issues))
        self._focus_first_error(list(issues))
