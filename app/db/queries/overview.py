"""The overview's queries (总览 and 预警): the coverage figures and the list behind each,
the class counts, the submitted quarters, the cluster and field-work counts, and the
worklist's scans. Plain text run on the sqlite3 read connection: the overview opens
first and reads without loading SQLAlchemy (start-up time; bench/). The rules'
conditions are rule_sql.py's, built when a query is made, so a rule's number changed
changes every figure that asks it."""

from __future__ import annotations

from collections.abc import Iterable

from app.db import rule_sql
from app.db.dialect import joined, not_flattened, unindexed, years_before
from app.db.rule_sql import LOOKED_AFTER
from app.domain.assignment_plan import ASSUMED_CAPACITY
from app.domain.vocabulary import UNCLASSIFIED, OrgClass

# -- the coverage figures (figures.py) --------------------------------------------


def figures_sql() -> str:
    """The units in the base by kind and formation, with their members and the rules'
    counts (three or more formal members, 应建未建)."""
    return f"""
SELECT o.kind, o.formation, count(*),
       sum(coalesce(o.formal_members, 0)), sum(coalesce(o.probationary_members, 0)),
       sum(coalesce(o.activists, 0)), sum(coalesce(o.investor_is_member, 0)),
       sum({rule_sql.three_plus()}), sum({rule_sql.should_set_up()})
FROM organization o
WHERE o.in_base = 1
GROUP BY o.kind, o.formation
"""


# organizations without a party organization that an on-duty instructor reaches today
REACHED_SQL = f"""
SELECT o.kind, count(DISTINCT o.id)
FROM assignment a
JOIN instructor i ON i.id = a.instructor_id
JOIN organization o ON o.id = a.organization_id
WHERE {LOOKED_AFTER}
  AND o.in_base = 1 AND o.formation = 'none'
GROUP BY o.kind
"""

INSTRUCTORS_ACTIVE_SQL = "SELECT count(*) FROM instructor WHERE active = 1"

# a party organization p records a venue (活动场所): its units' 党员活动室
VENUE_RECORDED = "trim(coalesce(p.venue, '')) != ''"
HAS_ROOM = (
    f"EXISTS (SELECT 1 FROM party_organization p WHERE p.id = o.party_org_id AND {VENUE_RECORDED})"
)

# Every party organization once, with its units read from ix_organization_party_org
# alone (migration 0026): its level and formation, its kind from its units' (all
# 'enterprise' or all 'social', 'mixed' when both, 'none' when it covers none), and how
# many of its units are own-branch enterprises in the base with its venue recorded (党员
# 活动室; the figures' scan counts those units in the base, rooms or not). Counted, not
# compared as text: min(kind) = max(kind) over the units cost twice the read.
PARTY_ORG_FIGURES_SQL = f"""
SELECT level, formation,
       CASE WHEN n = 0 THEN 'none' WHEN enterprises = n THEN 'enterprise'
            WHEN socials = n THEN 'social' ELSE 'mixed' END,
       count(*), sum(rooms)
FROM (
    SELECT p.level AS level, p.formation AS formation, count(o.party_org_id) AS n,
           coalesce(sum(o.kind = 'enterprise'), 0) AS enterprises,
           coalesce(sum(o.kind = 'social'), 0) AS socials,
           CASE WHEN {VENUE_RECORDED} THEN coalesce(sum(
               o.kind = 'enterprise' AND o.in_base = 1 AND o.formation = 'own'), 0)
           ELSE 0 END AS rooms
    FROM party_organization p
    LEFT JOIN organization o ON o.party_org_id = p.id
    GROUP BY p.id
) AS by_org
GROUP BY level, formation, 3
"""


