"""An organization's fields, described once: the column, the Chinese label, the
kind of value, how long a text may be, the other names sheets give it, and its
width in the quarterly workbook. The import's column names, the export's
columns, the length limits and the labels of the history are made from this
table (adding a field: a line here, a column in app/db/models.py and its
migration, and the form and draft where it is edited).

The order is the quarterly workbook's, which is also the blank template's.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain.vocabulary import (
    Formation,
    LabeledEnum,
    NoPartyOrgReason,
    OrgClass,
    OrgKind,
    OrgStatus,
    Scale,
    SocialSubtype,
    yes_no_label,
)


class ValueKind(StrEnum):
    """What a field's cells hold, which says how a sheet's cell is read."""

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


# the vocabulary whose labels a column of each kind shows
VOCABULARY: dict[ValueKind, type[LabeledEnum]] = {
    ValueKind.ORG_KIND: OrgKind,
    ValueKind.SOCIAL_SUBTYPE: SocialSubtype,
    ValueKind.SCALE: Scale,
    ValueKind.FORMATION: Formation,
    ValueKind.NO_ORG_REASON: NoPartyOrgReason,
    ValueKind.STATUS: OrgStatus,
}
# the values a column of each kind may take, offered as a drop-down in the workbook
_CHOICES: dict[ValueKind, tuple[str, ...]] = {
    kind: tuple(vocabulary.labels()) for kind, vocabulary in VOCABULARY.items()
} | {
    ValueKind.YES_NO: (yes_no_label(True), yes_no_label(False)),
    ValueKind.CLASS: tuple(c.value for c in OrgClass),  # the letters A–E
}


@dataclass(frozen=True, slots=True)
class OrgField:
    key: str  # the organization's column, or the linked record for a link
    label: str  # the template's and the export's header, the history's label
    kind: ValueKind
    width: int  # in the workbook, in Excel character units
    synonyms: tuple[str, ...] = ()  # what other sheets call it
    chars: int | None = None  # the longest text it may hold
    link: bool = False  # a name of another record (party organization, cluster…)
    import_key: str = ""  # the import's name for it, when not the key

    @property
    def field_key(self) -> str:
        """The import's key (``class`` for the column ``class_code``)."""
        return self.import_key or self.key

    @property
    def choices(self) -> tuple[str, ...]:
        return _CHOICES.get(self.kind, ())


def _f(
    key: str,
    label: str,
    kind: ValueKind,
    width: int,
    *synonyms: str,
    chars: int | None = None,
    link: bool = False,
    import_key: str = "",
) -> OrgField:
    return OrgField(key, label, kind, width, synonyms, chars, link, import_key)


K = ValueKind
ORGANIZATION_FIELDS: tuple[OrgField, ...] = (
    _f(
        "name",
        "组织名称",
        K.NAME,
        34,
        *("单位名称", "企业名称", "企业（社会组织）名称"),
        *("组织全称", "名称"),
        chars=200,
    ),
    _f("uscc", "统一社会信用代码", K.USCC, 22, "社会信用代码", "信用代码", "统一代码"),
    _f("kind", "组织类型", K.ORG_KIND, 11, "类型", "单位类型", "组织类别"),
    _f("social_subtype", "社会组织类别", K.SOCIAL_SUBTYPE, 14),
    _f("industry", "行业类别", K.TEXT, 12, "所属行业", "行业", chars=100),
    _f("scale", "企业规模", K.SCALE, 9, "规模", "是否规上企业"),
    _f("employees", "从业人员数", K.COUNT, 10, "职工人数", "员工人数", "从业人员", "职工总数"),
    _f("legal_rep", "法定代表人", K.TEXT, 10, "法人代表", "负责人", chars=100),
    _f("investor", "出资人", K.TEXT, 10, "主要出资人", "投资人", chars=100),
    _f("investor_is_member", "出资人是否党员", K.YES_NO, 9, "出资人是否为党员"),
    _f("address", "地址", K.TEXT, 30, "注册地址", "经营地址", "所在楼宇", chars=300),
    _f("zone", "所在片区", K.TEXT, 9, "片区", chars=100),
    _f("building", "楼宇", K.TEXT, 9, chars=100),
    _f("contact", "联系人", K.TEXT, 9, "党建联系人", chars=100),
    _f("phone", "联系电话", K.TEXT, 14, "电话", "手机", "联系方式", chars=50),
    _f("founded", "成立日期", K.DATE, 12, "成立时间", "注册日期", "登记日期"),
    _f("formal_members", "正式党员数", K.COUNT, 9, "正式党员", "正式党员人数", "党员数（正式）"),
    _f("probationary_members", "预备党员数", K.COUNT, 9, "预备党员", "预备党员人数"),
    _f("activists", "入党积极分子数", K.COUNT, 9, "入党积极分子", "积极分子数"),
    _f("formation", "组建方式", K.FORMATION, 10, "党组织组建方式", "组建形式", "党组织建立情况"),
    _f("party_org", "所属党组织", K.TEXT, 34, "党组织名称", "隶属党组织", chars=200, link=True),
    _f("no_party_org_reason", "未建党组织原因", K.NO_ORG_REASON, 20, "未建立原因"),
    _f("instructor", "党建指导员", K.NAMES, 12, "指导员", "联系指导员", chars=100, link=True),
    _f("class_code", "分类", K.CLASS, 6, "类别", "分类等次", import_key="class"),
    _f("cluster", "编组", K.TEXT, 10, "所属编组", chars=200, link=True),
    _f("is_cluster_leader", "是否组长单位", K.YES_NO, 8, "组长单位"),
    _f("has_union", "是否建立工会", K.YES_NO, 8, "工会"),
    _f("has_youth_league", "是否建立团组织", K.YES_NO, 8, "团组织"),
    _f("has_women_org", "是否建立妇女组织", K.YES_NO, 8, "妇女组织"),
    _f("status", "状态", K.STATUS, 7, "登记状态"),
    _f("status_date", "状态日期", K.DATE, 12, "注销迁出日期"),
    _f("in_base", "是否纳入统计基数", K.YES_NO, 9, "纳入统计基数"),
    _f("base_reason", "纳入说明", K.TEXT, 20, "不纳入原因", chars=200),
    _f("notes", "备注", K.TEXT, 24, "说明", chars=2000),
)
BY_KEY: dict[str, OrgField] = {f.key: f for f in ORGANIZATION_FIELDS}
# the organization row's own columns among them (the rest are links to other records)
ROW_FIELDS: tuple[str, ...] = tuple(f.key for f in ORGANIZATION_FIELDS if not f.link)
LABELS: dict[str, str] = {f.key: f.label for f in ORGANIZATION_FIELDS}
