"""The Chinese vocabulary of the domain, in one place.

Every enumerated value has an English code (stored in the database and used
in JSON) and the Chinese label users see in the window, the workbooks and the
command line. Alternative spellings seen in upper levels' sheets are listed
so imports can recognise them.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class LabeledEnum(StrEnum):
    """A str enum whose members carry a Chinese label and accepted aliases."""

    label: str
    aliases: tuple[str, ...]

    def __new__(cls, code: str, label: str, *aliases: str) -> LabeledEnum:
        obj = str.__new__(cls, code)
        obj._value_ = code
        obj.label = label
        obj.aliases = aliases
        return obj

    @classmethod
    def from_text(cls, text: str) -> LabeledEnum | None:
        """Find a member by code, label or alias; None when nothing matches."""
        key = text.strip()
        for member in cls:
            if key in (member.value, member.label) or key in member.aliases:
                return member
        return None

    @classmethod
    def by_value(cls) -> Mapping[str, LabeledEnum]:
        """Members by the value stored: ``Formation.by_value()["own"]``. A dict lookup;
        calling the enum costs ~1.5 µs, which tells at 50,000 rows (take the mapping
        once, outside the loop)."""
        return cls._value2member_map_  # type: ignore[return-value]

    @classmethod
    def labels(cls) -> list[str]:
        return [m.label for m in cls]


class OrgKind(LabeledEnum):
    ENTERPRISE = ("enterprise", "非公企业", "非公有制企业", "民营企业", "企业")
    SOCIAL = (
        "social",
        "社会组织",
        "社会团体",
        "民办非企业单位",
        "社会服务机构",
        "基金会",
    )


class SocialSubtype(LabeledEnum):
    ASSOCIATION = ("association", "社会团体")
    PRIVATE_NON_ENTERPRISE = ("private_non_enterprise", "民办非企业单位", "社会服务机构")
    FOUNDATION = ("foundation", "基金会")


class Formation(LabeledEnum):
    OWN = ("own", "单独组建", "单建", "独立组建")
    JOINT = ("joint", "联合组建", "联建")
    ATTACHED = ("attached", "挂靠组建", "挂靠")
    NONE = ("none", "未建", "未建立", "无")


class OrgStatus(LabeledEnum):
    ACTIVE = ("active", "在册", "正常", "存续", "在业")
    CLOSED = ("closed", "注销", "撤销", "吊销")
    MOVED_OUT = ("moved_out", "迁出")


class NoPartyOrgReason(LabeledEnum):
    """Why a unit has no party organization of its own (the 党内统计 codes)."""

    ELIGIBLE_NOT_SET_UP = ("eligible_not_set_up", "符合条件但尚未建立")
    FEW_FORMAL_MEMBERS = ("few_formal_members", "有党员但不足3名正式党员")
    NO_MEMBERS = ("no_members", "无党员")


class Scale(LabeledEnum):
    ABOVE = ("above", "规上", "规模以上", "是")
    BELOW = ("below", "规下", "规模以下", "否")


class PartyOrgLevel(LabeledEnum):
    COMMITTEE = ("committee", "党委", "基层党委", "党的基层委员会")
    GENERAL_BRANCH = ("general_branch", "党总支", "总支")
    BRANCH = ("branch", "党支部", "支部", "联合党支部", "项目临时党支部")


class DemoSiteLevel(LabeledEnum):
    """示范点: a designation of a party organization with its level (柳州: awards for
    starred party organizations and 示范点), apart from its stars."""

    NONE = ("none", "无", "否", "不是", "")
    PARK = ("park", "园区级", "园区级示范点", "园区")
    CITY = ("city", "市级", "市级示范点", "市")
    REGION = ("region", "自治区级", "自治区级示范点", "省级", "自治区")


def demo_site_text(level: DemoSiteLevel, year: int | None) -> str:
    """A 示范点 as shown: 市级（2025）; "" when the organization is none."""
    if level is DemoSiteLevel.NONE:
        return ""
    return level.label + (f"（{year}）" if year else "")


class PartyOrgKind(LabeledEnum):
    """A party organization's kind, from its units' (a joint branch may mix both)."""

    ENTERPRISE = ("enterprise", "非公企业")
    SOCIAL = ("social", "社会组织")
    MIXED = ("mixed", "非公企业和社会组织")


class StarChange(LabeledEnum):
    """A party organization's stars against the year before (创星升级, and a fall)."""

    UP = ("up", "升星")
    DOWN = ("down", "降星")
    SAME = ("same", "持平")
    NEW = ("new", "首次评定")


