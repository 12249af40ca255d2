"""分类管理: the five classes, and when a unit's recorded class contradicts its facts.

A, B and C are units with their own party organization (示范类, 稳健类, 成长类);
D and E are units without one (孵化类 where there is something to build on:
members, activists, or a joint or attached party organization; 其他类 where
there is nothing yet). ParkDesk proposes, the clerk decides: nothing here
changes a class.

Among own-organization units, A/B/C move only by the yearly review or by hand
(an assessment's results will propose ups and downs); the facts only say when a
unit is on the wrong side of the own-organization line, or has no class at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.validation import FieldIssue, ValidationError
from app.domain.vocabulary import UNCLASSIFIED, Formation, OrgClass, class_of

OWN_ORG_CLASSES = frozenset({OrgClass.A, OrgClass.B, OrgClass.C})
# a new own branch starts here (Suixi: 金鸿盛电气's new branch became 成长类)
NEW_OWN_ORG_CLASS = OrgClass.C


# the years a yearly review may be recorded for: none before classes were kept this way,
# none after next year (a December review may be prepared for the coming year)
FIRST_REVIEW_YEAR = 2000


def review_years(today: date) -> range:
    return range(FIRST_REVIEW_YEAR, today.year + 2)


def check_review_year(year: int, today: date) -> None:
    """Refuse a review year no park could mean (99999, 0, −5): the window's year box and
    the command line's --year both reach the service, which asks this."""
    years = review_years(today)
    if year not in years:
        message = f"复核年度{year}不在{years.start}—{years.stop - 1}年之间，请检查年度"
        raise ValidationError([FieldIssue("year", message, "year_out_of_range")])


@dataclass(frozen=True, slots=True)
class UnitFacts:
    """What the class rules read of a unit."""

    class_code: str | None
    formation: Formation
    formal_members: int | None = None
    probationary_members: int | None = None
    activists: int | None = None


@dataclass(frozen=True, slots=True)
class ClassProposal:
    to: OrgClass
    reason: str


def _something_to_build_on(facts: UnitFacts) -> str:
    """Why a unit without its own organization is 孵化类 (empty: nothing, 其他类)."""
    if facts.formation in (Formation.JOINT, Formation.ATTACHED):
        return f"已纳入{facts.formation.label}的党组织"
    people = [
        (facts.formal_members, "正式党员"),
        (facts.probationary_members, "预备党员"),
        (facts.activists, "入党积极分子"),
    ]
    found = [f"{label}{n}名" for n, label in people if n]
    return "有" + "、".join(found) if found else ""


def propose_class(facts: UnitFacts) -> ClassProposal | None:
    """The class the facts call for, with the reason in Chinese; None when the
    recorded class agrees with them (or only the yearly review may move it)."""
    current = class_of(facts.class_code)
    now = current.label if current else UNCLASSIFIED
    if facts.formation is Formation.OWN:
        if current in OWN_ORG_CLASSES:
            return None
        return ClassProposal(
            NEW_OWN_ORG_CLASS, f"已单独建立党组织，现为{now}；新建党组织从成长类起步"
        )
    if current is not None and current not in OWN_ORG_CLASSES:
        return None
    basis = _something_to_build_on(facts)
    where = f"未单独建立党组织，现为{now}"
    if basis:
        return ClassProposal(OrgClass.D, f"{where}；{basis}，列为孵化类")
    return ClassProposal(OrgClass.E, f"{where}；没有党员和入党积极分子，列为其他类")
