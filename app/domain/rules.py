"""Party organization rules that produce warnings on a record.

Warnings are not errors: the record is saved and the warning is shown in a
column and on the record, so the committee can work the gap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.domain.terms import ElectionState, election_status
from app.domain.vocabulary import Formation, OrgClass, PartyOrgLevel

THREE_MEMBERS = 3  # Party Constitution; Branch Work Regulations 2018 art. 4
JOINT_MAX_UNITS = 5  # Branch Work Regulations 2018 art. 5
# the classes the worklist wants paired with a helper (C 成长类, D 孵化类)
WANT_PAIRING = frozenset({OrgClass.C, OrgClass.D})
JOINT_MIN_UNITS = 2  # a joint branch joins units; with one left it is an own branch in all but name
OWN_ORG_UNITS = 1  # an organization of its own (单独组建) covers its one unit


class Rule(StrEnum):
    SHOULD_SET_UP = "should_set_up"
    JOINT_TOO_LARGE = "joint_too_large"
    JOINT_TOO_SMALL = "joint_too_small"
    ELECTION_OVERDUE = "election_overdue"
    ELECTION_DUE_SOON = "election_due_soon"
    PARTY_ORG_MISSING = "party_org_missing"
    NO_WORK_COVERAGE = "no_work_coverage"
    INSTRUCTOR_OVERLOADED = "instructor_overloaded"
    NO_SECRETARY = "no_secretary"
    UNPAIRED = "unpaired"
    RECTIFICATION_OVERDUE = "rectification_overdue"
    NOT_VISITED = "not_visited"
    INCOMPLETE = "incomplete"


RULE_LABELS: dict[Rule, str] = {
    Rule.SHOULD_SET_UP: "应建未建",
    Rule.JOINT_TOO_LARGE: f"联合党支部覆盖超过{JOINT_MAX_UNITS}个单位",
    Rule.JOINT_TOO_SMALL: f"联合党支部覆盖不足{JOINT_MIN_UNITS}个单位",
    Rule.ELECTION_OVERDUE: "逾期未换届",
    Rule.ELECTION_DUE_SOON: "即将换届",
    Rule.PARTY_ORG_MISSING: "党组织未录入",
    Rule.NO_WORK_COVERAGE: "党的工作未覆盖",
    Rule.INSTRUCTOR_OVERLOADED: "指导员联系单位超过上限",
    Rule.NO_SECRETARY: "党组织未配书记",
    Rule.UNPAIRED: "、".join(c.value for c in sorted(WANT_PAIRING)) + "类单位未结对帮带",
    Rule.RECTIFICATION_OVERDUE: "整改逾期",
    Rule.NOT_VISITED: "长期未走访",
    Rule.INCOMPLETE: "报送信息不全",
}


# the worklist's order: rule by rule, as Rule lists them (应建未建 first)
RULE_RANK = {rule: n for n, rule in enumerate(Rule)}


@dataclass(frozen=True, slots=True)
class Warning_:
    rule: Rule
    message: str

    @property
    def label(self) -> str:
        return RULE_LABELS[self.rule]


def own_covers_too_many(formation: Formation, units: int) -> bool:
    """An organization of its own that would cover more than its one unit."""
    return formation is Formation.OWN and units > OWN_ORG_UNITS


def party_org_missing(formation: Formation, has_party_org: bool) -> bool:
    """A formation is recorded but not the party organization that covers the unit."""
    return formation is not Formation.NONE and not has_party_org


def should_set_up_own(formal_members: int | None, formation: Formation) -> bool:
    """3 or more formal members (probationary ones do not count) and no own organization."""
    return (formal_members or 0) >= THREE_MEMBERS and formation is not Formation.OWN


def organization_warnings(
    formal_members: int | None,
    formation: Formation,
    has_party_org: bool,
    party_org_warnings: list[Warning_] | None = None,
) -> list[Warning_]:
    out: list[Warning_] = []
    if should_set_up_own(formal_members, formation):
        out.append(
            Warning_(
                Rule.SHOULD_SET_UP,
                f"有{formal_members}名正式党员，应单独组建党组织",
            )
        )
    if party_org_missing(formation, has_party_org):
        out.append(
            Warning_(
                Rule.PARTY_ORG_MISSING,
                f"组建方式为“{formation.label}”，但覆盖它的党组织尚未录入",
            )
        )
    out.extend(party_org_warnings or [])
    return out


def joint_too_small_message(units: int) -> str:
    return (
        f"联合党支部只覆盖{units}个单位：联合组建至少覆盖{JOINT_MIN_UNITS}个单位，"
        "请改为单独组建或并入其他联合党支部"
    )


def party_org_warnings(
    level: PartyOrgLevel,
    formation: Formation,
    covered_units: int,
    last_election: date | None,
    term_years: int,
    postponed_until: date | None,
    today: date,
) -> list[Warning_]:
    out: list[Warning_] = []
    if formation is Formation.JOINT and covered_units > JOINT_MAX_UNITS:
        out.append(
            Warning_(
                Rule.JOINT_TOO_LARGE,
                f"联合党支部覆盖{covered_units}个单位，一般不超过{JOINT_MAX_UNITS}个",
            )
        )
    if formation is Formation.JOINT and 0 < covered_units < JOINT_MIN_UNITS:
        out.append(Warning_(Rule.JOINT_TOO_SMALL, joint_too_small_message(covered_units)))
    status = election_status(last_election, term_years, postponed_until, today)
    if status.state is ElectionState.OVERDUE:
        out.append(Warning_(Rule.ELECTION_OVERDUE, status.label))
    elif status.state is ElectionState.DUE_SOON:
        out.append(Warning_(Rule.ELECTION_DUE_SOON, status.label))
    return out
