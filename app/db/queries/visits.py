"""The visits' and the problems' queries: a visit's photos, the lists of visits and
problems (the window's 走访 and 问题 pages), a unit's or an instructor's lines, the
instructors by name, a worklist gap raised as a problem. Built from the rules'
fragments (app/db/rule_sql.py) where a rule decides."""

from __future__ import annotations

from app.db import rule_sql
from app.db.dialect import joined, unindexed

ATTACHMENTS_OF_VISIT = "SELECT name, stored FROM visit_attachment WHERE visit_id = ? ORDER BY id"
PROBLEM_ID_BY_UUID = "SELECT id FROM problem WHERE uuid = ?"


def units_of_sql(table: str, key: str) -> str:
    """The units a link ``table`` ties to its owner (``key``: a problem, a visit): owner,
    unit id, credit code, name, in the links' order."""
    return (
        f"SELECT t.{key}, o.id, o.uscc, o.name FROM {table} t"
        " JOIN organization o ON o.id = t.organization_id ORDER BY t.id"
    )


PROBLEM_HISTORIES = (
    "SELECT problem_id, from_status, to_status, note, happened_on, changed_by"
    " FROM problem_event ORDER BY happened_on, created_at, id"
)
PROBLEMS = (
    "SELECT id, uuid, text, common, rectification, responsible, deadline, status,"
    " raised_on, verified_on, verify_note, visit_id FROM problem"
)
UNITS = "SELECT id, uscc, name FROM organization"
# a year's tally (visit_summary.py): the year's visits counted by kind, in all and per
# instructor (NULL: a visit with none named), every problem's dates and status, its
# status changes' days, and the instructors of the visits problems were found on
# (unindexed: a year is much of the table, scanned in a third of the time the date's
# index takes with a look-up of the table for every visit)
YEAR_VISITS_BY_KIND = (
    f"SELECT kind, count(*) FROM visit WHERE {unindexed('visited_on')} BETWEEN :first AND :last"
    " GROUP BY kind"
)
YEAR_VISITS_BY_INSTRUCTOR = (
    "SELECT vi.instructor_id, v.kind, count(*) FROM visit v"
    " LEFT JOIN visit_instructor vi ON vi.visit_id = v.id"
    f" WHERE {unindexed('v.visited_on')} BETWEEN :first AND :last"
    " GROUP BY vi.instructor_id, v.kind"
)
PROBLEM_DAYS = "SELECT id, visit_id, common, deadline, status, raised_on, verified_on FROM problem"
PROBLEM_STEPS = (
    "SELECT problem_id, from_status, to_status, happened_on"
    " FROM problem_event ORDER BY happened_on, created_at, id"
)
PROBLEM_VISIT_INSTRUCTORS = (
    "SELECT vi.visit_id, vi.instructor_id FROM visit_instructor vi"
    " WHERE vi.visit_id IN (SELECT visit_id FROM problem) ORDER BY vi.id"
)
# +visited_on: sorted whole by SQLite, not walked through the date's index (a look-up of
# the table for every visit, half again the time).
# (dialect.unindexed: PostgreSQL's planner chooses the sort itself)
VISITS = (
    "SELECT id, uuid, visited_on, organization_id, kind, content, people_met FROM visit"
    f" ORDER BY {unindexed('visited_on')} DESC, id DESC"
)
INSTRUCTOR_NAMES = "SELECT id, name FROM instructor"
VISIT_INSTRUCTORS = "SELECT visit_id, instructor_id FROM visit_instructor ORDER BY id"
INSTRUCTORS_BY_ID = "SELECT id, name FROM instructor ORDER BY id"
# the instructors in force looking after one unit (:unit, :today)
INSTRUCTORS_OF_UNIT = (
    "SELECT instructor_id FROM assignment a"
    f" WHERE organization_id = :unit AND {rule_sql.ASSIGNMENT_IN_FORCE}"
)

# a record's page: its visits (newest first) and its problems (by deadline), ``where``
# picking them (on v, and on p / pu).
VISIT_LINES = f"""
SELECT v.visited_on, o.name, v.kind, v.content,
       (SELECT {joined("i.name", "'、'")} FROM visit_instructor vi
        JOIN instructor i ON i.id = vi.instructor_id WHERE vi.visit_id = v.id)
FROM visit v JOIN organization o ON o.id = v.organization_id
WHERE {{where}} ORDER BY v.visited_on DESC, v.id DESC
"""
PROBLEM_LINES = """
SELECT DISTINCT p.id, o.name, p.text, p.status, p.deadline FROM problem p
JOIN problem_unit pu ON pu.problem_id = p.id JOIN organization o ON o.id = pu.organization_id
WHERE {where} ORDER BY p.deadline IS NULL, p.deadline, p.id
"""
# the WHEREs of a unit's lines and of an instructor's
OF_UNIT = ("v.organization_id = ?", "pu.organization_id = ?")
OF_INSTRUCTOR = (
    "v.id IN (SELECT visit_id FROM visit_instructor WHERE instructor_id = ?)",
    f"{rule_sql.problem_still_open()} AND p.visit_id IN"
    " (SELECT visit_id FROM visit_instructor WHERE instructor_id = ?)",
)

# a worklist gap as a problem: a party organization's units, and whether it was raised
UNITS_OF_PARTY_ORG = "SELECT id FROM organization WHERE party_org_id = ? ORDER BY id"
GAP_RAISED = (
    "SELECT 1 FROM problem p JOIN problem_unit pu ON pu.problem_id = p.id"
    f" WHERE p.source = ? AND {rule_sql.problem_still_open()} AND pu.organization_id = ?"
)
