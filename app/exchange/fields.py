"""The registry columns a workbook may carry, and the names they go by.

The first name of each field is the program's own template header; the others
are what upper levels' and other offices' sheets call it (docs/domain.md).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class ValueKind(StrEnum):
    TEXT = "text"
    NAME = "name"
    USCC = "uscc"
    ORG_KIND = "org_kind"
    COUNT = "count"
    DATE = "date"
    YES_NO = "yes_no"
    SCALE = "scale"
    FORMATION = "formation"
    CLASS = "class"
    STATUS = "status"
    SOCIAL_SUBTYPE = "social_subtype"
    NO_ORG_REASON = "no_org_reason"
    NAMES = "names"  # one or more names: 王芳、李强


@dataclass(frozen=True)
class Field:
    key: str
    headers: tuple[str, ...]  # the template header first
    kind: ValueKind

    @property
    def template_header(self) -> str:
        return self.headers[0]


FIELDS: tuple[Field, ...] = (
    Field(
        "name",
        ("组织名称", "单位名称", "企业名称", "企业（社会组织）名称", "组织全称", "名称"),
        ValueKind.NAME,
    ),
    Field("uscc", ("统一社会信用代码", "社会信用代码", "信用代码", "统一代码"), ValueKind.USCC),
    Field("kind", ("组织类型", "类型", "单位类型", "组织类别"), ValueKind.ORG_KIND),
    Field("industry", ("行业类别", "所属行业", "行业"), ValueKind.TEXT),
    Field("scale", ("企业规模", "规模", "是否规上企业"), ValueKind.SCALE),
    Field(
        "employees", ("从业人员数", "职工人数", "员工人数", "从业人员", "职工总数"), ValueKind.COUNT
    ),
    Field("legal_rep", ("法定代表人", "法人代表", "负责人"), ValueKind.TEXT),
    Field("investor", ("出资人", "主要出资人", "投资人"), ValueKind.TEXT),
    Field("investor_is_member", ("出资人是否党员", "出资人是否为党员"), ValueKind.YES_NO),
    Field("address", ("地址", "注册地址", "经营地址", "所在楼宇"), ValueKind.TEXT),
    Field("contact", ("联系人", "党建联系人"), ValueKind.TEXT),
    Field("phone", ("联系电话", "电话", "手机", "联系方式"), ValueKind.TEXT),
    Field("founded", ("成立日期", "成立时间", "注册日期", "登记日期"), ValueKind.DATE),
    Field(
        "formal_members",
        ("正式党员数", "正式党员", "正式党员人数", "党员数（正式）"),
        ValueKind.COUNT,
    ),
    Field("probationary_members", ("预备党员数", "预备党员", "预备党员人数"), ValueKind.COUNT),
    Field("activists", ("入党积极分子数", "入党积极分子", "积极分子数"), ValueKind.COUNT),
    Field(
        "formation",
        ("组建方式", "党组织组建方式", "组建形式", "党组织建立情况"),
        ValueKind.FORMATION,
    ),
    Field("party_org", ("所属党组织", "党组织名称", "隶属党组织"), ValueKind.TEXT),
    Field("instructor", ("党建指导员", "指导员", "联系指导员"), ValueKind.NAMES),
    Field("class", ("分类", "类别", "分类等次"), ValueKind.CLASS),
    Field("cluster", ("编组", "所属编组"), ValueKind.TEXT),
    Field("has_union", ("是否建立工会", "工会"), ValueKind.YES_NO),
    Field("has_youth_league", ("是否建立团组织", "团组织"), ValueKind.YES_NO),
    Field("status", ("状态", "登记状态"), ValueKind.STATUS),
    Field("notes", ("备注", "说明"), ValueKind.TEXT),
    # ParkDesk's own columns, so that its export comes back in whole
    Field("social_subtype", ("社会组织类别",), ValueKind.SOCIAL_SUBTYPE),
    Field("zone", ("所在片区", "片区"), ValueKind.TEXT),
    Field("building", ("楼宇",), ValueKind.TEXT),
    Field("has_women_org", ("是否建立妇女组织", "妇女组织"), ValueKind.YES_NO),
    Field("no_party_org_reason", ("未建党组织原因", "未建立原因"), ValueKind.NO_ORG_REASON),
    Field("is_cluster_leader", ("是否组长单位", "组长单位"), ValueKind.YES_NO),
    Field("status_date", ("状态日期", "注销迁出日期"), ValueKind.DATE),
    Field("in_base", ("是否纳入统计基数", "纳入统计基数"), ValueKind.YES_NO),
    Field("base_reason", ("纳入说明", "不纳入原因"), ValueKind.TEXT),
)

BY_KEY = {f.key: f for f in FIELDS}
NOT_FIELDS = frozenset({"序号", "编号", "序"})  # running numbers, never a field

_UNIT = re.compile(r"[(（][^()（）]{1,3}[)）]$")
_SPACES = re.compile(r"\s+")


def clean_header(text: object) -> str:
    """NFKC, no spaces or line breaks, no leading required-field star."""
    value = unicodedata.normalize("NFKC", str(text or ""))
    value = _SPACES.sub("", value)
    return value.lstrip("*＊")


_LOOKUP: dict[str, str] = {}
for _f in FIELDS:
    for _h in _f.headers:
        _LOOKUP.setdefault(clean_header(_h), _f.key)


def match_header(text: object) -> str | None:
    """The field a header names; the full text is tried before a trailing unit
    such as (人) is dropped, so 党员数（正式） is not mistaken for 党员数."""
    value = clean_header(text)
    if not value or value in NOT_FIELDS:
        return None
    if value in _LOOKUP:
        return _LOOKUP[value]
    stripped = _UNIT.sub("", value)
    return _LOOKUP.get(stripped)
