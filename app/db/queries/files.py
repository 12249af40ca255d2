"""The files' queries: the audit log's entries written straight through sqlite3 (bulk
changes, undo's cascades) and the integrity check's reads of any copy of a database.
Table and column names come from the models (never from a user); values are
parameters. The integrity check asks SQLite itself (PRAGMA integrity_check,
foreign_key_check, json_valid, GLOB): it checks SQLite files."""

from __future__ import annotations

from collections.abc import Iterable

from app.db.dialect import ids_in, json_object
from app.domain.vocabulary import ProblemStatus

# -- the audit log (audit.py) ------------------------------------------------------

# one entry: change, when, who, action, summary, entity, its id and uuid, before, after
AUDIT_ENTRY_SQL = (
    "INSERT INTO audit_entry (change_id, at, actor, action, summary, entity,"
    " entity_id, entity_uuid, before, after, undone) VALUES (?,?,?,?,?,?,?,?,?,?,0)"
)

# one entry for rows created in bulk with the ids first..last (undo deletes them)
AUDIT_CREATED_RANGE_SQL = (
    "INSERT INTO audit_entry (change_id, at, actor, action, summary, entity,"
    " entity_id, last_entity_id, entity_uuid, before, after, undone)"
    " VALUES (?, ?, ?, 'create', ?, ?, ?, ?, '', NULL, NULL, 0)"
)


def ids_where_sql(table: str, where: str) -> str:
    """The ids of the rows of ``table`` that the condition ``where`` selects."""
    return f"SELECT id FROM {table} WHERE {where}"


def ids_referring_sql(table: str, column: str) -> str:
    """The ids of the rows of ``table`` whose ``column`` refers to the row ``?``."""
    return f"SELECT id FROM {table} WHERE {column} = ?"


def row_exists_sql(table: str) -> str:
    return f"SELECT 1 FROM {table} WHERE id = ?"


def empty_reference_sql(table: str, column: str, count: int) -> str:
    """What the schema's SET NULL does, on ``count`` rows of ``table`` by id."""
    marks = ", ".join("?" * count)
    return f"UPDATE {table} SET {column} = NULL WHERE id IN ({marks})"


def delete_row_sql(table: str) -> str:
    return f"DELETE FROM {table} WHERE id = ?"


def json_pairs(columns: Iterable[str], stamps: frozenset[str] | set[str]) -> str:
    """json_object's arguments for ``columns``; the date-times of ``stamps`` as
    snapshot() writes them (isoformat), so undo and history read both alike."""
    return ", ".join(
        f"'{c}', replace({c}, ' ', 'T')" if c in stamps else f"'{c}', {c}" for c in columns
    )


def audit_before_sql(table: str, pairs: str) -> str:
    """An update entry for each row of ``table`` whose id is in the JSON list given, its
    before values (``pairs``: json_pairs) copied by SQLite, the after values left empty."""
    return (
        "INSERT INTO audit_entry (change_id, at, actor, action, summary, entity,"
        " entity_id, entity_uuid, before, after, undone)"
        " SELECT ?, ?, ?, 'update', ?, ?, id, coalesce(uuid, ''),"
        f" {json_object(pairs)}, NULL, 0"
        f" FROM {table} WHERE {ids_in('id')} ORDER BY id"
    )


def audit_after_sql(table: str, pairs: str) -> str:
    """The after values of a change's update entries on ``table`` left empty."""
    return (
        f"UPDATE audit_entry SET after = (SELECT {json_object(pairs)} FROM {table} t"
        " WHERE t.id = audit_entry.entity_id)"
        " WHERE change_id = ? AND entity = ? AND action = 'update' AND after IS NULL"
    )


# -- the integrity check (integrity.py) --------------------------------------------

TABLES_SQL = "SELECT name FROM sqlite_master WHERE type='table'"
INTEGRITY_CHECK_SQL = "PRAGMA integrity_check"
FOREIGN_KEY_CHECK_SQL = "PRAGMA foreign_key_check"


def table_info_sql(table: str) -> str:
    return f'PRAGMA table_info("{table}")'


def count_where_sql(table: str, where: str) -> str:
    return f'SELECT count(*) FROM "{table}" WHERE {where}'


def listed_where_sql(table: str, rowid: str, column: str, where: str, limit: int) -> str:
    """The first ``limit`` rows of ``table`` that ``where`` picks: their id and ``column``."""
    return f'SELECT "{rowid}", "{column}" FROM "{table}" WHERE {where} LIMIT {limit}'


def any_where_sql(table: str, wheres: Iterable[str]) -> str:
    """Whether any row of ``table`` meets any of the conditions ``wheres``: one scan."""
    anything = " OR ".join(f"({where})" for where in wheres)
    return f'SELECT 1 FROM "{table}" WHERE {anything} LIMIT 1'


# a wrong value of a column (``col``: its quoted name), by what the column holds


def not_a_code(col: str, codes: Iterable[str]) -> str:
    listed = ",".join(f"'{c}'" for c in sorted(codes))  # codes hold no quote
    return f"{col} IS NOT NULL AND {col} NOT IN ({listed})"


def not_json(col: str, blank_allowed: bool) -> str:
    blank = f" AND {col} != ''" if blank_allowed else ""
    return f"{col} IS NOT NULL{blank} AND NOT json_valid({col})"


def not_a_datetime(col: str) -> str:
    return (
        f"{col} IS NOT NULL AND (typeof({col}) != 'text' OR julianday({col}) IS NULL"
        f" OR substr({col}, 5, 1) != '-')"
    )


def not_a_date(col: str) -> str:
    return f"{col} IS NOT NULL AND (typeof({col}) != 'text' OR date({col}) IS NOT {col})"


def not_a_boolean(col: str) -> str:
    return f"{col} IS NOT NULL AND {col} NOT IN (0, 1)"


def not_an_integer(col: str) -> str:
    return f"{col} IS NOT NULL AND typeof({col}) != 'integer'"


_UUID_GLOB = (
    "[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-"
    "[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-"
    "[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-"
    "[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]"
)


def not_a_uuid(col: str) -> str:
    return f"(length({col}) != 36 OR {col} NOT GLOB '{_UUID_GLOB}')"


# the rows that break a rule of the domain the services never leave broken
VERIFIED_WITHOUT_DATE = f"status = '{ProblemStatus.VERIFIED.value}' AND verified_on IS NULL"
VERIFIED_BEFORE_RAISED = "verified_on IS NOT NULL AND verified_on < raised_on"
ASSIGNMENT_ENDS_BEFORE_START = (
    "ended_on IS NOT NULL AND started_on IS NOT NULL AND ended_on < started_on"
)
PAIRING_ENDS_BEFORE_START = "ended_on IS NOT NULL AND ended_on < started_on"
NEGATIVE_COUNTS = "formal_members < 0 OR probationary_members < 0 OR activists < 0 OR employees < 0"