class ParkLevel(LabeledEnum):
    """What a database's ``park`` row is: a park (a park database's one row, or each
    park a county adds up) or the county that adds them up (a county database)."""

    PARK = ("park", "园区", "开发区", "工业园区")
    COUNTY = ("county", "区县", "县", "区")


class SubmissionSource(LabeledEnum):
    """How a county read a park's quarterly submission."""

    PARKDESK = ("parkdesk", "ParkDesk季度报送")
    SHEET = ("sheet", "登记表")


class InstructorRole(LabeledEnum):
    INSTRUCTOR = ("instructor", "党建指导员", "指导员")
    FIRST_SECRETARY = ("first_secretary", "第一书记")
    COMMITTEE_MEMBER = ("committee_member", "工委委员")
    CADRE = ("cadre", "机关干部", "包保干部")
    ORGANIZER = ("organizer", "组织员")


class AssignmentRole(LabeledEnum):
    GUIDE = ("guide", "联系指导", "联系")
    LIAISON = ("liaison", "党建联络员", "联络员")
    BAOBAO = ("baobao", "包保")


class OrgClass(LabeledEnum):
    A = ("A", "A 示范类", "示范类", "A类")
    B = ("B", "B 稳健类", "稳健类", "B类")
    C = ("C", "C 成长类", "成长类", "C类")
    D = ("D", "D 孵化类", "孵化类", "D类")
    E = ("E", "E 其他类", "其他类", "E类")


UNCLASSIFIED = "未分类"  # a unit with no class recorded yet
NO_UNITS = "未关联单位"  # a party organization that covers no unit (so has no kind)


_CLASSES = OrgClass.by_value()


def class_of(code: str | None) -> OrgClass | None:
    """The class a stored letter names; None for 未分类."""
    return _CLASSES[code] if code else None  # type: ignore[return-value]


def class_label(code: str | None) -> str:
    """ "B 稳健类", or 未分类: a stored letter as lists and workbooks show it."""
    found = class_of(code)
    return found.label if found else UNCLASSIFIED


class ResultBasis(LabeledEnum):
    """What a ranking or a figure stands for: the park (the office's own database), the
    office's published results carried to a field laptop, or only a package's units."""

    PARK = ("park", "全园")
    OFFICE = ("office", "办公室已发布")
    PACKAGE = ("package", "仅本包单位")


class ClusterRecordKind(LabeledEnum):
    """The records of a cluster's year: the leader's three powers and the activity log."""

    DUES_RETURNED = ("dues_returned", "党费返还")  # 经费统筹
    SPENDING = ("spending", "组长单位支出")
    QUOTA = ("quota", "发展党员指标")  # 发展党员指标
    ALLOCATION = ("allocation", "指标分配")
    AWARD = ("award", "评优名额")  # 评优推荐
    NOMINATION = ("nomination", "推荐人选")
    # the activity rhythm (衢州): 每季交流、半年汇报、年终考核, 一季一观摩
    EXCHANGE = ("exchange", "每季交流", "季度交流")
    PRESENTATION = ("presentation", "半年汇报", "半年展示")
    EVALUATION = ("evaluation", "年终考核", "年终评价")
    OBSERVATION = ("observation", "一季一观摩", "观摩")


class FundKind(LabeledEnum):
    """经费保障 (柳州 000, 濉溪 002, 衢州 003): what a party organization is entitled to in
    a year, and the purpose a payment is recorded against."""

    MEMBER_ACTIVITY = ("member_activity", "党员活动经费", "3个100元", "活动经费")
    SITE_STARTUP = ("site_startup", "阵地建设启动经费", "阵地建设", "启动经费")
    AWARD = ("award", "以奖代补", "奖补", "以奖代补资金")
    STAR_AWARD = ("star_award", "星级党组织奖励", "星级奖励")
    DUES_RETURN = ("dues_return", "党费返还", "党费全额返还")


