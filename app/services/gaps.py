"""The gap worklist (预警): every record a rule flags, with the rule and a detail.

One function per rule or per table of rules, each a plain SQL scan whose
condition comes from rule_sql.py (no row objects for the whole registry: 50,000
organizations take tens of milliseconds); the messages are the domain's
(app/domain/rules.py), as the registry's warning column shows them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from typing import NamedTuple

from app.db.database import Database
from app.domain import rules
from app.domain.rules import RULE_LABELS, RULE_RANK, Rule, organization_warnings
from app.domain.terms import ElectionState, add_years, election_status
from app.domain.vocabulary import Formation, OrgClass
from app.services import field_office, rule_sql
from app.services.park import not_visited_days, unpaired_rule_on


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


_ELECTION_RULES = {
    ElectionState.OVERDUE: Rule.ELECTION_OVERDUE,
    ElectionState.DUE_SOON: Rule.ELECTION_DUE_SOON,
}
# what a registry row lacks for the submission, by column
_REQUIRED = (("统一社会信用代码", 0), ("正式党员数", 1), ("预备党员数", 2))


def find_gaps(db: Database, today: date | None = None) -> list[Gap]:
    """Every gap, rule by rule, names in order within each rule."""
    today = today or date.today()
    params = {"today": today.isoformat()}
    with db.read_connection() as conn:
        field = field_office.view(conn)
        out = [
            *_organization_gaps(conn, params),
            *_joint_size(conn, field),
            *_party_org_gaps(conn, today),
            *_instructors_overloaded(conn, params),
            *_unpaired(conn, params),
            *_rectifications_overdue(conn, params),
            *_not_visited(conn, today),
        ]
    if field is not None:
        out = [g for g in out if _told_on_a_laptop(g, field)]
    out.sort(key=lambda g: RULE_RANK[g.rule])  # stable: names stay in order
    return out


def _told_on_a_laptop(gap: Gap, field: field_office.FieldView) -> bool:
    """A field database holds a few units: a unit's gaps only for the package's own (a
    pairing partner's visits and problems stay at the office), and no instructor's
    load (their other units are not on the laptop)."""
    if gap.record == "organization":
        return field.in_scope(gap.record_id)
    return gap.rule is not Rule.INSTRUCTOR_OVERLOADED


def _organization_gaps(conn: sqlite3.Connection, params: dict[str, str]) -> Iterator[Gap]:
    """应建未建, 党组织未录入, 党的工作未覆盖 and 报送信息不全, in one scan of the base."""
    should, missing = rule_sql.should_set_up(), rule_sql.PARTY_ORG_MISSING
    unreached = f"(o.formation = 'none' AND NOT {rule_sql.REACHED})"
    incomplete = "o.uscc IS NULL OR o.formal_members IS NULL OR o.probationary_members IS NULL"
    sql = f"""
        SELECT o.id, o.name, o.formal_members, o.formation, o.party_org_id IS NOT NULL,
               {unreached}, o.uscc, o.probationary_members
        FROM organization o
        -- "+": one scan of the rows, not the figures index; sort the few rows found
        WHERE +o.in_base = 1 AND ({should} OR ({missing}) OR {unreached} OR {incomplete})
        ORDER BY +o.name
    """
    for oid, name, formal, formation, has_po, unreached_, code, prob in conn.execute(sql, params):
        for warning in organization_warnings(formal, Formation(formation), has_po):
            yield Gap(warning.rule, "organization", oid, name, warning.message)
        if unreached_:
            yield Gap(
                Rule.NO_WORK_COVERAGE,
                "organization",
                oid,
                name,
                "没有党组织，也没有安排指导员或联络员",
            )
        values = (code, formal, prob)
        lacking = [label for label, at in _REQUIRED if values[at] is None]
        if lacking:
            yield Gap(Rule.INCOMPLETE, "organization", oid, name, "缺" + "、".join(lacking))


def _unpaired(conn: sqlite3.Connection, params: dict[str, str]) -> Iterator[Gap]:
    """C and D units with no pairing in force (a park setting, on unless turned off)."""
    if not unpaired_rule_on(conn):
        return
    for oid, name, code in conn.execute(
        f"SELECT o.id, o.name, o.class_code FROM organization o WHERE +o.in_base = 1"
        f" AND {rule_sql.wants_pairing()} AND NOT {rule_sql.PAIRED} ORDER BY +o.name",
        params,
    ):
        yield Gap(
            Rule.UNPAIRED,
            "organization",
            oid,
            name,
            f"{OrgClass(code).label}，没有正在进行的结对帮带",
        )


def _rectifications_overdue(conn: sqlite3.Connection, params: dict[str, str]) -> Iterator[Gap]:
    """Each unit of a problem past its deadline and not yet rectified (待整改, 整改中)."""
    for oid, name, text, deadline in conn.execute(
        "SELECT o.id, o.name, p.text, p.deadline FROM problem p"
        " JOIN problem_unit pu ON pu.problem_id = p.id"
        " JOIN organization o ON o.id = pu.organization_id"
        f" WHERE {rule_sql.problem_still_open()} AND p.deadline < :today"
        " ORDER BY +o.name, p.deadline",
        params,
    ):
        yield Gap(
            Rule.RECTIFICATION_OVERDUE, "organization", oid, name, f"{text}（期限{deadline}）"
        )


def _not_visited(conn: sqlite3.Connection, today: date) -> Iterator[Gap]:
    """Units on the register in the base not visited for longer than the park's interval.
    Counted once the park records visits at all: before, every unit would be flagged."""
    days = not_visited_days(conn)
    if days <= 0 or conn.execute("SELECT 1 FROM visit LIMIT 1").fetchone() is None:
        return
    since = (today - timedelta(days=days)).isoformat()
    for oid, name, last in conn.execute(
        "SELECT o.id, o.name, (SELECT max(v.visited_on) FROM visit v"
        " WHERE v.organization_id = o.id) AS last FROM organization o"
        " WHERE +o.in_base = 1 AND o.status = 'active'"
        " AND (last IS NULL OR last < ?) ORDER BY +o.name",
        (since,),
    ):
        detail = f"上次走访{last}，已超过{days}天" if last else "没有走访记录"
        yield Gap(Rule.NOT_VISITED, "organization", oid, name, detail)


def _joint_size(conn: sqlite3.Connection, field: field_office.FieldView | None) -> Iterator[Gap]:
    """Joint branches covering more units than the rule allows, or fewer than they join
    (on a laptop, the units the office counts: most of a branch's may not travel)."""
    large, small = rule_sql.joint_too_large(), rule_sql.joint_too_small()
    found = conn.execute(
        f"SELECT p.id, p.name, count(*), {large} FROM party_organization p"
        " JOIN organization o ON o.party_org_id = p.id WHERE p.formation = 'joint'"
        f" GROUP BY p.id HAVING {large} OR {small} ORDER BY +p.name"
    )
    if field is not None:
        found = _office_joint_sizes(conn, field)
    for pid, name, units, too_large in found:
        if too_large:
            detail = f"覆盖{units}个单位，一般不超过{rules.JOINT_MAX_UNITS}个"
            yield Gap(Rule.JOINT_TOO_LARGE, "party_organization", pid, name, detail)
        else:
            detail = rules.joint_too_small_message(units)
            yield Gap(Rule.JOINT_TOO_SMALL, "party_organization", pid, name, detail)


def _office_joint_sizes(conn: sqlite3.Connection, field: field_office.FieldView) -> list[tuple]:
    """The joint branches on a laptop, sized by the office's count of their units (none
    said of a branch whose count did not travel: an older package)."""
    out = []
    for pid, name in conn.execute(
        "SELECT p.id, p.name FROM party_organization p WHERE p.formation = 'joint' ORDER BY +p.name"
    ):
        units = field.party_units.get(pid)
        if units is None:
            continue
        if units > rules.JOINT_MAX_UNITS or units < rules.JOINT_MIN_UNITS:
            out.append((pid, name, units, units > rules.JOINT_MAX_UNITS))
    return out


def _party_org_gaps(conn: sqlite3.Connection, today: date) -> Iterator[Gap]:
    """Elections overdue or due soon, and no secretary."""
    # a generous first cut (terms.election_status decides): the election of a usual
    # term falls due within the window when it was held before these days
    horizon = today + timedelta(days=rule_sql.election_window_days())
    cut = {"cut3": _years_before(horizon, 3), "cut5": _years_before(horizon, 5)}
    sql = """
        SELECT p.id, p.name, p.last_election, p.term_years, p.postponed_until, p.secretary
        FROM party_organization p
        WHERE p.last_election <= CASE p.term_years WHEN 3 THEN :cut3 WHEN 5 THEN :cut5
              ELSE date(:horizon, '-' || p.term_years || ' years') END
           OR p.postponed_until IS NOT NULL OR trim(p.secretary) = ''
        ORDER BY +p.name
    """
    verdicts: dict[tuple[str | None, int, str | None], tuple[Rule | None, str]] = {}
    for pid, name, last, term, postponed, secretary in conn.execute(
        sql, {**cut, "horizon": horizon.isoformat()}
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
            yield Gap(verdict[0], "party_organization", pid, name, verdict[1])
        if not secretary.strip():
            yield Gap(Rule.NO_SECRETARY, "party_organization", pid, name, "未填写书记")


def _years_before(day: date, years: int) -> str:
    return add_years(day, -years).isoformat()


def _instructors_overloaded(conn: sqlite3.Connection, params: dict[str, str]) -> Iterator[Gap]:
    for iid, name, n, capacity in conn.execute(
        "SELECT i.id, i.name, count(*), i.capacity FROM instructor i"
        f" JOIN assignment a ON a.instructor_id = i.id AND {rule_sql.ASSIGNMENT_IN_FORCE}"
        " WHERE i.active = 1 AND i.capacity IS NOT NULL"
        " GROUP BY i.id HAVING count(*) > i.capacity ORDER BY i.name",
        params,
    ):
        yield Gap(
            Rule.INSTRUCTOR_OVERLOADED, "instructor", iid, name, f"联系{n}个单位，上限{capacity}个"
        )
