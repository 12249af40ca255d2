"""The change history of a record, for the detail panes."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.services.audit import HistoryItem

# field names shown in the history, in Chinese
FIELD_LABELS = {
    "name": "名称",
    "uscc": "信用代码",
    "kind": "类型",
    "social_subtype": "社会组织类别",
    "industry": "行业",
    "scale": "规模",
    "employees": "从业人员",
    "legal_rep": "法定代表人",
    "investor": "出资人",
    "investor_is_member": "出资人是否党员",
    "address": "地址",
    "zone": "片区",
    "building": "楼宇",
    "contact": "联系人",
    "phone": "电话",
    "founded": "成立日期",
    "formal_members": "正式党员",
    "probationary_members": "预备党员",
    "activists": "积极分子",
    "has_union": "工会",
    "has_youth_league": "团组织",
    "has_women_org": "妇女组织",
    "status": "状态",
    "status_date": "状态日期",
    "in_base": "纳入基数",
    "base_reason": "基数说明",
    "formation": "组建方式",
    "no_party_org_reason": "未建原因",
    "party_org_id": "所属党组织",
    "class_code": "分类",
    "cluster_id": "编组",
    "is_cluster_leader": "组长单位",
    "notes": "备注",
    "level": "层级",
    "secretary": "书记",
    "secretary_phone": "书记电话",
    "last_election": "本届选举",
    "term_years": "任期",
    "postponed_until": "延期至",
    "postponement_approval": "延期批准",
    "parent_id": "上级党组织",
    "venue": "活动场所",
    "role": "身份",
    "unit": "单位",
    "active": "在岗",
    "capacity": "上限",
    "started_on": "开始",
    "ended_on": "结束",
}


def _value(v: object) -> str:
    if v is None or v == "":
        return "空"
    if v is True:
        return "是"
    if v is False:
        return "否"
    return str(v)


def history_html(items: list[HistoryItem], title: str) -> str:
    out = [f"<h4>{html.escape(title)}</h4>"]
    if not items:
        out.append("<span style='color:#777'>无</span>")
    for item in items[:30]:
        style = "color:#999;text-decoration:line-through" if item.undone else ""
        line = f"{item.at:%Y-%m-%d %H:%M} {item.summary}"
        out.append(f"<div style='{style}'>{html.escape(line)}</div>")
        if item.action == "update":
            changes = "；".join(
                f"{FIELD_LABELS.get(k, k)}：{_value(old)} → {_value(new)}"
                for k, old, new in item.changes[:8]
            )
            out.append(
                f"<div style='color:#555;margin-left:12px;{style}'>{html.escape(changes)}</div>"
            )
    return "".join(out)