class ClassBasis(LabeledEnum):
    """On what a unit's class was changed: each change of class is recorded with it."""

    MANUAL = ("manual", "手工调整")
    REVIEW = ("review", "年度复核")
    DETACH = ("detach", "脱联单建")
    ASSESSMENT = ("assessment", "考核结果")
    IMPORT = ("import", "导入")


class VisitKind(LabeledEnum):
    """How an instructor saw a unit (Quzhou 003: 暗访; Luzhai 004: 三访三问三讲)."""

    VISIT = ("visit", "走访")
    UNANNOUNCED = ("unannounced", "暗访")
    THREE_VISITS = ("three_visits", "三访三问三讲")
    FORUM = ("forum", "座谈")
    OBSERVATION = ("observation", "观摩", "一季一观摩")  # 衢州: a cluster's 观摩 of a unit
    OTHER = ("other", "其他")


class ProblemStatus(LabeledEnum):
    """A rectification's way to closing: 待整改 → 整改中 → 已整改 → 已核验."""

    OPEN = ("open", "待整改")
    IN_PROGRESS = ("in_progress", "整改中")
    DONE = ("done", "已整改")
    VERIFIED = ("verified", "已核验")


class CorrectionStatus(LabeledEnum):
    """The clerk's answer to a correction suggested in the field."""

    OPEN = ("open", "待处理")
    ACCEPTED = ("accepted", "已采纳")
    DISMISSED = ("dismissed", "未采纳")


YES_WORDS = frozenset({"是", "有", "Y", "YES", "√", "1", "TRUE", "已建", "已建立"})
NO_WORDS = frozenset({"否", "无", "N", "NO", "×", "0", "FALSE", "未建", "未建立"})


def yes_no_label(value: bool | None) -> str:
    if value is None:
        return ""
    return "是" if value else "否"


def parse_yes_no(text: str) -> bool | None:
    """是/否 in all its spellings; None when the text says neither."""
    key = text.strip().upper()
    if key in YES_WORDS:
        return True
    if key in NO_WORDS:
        return False
    return None


class ImportRowStatus(LabeledEnum):
    """What an import does with a sheet row."""

    NEW = ("new", "新增")
    CHANGED = ("changed", "更新")
    UNCHANGED = ("unchanged", "无变化")
    BAD = ("bad", "有问题")
    CONFLICT = ("conflict", "代码冲突")


class CodeConflictChoice(LabeledEnum):
    """How the clerk settles a row whose name matches a registered organization
    but whose (valid) credit code differs: a code is an identity, so the import
    never chooses by itself."""

    KEEP_STORED = ("keep_stored", "保留已登记的代码")
    TAKE_SHEET = ("take_sheet", "采用表中的代码")
    SEPARATE = ("separate", "另行登记为新组织")


# a merge's record of a published period: shown, never written (services/assessment/published.py)
PUBLISHED_NOT_MERGED = "已发布，未合并"
# a period published on the other copy only: it arrives whole, replacing this copy's
# open one (services/field/merge_published.py)
PUBLISHED_ARRIVES = "随对方发布取代"
# published on both copies with different results: nothing of it merged
PUBLISHED_CLASH = "已发布结果不一致"


# each kind of record (a table) as a merge's preview and an import's report name it
ENTITY_LABELS = {
    "visit": "走访",
    "problem": "问题",
    "problem_event": "整改记录",
    "assessment_score": "评分",
    "correction": "更正建议",
    # a whole database's merge (database_merge.py) brings every kind of record
    "organization": "组织",
    "party_organization": "党组织",
    "instructor": "指导员",
    "assignment": "联系分工",
    "class_change": "分类变更",
    "cluster": "编组",
    "cluster_record": "编组记录",
    "pairing": "结对帮带",
    "pairing_entry": "帮带记录",
    "assessment_scheme": "考核方案",
    "assessment_period": "考核期",
    "visit_instructor": "走访指导员",
    "visit_attachment": "走访附件",
    "problem_unit": "问题涉及单位",
    "park": "园区",
    "fund_payment": "经费拨付",
}
