"""The county's queries: its parks, their submissions in force, the figures counted
from the submitted units (by the rules' SQL, as a park's own figures are), the
duplicates across parks. Portable SQL: nothing here is SQLite's alone."""

from __future__ import annotations

from app.db import rule_sql

# a park's submission of a quarter in force: the newest, not replaced
IN_FORCE = "s.replaced_by IS NULL"

PARKS = (
    "SELECT p.id, p.name, p.reporting_unit, p.source_uuid FROM park p"
    " WHERE p.level = 'park' ORDER BY p.name"
)

# every submission in force, by park and quarter
SUBMISSIONS = f"""
SELECT s.id, s.park_id, s.quarter, s.source, s.file_name, s.imported_at, s.exported_at,
       s.units, s.assessment_period, s.excellent
FROM county_submission s
WHERE {IN_FORCE}
ORDER BY s.park_id, s.quarter
"""


def figures_sql(where: str) -> str:
    """The figures of the submissions ``where`` picks (on county_submission s), by
    submission, kind and formation; the last column: units without a party organization
    that an on-duty instructor reaches (the park's own work coverage rule)."""
    return f"""
SELECT o.submission_id, o.kind, o.formation, count(*),
       sum(coalesce(o.formal_members, 0)), sum(coalesce(o.probationary_members, 0)),
       sum(coalesce(o.activists, 0)),
       sum(CASE WHEN o.investor_is_member THEN 1 ELSE 0 END),
       sum(CASE WHEN {rule_sql.three_plus()} THEN 1 ELSE 0 END),
       sum(CASE WHEN {rule_sql.should_set_up()} THEN 1 ELSE 0 END),
       sum(CASE WHEN o.formation = 'none' AND o.looked_after THEN 1 ELSE 0 END)
FROM county_unit o
JOIN county_submission s ON s.id = o.submission_id
WHERE o.in_base = 1 AND {where}
GROUP BY o.submission_id, o.kind, o.formation
"""


def classes_sql(where: str) -> str:
    return f"""
SELECT o.submission_id, o.class_code, o.kind, count(*)
FROM county_unit o
JOIN county_submission s ON s.id = o.submission_id
WHERE o.in_base = 1 AND {where}
GROUP BY o.submission_id, o.class_code, o.kind
"""


def party_orgs_sql(where: str) -> str:
    """Party organizations (not units) by formation: a joint one once, by its name."""
    return f"""
SELECT o.submission_id, o.formation, count(DISTINCT o.party_org)
FROM county_unit o
JOIN county_submission s ON s.id = o.submission_id
WHERE o.formation != 'none' AND o.party_org != '' AND {where}
GROUP BY o.submission_id, o.formation
"""


# the units of the submissions given (by id), with their park, in name order
UNITS = """
SELECT o.id, p.name, s.quarter, o.name, o.uscc, o.kind, o.formation, o.party_org,
       o.in_base, o.formal_members, o.probationary_members, o.activists, o.looked_after,
       o.class_code, o.sheet_row
FROM county_unit o
JOIN county_submission s ON s.id = o.submission_id
JOIN park p ON p.id = s.park_id
WHERE o.submission_id IN ({ids})
ORDER BY o.name, p.name
"""

# one credit code reported by units of two or more parks (the submissions given)
SAME_CODE = """
SELECT o.uscc, o.name, p.name
FROM county_unit o
JOIN county_submission s ON s.id = o.submission_id
JOIN park p ON p.id = s.park_id
WHERE o.submission_id IN ({ids}) AND o.uscc != '' AND o.uscc IN (
    SELECT u.uscc FROM county_unit u
    JOIN county_submission t ON t.id = u.submission_id
    WHERE u.submission_id IN ({ids}) AND u.uscc != ''
    GROUP BY u.uscc HAVING count(DISTINCT t.park_id) > 1)
ORDER BY o.uscc, p.name
"""

# one name with different credit codes in two or more parks
SAME_NAME = """
SELECT o.name, o.uscc, p.name
FROM county_unit o
JOIN county_submission s ON s.id = o.submission_id
JOIN park p ON p.id = s.park_id
WHERE o.submission_id IN ({ids}) AND o.uscc != '' AND o.name IN (
    SELECT u.name FROM county_unit u
    JOIN county_submission t ON t.id = u.submission_id
    WHERE u.submission_id IN ({ids}) AND u.uscc != ''
    GROUP BY u.name HAVING count(DISTINCT t.park_id) > 1 AND count(DISTINCT u.uscc) > 1)
ORDER BY o.name, p.name
"""

# a submission's units as a diff compares them
UNIT_FACTS = """
SELECT uscc, name, kind, formation, party_org, in_base, formal_members,
       probationary_members, activists, investor_is_member, looked_after, class_code
FROM county_unit WHERE submission_id = ?
"""

UNIT_COLUMNS = (
    "id",
    "submission_id",
    "sheet_row",
    "uscc",
    "name",
    "kind",
    "formation",
    "party_org",
    "in_base",
    "formal_members",
    "probationary_members",
    "activists",
    "investor_is_member",
    "looked_after",
    "class_code",
)

PARK_BY_SOURCE = "SELECT id, name FROM park WHERE source_uuid = ?"
# is this database empty (neither a park's nor a county's)?
PARKS_AND_UNITS = "SELECT (SELECT count(*) FROM park), (SELECT count(*) FROM organization)"
# every park and the county's own row: names are compared by park_key (spaces, widths)
PARK_NAMES = "SELECT id, source_uuid, level, name FROM park"
# the file in force as another park's submission (park_id: the park it matched, or -1)
SAME_FILE_ELSEWHERE = f"""
SELECT p.name, s.quarter FROM county_submission s JOIN park p ON p.id = s.park_id
WHERE s.file_hash = ? AND s.park_id <> ? AND {IN_FORCE}
"""
# a park's newest quarter in force (codes sort as quarters: 2026Q4 > 2026Q3)
LATEST_QUARTER = (
    f"SELECT max(s.quarter) FROM county_submission s WHERE s.park_id = ? AND {IN_FORCE}"
)
# the submission of a park's quarter in force
CURRENT_SUBMISSION = f"""
SELECT s.id, s.file_hash, s.imported_at FROM county_submission s
WHERE s.park_id = ? AND s.quarter = ? AND {IN_FORCE}
"""
