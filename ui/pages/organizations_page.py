"""组织台账: the registry of organizations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QPushButton

from app.domain.rules import RULE_LABELS
from app.domain.vocabulary import (
    Formation,
    NoPartyOrgReason,
    OrgClass,
    OrgKind,
    OrgStatus,
    Scale,
    SocialSubtype,
    yes_no_label,
)
from app.services import org_list
from ui import messages
from ui.pages.history_html import class_history_html, history_html
from ui.pages.table_page import TablePage, each_of, esc, unit_columns, yes_or_no
from ui.table_model import Column, count_column

if TYPE_CHECKING:
    from app.services.org_list import OrgRow
    from ui.dialogs.organization_dialog import OrganizationDialog

# Services that write or read details (SQLAlchemy) and the dialogs are imported
# where used: the first screen is shown before SQLAlchemy is loaded.


def _count(v: int | None) -> str:
    return "" if v is None else str(v)


class OrganizationsPage(TablePage):
    page_name = "organizations"

    def columns(self) -> list[Column]:
        t = self.tr
        return [
            *unit_columns(t("组织名称"), t("统一社会信用代码")),
            Column("kind", t("类型"), lambda r: r.kind.label, width=80),
            count_column("formal", t("正式党员"), lambda r: r.formal_members, width=70),
            count_column("prob", t("预备党员"), lambda r: r.probationary_members, width=70),
            Column("formation", t("组建方式"), lambda r: r.formation.label, width=80),
            Column("party_org", t("所属党组织"), lambda r: r.party_org, width=220),
            Column("class", t("分类"), lambda r: r.class_code or "", width=50),
            Column("cluster", t("编组"), lambda r: r.cluster, width=80),
            Column("instructors", t("指导员"), lambda r: r.instructors, width=90),
            Column("status", t("状态"), lambda r: r.status.label, width=60),
            Column("in_base", t("纳入基数"), lambda r: yes_no_label(r.in_base), width=70),
            Column("warnings", t("预警"), lambda r: r.warning_text, width=160, warning=True),
            Column("zone", t("片区"), lambda r: r.zone, width=60),
            Column("contact", t("联系人"), lambda r: r.contact, width=70),
            Column("phone", t("联系电话"), lambda r: r.phone, width=110),
            Column("address", t("地址"), lambda r: r.address, width=180),
        ]

    def search_hint(self) -> str:
        return self.tr("搜索名称、信用代码、联系人、电话、地址")

    def build_filters(self) -> None:
        t = self.tr
        self.model.set_muted(lambda r: r.status is not OrgStatus.ACTIVE)
        self.add_filter(
            "kind",
            each_of(t("全部类型"), OrgKind, lambda r: r.kind),
        )
        self.add_filter(
            "status",
            each_of(t("全部状态"), OrgStatus, lambda r: r.status),
        )
        self.add_filter(
            "formation",
            each_of(t("全部组建方式"), Formation, lambda r: r.formation),
        )
        self.add_filter(
            "class",
            [
                *each_of(t("全部分类"), OrgClass, lambda r: r.class_code),
                (t("未分类"), lambda r: not r.class_code),
            ],
        )
        self.add_filter(
            "in_base",
            yes_or_no(
                t("纳入与不纳入"), t("纳入统计基数"), t("不纳入统计基数"), lambda r: r.in_base
            ),
        )
        self.add_filter(
            "warnings",
            [(t("全部预警情况"), None), (t("有预警"), lambda r: bool(r.warnings))]
            + [
                (label, (lambda r, rule=rule: any(w.rule is rule for w in r.warnings)))
                for rule, label in RULE_LABELS.items()
            ],
        )

    def build_actions(self) -> None:
        t = self.tr
        self.add_record_actions(
            t("新增组织"),
            ("status", t("标记注销/迁出"), self.change_status),
            ("detach", t("脱联单建…"), self.detach_current),
        )
        from app.services.field_package import field_info

        if field_info(self.db) is not None:  # the registry is read-only there
            for button in self.findChildren(QPushButton):
                if button.objectName().startswith("action_"):
                    button.hide()
            self.add_action("correct", t("提出更正…"), self.suggest_correction)

    @Slot()
    def suggest_correction(self) -> None:
        from ui.dialogs.correction_dialog import CorrectionDialog

        row: OrgRow | None = self.current_row()
        if row is None:
            return
        if CorrectionDialog(self.db, row.id, row.name, self).exec():
            self.changed.emit()
            messages.info(
                self, self.tr("提出更正"), self.tr("已记下，回传包会把它带给园区办公室。")
            )

    def editor(self, row_id: int | None) -> OrganizationDialog:
        from ui.dialogs.organization_dialog import OrganizationDialog

        return OrganizationDialog(self.db, row_id, self)

    def load_rows(self) -> list[Any]:
        return org_list.list_organizations(self.db)

    # -- actions ------------------------------------------------------------

    @Slot()
    def detach_current(self) -> None:
        from ui.dialogs.detach_dialog import DetachDialog

        row: OrgRow | None = self.current_row()
        if row is None:
            return
        dialog = DetachDialog(self.db, row, self)
        if dialog.exec():
            self.after_write(row.id)
            messages.info(self, self.tr("脱联单建"), dialog.result_text)

    @Slot()
    def change_status(self) -> None:
        from app.services import organizations
        from ui.dialogs.status_dialog import StatusDialog

        row: OrgRow | None = self.current_row()
        if row is None:
            return
        dialog = StatusDialog(row.name, row.status, self)
        if dialog.exec() and dialog.result_status is not None and dialog.result_date is not None:
            organizations.mark_status(
                self.db,
                row.id,
                dialog.result_status,
                dialog.result_date,
                dialog.note.text().strip(),
            )
            self.after_write(row.id)

    def delete_question(self, row: OrgRow) -> tuple[str, str]:
        return self.tr("删除误录的组织"), self.tr(
            "只有录错的条目才应删除。注销或迁出的组织请用“标记注销/迁出”，以保留历史。\n\n"
            "确定删除“%s”吗？删除后可用“编辑 → 撤销”恢复。"
        ) % row.name

    def delete_record(self, row_id: int) -> None:
        from app.services import organizations

        organizations.delete_organization(self.db, row_id)

    # -- detail -------------------------------------------------------------
    def detail_html(self, row: OrgRow) -> str:
        from app.services import audit, classes, organizations, visits
        from ui.pages.visits_html import visits_html

        detail = organizations.get_detail(self.db, row.id)
        draft = detail.draft
        parts = [f"<h3>{esc(draft.name)}</h3>"]
        if detail.warnings:
            parts.append(
                "<p style='color:#b3261e'>"
                + "<br>".join(f"⚠ {esc(w.message)}" for w in detail.warnings)
                + "</p>"
            )
        parts.append(_table(self._basic_facts(draft)))
        parts.append(f"<h4>{esc(self.tr('党组织与覆盖'))}</h4>")
        parts.append(_table(self._party_facts(detail)))
        parts.append(f"<h4>{esc(self.tr('指导员'))}</h4>")
        parts.append(self._instructors_html(detail))
        if draft.notes:
            parts.append(f"<h4>{esc(self.tr('备注'))}</h4><p>{esc(draft.notes)}</p>")
        parts.append(self._assessment_html(row.id))
        parts.append(visits_html(*visits.of_unit(self.db, row.id), self.tr, with_unit=False))
        classes_moved = classes.class_history(self.db, row.id)
        parts.append(class_history_html(classes_moved, self.tr("分类变更记录"), self.tr("无")))
        parts.append(
            history_html(audit.history(self.db, "organization", row.id), self.tr("变更记录"))
        )
        return "".join(parts)

    def _assessment_html(self, org_id: int) -> str:
        """Its scores and ranks over the periods (考核), newest first."""
        from app.domain.assessment import decimal_text
        from app.services.assessment_results import unit_results

        t = self.tr
        lines = []
        for r in unit_results(self.db, org_id):
            if r.total is None:
                result = t("未完成评分")
            elif r.veto:
                result = t("%s分，一票否决（%s）") % (decimal_text(r.total), r.veto)
            elif "H" not in r.period:
                result = t("%s分，%s") % (
                    decimal_text(r.total),
                    t("%d星") % r.stars if r.stars else t("未达星级"),
                )
            else:
                result = t("%s分，%s类第%d名%s") % (
                    decimal_text(r.total),
                    r.class_code or "",
                    r.rank,
                    t("，优秀") if r.excellent else "",
                )
            state = "" if r.published else t("（未发布）")
            lines.append((f"{r.period}{state}", f"{r.scheme}：{result}"))
        title = f"<h4>{esc(t('考核'))}</h4>"
        return title + (_table(lines) if lines else f"<p>{esc(t('无'))}</p>")

    def _basic_facts(self, draft: Any) -> list[tuple[str, str]]:
        """The organization itself: code, kind, status, base, trade, people, place."""
        t = self.tr
        subtype = SocialSubtype(draft.social_subtype).label if draft.social_subtype else ""
        member = {True: t("党员"), False: t("非党员"), None: t("未填")}[draft.investor_is_member]
        status_day = f" {draft.status_date:%Y-%m-%d}" if draft.status_date else ""
        base_reason = f"（{draft.base_reason}）" if draft.base_reason else ""
        scale = Scale(draft.scale).label if draft.scale else ""
        return [
            (t("统一社会信用代码"), draft.uscc or t("（暂缺）")),
            (t("类型"), draft.kind.label + (f"（{subtype}）" if subtype else "")),
            (t("状态"), draft.status.label + status_day),
            (t("纳入统计基数"), yes_no_label(draft.in_base) + base_reason),
            (t("行业 / 规模"), f"{draft.industry} / {scale}"),
            (t("从业人员"), _count(draft.employees)),
            (t("法定代表人 / 出资人"), f"{draft.legal_rep} / {draft.investor}（{member}）"),
            (t("地址"), f"{draft.zone} {draft.address} {draft.building}"),
            (t("联系人"), f"{draft.contact} {draft.phone}"),
            (t("成立日期"), f"{draft.founded:%Y-%m-%d}" if draft.founded else ""),
        ]

    def _party_facts(self, detail: Any) -> list[tuple[str, str]]:
        """Members, formation, the party organization, mass organizations, class, cluster."""
        t = self.tr
        draft = detail.draft
        members = t("正式 %s，预备 %s，积极分子 %s") % tuple(
            _count(n) or "0"
            for n in (draft.formal_members, draft.probationary_members, draft.activists)
        )
        party = [(t("党员"), members), (t("组建方式"), draft.formation.label)]
        if detail.party_org_name:
            org = (
                f"{detail.party_org_name}（{detail.party_org_level}，{detail.party_org_formation}）"
            )
            party += [(t("覆盖它的党组织"), org), (t("书记"), detail.party_org_secretary)]
            if len(detail.party_org_units) > 1:
                party.append((t("同一党组织覆盖"), "、".join(detail.party_org_units)))
        elif draft.formation is not Formation.NONE:
            party.append((t("覆盖它的党组织"), t("（尚未录入，需补全）")))
        if draft.no_party_org_reason:
            reason = NoPartyOrgReason(draft.no_party_org_reason).label
            party.append((t("未单独建立的原因"), reason))
        mass = (draft.has_union, draft.has_youth_league, draft.has_women_org)
        party.append(
            (t("工会 / 团组织 / 妇女组织"), " / ".join(yes_no_label(v) or "—" for v in mass))
        )
        party.append(
            (t("分类"), OrgClass(draft.class_code).label if draft.class_code else t("未分类"))
        )
        leader = t("（组长单位）") if draft.is_cluster_leader else ""
        cluster = detail.cluster_name + leader if detail.cluster_name else t("未编组")
        party.append((t("编组"), cluster))
        return party

    def _instructors_html(self, detail: Any) -> str:
        if not detail.instructors:
            return f"<span style='color:#777'>{esc(self.tr('未安排'))}</span>"
        return "<br>".join(
            esc(f"{name}　{start:%Y-%m-%d} 起" if start else name)
            + (esc(f"，{end:%Y-%m-%d} 止") if end else "")
            for name, _role, start, end in detail.instructors
        )


def _table(rows: list[tuple[str, str]]) -> str:
    key_style = "color:#555;padding-right:8px;white-space:nowrap"
    cells = "".join(
        f"<tr><td style='{key_style}'>{esc(k)}</td><td>{esc(v)}</td></tr>" for k, v in rows
    )
    return f"<table cellspacing='2'>{cells}</table>"