def measure_condition(measure: str) -> str:
    """The condition on organization o (with ``reached`` joined) that a figure counts;
    made when asked for, from the rules as they are then."""
    return {
        "base": "1",
        "covered": "o.formation != 'none'",
        "uncovered": "o.formation = 'none'",
        "own": "o.formation = 'own'",
        "work_covered": "(o.formation != 'none' OR reached.organization_id IS NOT NULL)",
        "work_uncovered": "(o.formation = 'none' AND reached.organization_id IS NULL)",
        "should_set_up": rule_sql.should_set_up(),
        # 党员活动室 (the enterprise's own party organization's venue), and without one
        "room": f"(o.kind = 'enterprise' AND o.formation = 'own' AND {HAS_ROOM})",
        "no_room": f"(o.kind = 'enterprise' AND o.formation = 'own' AND NOT {HAS_ROOM})",
        **{f"class_{c.value}": f"o.class_code = '{c.value}'" for c in OrgClass},
        f"class_{UNCLASSIFIED}": "o.class_code IS NULL",
    }[measure]


def figure_list_sql(condition: str, by_kind: bool) -> str:
    """The organizations a figure counts (``condition`` from measure_condition), with
    the instructors who reach them; ``:kind`` when ``by_kind``."""
    return f"""
        SELECT o.id, o.name, coalesce(o.uscc, ''), o.kind, o.formation, o.formal_members,
               o.no_party_org_reason, coalesce(reached.names, '')
        FROM organization o
        LEFT JOIN (
            SELECT a.organization_id, {joined("i.name", "'、'")} AS names FROM assignment a
            JOIN instructor i ON i.id = a.instructor_id
            WHERE {LOOKED_AFTER}
            GROUP BY a.organization_id
        ) reached ON reached.organization_id = o.id
        WHERE o.in_base = 1 AND {condition} {"AND o.kind = :kind" if by_kind else ""}
        ORDER BY o.name
    """


# from ix_organization_class alone (migration 0020): the overview's first read
CLASS_COUNT_SQL = (
    "SELECT class_code, kind, count(*) FROM organization WHERE in_base = 1"
    " GROUP BY class_code, kind"
)

# the figures each quarter's submission reported: the newest export of each quarter
SUBMITTED_FIGURES_SQL = (
    "SELECT quarter, figures FROM submission WHERE id IN"
    " (SELECT max(id) FROM submission GROUP BY quarter) ORDER BY quarter"
)

# -- the counts of clusters and field work (overview_counts.py) -------------------

CLUSTERS_SQL = "SELECT count(*) FROM cluster"
# units in the base in a cluster, and in none
UNITS_CLUSTERED_SQL = (
    "SELECT count(cluster_id), count(*) - count(cluster_id) FROM organization WHERE in_base = 1"
)
VISITS_BETWEEN_SQL = "SELECT count(*) FROM visit WHERE visited_on >= ? AND visited_on <= ?"


def open_problems_sql() -> str:
    """Problems not yet rectified, and how many of them are past their deadline (?)."""
    return (
        f"SELECT count(*), coalesce(sum(deadline < ?), 0) FROM problem"
        f" p WHERE {rule_sql.problem_still_open()}"
    )


# 共性 problems not in the status given (verified)
COMMON_PROBLEMS_SQL = "SELECT count(*) FROM problem WHERE common AND status != ?"

# -- the worklist (gaps.py, unit_gaps.py) -----------------------------------------


def joint_sizes_sql() -> str:
    """Joint branches covering more units than the rule allows, or fewer than they join;
    the last column says which."""
    large, small = rule_sql.joint_too_large(), rule_sql.joint_too_small()
    return (
        f"SELECT p.id, p.name, count(*), {large} FROM party_organization p"
        " JOIN organization o ON o.party_org_id = p.id WHERE p.formation = 'joint'"
        f" GROUP BY p.id HAVING {large} OR {small} ORDER BY {unindexed('p.name')}"
    )


# the joint branches on a laptop (the office's count of their units travels with them)
JOINT_BRANCHES_SQL = (
    "SELECT p.id, p.name FROM party_organization p WHERE p.formation = 'joint'"
    f" ORDER BY {unindexed('p.name')}"
)


