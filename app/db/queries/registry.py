"""The registry's queries: the rows of 单位名录 with their party organizations' and
instructors' parts, the pickers' lists, and the park's settings. Plain text run on
the sqlite3 read connection: the first screen reads them before SQLAlchemy is
imported, and SQLAlchemy's row handling would cost about 3× a bare SELECT over
50,000 rows (bench/bench_registry.py)."""

from __future__ import annotations

from collections.abc import Iterable

from app.db.rule_sql import LOOKED_AFTER

# -- the registry's rows (org_list.py) ---------------------------------------------


def numbers(ids: Iterable[int]) -> str:
    """Row ids as an SQL list: integers the database gave, never text from a user."""
    return ",".join(str(int(i)) for i in ids)


def party_org_units_sql(ids: list[int] | None = None) -> str:
    """The units each party organization covers, counted (of ``ids``, or of all)."""
    only = "" if ids is None else f" AND party_org_id IN ({numbers(ids)})"
    return (
        "SELECT party_org_id, count(*) FROM organization"
        f" WHERE party_org_id IS NOT NULL{only} GROUP BY party_org_id"
    )


def party_org_terms_sql(ids: list[int] | None = None) -> str:
    """What a party organization's warnings are worked out from (of ``ids``, or of all)."""
    return (
        "SELECT id, level, formation, last_election, term_years, postponed_until"
        " FROM party_organization" + ("" if ids is None else f" WHERE id IN ({numbers(ids)})")
    )


def active_instructors_sql(ids: list[int] | None = None) -> str:
    """The on-duty instructors assigned on :today to each organization (of ``ids``, or
    of all), by organization and name."""
    only = "" if ids is None else f" AND a.organization_id IN ({numbers(ids)})"
    return (
        "SELECT a.organization_id, i.name FROM assignment a"
        " JOIN instructor i ON i.id = a.instructor_id"
        f" WHERE {LOOKED_AFTER}{only}"
        " ORDER BY a.organization_id, i.name"
    )


_ORG_SQL = """
SELECT o.id, o.uuid, o.uscc, o.name, o.kind, o.industry, o.employees, o.formal_members,
       o.probationary_members, o.activists, o.formation, o.party_org_id, p.name, o.in_base,
       o.status, o.status_date, o.class_code, c.name, o.zone, o.contact, o.phone, o.address
FROM organization o
LEFT JOIN party_organization p ON p.id = o.party_org_id
LEFT JOIN cluster c ON c.id = o.cluster_id
{where}ORDER BY o.id
"""


def org_rows_sql(ids: list[int] | None = None) -> str:
    """The registry rows of ``ids`` (every organization for None), in id order."""
    return _ORG_SQL.format(where="" if ids is None else f"WHERE o.id IN ({numbers(ids)})\n")


# every organization's name and id (the first screen picks its rows from them)
NAMES_SQL = "SELECT name, id FROM organization"
# a picker's units: id, name, credit code, in the base
UNIT_CHOICES_SQL = "SELECT id, name, uscc, in_base FROM organization ORDER BY id"
# every organization's name by its UUID (what a package names its units by)
NAMES_BY_UUID_SQL = "SELECT uuid, name FROM organization"

# -- the park's settings (park.py) -------------------------------------------------

CLUSTER_CHOICES_SQL = "SELECT id, name FROM cluster ORDER BY name"
# a park setting's value, by its key
SETTING_SQL = "SELECT value FROM setting WHERE key = ?"
