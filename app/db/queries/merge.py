"""The merges' queries: a return package merged at the office, another copy of the
database merged into this one, what each merge took before (the ledger, the audit log).
SQLite's own words come from app/db/dialect.py, each beside its portable form."""

from __future__ import annotations

from app.db.dialect import contains, ids_in, insert_or_replace

# --- the other copy's park is this database's park (database_merge.py) ---

# a park database's own row (models.OWN_PARK_ID); copies migrated apart (0021, 0025)
# gave it a uuid each: the other copy's row and its audit entries take ours
OWN_PARK_UUID = "SELECT uuid FROM park WHERE id = ?"
PARK_TAKES_UUID = "UPDATE park SET uuid = ? WHERE id = ? AND uuid <> ?"
AUDIT_PARK_TAKES_UUID = (
    "UPDATE audit_entry SET entity_uuid = ? WHERE entity = 'park' AND entity_uuid = ?"
)

# --- a return package's records of a unit deleted at the office (units_gone.py) ---

# the deleted unit's name, from its last deletion in the audit log
DELETED_UNIT_BEFORE = (
    "SELECT before FROM audit_entry WHERE entity = 'organization' AND entity_uuid = ?"
    " AND action = 'delete' ORDER BY id DESC LIMIT 1"
)

# --- which changes were merges of a given copy (merge_origin.py) ---

