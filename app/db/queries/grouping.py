"""The grouping's queries (分类管理, 编组共建, 结对帮带, 指导员推荐): the yearly review's
units, the clusters with their members, leaders and year's figures, the pairings
and their entries, the units nobody reaches and the instructors who could. Plain
text run on the sqlite3 connections; the rules' conditions are rule_sql.py's."""

from __future__ import annotations

from collections.abc import Iterable

from app.db import rule_sql
from app.db.dialect import ids_in, joined
from app.domain.vocabulary import ClusterRecordKind

K = ClusterRecordKind

# -- the yearly class review (classes.py) ------------------------------------------


def review_units_sql(proposals_only: bool = False, assessed: Iterable[int] = ()) -> str:
    """The units on the register (closed and moved-out ones excepted), the last column
    a first cut of those whose class the facts may contradict; with ``proposals_only``
    only those, and the units assessed (their ids) beside them."""
    narrower = ""
    if proposals_only:
        narrower = rule_sql.class_may_contradict()
        ids = list(assessed)
        if ids:
            narrower = f"({narrower} OR o.id IN ({', '.join(map(str, ids))}))"
        narrower = f"AND {narrower}"
    return (
        "SELECT o.id, o.uscc, o.name, o.kind, o.formation, o.class_code,"
        " o.formal_members, o.probationary_members, o.activists,"
        f" {rule_sql.class_may_contradict()}"
        f" FROM organization o WHERE o.status = 'active' {narrower}"
    )


# -- the clusters (clusters.py) ----------------------------------------------------

# a cluster's records of one year, by kind and date
CLUSTER_RECORDS_SQL = (
    "SELECT r.id, r.kind, r.dated, coalesce(o.name, ''), r.amount, r.second_amount,"
    " r.title, r.text, r.score, r.honoured, r.parent_id, r.attachment FROM cluster_record r"
    " LEFT JOIN organization o ON o.id = r.organization_id"
    " WHERE r.cluster_id = ? AND r.year = ? ORDER BY r.kind, r.dated, r.id"
)

# the members of the clusters given (a JSON list of ids), the leader first, then by name
MEMBERS_SQL = f"""
SELECT o.cluster_id, o.id, o.uscc, o.name, o.class_code, coalesce(p.name, ''), o.is_cluster_leader
FROM organization o LEFT JOIN party_organization p ON p.id = o.party_org_id
WHERE {ids_in("o.cluster_id")}
ORDER BY o.cluster_id, o.is_cluster_leader DESC, o.name
"""

# each cluster's member names for the search (of the index alone)
NAMES_SQL = f"""
SELECT cluster_id, {joined("name", "char(10)")} FROM organization
WHERE cluster_id IS NOT NULL GROUP BY cluster_id
"""

# each cluster, its units counted and its leader, in name order: the units and the
# leader of the index alone (ix_organization_cluster, migration 0019). A cluster with
# two leaders marked (an old copy's) comes as two rows, one after the other: which one
# leads (the first by name) is picked in Python, not by a sorted subquery a cluster
# (a quarter of the statement's work, measured)
CLUSTER_LIST_SQL = """
SELECT c.id, c.uuid, c.name, c.formed_year, c.notes,
       (SELECT count(*) FROM organization o WHERE o.cluster_id = c.id),
       l.id, l.uscc, l.name, l.class_code, coalesce(p.name, ''), p.id IS NOT NULL,
       coalesce(p.dual_managed, 0)
FROM cluster c
LEFT JOIN organization l ON l.cluster_id = c.id AND l.is_cluster_leader = 1
LEFT JOIN party_organization p ON p.id = l.party_org_id
ORDER BY c.name
"""


def _sum_of(kind: ClusterRecordKind, column: str = "amount") -> str:
    return f"sum(r.{column}) FILTER (WHERE r.kind = '{kind.value}')"


def _count_of(kind: ClusterRecordKind) -> str:
    return f"count(*) FILTER (WHERE r.kind = '{kind.value}')"


# the year's records of each cluster in one grouped read of ix_cluster_record_year
# alone (migration 0026): each kind summed, in YearFigures' order (no quota when none
# was recorded: a sum of no rows is NULL; a quota without its number counts 0), then
# for 衢州's rhythm its first dated record of any kind and its 每季交流's dates
CLUSTER_YEAR_SQL = f"""
SELECT r.cluster_id, coalesce({_sum_of(K.DUES_RETURNED)}, 0), coalesce({_sum_of(K.SPENDING)}, 0),
       sum(coalesce(r.amount, 0)) FILTER (WHERE r.kind = '{K.QUOTA.value}'),
       coalesce({_sum_of(K.ALLOCATION)}, 0),
       coalesce({_sum_of(K.ALLOCATION, "second_amount")}, 0),
       coalesce({_sum_of(K.AWARD)}, 0), {_count_of(K.NOMINATION)},
       min(r.dated), {joined("r.dated", "','")} FILTER (WHERE r.kind = '{K.EXCHANGE.value}')
FROM cluster_record r WHERE r.year = ? GROUP BY r.cluster_id
"""

