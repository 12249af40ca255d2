"""一企一档: one unit's file as sections of label and value — the organization itself,
its party organization and coverage, instructors, scores and ranks, visits and
rectifications, class history, pairings. One home for what the unit's page shows and
what the printed file prints."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from app.db.database import Database
from app.domain.assessment import decimal_text
from app.domain.validation import OrganizationDraft
from app.domain.vocabulary import (
    Formation,
    NoPartyOrgReason,
    OrgClass,
    Scale,
    SocialSubtype,
    yes_no_label,
)

UNCLASSIFIED = "未分类"

if TYPE_CHECKING:
    from app.services.registry.organizations import OrgDetail


@dataclass(slots=True)
class Section:
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    red: set[int] = field(default_factory=set)  # rows to show in red (overdue)


@dataclass(slots=True)
class UnitFile:
    name: str
    warnings: list[str]
    notes: str
    sections: list[Section]


def _class(c: OrgClass | None) -> str:
    return c.label if c else UNCLASSIFIED


def _count(v: int | None) -> str:
    return "" if v is None else str(v)


def basic_facts(d: OrganizationDraft) -> list[tuple[str, str]]:
    """The organization itself: code, kind, status, base, trade, people, place."""
    subtype = SocialSubtype(d.social_subtype).label if d.social_subtype else ""
    member = {True: "党员", False: "非党员", None: "未填"}[d.investor_is_member]
    status_day = f" {d.status_date:%Y-%m-%d}" if d.status_date else ""
    base_reason = f"（{d.base_reason}）" if d.base_reason else ""
    scale = Scale(d.scale).label if d.scale else ""
    return [
        ("统一社会信用代码", d.uscc or "（暂缺）"),
        ("类型", d.kind.label + (f"（{subtype}）" if subtype else "")),
        ("状态", d.status.label + status_day),
        ("纳入统计基数", yes_no_label(d.in_base) + base_reason),
        ("行业 / 规模", f"{d.industry} / {scale}"),
        ("从业人员", _count(d.employees)),
        ("法定代表人 / 出资人", f"{d.legal_rep} / {d.investor}（{member}）"),
        ("地址", f"{d.zone} {d.address} {d.building}"),
        ("联系人", f"{d.contact} {d.phone}"),
        ("成立日期", f"{d.founded:%Y-%m-%d}" if d.founded else ""),
    ]


def party_facts(x: OrgDetail) -> list[tuple[str, str]]:
    """Members, formation, the party organization, mass organizations, class, cluster."""
    d = x.draft
    members = "正式 {}，预备 {}，积极分子 {}".format(
        *(_count(n) or "0" for n in (d.formal_members, d.probationary_members, d.activists))
    )
    party = [("党员", members), ("组建方式", d.formation.label)]
    if x.party_org_name:
        org = f"{x.party_org_name}（{x.party_org_level}，{x.party_org_formation}）"
        party += [("覆盖它的党组织", org), ("书记", x.party_org_secretary)]
        if len(x.party_org_units) > 1:
            party.append(("同一党组织覆盖", "、".join(x.party_org_units)))
    elif d.formation is not Formation.NONE:
        party.append(("覆盖它的党组织", "（尚未录入，需补全）"))
    if d.no_party_org_reason:
        party.append(("未单独建立的原因", NoPartyOrgReason(d.no_party_org_reason).label))
    mass = (d.has_union, d.has_youth_league, d.has_women_org)
    party.append(("工会 / 团组织 / 妇女组织", " / ".join(yes_no_label(v) or "—" for v in mass)))
    party.append(("分类", OrgClass(d.class_code).label if d.class_code else UNCLASSIFIED))
    leader = "（组长单位）" if d.is_cluster_leader else ""
    cluster = x.cluster_name + leader if x.cluster_name else "未编组"
    party.append(("编组", cluster))
    return party


def instructor_lines(detail: OrgDetail) -> list[tuple[str, str]]:
    out = []
    for name, _role, start, end in detail.instructors:
        since = f"{start:%Y-%m-%d} 起" if start else ""
        until = f"，{end:%Y-%m-%d} 止" if end else ""
        out.append((name, since + until))
    return out


def assessment_lines(db: Database, org_id: int) -> list[tuple[str, str]]:
    """Its scores and ranks over the periods (考核), newest first."""
    from app.services.assessment.assessment_results import unit_results

    lines = []
    for r in unit_results(db, org_id):
        if r.total is None:
            result = "未完成评分"
        elif r.veto:
            result = f"{decimal_text(r.total)}分，一票否决（{r.veto}）"
        elif "H" not in r.period:
            # the unit's annual total: stars are its party organization's (星级评定)
            result = f"{decimal_text(r.total)}分（年度得分，星级评给所在党组织）"
        else:
            excellent = "，优秀" if r.excellent else ""
            result = f"{decimal_text(r.total)}分，{r.class_code or ''}类第{r.rank}名{excellent}"
            if r.subsidy:
                result += f"，以奖代补{decimal_text(r.subsidy)}元"
        state = "" if r.published else "（未发布）"
        if r.note:  # a laptop: the office's published result, or a count of the package
            state += f"（{r.note}）"
        lines.append((f"{r.period}{state}", f"{r.scheme}：{result}"))
    return lines


def unit_file(db: Database, org_id: int, today: date | None = None) -> UnitFile:
    """Everything ParkDesk holds on one unit, in the order a visit needs it."""
    from app.services.field import visits
    from app.services.grouping import classes, pairings
    from app.services.registry import organizations

    today = today or date.today()
    detail = organizations.get_detail(db, org_id, today)
    seen, found = visits.of_unit(db, org_id, today)
    moved = classes.class_history(db, org_id)
    problems = Section(
        "问题整改",
        [
            (p.text, f"{p.status.label}" + (f"，期限{p.deadline:%Y-%m-%d}" if p.deadline else ""))
            for p in found
        ],
        {n for n, p in enumerate(found) if p.overdue},
    )
    paired = pairings.list_pairings(db, today, unit_id=org_id)
    sections = [
        Section("基本情况", basic_facts(detail.draft)),
        Section("党组织与覆盖", party_facts(detail)),
        Section("指导员", instructor_lines(detail)),
        Section("考核", assessment_lines(db, org_id)),
        Section(
            "走访记录",
            [
                (f"{v.visited_on:%Y-%m-%d} {v.kind.label}", f"{v.instructors}：{v.content}")
                for v in seen
            ],
        ),
        problems,
        Section(
            "分类变更记录",
            [
                (
                    f"{h.on:%Y-%m-%d}",
                    f"{_class(h.from_class)} → {_class(h.to_class)}　{h.basis_text} {h.reason}",
                )
                for h in moved
            ],
        ),
        Section(
            "结对帮带",
            [
                (f"{p.helper.name} → {p.helped.name}", f"{p.started_on:%Y-%m-%d} 起　{p.goal}")
                for p in paired
            ],
        ),
    ]
    return UnitFile(
        detail.draft.name, [w.message for w in detail.warnings], detail.draft.notes, sections
    )