# the ledger's writes naming a copy's key anywhere (a database merge's key is in the
# summary, not the package_id): merge_origin.merges_from decides
LEDGER_WRITES_NAMING = (
    "SELECT change_id, after FROM audit_entry WHERE entity = 'package_ledger'"
    f" AND action IN ('create', 'update') AND {contains('after', '?')}"
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
# deleted: its audit log, its tombstones
DELETED_HERE = (
    "SELECT entity_uuid FROM audit_entry WHERE entity = ? AND action = 'delete'"
    f" AND {ids_in('entity_uuid')}"
    " UNION SELECT uuid FROM tombstone WHERE entity = ?"
    f" AND {ids_in('uuid')}"
)


# --- a return package merged at the office (package_merge.py) ---

LEDGER_AT_OF_PACKAGE = "SELECT at FROM package_ledger WHERE package_id = ?"
UNIT_NAMES_OF_UUIDS = f"SELECT uuid, name FROM organization WHERE {ids_in('uuid')}"
# the note of the step that set a problem's present status
NOTE_OF_PROBLEM_STATUS = (
    "SELECT e.note FROM problem_event e JOIN problem p ON p.id = e.problem_id"
    " WHERE p.uuid = ? AND e.note != '' AND e.to_status = p.status"
    " ORDER BY e.happened_on DESC, e.created_at DESC, e.id DESC LIMIT 1"
)
TOMBSTONE_OF = "SELECT 1 FROM tombstone WHERE entity = ? AND uuid = ?"
# the WHERE of one tombstone, as the audit change keeps it
TOMBSTONE_WHERE = "entity = ? AND uuid = ?"
# a record deleted again: its one tombstone, the newest deletion's
TOMBSTONE_PUT = insert_or_replace(
    "tombstone",
    ("entity", "uuid", "row_version", "deleted_at", "deleted_by"),
    ("entity", "uuid"),
)
# the version a merge did not take, kept in the audit log
REJECTED_ENTRY = (
    "INSERT INTO audit_entry (change_id, at, actor, action, summary, entity, entity_id,"
    " entity_uuid, before, after, undone) VALUES (?, ?, ?, 'rejected', ?, ?, 0, ?, ?, ?, 0)"
)


def link_ids_sql(table: str, key: str) -> str:
    """The ids of the link rows in ``table`` whose ``key`` is among a JSON array of ids."""
    return f"SELECT id FROM {table} WHERE {ids_in(key)}"


# --- a period published on one copy arriving whole (merge_published.py) ---

# what a published period promised: its scheme, 以奖代补, term vetoes, pass line
PUBLISHED_PERIOD = (
    "SELECT s.name, s.version, s.definition, p.subsidy, p.term_vetoed, p.pass_line"
    " FROM assessment_period p JOIN assessment_scheme s ON s.id = p.scheme_id"
    " WHERE p.code = ?"
)
# and each unit's scores as ranked (by unit uuid: ids differ between copies)
PUBLISHED_SCORES = (
    "SELECT o.uuid, sc.class_code, sc.scores, sc.bonus, sc.total_tenths, sc.veto"
    " FROM assessment_score sc"
    " JOIN organization o ON o.id = sc.organization_id"
    " JOIN assessment_period p ON p.id = sc.period_id WHERE p.code = ?"
    " ORDER BY o.uuid"  # one score per unit and period: the unit orders them
)
PUBLISHED_PERIODS = "SELECT code, uuid FROM assessment_period WHERE published ORDER BY code"
PERIOD_BY_CODE = "SELECT uuid, published FROM assessment_period WHERE code = ?"
SCHEME_BY_NAME_VERSION = "SELECT uuid FROM assessment_scheme WHERE name = ? AND version = ?"
SCHEME_PUBLISHED = (
    "SELECT 1 FROM assessment_period p JOIN assessment_scheme s ON s.id = p.scheme_id"
    " WHERE p.published AND s.uuid = ?"
)
SCORES_OF_PERIOD = (
    "SELECT sc.uuid FROM assessment_score sc JOIN assessment_period p"
    " ON p.id = sc.period_id WHERE p.uuid = ?"
)
SCHEME_OF_PERIOD = (
    "SELECT s.uuid FROM assessment_scheme s JOIN assessment_period p"
    " ON p.scheme_id = s.id WHERE p.uuid = ?"
)
PERIOD_ID_BY_CODE = "SELECT id FROM assessment_period WHERE code = ?"
SCORE_OF_UNIT = "SELECT id FROM assessment_score WHERE period_id = ? AND organization_id = ?"
PUBLISH_PERIOD = "UPDATE assessment_period SET published = 1 WHERE id = ?"


# --- another copy of the database merged into this one (database_merge.py) ---
# Each side is read through its own sqlite3 connection; table and column names come
# from the models, never from the other file.

# the newest entry of an audit log (0: none); a return package's field_log too
LAST_AUDIT_ID = "SELECT coalesce(max(id), 0) FROM audit_entry"
ANY_AUDIT = "SELECT 1 FROM audit_entry LIMIT 1"
# each log's entries in order: where the two copies parted
AUDIT_LINE = "SELECT id, change_id FROM audit_entry ORDER BY id"
# the other copy's newest entry and its change (how far this merge read it)
NEWEST_AUDIT = (
    "SELECT coalesce(max(id), 0), (SELECT change_id FROM audit_entry ORDER BY id DESC"
    " LIMIT 1) FROM audit_entry"
)
# what the entries after a point name, not undone
AUDIT_SINCE = (
    "SELECT entity, entity_id, last_entity_id, entity_uuid, change_id, action"
    " FROM audit_entry WHERE id > ? AND NOT undone"
)
# the undo and redo marks after a point (a change before it undone or redone since)
UNDO_REDO_SINCE = "SELECT after FROM audit_entry WHERE id > ? AND action IN ('undo', 'redo')"
ENTRIES_OF_CHANGE_UP_TO = (
    "SELECT entity, entity_id, last_entity_id, entity_uuid FROM audit_entry"
    " WHERE change_id = ? AND id <= ?"
)


def ids_uuids_sql(table: str) -> str:
    return f"SELECT id, uuid FROM {table}"


def uuid_names_sql(table: str) -> str:
    return f"SELECT uuid, name FROM {table}"


def rows_of_uuids_sql(table: str, names: list[str], count: int) -> str:
    """The ``names`` columns of the rows of ``table`` with one of ``count`` uuids."""
    marks = ", ".join("?" * count)
    return f"SELECT {', '.join(names)} FROM {table} WHERE uuid IN ({marks})"


def uuids_in_id_range_sql(table: str) -> str:
    """Rows created in bulk (an audit entry names a range of ids)."""
    return f"SELECT uuid FROM {table} WHERE id BETWEEN ? AND ?"


def uuid_by_key_sql(table: str, key: list[tuple[str, str | None]]) -> str:
    """The uuid of the ``table`` row with a unique key's values: each column with the
    table it refers to (its value then that record's uuid), or None (the value itself)."""
    where = [
        f"{column} = (SELECT id FROM {target} WHERE uuid = ?)" if target else f"{column} = ?"
        for column, target in key
    ]
    return f"SELECT uuid FROM {table} WHERE {' AND '.join(where)}"
