"""Add or edit a party organization and the units it covers."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.dates import DateError
from app.domain.limits import PARTY_ORGANIZATION
from app.domain.terms import TERM_YEARS, default_term_years
from app.domain.validation import FieldIssue, PartyOrgDraft
from app.domain.vocabulary import DemoSiteLevel, Formation, PartyOrgLevel
from app.services.files.database_files import Database
from app.services.registry import org_list, party_orgs
from ui.dialogs.form import FieldForm, error_line, lay_out
from ui.dialogs.record_dialog import RecordDialog
from ui.widgets.inputs import DateEdit, EnumCombo, IdCombo


class PartyOrgDialog(RecordDialog):
    def __init__(
        self, db: Database, po_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            db, po_id, parent, (self.tr("新增党组织"), self.tr("编辑党组织")), width=640
        )
        self._units = {u.id: u.name for u in org_list.unit_choices(db)}
        self._by_name = {name: ident for ident, name in self._units.items()}
        self._build()
        draft = party_orgs.get_draft(db, po_id) if po_id is not None else PartyOrgDraft()
        self._load(draft)

    def _build(self) -> None:
        form = FieldForm()
        self.form = form
        self.name = form.add("name", self.tr("党组织名称*"), QLineEdit())
        self.level = form.add("level", self.tr("层级"), EnumCombo(PartyOrgLevel))
        formation = EnumCombo(Formation)
        formation.remove_member(Formation.NONE)
        self.formation = form.add("formation", self.tr("组建方式"), formation)
        self.secretary = form.add("secretary", self.tr("书记"), QLineEdit())
        self.secretary_phone = form.add("secretary_phone", self.tr("书记电话"), QLineEdit())
        self.founded = form.add("founded", self.tr("成立日期"), DateEdit())
        self.last_election = form.add("last_election", self.tr("本届选举日期"), DateEdit())
        term = QComboBox()
        for years in TERM_YEARS:
            term.addItem(self.tr("%d年") % years, years)
        self.term = form.add("term_years", self.tr("任期"), term)
        self.postponed = form.add("postponed_until", self.tr("经批准延期至"), DateEdit())
        self.approval = form.add("postponement_approval", self.tr("延期批准机关/文号"), QLineEdit())
        form.limit_text(PARTY_ORGANIZATION)
        self.parent_combo = IdCombo(self.tr("（园区党工委直属）"))
        self.parent_combo.set_choices(
            [(i, n) for i, n, _f in party_orgs.choices(self.db) if i != self.record_id]
        )
        form.add("parent_id", self.tr("上级党组织"), self.parent_combo)
        self.venue = form.add("venue", self.tr("活动场所"), QLineEdit())
        self.dual_managed = form.add(
            "dual_managed", self.tr("双重管理"), QCheckBox(self.tr("市级以上双重管理的党组织"))
        )
        self.demo_site = form.add("demo_site", self.tr("示范点"), EnumCombo(DemoSiteLevel))
        self.demo_year = form.add("demo_site_year", self.tr("示范点年度"), QLineEdit())
        self.demo_year.setPlaceholderText(self.tr("命名年度，如 2025"))
        self.demo_year.setMaxLength(4)
        self.notes = form.add("notes", self.tr("备注"), QPlainTextEdit())
        self.notes.setMaximumHeight(60)

        # covered units: a list plus a search box to add more
        self.unit_list = QListWidget()
        self.unit_list.setObjectName("covered_units")
        self.unit_list.setMinimumHeight(110)
        self.unit_search = QLineEdit()
        self.unit_search.setPlaceholderText(self.tr("输入单位名称查找后添加"))
        completer = QCompleter(sorted(self._by_name), self.unit_search)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.unit_search.setCompleter(completer)
        add = QPushButton(self.tr("添加"))
        remove = QPushButton(self.tr("移除所选"))
        add.clicked.connect(self._add_unit)
        remove.clicked.connect(self._remove_unit)
        self.unit_search.returnPressed.connect(self._add_unit)
        row = QHBoxLayout()
        row.addWidget(self.unit_search, 1)
        row.addWidget(add)
        row.addWidget(remove)
        units_box = QWidget()
        units_layout = QVBoxLayout(units_box)
        units_layout.setContentsMargins(0, 0, 0, 0)
        units_layout.addWidget(self.unit_list)
        units_layout.addLayout(row)
        form.add("covered", self.tr("覆盖的单位"), units_box)

        self.other_errors = error_line(self)
        lay_out(self, form, self.other_errors, ok=self.tr("保存"), on_ok=self._save)
        self.level.currentIndexChanged.connect(self._level_changed)

    def _load(self, d: PartyOrgDraft) -> None:
        self.name.setText(d.name)
        self.level.set_value(d.level)
        self.formation.set_value(d.formation)
        self.secretary.setText(d.secretary)
        self.secretary_phone.setText(d.secretary_phone)
        self.founded.set_value(d.founded)
        self.last_election.set_value(d.last_election)
        self.term.setCurrentIndex(max(self.term.findData(d.term_years), 0))
        self.postponed.set_value(d.postponed_until)
        self.approval.setText(d.postponement_approval)
        self.parent_combo.set_value(d.parent_id)
        self.venue.setText(d.venue)
        self.dual_managed.setChecked(d.dual_managed)
        self.demo_site.set_value(d.demo_site)
        self.demo_year.setText(str(d.demo_site_year) if d.demo_site_year else "")
        self.notes.setPlainText(d.notes)
        for ident in d.covered_ids:
            self._append_unit(ident)

    def _append_unit(self, ident: int) -> None:
        for i in range(self.unit_list.count()):
            if self.unit_list.item(i).data(Qt.ItemDataRole.UserRole) == ident:
                return
        item = QListWidgetItem(self._units.get(ident, str(ident)))
        item.setData(Qt.ItemDataRole.UserRole, ident)
        self.unit_list.addItem(item)

    def covered_ids(self) -> list[int]:
        return [
            self.unit_list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.unit_list.count())
        ]

    @Slot()
    def _add_unit(self) -> None:
        name = self.unit_search.text().strip()
        ident = self._by_name.get(name)
        if ident is None:
            self.form.set_error("covered", self.tr("没有名为“%s”的单位") % name if name else None)
            return
        self.form.set_error("covered", None)
        self._append_unit(ident)
        self.unit_search.clear()

    @Slot()
    def _remove_unit(self) -> None:
        for item in self.unit_list.selectedItems():
            self.unit_list.takeItem(self.unit_list.row(item))

    @Slot()
    def _level_changed(self) -> None:
        level = self.level.value()
        if level is not None:
            self.term.setCurrentIndex(self.term.findData(default_term_years(level)))

    def _read(self) -> tuple[PartyOrgDraft, list[FieldIssue]]:
        issues: list[FieldIssue] = []
        dates = {}
        for field, edit in (
            ("founded", self.founded),
            ("last_election", self.last_election),
            ("postponed_until", self.postponed),
        ):
            try:
                dates[field] = edit.value()
            except DateError as exc:
                issues.append(FieldIssue(field, str(exc), "date_impossible"))
                dates[field] = None
        year_text = self.demo_year.text().strip()
        demo_year = int(year_text) if year_text.isascii() and year_text.isdigit() else None
        if year_text and demo_year is None:
            issues.append(
                FieldIssue(
                    "demo_site_year",
                    self.tr("示范点年度“%s”应为四位数字年份，如 2025") % year_text,
                    "demo_year_invalid",
                )
            )
        draft = PartyOrgDraft(
            name=self.name.text(),
            level=self.level.value(),
            formation=self.formation.value(),
            secretary=self.secretary.text().strip(),
            secretary_phone=self.secretary_phone.text().strip(),
            founded=dates["founded"],
            last_election=dates["last_election"],
            term_years=self.term.currentData(),
            postponed_until=dates["postponed_until"],
            postponement_approval=self.approval.text().strip(),
            parent_id=self.parent_combo.value(),
            venue=self.venue.text().strip(),
            dual_managed=self.dual_managed.isChecked(),
            demo_site=self.demo_site.value(),
            demo_site_year=demo_year,
            notes=self.notes.toPlainText().strip(),
            covered_ids=self.covered_ids(),
        )
        return draft, issues

    def _show(self, issues: list[FieldIssue]) -> None:
        self.form.clear_errors()
        rest = self.form.show_issues(issues)
        self.other_errors.setText("；".join(i.message for i in rest))
        self.other_errors.setVisible(bool(rest))

    @Slot()
    def _save(self) -> None:
        draft, issues = self._read()
        if issues:
            self._show(issues)
            return
        self.save(draft, party_orgs.create_party_org, party_orgs.update_party_org, self._show)
