"""The registry as rows of cells, in the words the workbooks use.

One function turns the database into the export's values, so the quarterly
workbook, the submission snapshot and the "changes since" sheet agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from app.db.database import Database
from app.domain.sorting import natural_key
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
from app.exchange.fields import BY_KEY


@dataclass(frozen=True)
class ExportColumn:
    key: str
    header: str
    width: int  # in Excel character units
    kind: str = "text"  # text | count | date
    choices: tuple[str, ...] = ()


def _labels(enum: Any) -> tuple[str, ...]:
    return tuple(m.label for m in enum)


YES_NO = ("是", "否")

REGISTRY_COLUMNS: tuple[ExportColumn, ...] = (
    ExportColumn("name", "组织名称", 34),
    ExportColumn("uscc", "统一社会信用代码", 22),
    ExportColumn("kind", "组织类型", 11, choices=_labels(OrgKind)),
    ExportColumn("social_subtype", "社会组织类别", 14, choices=_labels(SocialSubtype)),
    ExportColumn("industry", "行业类别", 12),
    ExportColumn("scale", "企业规模", 9, choices=_labels(Scale)),
    ExportColumn("employees", "从业人员数", 10, "count"),
    ExportColumn("legal_rep", "法定代表人", 10),
    ExportColumn("investor", "出资人", 10),
    ExportColumn("investor_is_member", "出资人是否党员", 9, choices=YES_NO),
    ExportColumn("address", "地址", 30),
    ExportColumn("zone", "所在片区", 9),
    ExportColumn("building", "楼宇", 9),
    ExportColumn("contact", "联系人", 9),
    ExportColumn("phone", "联系电话", 14),
    ExportColumn("founded", "成立日期", 12, "date"),
    ExportColumn("formal_members", "正式党员数", 9, "count"),
    ExportColumn("probationary_members", "预备党员数", 9, "count"),
    ExportColumn("activists", "入党积极分子数", 9, "count"),
    ExportColumn("formation", "组建方式", 10, choices=_labels(Formation)),
    ExportColumn("party_org", "所属党组织", 34),
    ExportColumn("no_party_org_reason", "未建党组织原因", 20, choices=_labels(NoPartyOrgReason)),
    ExportColumn("instructor", "党建指导员", 12),
    ExportColumn("class_code", "分类", 6, choices=tuple(c.value for c in OrgClass)),
    ExportColumn("cluster", "编组", 10),
    ExportColumn("is_cluster_leader", "是否组长单位", 8, choices=YES_NO),
    ExportColumn("has_union", "是否建立工会", 8, choices=YES_NO),
    ExportColumn("has_youth_league", "是否建立团组织", 8, choices=YES_NO),
    ExportColumn("has_women_org", "是否建立妇女组织", 8, choices=YES_NO),
    ExportColumn("status", "状态", 7, choices=_labels(OrgStatus)),
    ExportColumn("status_date", "状态日期", 12, "date"),
    ExportColumn("in_base", "是否纳入统计基数", 9, choices=YES_NO),
    ExportColumn("base_reason", "纳入说明", 20),
    ExportColumn("notes", "备注", 24),
)

# every export header is a name the importer knows, so the file comes back whole
assert all(
    c.header == BY_KEY["class" if c.key == "class_code" else c.key].template_header
    for c in REGISTRY_COLUMNS
)

_LABEL = {
    "kind": {m.value: m.label for m in OrgKind},
    "social_subtype": {m.value: m.label for m in SocialSubtype},
    "scale": {m.value: m.label for m in Scale},
    "formation": {m.value: m.label for m in Formation},
    "status": {m.value: m.label for m in OrgStatus},
    "no_party_org_reason": {m.value: m.label for m in NoPartyOrgReason},
}
_BOOLS = {
    "investor_is_member",
    "is_cluster_leader",
    "has_union",
    "has_youth_league",
    "has_women_org",
    "in_base",
}
_DATES = {"founded", "status_date"}


def registry_records(db: Database) -> list[dict[str, Any]]:
    """Every organization, in registry order (by name), as export cells plus its uuid."""
    keys = [c.key for c in REGISTRY_COLUMNS if c.key not in ("party_org", "instructor", "cluster")]
    with db.read_connection() as conn:
        po = dict(conn.execute("SELECT id, name FROM party_organization"))
        clusters = dict(conn.execute("SELECT id, name FROM cluster"))
        instructors: dict[int, list[str]] = {}
        for org_id, name in conn.execute(
            "SELECT a.organization_id, i.name FROM assignment a JOIN instructor i"
            " ON i.id = a.instructor_id WHERE a.ended_on IS NULL OR a.ended_on >= ?"
            " ORDER BY i.name",
            (date.today().isoformat(),),
        ):
            instructors.setdefault(org_id, []).append(name)
        cols = ", ".join(["id", "uuid", "party_org_id", "cluster_id", *keys])
        out = []
        for row in conn.execute(f"SELECT {cols} FROM organization ORDER BY id"):
            org_id, uuid, po_id, cluster_id, *values = row
            record: dict[str, Any] = {"_uuid": uuid}
            for key, value in zip(keys, values, strict=True):
                if value is None or value == "":
                    record[key] = None
                elif key in _LABEL:
                    record[key] = _LABEL[key][value]
                elif key in _BOOLS:
                    record[key] = yes_no_label(bool(value))
                elif key in _DATES:
                    record[key] = date.fromisoformat(value)
                else:
                    record[key] = value
            record["party_org"] = po.get(po_id)
            record["cluster"] = clusters.get(cluster_id)
            record["instructor"] = "、".join(instructors.get(org_id, [])) or None
            out.append(record)
    out.sort(key=lambda r: natural_key(r["name"]))  # by name, numbers by value; ties by id
    return out


PARTY_ORG_HEADERS = (
    ("党组织名称", 34),
    ("层级", 8),
    ("组建方式", 10),
    ("书记", 9),
    ("书记电话", 14),
    ("成立日期", 12),
    ("本届选举日期", 12),
    ("任期（年）", 8),
    ("应换届日期", 12),
    ("经批准延期至", 12),
    ("延期批准", 20),
    ("上级党组织", 30),
    ("活动场所", 16),
    ("覆盖单位数", 8),
    ("覆盖的单位", 50),
    ("正式党员数", 9),
    ("预备党员数", 9),
    ("备注", 20),
)


INSTRUCTOR_HEADERS = (
    ("姓名", 10),
    ("身份", 12),
    ("所在单位", 22),
    ("电话", 14),
    ("是否在岗", 8),
    ("联系单位上限", 10),
    ("联系单位数", 10),
    ("备注", 20),
)
ASSIGNMENT_HEADERS = (
    ("指导员", 10),
    ("联系单位", 34),
    ("统一社会信用代码", 22),
    ("联系方式", 10),
    ("开始日期", 12),
    ("结束日期", 12),
)
