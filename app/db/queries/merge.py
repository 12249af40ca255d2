"""The merges' queries: a return package merged at the office, another copy of the
database merged into this one, what each merge took before (the ledger, the audit log).
SQLite-only statements are marked "SQLite only:" with their portable form."""

from __future__ import annotations


def uuids_present_sql(table: str) -> str:
    """Those of a JSON array of uuids that ``table`` (a travelling table, never user
    input) holds.
    SQLite only: json_each(?); portable form: uuid IN :uuids (an expanding bind
    parameter) or jsonb_array_elements_text(:uuids) on PostgreSQL."""
    return f"SELECT uuid FROM {table} WHERE uuid IN (SELECT value FROM json_each(?))"


# --- a return package's records of a unit deleted at the office (units_gone.py) ---

# the deleted unit's name, from its last deletion in the audit log
DELETED_UNIT_BEFORE = (
    "SELECT before FROM audit_entry WHERE entity = 'organization' AND entity_uuid = ?"
    " AND action = 'delete' ORDER BY id DESC LIMIT 1"
)

# --- which changes were merges of a given copy (merge_origin.py) ---

# SQLite only: instr(after, ?); portable form: strpos(after, :key) > 0 or
# after LIKE '%' || :key || '%' (the key holds no wildcard)
LEDGER_WRITES_NAMING = (
    "SELECT change_id, after FROM audit_entry WHERE entity = 'package_ledger'"
    " AND action IN ('create', 'update') AND instr(after, ?)"  # not a package's row
)
LEDGER_DATABASE_SUMMARY = (
    "SELECT summary FROM package_ledger WHERE kind = 'database' AND package_id = ?"
)
AUDIT_CHANGE_OF_ENTRY = "SELECT change_id FROM audit_entry WHERE id = ?"


# --- a record deleted on one side and changed on the other, merged whole (merge_whole.py) ---
# The table and column names come from the models' foreign keys, never from input.


def owners_through_link_sql(
    child: str, owner: str, owner_column: str, column: str, entity: str
) -> str:
    """The uuids of the ``owner`` records a linking ``child`` row ties to one ``entity``
    record (a problem's units), by that record's uuid."""
    return (
        f"SELECT o.uuid FROM {child} x JOIN {owner} o ON o.id = x.{owner_column}"
        f" WHERE x.{column} = (SELECT id FROM {entity} WHERE uuid = ?)"
    )


def children_sql(child: str, column: str, table: str) -> str:
    """The uuids of the ``child`` rows referring through ``column`` to one ``table``
    record, by that record's uuid."""
    return f"SELECT uuid FROM {child} WHERE {column} = (SELECT id FROM {table} WHERE uuid = ?)"


# --- what a return package may touch here (package_check.py) ---

# an instructor's units, and those paired with them, as a field package holds them
INSTRUCTORS_UNITS = """
WITH mine(id) AS (SELECT a.organization_id FROM assignment a
  JOIN instructor i ON i.id = a.instructor_id WHERE i.name = ?)
SELECT uuid, id FROM organization WHERE id IN (SELECT id FROM mine
  UNION SELECT helped_id FROM pairing WHERE helper_id IN (SELECT id FROM mine)
  UNION SELECT helper_id FROM pairing WHERE helped_id IN (SELECT id FROM mine))"""

# the ledger row of the field package a return package came from
FIELD_PACKAGE_LEDGER_ROW = (
    "SELECT instructor, summary FROM package_ledger WHERE kind = 'field' AND package_id = ?"
)

# those of a JSON array of uuids (bound twice, with the entity) this database had and
# deleted: its audit log, its tombstones.
# SQLite only: json_each(?); portable form: entity_uuid IN :uuids (expanding) or
# jsonb_array_elements_text(:uuids) on PostgreSQL
DELETED_HERE = (
    "SELECT entity_uuid FROM audit_entry WHERE entity = ? AND action = 'delete'"
    " AND entity_uuid IN (SELECT value FROM json_each(?))"
    " UNION SELECT uuid FROM tombstone WHERE entity = ?"
    " AND uuid IN (SELECT value FROM json_each(?))"
)

FIELD_PACKAGE_SETTING = "SELECT value FROM setting WHERE key = 'field_package'"


# --- a return package merged at the office (package_merge.py) ---

LEDGER_AT_OF_PACKAGE = "SELECT at FROM package_ledger WHERE package_id = ?"
# SQLite only: json_each(?); portable form: uuid IN :uuids (expanding) or
# jsonb_array_elements_text(:uuids) on PostgreSQL
UNIT_NAMES_OF_UUIDS = (
    "SELECT uuid, name FROM organization WHERE uuid IN (SELECT value FROM json_each(?))"
)
# the note of the step that set a problem's present status
NOTE_OF_PROBLEM_STATUS = (
    "SELECT e.note FROM problem_event e JOIN problem p ON p.id = e.problem_id"
    " WHERE p.uuid = ? AND e.note != '' AND e.to_status = p.status"
    " ORDER BY e.happened_on DESC, e.created_at DESC, e.id DESC LIMIT 1"
)
TOMBSTONE_OF = "SELECT 1 FROM tombstone WHERE entity = ? AND uuid = ?"
# the WHERE of one tombstone, as the audit change keeps it
TOMBSTONE_WHERE = "entity = ? AND uuid = ?"
# SQLite only: INSERT OR REPLACE; portable form INSERT ... ON CONFLICT (entity, uuid)
# DO UPDATE SET row_version = excluded.row_version, deleted_at = ..., deleted_by = ...
TOMBSTONE_PUT = (
    "INSERT OR REPLACE INTO tombstone (entity, uuid, row_version, deleted_at, deleted_by)"
    " VALUES (?, ?, ?, ?, ?)"
)
# the version a merge did not take, kept in the audit log
REJECTED_ENTRY = (
    "INSERT INTO audit_entry (change_id, at, actor, action, summary, entity, entity_id,"
    " entity_uuid, before, after, undone) VALUES (?, ?, ?, 'rejected', ?, ?, 0, ?, ?, ?, 0)"
)


def ids_of_uuids_sql(table: str) -> str:
    """id, uuid of those of a JSON array of uuids that ``table`` holds.
    SQLite only: json_each(?) (portable form as uuids_present_sql's)."""
    return f"SELECT id, uuid FROM {table} WHERE uuid IN (SELECT value FROM json_each(?))"


def link_ids_sql(table: str, key: str) -> str:
    """The ids of the link rows in ``table`` whose ``key`` is among a JSON array of ids.
    SQLite only: json_each(?) (portable form: key IN :ids, an expanding parameter)."""
    return f"SELECT id FROM {table} WHERE {key} IN (SELECT value FROM json_each(?))"
