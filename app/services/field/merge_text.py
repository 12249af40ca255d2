"""A merge's conflicts as the clerk reads them: the kind of record and its unit by name,
the field by its Chinese label, values by their vocabulary labels, references by the
name of the record they name. The window's conflict table and the command line's lines
say the same words (issue 22: no raw codes, no uuids)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean

from app.domain.assessment import period_label
from app.domain.org_fields import LABELS as ORG_LABELS
from app.domain.record_fields import INSTRUCTOR_FIELDS, PARTY_ORG_FIELDS
from app.domain.vocabulary import (
    PUBLISHED_ARRIVES,
    PUBLISHED_CLASH,
    AssignmentRole,
    ClassBasis,
    ClusterRecordKind,
    DemoSiteLevel,
    Formation,
    FundKind,
    InstructorRole,
    LabeledEnum,
    NoPartyOrgReason,
    OrgKind,
    OrgStatus,
    PartyOrgLevel,
    ProblemStatus,
    Scale,
    SocialSubtype,
    VisitKind,
    class_label,
)
from app.services.assessment.published import arrivals_report
from app.services.field.corrections import STATUS_LABELS as CORRECTION_STATUS
from app.services.field.field_records import ENTITIES, FIELD_LABELS, value_text
from app.services.field.package_merge import MergeItem, MergePreview
from app.services.field.units_gone import UNIT_DELETED, UNIT_DELETED_NOTE
from app.services.files.audit import MODELS

# the columns of the other records a database merge brings (not in a form's table)
_COLUMNS = {
    "uuid": "同一记录两边各新建",
    "party_org_id": "所属党组织",
    "cluster_id": "所属编组",
    "organization_id": "单位",
    "instructor_id": "指导员",
    "role": "身份",
    "started_on": "开始日期",
    "ended_on": "结束日期",
    "notes": "备注",
    "name": "名称",
    "formed_year": "组建年份",
    "year": "年度",
    "kind": "类别",
    "dated": "日期",
    "parent_id": "上级",
    "amount": "数额",
    "second_amount": "第二数额",
    "title": "名称",
    "attachment": "附件",
    "score": "得分",
    "honoured": "获评",
    "changed_on": "变更日期",
    "from_class": "原分类",
    "to_class": "新分类",
    "reason": "理由",
    "basis": "依据",
    "basis_ref": "依据文号",
    "actor": "经办人",
    "helper_id": "帮带方",
    "helped_id": "被帮带方",
    "helper_class_at_start": "帮带方起始分类",
    "helped_class_at_start": "被帮带方起始分类",
    "goal": "帮带目标",
    "outcome": "帮带成效",
    "pairing_id": "所属结对",
    "done_on": "完成日期",
    "version": "版本",
    "definition": "方案内容",
    "code": "考核期",
    "scheme_id": "考核方案",
    "published": "已发布",
    "period_id": "考核期",
    "total_tenths": "总分",
    "visit_id": "所属走访",
    "stored": "存储文件",
    "problem_id": "所属问题",
    "paid_on": "拨付日期",
    "payer": "拨付单位",
}
_LABELS = {
    "organization": ORG_LABELS,
    "party_organization": {f.column: f.label for f in PARTY_ORG_FIELDS},
    "instructor": {f.column: f.label for f in INSTRUCTOR_FIELDS},
}
_VOCABULARY: dict[tuple[str, str], type[LabeledEnum]] = {
    ("organization", "kind"): OrgKind,
    ("organization", "social_subtype"): SocialSubtype,
    ("organization", "scale"): Scale,
    ("organization", "formation"): Formation,
    ("organization", "no_org_reason"): NoPartyOrgReason,
    ("organization", "status"): OrgStatus,
    ("party_organization", "level"): PartyOrgLevel,
    ("party_organization", "formation"): Formation,
    ("party_organization", "demo_site"): DemoSiteLevel,
    ("instructor", "role"): InstructorRole,
    ("assignment", "role"): AssignmentRole,
    ("class_change", "basis"): ClassBasis,
    ("cluster_record", "kind"): ClusterRecordKind,
    ("fund_payment", "kind"): FundKind,
    ("visit", "kind"): VisitKind,
    ("problem", "status"): ProblemStatus,
}
_CLASSES = {"class_code", "from_class", "to_class", "helper_class_at_start"}
_CLASSES |= {"helped_class_at_start"}
# yes/no columns, as a copy's rows hold them (0/1)
_YES_NO = frozenset(
    c.name
    for model in MODELS.values()
    for c in model.__table__.columns  # type: ignore[attr-defined]
    if isinstance(c.type, Boolean)
)


def field_label(entity: str, key: str) -> str:
    """A field as the clerk knows it: a visit's or a problem's, a unit's, a party
    organization's, an instructor's, else the column's own label."""
    own = FIELD_LABELS if entity in ENTITIES else _LABELS.get(entity, {})
    return own.get(key) or FIELD_LABELS.get(key) or _COLUMNS.get(key) or ORG_LABELS.get(key, key)


