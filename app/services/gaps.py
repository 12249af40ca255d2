"""The gap worklist (预警): every record a rule flags, with the rule and a detail.

Plain SQL per rule (no row objects for the whole registry), so 50,000
organizations take tens of milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.db.database import Database
from app.domain.rules import JOINT_MAX_UNITS, RULE_LABELS, THREE_MEMBERS, Rule
from app.domain.terms import ElectionState, election_status


@dataclass(frozen=True, slots=True)
class Gap:
    rule: Rule
    record: str  # organization | party_organization | instructor
    record_id: int
    name: str
    detail: str

    @property
    def label(self) -> str:
        return RULE_LABELS[self.rule]


_ACTIVE = "(a.ended_on IS NULL OR a.ended_on >= :today)"


def find_gaps(db: Database, today: date | None = None) -> list[Gap]:
    today = today or date.today()
    day = {"today": today.isoformat()}
    out: list[Gap] = []
    with db.read_connection() as conn:
        for oid, name, formal in conn.execute(
            "SELECT id, name, formal_members FROM organization WHERE in_base = 1"
            " AND formal_members >= ? AND formation != 'own' ORDER BY name",
            (THREE_MEMBERS,),
        ):
            out.append(
                Gap(
                    Rule.SHOULD_SET_UP,
                    "organization",
                    oid,
                    name,
                    f"有{formal}名正式党员，应单独组建党组织",
                )
            )
        for pid, name, units in conn.execute(
            "SELECT p.id, p.name, count(o.id) FROM party_organization p"
            " JOIN organization o ON o.party_org_id = p.id WHERE p.formation = 'joint'"
            " GROUP BY p.id HAVING count(o.id) > ? ORDER BY p.name",
            (JOINT_MAX_UNITS,),
        ):
            out.append(
                Gap(
                    Rule.JOINT_TOO_LARGE,
                    "party_organization",
                    pid,
                    name,
                    f"覆盖{units}个单位，一般不超过{JOINT_MAX_UNITS}个",
                )
            )
        for pid, name, last, term, postponed, secretary in conn.execute(
            "SELECT id, name, last_election, term_years, postponed_until, secretary"
            " FROM party_organization ORDER BY name"
        ):
            status = election_status(
                date.fromisoformat(last) if last else None,
                term,
                date.fromisoformat(postponed) if postponed else None,
                today,
            )
            if status.state is ElectionState.OVERDUE:
                out.append(
                    Gap(Rule.ELECTION_OVERDUE, "party_organization", pid, name, status.label)
                )
            elif status.state is ElectionState.DUE_SOON:
                out.append(
                    Gap(Rule.ELECTION_DUE_SOON, "party_organization", pid, name, status.label)
                )
            if not secretary.strip():
                out.append(Gap(Rule.NO_SECRETARY, "party_organization", pid, name, "未填写书记"))
        for oid, name in conn.execute(
            "SELECT id, name FROM organization WHERE in_base = 1"
            " AND formation != 'none' AND party_org_id IS NULL ORDER BY name"
        ):
            out.append(
                Gap(
                    Rule.PARTY_ORG_MISSING,
                    "organization",
                    oid,
                    name,
                    "已登记组建方式，但覆盖它的党组织尚未录入",
                )
            )
        for oid, name in conn.execute(
            "SELECT o.id, o.name FROM organization o"
            " WHERE o.in_base = 1 AND o.formation = 'none' AND NOT EXISTS ("
            " SELECT 1 FROM assignment a JOIN instructor i ON i.id = a.instructor_id"
            f" WHERE a.organization_id = o.id AND i.active = 1 AND {_ACTIVE}) ORDER BY o.name",
            day,
        ):
            out.append(
                Gap(
                    Rule.NO_WORK_COVERAGE,
                    "organization",
                    oid,
                    name,
                    "没有党组织，也没有安排指导员或联络员",
                )
            )
        for iid, name, n, capacity in conn.execute(
            "SELECT i.id, i.name, count(a.id), i.capacity FROM instructor i"
            f" JOIN assignment a ON a.instructor_id = i.id AND {_ACTIVE}"
            " WHERE i.active = 1 AND i.capacity IS NOT NULL"
            " GROUP BY i.id HAVING count(a.id) > i.capacity ORDER BY i.name",
            day,
        ):
            out.append(
                Gap(
                    Rule.INSTRUCTOR_OVERLOADED,
                    "instructor",
                    iid,
                    name,
                    f"联系{n}个单位，上限{capacity}个",
                )
            )
        for oid, name, code, formal, prob in conn.execute(
            "SELECT id, name, uscc, formal_members, probationary_members FROM organization"
            " WHERE in_base = 1 AND (uscc IS NULL OR formal_members IS NULL"
            " OR probationary_members IS NULL) ORDER BY name"
        ):
            missing = [
                label
                for label, value in (
                    ("统一社会信用代码", code),
                    ("正式党员数", formal),
                    ("预备党员数", prob),
                )
                if value is None
            ]
            out.append(Gap(Rule.INCOMPLETE, "organization", oid, name, "缺" + "、".join(missing)))
    return out