def elections_sql(term_years: Iterable[int]) -> str:
    """A generous first cut (terms.election_status decides): the election of a usual
    term falls due within the window when it was held before ``:cut<years>``; another
    term is counted back from ``:horizon``. Also postponed ones and no secretary."""
    usual = " ".join(f"WHEN {years} THEN :cut{years}" for years in term_years)
    return f"""
        SELECT p.id, p.name, p.last_election, p.term_years, p.postponed_until, p.secretary
        FROM party_organization p
        WHERE p.last_election <= CASE p.term_years {usual}
              ELSE {years_before(":horizon", "p.term_years")} END
           OR p.postponed_until IS NOT NULL OR trim(p.secretary) = ''
        ORDER BY {unindexed("p.name")}
    """


def instructors_overloaded_sql() -> str:
    """On-duty instructors with more units in force on :today than their capacity, the
    assumed one when none is set (assignment_plan.capacity_limit)."""
    return (
        "SELECT i.id, i.name, count(*), i.capacity FROM instructor i"
        f" JOIN assignment a ON a.instructor_id = i.id AND {rule_sql.ASSIGNMENT_IN_FORCE}"
        " WHERE i.active = 1"
        f" GROUP BY i.id HAVING count(*) > coalesce(i.capacity, {ASSUMED_CAPACITY})"
        " ORDER BY i.name"
    )


# the park records visits at all (before, every unit would be flagged not visited)
ANY_VISIT_SQL = "SELECT 1 FROM visit LIMIT 1"

# the units of a problem past its deadline and not yet rectified (待整改, 整改中)
OVERDUE_SQL = f"""SELECT o.id, o.name, p.text, p.deadline FROM problem p
    JOIN problem_unit pu ON pu.problem_id = p.id JOIN organization o ON o.id = pu.organization_id
    WHERE {rule_sql.problem_still_open()} AND p.deadline < :today
    ORDER BY o.name, o.id, p.deadline, p.id"""


def unit_scan_sql() -> str:
    """The worklist's rules on units in one scan: a bit per rule in ``flags`` (unit_gaps.py
    names them), the last visit when visits are counted. Each CASE asks its subquery only
    of the rows it concerns. The inner LIMIT keeps the scan a subquery of its own, so each
    row's flags are worked out once (flattened, the outer WHERE would ask the subqueries
    again)."""
    return f"""
    SELECT id, name, flags, last,
           -- what the words of a rule need, only on its rows (a row read costs per value)
           CASE WHEN flags & 3 THEN formal_members END, CASE WHEN flags & 3 THEN formation END,
           has_po, CASE WHEN flags & 64 THEN class_code END
    FROM (
        SELECT o.id, o.name, o.formal_members, o.formation,
               o.party_org_id IS NOT NULL AS has_po, o.class_code,
               -- "<<" binds no tighter than "|" in SQL: each bit in its brackets
               CASE WHEN o.in_base = 1 THEN
                   ({rule_sql.should_set_up()})
                 | (({rule_sql.PARTY_ORG_MISSING}) << 1)
                 | ((CASE WHEN o.formation = 'none' THEN NOT {rule_sql.REACHED} ELSE 0 END) << 2)
                 | ((o.uscc IS NULL) << 3) | ((o.formal_members IS NULL) << 4)
                 | ((o.probationary_members IS NULL) << 5)
                 | ((CASE WHEN :pairing AND {rule_sql.wants_pairing()}
                          THEN o.id NOT IN ({rule_sql.PAIRED_UNITS}) ELSE 0 END) << 6)
               ELSE 0 END AS flags,
               CASE WHEN :visits AND o.in_base = 1 AND o.status = 'active' THEN coalesce(
                   (SELECT v.visited_on FROM visit v WHERE v.organization_id = o.id
                    ORDER BY v.visited_on DESC LIMIT 1), '') END AS last
        FROM organization o{not_flattened()})
    WHERE flags OR last < :since
    ORDER BY {unindexed("name")}, id
    """