def value_label(preview: MergePreview, entity: str, key: str, value: Any) -> str:
    """A value as the clerk reads it: a code by its label, a reference by its name."""
    if key == "uuid":
        return "（同一记录）"
    if isinstance(value, str) and (entity, key) in _VOCABULARY:
        found = _VOCABULARY[(entity, key)].by_value().get(value)
        return found.label if found else value
    if key in _CLASSES and isinstance(value, str) and value:
        return class_label(value)
    if entity == "correction" and key == "status":
        return CORRECTION_STATUS.get(str(value), str(value))
    if value in (0, 1) and key in _YES_NO and not isinstance(value, bool):
        return "是" if value else "否"
    if key.endswith("_id") and isinstance(value, str):
        return preview.names.get(value, "（本机没有的记录）")
    return value_text(key, value)


def sides(preview: MergePreview) -> tuple[str, str]:
    """What the two sides are called: 办公室/外业 for a return package, 本机/另一份 for a copy."""
    return ("本机", "另一份") if preview.manifest.get("database") else ("办公室", "外业")


def conflict_lines(preview: MergePreview) -> list[str]:
    """One line per conflicting field, numbered by record (the number --take accepts)."""
    ours, theirs = sides(preview)
    lines = []
    for n, item in enumerate(preview.conflicts, 1):
        for c in item.conflicts:
            if c.field == "uuid":
                what = "两边各新建了同一记录"
            else:
                mine = value_label(preview, item.entity, c.field, c.ours)
                other = value_label(preview, item.entity, c.field, c.theirs)
                what = f"{field_label(item.entity, c.field)}：{ours} {mine}，{theirs} {other}"
            lines.append(f"冲突{n}：{preview.describe(item)}｜{what}")
    return lines


def unit_deleted_lines(preview: MergePreview) -> list[str]:
    """A return package's records of a unit deleted at the office: which, and what becomes
    of them."""
    return [
        f"未合并：{preview.describe(i)}｜{UNIT_DELETED_NOTE}"
        for i in preview.items
        if i.outcome == UNIT_DELETED
    ]


def conflict_uuid(preview: MergePreview, key: str) -> str:
    """The record --take names: by its number in the lines above, or by its uuid."""
    conflicts: list[MergeItem] = preview.conflicts
    if key.isdigit() and 1 <= int(key) <= len(conflicts):
        return conflicts[int(key) - 1].uuid
    return key


def published_lines(preview: MergePreview) -> list[str]:
    """A period published on the other copy only (it arrives whole, replacing this copy's
    open one) and one published on both differently (nothing of it merged): each a line."""
    told = arrivals_report(preview.items)
    lines = []
    for a in told["published_arrives"]:
        what = f"对方已发布{period_label(a['period'])}考核结果，"
        if a["replaced"]:
            what += f"本机该期未发布的{a['replaced']}处评分将被取代"
        else:
            what += "本机该期将一并发布"
        if a["added"]:
            what += f"，另新增{a['added']}处评分"
        lines.append(f"{PUBLISHED_ARRIVES}：{what}")
    for c in told["published_conflicts"]:
        code, label = c["period"], period_label(c["period"])
        gone = "、".join(
            preview.names.get(u, "（本机没有的单位）") for u in c["units_deleted_here"]
        )
        reopen = f"重新打开该期（assess reopen --period {code}）"
        how = f"请在其中一份上{reopen}后再合并"
        if gone:
            why = f"对方已发布{label}考核结果，其中{gone}本机已删除，该期未合并"
            how = f"请先在本机撤销删除这些单位，或在对方{reopen}后再合并"
        elif c["scheme"]:
            why = (
                f"对方已发布{label}考核结果，但其考核方案{c['scheme']}"
                "与本机同一版本内容不同，该期未合并"
            )
        else:
            why = f"两份都已发布{label}考核结果，但结果不一致（{PUBLISHED_CLASH}），该期未合并"
        lines.append(f"冲突：{why}；{how}")
    return lines
