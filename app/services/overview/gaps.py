"""The gap worklist (预警): every record a rule flags, with the rule and a detail.

One plain SQL scan per table of rules (the units' in unit_gaps.py, one scan for all
seven of theirs), each condition from rule_sql.py (no row objects for the whole
registry); the messages are the domain's (app/domain/rules.py), as the registry's
warning column shows them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta

from app.db import rule_sql
from app.db.database import Database
from app.db.queries import overview as q
from app.domain import rules
from app.domain.assignment_plan import over_capacity_text
from app.domain.rules import Rule
from app.domain.terms import TERM_YEARS, ElectionState, add_years, election_status
from app.gc_pause import collector_paused
from app.services.field import field_office
from app.services.overview.gap import Found, Gap
from app.services.overview.unit_gaps import unit_gaps

_ELECTION_RULES = {
    ElectionState.OVERDUE: Rule.ELECTION_OVERDUE,
    ElectionState.DUE_SOON: Rule.ELECTION_DUE_SOON,
}


def find_gaps(db: Database, today: date | None = None) -> list[Gap]:
    """Every gap, rule by rule, names in order within each rule."""
    today = today or date.today()
    found = Found()
    # a 50,000-unit park makes 60,000 gaps and as many rows: no cycles among them (gc_pause.py)
    with collector_paused(), db.read_connection() as conn:
        field = field_office.view(conn)
        unit_gaps(conn, today, found)
        for gap in (
            *_joint_size(conn, field),
            *_party_org_gaps(conn, today),
            *_instructors_overloaded(conn, {"today": today.isoformat()}),
        ):
            found.by_rule[gap.rule].append(gap)
    out = found.gaps()
    if field is not None:
        out = [g for g in out if _told_on_a_laptop(g, field)]
    return out


def _told_on_a_laptop(gap: Gap, field: field_office.FieldView) -> bool:
    """A field database holds a few units: a unit's gaps only for the package's own (a
    pairing partner's visits and problems stay at the office), and no instructor's
    load (their other units are not on the laptop)."""
    if gap.record == "organization":
        return field.in_scope(gap.record_id)
    return gap.rule is not Rule.INSTRUCTOR_OVERLOADED


def _joint_size(conn: sqlite3.Connection, field: field_office.FieldView | None) -> Iterator[Gap]:
    """Joint branches covering more units than the rule allows, or fewer than they join
    (on a laptop, the units the office counts: most of a branch's may not travel)."""
    found = conn.execute(q.joint_sizes_sql())
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
    for pid, name in conn.execute(q.JOINT_BRANCHES_SQL):
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
    cut = {f"cut{years}": _years_before(horizon, years) for years in TERM_YEARS}
    sql = q.elections_sql(TERM_YEARS)
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
    for iid, name, n, capacity in conn.execute(q.instructors_overloaded_sql(), params):
        yield Gap(
            Rule.INSTRUCTOR_OVERLOADED, "instructor", iid, name, over_capacity_text(n, capacity)
        )
