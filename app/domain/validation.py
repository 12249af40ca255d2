"""Field checks for records a clerk enters, with Chinese messages.

Each check returns FieldIssue objects naming the field, so the dialog can put
the message next to the field and the importer can report sheet/row/column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from app.domain import uscc
from app.domain.limits import (
    CONTROL_CHARACTER,
    ORGANIZATION,
    PARTY_ORGANIZATION,
    TextLimit,
    control_message,
    reason_code,
    too_long_message,
)
from app.domain.rules import JOINT_MIN_UNITS, joint_too_small_message, own_covers_too_many
from app.domain.terms import BRANCH_TERM_YEARS, TERM_INVALID, TERM_YEARS
from app.domain.vocabulary import DemoSiteLevel, Formation, OrgKind, OrgStatus, PartyOrgLevel


@dataclass(frozen=True, slots=True)
class FieldIssue:
    field: str
    message: str
    code: str
    # a value the user may accept with one click (e.g. the kind read from the code)
    suggestion: object | None = None


class ValidationError(Exception):
    """Raised by services when a record cannot be saved; nothing was written."""

    def __init__(self, issues: list[FieldIssue]) -> None:
        super().__init__("；".join(i.message for i in issues))
        self.issues = issues


# a count no unit reaches, well inside SQLite's 64-bit integer: a larger one is a typo
# (or 1e30 from a formula), and would not fit the database (OverflowError)
MAX_COUNT = 10_000_000  # 1000万, as the message says


def count_too_large(value: int) -> str | None:
    """The message for a count beyond MAX_COUNT, else None."""
    return "过大，不能超过1000万" if value > MAX_COUNT else None


def parse_count(text: str) -> int | None:
    """Counts as clerks type them: '3', '３', '3人', ' 3 '. None when blank.

    Raises ValueError with a Chinese message for negative or non-numeric text.
    """
    value = unicodedata.normalize("NFKC", text).strip()
    if not value:
        return None
    value = re.sub(r"(人|个|名)$", "", value).strip()
    if re.fullmatch(r"-\d+", value):
        raise ValueError("人数不能为负数")
    if not re.fullmatch(r"\d+(\.0+)?", value):
        raise ValueError(f"“{text}”不是人数，请填写整数")
    return int(float(value))


@dataclass(slots=True)
class OrganizationDraft:
    """Everything a clerk can enter for an organization (docs/domain.md)."""

    name: str = ""
    uscc: str = ""
    kind: OrgKind = OrgKind.ENTERPRISE
    social_subtype: str | None = None
    industry: str = ""
    scale: str | None = None
    employees: int | None = None
    legal_rep: str = ""
    investor: str = ""
    investor_is_member: bool | None = None
    address: str = ""
    zone: str = ""
    building: str = ""
    contact: str = ""
    phone: str = ""
    founded: date | None = None
    formal_members: int | None = None
    probationary_members: int | None = None
    activists: int | None = None
    has_union: bool | None = None
    has_youth_league: bool | None = None
    has_women_org: bool | None = None
    status: OrgStatus = OrgStatus.ACTIVE
    status_date: date | None = None
    in_base: bool = True
    base_reason: str = ""
    formation: Formation = Formation.NONE
    no_party_org_reason: str | None = None
    party_org_id: int | None = None
    class_code: str | None = None
    cluster_id: int | None = None
    is_cluster_leader: bool = False
    notes: str = ""
    extra: dict[str, object] = field(default_factory=dict)


def check_lengths(record: object, limits: dict[str, TextLimit]) -> list[FieldIssue]:
    """A text field longer than its limit (limits.py), or holding a control character,
    is an issue, in every way in."""
    issues = []
    for name, limit in limits.items():
        value = getattr(record, name, None)
        if not isinstance(value, str):
            continue
        if len(value.strip()) > limit.chars:
            message = too_long_message(limit, len(value.strip()))
            issues.append(FieldIssue(name, message, reason_code(name)))
        control = control_message(limit.label, value)
        if control is not None:
            issues.append(FieldIssue(name, control, CONTROL_CHARACTER))
    return issues


FOUNDED_IN_FUTURE = "成立日期晚于今天"


def founded_in_future(founded: date | None, today: date) -> bool:
    """A unit founded after today: the form and the registry import both refuse it."""
    return founded is not None and founded > today


def check_organization(draft: OrganizationDraft, today: date) -> list[FieldIssue]:
    issues: list[FieldIssue] = check_lengths(draft, ORGANIZATION)
    if not draft.name.strip():
        issues.append(FieldIssue("name", "组织名称不能为空", "name_missing"))
    code = uscc.normalize(draft.uscc)
    if code:
        problem = uscc.check(code)
        if problem is not None:
            issues.append(FieldIssue("uscc", problem.message, f"uscc_{problem.code}"))
        else:
            implied = uscc.kind_from_code(code)
            if implied is not None and implied is not draft.kind:
                issues.append(
                    FieldIssue(
                        "kind",
                        f"信用代码以“{code[0]}”开头，应为{implied.label}，"
                        f"这里填的是{draft.kind.label}",
                        "kind_mismatch",
                        suggestion=implied,
                    )
                )
    for name, label in (
        ("employees", "从业人员数"),
        ("formal_members", "正式党员数"),
        ("probationary_members", "预备党员数"),
        ("activists", "入党积极分子数"),
    ):
        value = getattr(draft, name)
        if value is not None and value < 0:
            issues.append(FieldIssue(name, f"{label}不能为负数", "count_negative"))
        elif value is not None and (too_large := count_too_large(value)):
            issues.append(FieldIssue(name, f"{label}{too_large}", "count_too_large"))
    if founded_in_future(draft.founded, today):
        issues.append(FieldIssue("founded", FOUNDED_IN_FUTURE, "date_future"))
    if draft.status is not OrgStatus.ACTIVE and draft.status_date is None:
        issues.append(
            FieldIssue("status_date", f"标记为{draft.status.label}时须填写日期", "status_date")
        )
    if draft.formation is Formation.NONE and draft.party_org_id is not None:
        issues.append(
            FieldIssue(
                "formation",
                "组建方式为“未建”，不能同时指定覆盖它的党组织",
                "formation_conflict",
            )
        )
    return issues


def formation_fits(unit_formation: Formation, party_org_formation: Formation) -> bool:
    """Own units need an own organization, joint units a joint one; attached fits any."""
    if unit_formation is Formation.ATTACHED:
        return True
    return unit_formation is party_org_formation


@dataclass(slots=True)
class PartyOrgDraft:
    name: str = ""
    level: PartyOrgLevel = PartyOrgLevel.BRANCH
    formation: Formation = Formation.OWN
    secretary: str = ""
    secretary_phone: str = ""
    founded: date | None = None
    last_election: date | None = None
    term_years: int = BRANCH_TERM_YEARS
    postponed_until: date | None = None
    postponement_approval: str = ""
    parent_id: int | None = None
    venue: str = ""
    dual_managed: bool = False
    demo_site: DemoSiteLevel = DemoSiteLevel.NONE
    demo_site_year: int | None = None
    notes: str = ""
    covered_ids: list[int] = field(default_factory=list)


def check_party_org(draft: PartyOrgDraft, today: date) -> list[FieldIssue]:
    issues: list[FieldIssue] = check_lengths(draft, PARTY_ORGANIZATION)
    if not draft.name.strip():
        issues.append(FieldIssue("name", "党组织名称不能为空", "name_missing"))
    if draft.formation is Formation.NONE:
        issues.append(FieldIssue("formation", "党组织须选择组建方式", "formation_missing"))
    units = len(draft.covered_ids)
    if draft.formation is Formation.JOINT and 0 < units < JOINT_MIN_UNITS:
        issues.append(FieldIssue("covered", joint_too_small_message(units), "joint_single_unit"))
    if own_covers_too_many(draft.formation, units):
        issues.append(
            FieldIssue(
                "covered",
                f"单独组建的党组织只能覆盖1个单位，这里选了{units}个",
                "own_multiple_units",
            )
        )
    if draft.term_years not in TERM_YEARS:
        issues.append(FieldIssue("term_years", TERM_INVALID, "term_invalid"))
    for name, label in (("founded", "成立日期"), ("last_election", "本届选举日期")):
        value = getattr(draft, name)
        if value is not None and value > today:
            issues.append(FieldIssue(name, f"{label}晚于今天", "date_future"))
    if (
        draft.founded is not None
        and draft.last_election is not None
        and draft.last_election < draft.founded
    ):
        issues.append(
            FieldIssue("last_election", "本届选举日期早于成立日期", "election_before_founded")
        )
    issues += demo_site_issues(draft.demo_site, draft.demo_site_year, today)
    if draft.postponed_until is not None and not draft.postponement_approval.strip():
        issues.append(
            FieldIssue(
                "postponement_approval",
                "延期换届须经上级批准，请填写批准机关或文号",
                "postponement_unapproved",
            )
        )
    return issues


def demo_site_issues(level: DemoSiteLevel, year: int | None, today: date) -> list[FieldIssue]:
    """示范点: a year only with a level, and not a year still to come."""
    if year is None:
        return []
    if level is DemoSiteLevel.NONE:
        return [FieldIssue("demo_site_year", "未评为示范点，不应填写示范点年度", "demo_year_alone")]
    if not 1949 <= year <= today.year:
        return [
            FieldIssue(
                "demo_site_year", f"示范点年度“{year}”应在1949年至今年之间", "demo_year_invalid"
            )
        ]
    return []
