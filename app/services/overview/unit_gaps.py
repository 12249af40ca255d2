"""The worklist's rules on units (应建未建, 党组织未录入, 党的工作未覆盖, 报送信息不全,
未结对, 长期未走访) in ONE scan of the organization table; 整改逾期 from its problems.

Each rule used to scan the table on its own, with a subquery per unit and a sort of
its names. Here one statement tests every rule on a row and answers the row once,
with a bit per rule that flags it, and one sort by name serves the six rules. The
overdue problems are a few thousand: read on their own with their units' names, they
cost less than asking each of 50,000 units whether it has one. The conditions are
rule_sql.py's, as the figures and the registry ask them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date, timedelta

from app.db.queries import overview as q
from app.domain.rules import Rule, organization_warnings
from app.domain.vocabulary import Formation, OrgClass
from app.services.overview.gap import Found, Gap
from app.services.registry.park import not_visited_days, unpaired_rule_on

# the bit a rule sets in a row's flags
SHOULD_OR_MISSING = 1 | 2  # 应建未建 (1), 党组织未录入 (2): the domain words them
UNREACHED = 4
NO_USCC, NO_FORMAL, NO_PROBATIONARY = 8, 16, 32
UNPAIRED = 64
# what a registry row lacks for the submission, by its bit
_REQUIRED = (
    ("统一社会信用代码", NO_USCC),
    ("正式党员数", NO_FORMAL),
    ("预备党员数", NO_PROBATIONARY),
)
_INCOMPLETE = NO_USCC | NO_FORMAL | NO_PROBATIONARY

_UNREACHED = "没有党组织，也没有安排指导员或联络员"


def unit_gaps(conn: sqlite3.Connection, today: date, found: Found) -> None:
    """Every unit's gaps, each rule's in name order."""
    days = not_visited_days(conn)
    visits = days > 0 and conn.execute(q.ANY_VISIT_SQL).fetchone() is not None
    params = {
        "today": today.isoformat(),
        # counted once the park records visits at all: before, every unit would be flagged
        "visits": visits,
        "since": (today - timedelta(days=days)).isoformat(),
        "pairing": unpaired_rule_on(conn),
    }
    since, unit, new, by_rule = params["since"], "organization", tuple.__new__, found.by_rule
    # tens of thousands of gaps: tuple.__new__ skips NamedTuple's __new__ (a Python function)
    uncovered, incomplete = by_rule[Rule.NO_WORK_COVERAGE].append, by_rule[Rule.INCOMPLETE].append
    unpaired = by_rule[Rule.UNPAIRED].append
    unvisited = by_rule[Rule.NOT_VISITED].append
    no_pairing = {c.value: f"{c.label}，没有正在进行的结对帮带" for c in OrgClass}
    stale = {"": "没有走访记录"}
    for oid, name, flags, last, formal, formation, has_po, code in conn.execute(
        q.unit_scan_sql(), params
    ):
        if flags:  # most rows are only not visited
            if flags & SHOULD_OR_MISSING:
                for w in organization_warnings(formal, Formation(formation), has_po):
                    by_rule[w.rule].append(new(Gap, (w.rule, unit, oid, name, w.message)))
            if flags & UNREACHED:
                uncovered(new(Gap, (Rule.NO_WORK_COVERAGE, unit, oid, name, _UNREACHED)))
            if flags & _INCOMPLETE:
                lacking = "缺" + "、".join(label for label, bit in _REQUIRED if flags & bit)
                incomplete(new(Gap, (Rule.INCOMPLETE, unit, oid, name, lacking)))
            if flags & UNPAIRED:
                unpaired(new(Gap, (Rule.UNPAIRED, unit, oid, name, no_pairing[code])))
        if last is not None and last < since:
            detail = stale.get(last)
            if detail is None:  # units share their last visit's day: worded once a day
                detail = stale[last] = f"上次走访{last}，已超过{days}天"
            unvisited(new(Gap, (Rule.NOT_VISITED, unit, oid, name, detail)))
    _overdue(conn, params["today"], by_rule[Rule.RECTIFICATION_OVERDUE].append)


def _overdue(conn: sqlite3.Connection, today: str, late: Callable[[Gap], None]) -> None:
    """整改逾期: each unit's problems past their deadline, units in name order, a unit's
    problems by deadline; read on their own (a few thousand), not asked of every unit
    in the scan."""
    new, unit = tuple.__new__, "organization"
    for oid, name, text, deadline in conn.execute(q.OVERDUE_SQL, {"today": today}):
        late(new(Gap, (Rule.RECTIFICATION_OVERDUE, unit, oid, name, f"{text}（期限{deadline}）")))
