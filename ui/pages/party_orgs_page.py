"""党组织: party organizations, what they cover, when they must elect."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.domain.rules import RULE_LABELS, Rule
from app.domain.vocabulary import Formation, PartyOrgLevel
from ui.pages.history_html import history_html
from ui.pages.table_page import TablePage, day_text, detail_table, each_of, esc
from ui.table_model import Column, count_column

if TYPE_CHECKING:
    from app.services.registry.party_orgs import PartyOrgRow
    from ui.dialogs.party_org_dialog import PartyOrgDialog


class PartyOrgsPage(TablePage):
    page_name = "party_orgs"

    def columns(self) -> list[Column]:
        t = self.tr
        return [
            Column("name", t("党组织名称"), lambda r: r.name, width=260),
            Column("level", t("层级"), lambda r: r.level.label, width=70),
            Column("formation", t("组建方式"), lambda r: r.formation.label, width=80),
            Column("secretary", t("书记"), lambda r: r.secretary, width=70),
            count_column("units", t("覆盖单位"), lambda r: r.units, width=70),
            count_column("formal", t("正式党员"), lambda r: r.formal_members, width=70),
            count_column("prob", t("预备党员"), lambda r: r.probationary_members, width=70),
            Column("last_election", t("本届选举"), lambda r: day_text(r.last_election), width=95),
            Column("term", t("任期"), lambda r: t("%d年") % r.term_years, width=50),
            Column("next_election", t("应换届"), lambda r: day_text(r.next_election), width=95),
            Column("warnings", t("预警"), lambda r: r.warning_text, width=200, warning=True),
            Column("demo_site", t("示范点"), lambda r: r.demo_site_text, width=100),
            Column("parent", t("上级党组织"), lambda r: r.parent, width=200),
            Column("unit_names", t("覆盖的单位"), lambda r: r.unit_names, width=300),
        ]

    def search_hint(self) -> str:
        return self.tr("搜索党组织名称、书记、覆盖的单位")

    def build_filters(self) -> None:
        t = self.tr
        self.add_filter(
            "level",
            each_of(t("全部层级"), PartyOrgLevel, lambda r: r.level),
        )
        self.add_filter(
            "formation",
            each_of(
                t("全部组建方式"),
                (f for f in Formation if f is not Formation.NONE),
                lambda r: r.formation,
            ),
        )
        self.add_filter(
            "warnings",
            [
                (t("全部预警情况"), None),
                (t("有预警"), lambda r: bool(r.warnings)),
                # the rules' own labels (the number of units comes from the rule)
                *(
                    (t(RULE_LABELS[rule]), _has_warning(rule))
                    for rule in (
                        Rule.ELECTION_OVERDUE,
                        Rule.ELECTION_DUE_SOON,
                        Rule.JOINT_TOO_LARGE,
                        Rule.JOINT_TOO_SMALL,
                    )
                ),
            ],
        )

    def build_actions(self) -> None:
        self.add_record_actions(self.tr("新增党组织"))

    def editor(self, row_id: int | None) -> PartyOrgDialog:
        from ui.dialogs.party_org_dialog import PartyOrgDialog

        return PartyOrgDialog(self.db, row_id, self)

    def scope_note(self) -> str | None:
        from app.services.field import field_office

        return field_office.figures_note(self.db)  # a laptop counts its own units

    def load_rows(self) -> list[Any]:
        from app.services.registry import party_orgs

        return party_orgs.list_party_orgs(self.db)

    def delete_question(self, row: PartyOrgRow) -> tuple[str, str]:
        return self.tr("删除误录的党组织"), self.tr(
            "确定删除“%s”吗？它覆盖的%d个单位将变为未覆盖。删除后可用“编辑 → 撤销”恢复。"
        ) % (row.name, row.units)

    def delete_record(self, row_id: int) -> None:
        from app.services.registry import party_orgs

        party_orgs.delete_party_org(self.db, row_id)

    def detail_html(self, row: PartyOrgRow) -> str:
        from app.services.files import audit
        from app.services.registry import party_orgs

        t = self.tr
        parts = [f"<h3>{esc(row.name)}</h3>"]
        if row.warnings:
            parts.append(
                "<p style='color:#b3261e'>"
                + "<br>".join(f"⚠ {esc(w.message)}" for w in row.warnings)
                + "</p>"
            )
        draft = party_orgs.get_draft(self.db, row.id)
        info = [
            (t("层级 / 组建方式"), f"{row.level.label} / {row.formation.label}"),
            (t("书记"), f"{draft.secretary} {draft.secretary_phone}"),
            (t("成立日期"), day_text(draft.founded)),
            (t("本届选举 / 任期"), f"{day_text(draft.last_election)} / {draft.term_years}年"),
            (
                t("应换届日期"),
                day_text(row.next_election) + (t("（经批准延期）") if row.postponed_until else ""),
            ),
            (t("延期批准"), draft.postponement_approval),
            (t("上级党组织"), row.parent or t("园区党工委直属")),
            (t("活动场所"), draft.venue),
            (t("党员"), t("正式 %d，预备 %d") % (row.formal_members, row.probationary_members)),
        ]
        parts.append(detail_table(info))
        parts.append(f"<h4>{esc(t('覆盖的单位（%d）') % row.units)}</h4>")
        parts.append(
            esc(row.unit_names)
            if row.unit_names
            else f"<span style='color:#777'>{esc(t('无'))}</span>"
        )
        parts.append(
            history_html(audit.history(self.db, "party_organization", row.id), t("变更记录"))
        )
        return "".join(parts)


def _has_warning(rule: Rule) -> Callable[[Any], bool]:
    return lambda r: any(w.rule is rule for w in r.warnings)