# the year's allocations of places to units without activists (flagged, not refused);
# the records from ix_cluster_record_year alone (migration 0026)
ALLOCATIONS_WITHOUT_ACTIVISTS_SQL = f"""
SELECT r.cluster_id, o.name, r.amount, o.activists FROM cluster_record r
JOIN organization o ON o.id = r.organization_id
WHERE r.year = ? AND r.kind = '{K.ALLOCATION.value}' AND r.amount > 0
  AND coalesce(o.activists, 0) = 0
ORDER BY r.cluster_id, o.name
"""

# every record of every year, as the 编组记录 sheet lists them
RECORD_CELLS_SQL = (
    "SELECT c.name, r.year, r.kind, r.dated, o.name, o.uscc, r.amount, r.second_amount,"
    " r.title, coalesce(a.title, ''), r.text, r.score, r.honoured"
    " FROM cluster_record r JOIN cluster c ON c.id = r.cluster_id"
    " LEFT JOIN organization o ON o.id = r.organization_id"
    " LEFT JOIN cluster_record a ON a.id = r.parent_id"
    " ORDER BY c.name, r.year, r.kind = 'nomination', r.id"
)

# -- the pairings (pairings.py) ----------------------------------------------------

# every pairing's entries, the oldest first (the workbook's order)
ALL_ENTRIES_SQL = "SELECT id, pairing_id, done_on, text FROM pairing_entry ORDER BY done_on, id"

_PAIRING_LIST_SQL = """
SELECT p.id, p.uuid, p.started_on, p.ended_on, p.goal, p.outcome,
       p.helper_class_at_start, p.helped_class_at_start,
       h.id, h.uscc, h.name, h.class_code, d.id, d.uscc, d.name, d.class_code,
       (SELECT count(*) FROM pairing_entry e WHERE e.pairing_id = p.id)
FROM pairing p JOIN organization h ON h.id = p.helper_id JOIN organization d ON d.id = p.helped_id
{where}ORDER BY p.started_on DESC, p.id DESC
"""
_OF_UNIT = "WHERE p.helper_id = :unit OR p.helped_id = :unit\n"


def pairing_list_sql(of_unit: bool) -> str:
    """Every pairing, the newest first, with its two sides and its entries counted;
    with ``of_unit`` those of the unit ``:unit``, helping or helped."""
    return _PAIRING_LIST_SQL.format(where=_OF_UNIT if of_unit else "")


# the pairings that helped a unit, with the helper's name, the oldest first
PAIRINGS_HELPING_SQL = (
    "SELECT h.name, p.started_on, p.ended_on FROM pairing p"
    " JOIN organization h ON h.id = p.helper_id WHERE p.helped_id = ?"
    " ORDER BY p.started_on"
)

# every pairing by the unit it helped, with the helper's name (a year's class moves)
PAIRINGS_HELPED_SQL = (
    "SELECT p.helped_id, h.name, p.started_on, p.ended_on FROM pairing p"
    " JOIN organization h ON h.id = p.helper_id ORDER BY p.started_on, p.id"
)

# a year's class moves (the yearly workbook's 分类复核): those dated in the year, and the
# year's review recorded after it (a 2026 review confirmed in January 2027), oldest first
YEAR_CLASS_MOVES_SQL = """
SELECT c.organization_id, o.uscc, o.name, c.changed_on, c.from_class, c.to_class,
       c.reason, c.basis, c.basis_ref, c.actor
FROM class_change c JOIN organization o ON o.id = c.organization_id
WHERE c.changed_on BETWEEN :first AND :last OR (c.basis = 'review' AND c.basis_ref = :year)
ORDER BY c.changed_on, c.id
"""

# -- the instructor suggestions (suggestions.py) -----------------------------------

# the units the worklist calls 党的工作未覆盖 (the same conditions, from rule_sql), with
# what tells how close each is to forming an organization (assignment_plan.readiness_key)
UNREACHED_SQL = f"""
SELECT o.id, o.uscc, o.name, o.zone, o.building, o.class_code, o.formal_members, o.activists
FROM organization o
WHERE +o.in_base = 1 AND o.formation = 'none' AND NOT {rule_sql.REACHED}
ORDER BY o.zone, o.building, o.name
"""
# on-duty instructors, and the units each looks after today
HELPERS_SQL = "SELECT id, name, capacity FROM instructor WHERE active = 1 ORDER BY name"
LOOKED_AFTER_SQL = f"""
SELECT a.instructor_id, o.zone, o.building, o.class_code
FROM assignment a JOIN instructor i ON i.id = a.instructor_id
JOIN organization o ON o.id = a.organization_id
WHERE {rule_sql.LOOKED_AFTER}
"""
