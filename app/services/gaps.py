"""The gap worklist (预警): every record a rule flags, with the rule and a detail.

Plain SQL per rule (no row objects for the whole registry), so 50,000
organizations take tens of milliseconds.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from app.db.database import Database
from app.domain.rules import JOINT_MAX_UNITS, RULE_LABELS, THREE_MEMBERS, Rule
from app.domain.terms import ElectionState, election_status
from app.services.coverage_sql import ASSIGNMENT_IN_FORCE, LOOKED_AFTER


class Gap(NamedTuple):
    """One flagged record (a tuple: a 50,000-organization park makes ten thousand)."""

    rule: Rule
    record: str  # organization | party_organization | instructor
    record_id: int
    name: str
    detail: str

    @property
    def label(self) -> str:
        return RULE_LABELS[self.rule]


_RANK = {rule: n for n, rule in enumerate(Rule)}
_ELECTION_RULES = {
    ElectionState.OVERDUE: Rule.ELECTION_OVERDUE,
    ElectionState.DUE_SOON: Rule.ELECTION_DUE_SOON,
}


# an on-duty instructor's assignment reaches organization o today (one index look-up per row)
_REACHES = f"""
    SELECT 1 FROM assignment a JOIN instructor i ON i.id = a.instructor_id
    WHERE a.organization_id = o.id AND {LOOKED_AFTER}
"""


def find_gaps(db: Database, today: date | None = None) -> list[Gap]:
    """Three scans: organizations, party organizations, instructors."""
    today = today or date.today()
    day: dict[str, object] = {
        "today": today.isoformat(),
        "three": THREE_MEMBERS,
        "joint_max": JOINT_MAX_UNITS,
    }
    out: list[Gap] = []
    with db.read_connection() as conn:
        day["cut3"], day["cut5"] = conn.execute(
            "SELECT date(:today, '+95 days', '-3 years'), date(:today, '+95 days', '-5 years')",
            day,
        ).fetchone()
        for oid, name, formal, formation, po_id, code, prob, reached in conn.execute(
            f"""
            SELECT o.id, o.name, o.formal_members, o.formation, o.party_org_id, o.uscc,
                   o.probationary_members, o.formation = 'none' AND EXISTS ({_REACHES})
            FROM organization o
            WHERE +o.in_base = 1 AND (  -- "+": one scan of the rows, not the figures index
                (coalesce(o.formal_members, 0) >= :three AND o.formation != 'own')
                OR (o.formation != 'none' AND o.party_org_id IS NULL)
                OR (o.formation = 'none' AND NOT EXISTS ({_REACHES}))
                OR o.uscc IS NULL OR o.formal_members IS NULL OR o.probationary_members IS NULL)
            ORDER BY +o.name  -- "+": scan the table and sort the few rows, not walk the name index
            """,
            day,
        ):
            if (formal or 0) >= THREE_MEMBERS and formation != "own":
                out.append(
                    Gap(
                        Rule.SHOULD_SET_UP,
                        "organization",
                        oid,
                        name,
                        f"有{formal}名正式党员，应单独组建党组织",
                    )
                )
            if formation != "none" and po_id is None:
                out.append(
                    Gap(
                        Rule.PARTY_ORG_MISSING,
                        "organization",
                        oid,
                        name,
                        "已登记组建方式，但覆盖它的党组织尚未录入",
                    )
                )
            if formation == "none" and not reached:
                out.append(
                    Gap(
                        Rule.NO_WORK_COVERAGE,
                        "organization",
                        oid,
                        name,
                        "没有党组织，也没有安排指导员或联络员",
                    )
                )
            missing = [
                label
                for label, value in (
                    ("统一社会信用代码", code),
                    ("正式党员数", formal),
                    ("预备党员数", prob),
                )
                if value is None
            ]
            if missing:
                out.append(
                    Gap(Rule.INCOMPLETE, "organization", oid, name, "缺" + "、".join(missing))
                )
        for pid, name, units in conn.execute(
            "SELECT p.id, p.name, count(*) FROM party_organization p"
            " JOIN organization o ON o.party_org_id = p.id WHERE p.formation = 'joint'"
            " GROUP BY p.id HAVING count(*) > :joint_max ORDER BY +p.name",
            day,
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
        verdicts: dict[tuple[str | None, int, str | None], tuple[Rule | None, str]] = {}
        for pid, name, last, term, postponed, secretary in conn.execute(
            """
            SELECT p.id, p.name, p.last_election, p.term_years, p.postponed_until, p.secretary
            FROM party_organization p
            -- a generous first cut (exact dates are checked below): due within ~3 months;
            -- the cut-off dates of the usual terms are worked out once, not per row
            WHERE p.last_election <= CASE p.term_years WHEN 3 THEN :cut3 WHEN 5 THEN :cut5
                  ELSE date(:today, '+95 days', '-' || p.term_years || ' years') END
               OR p.postponed_until IS NOT NULL OR trim(p.secretary) = ''
            ORDER BY +p.name
            """,
            day,
        ):
            key = (last, term, postponed)
            verdict = verdicts.get(key)
            if verdict is None:  # many organizations share an election date
                status = election_status(
                    date.fromisoformat(last) if last else None,
                    term,
                    date.fromisoformat(postponed) if postponed else None,
                    today,
                )
                verdict = verdicts[key] = (_ELECTION_RULES.get(status.state), status.label)
            if verdict[0] is not None:
                out.append(Gap(verdict[0], "party_organization", pid, name, verdict[1]))
            if not secretary.strip():
                out.append(Gap(Rule.NO_SECRETARY, "party_organization", pid, name, "未填写书记"))
        for iid, name, n, capacity in conn.execute(
            "SELECT i.id, i.name, count(*), i.capacity FROM instructor i"
            f" JOIN assignment a ON a.instructor_id = i.id AND {ASSIGNMENT_IN_FORCE}"
            " WHERE i.active = 1 AND i.capacity IS NOT NULL"
            " GROUP BY i.id HAVING count(*) > i.capacity ORDER BY i.name",
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
    out.sort(key=lambda g: _RANK[g.rule])  # rule by rule, names in order within each
    return out
