"""The workbooks' queries: what the registry import compares a sheet against (the
registry, the clerk's column mappings, the files imported before), what it writes in
bulk, and what the quarterly submission reads of the registry and keeps.

Aliases: ``o`` an organization, ``a`` an assignment, ``i`` its instructor; ``:today``
an ISO date. The rules' conditions come from app/db/rule_sql.py."""

from __future__ import annotations

from collections.abc import Iterable

from app.db.rule_sql import ASSIGNMENT_IN_FORCE, LOOKED_AFTER

# -- the names a sheet may give, and their ids ------------------------------------

# name → (id, formation) of the party organizations; name → id of the clusters
PARTY_ORG_IDS = "SELECT id, name, formation FROM party_organization"
CLUSTER_IDS = "SELECT name, id FROM cluster"
# the instructors by name, the first of a name first
INSTRUCTOR_IDS = "SELECT id, name FROM instructor ORDER BY id"
# ... and by their uuid, those on duty first (a name two share means the one on duty)
INSTRUCTORS_ON_DUTY_FIRST = "SELECT id, uuid, name FROM instructor ORDER BY active DESC, id"
# the instructors an organization is assigned to in force on :today, by name
ASSIGNED_NAMES = (
    "SELECT a.organization_id, i.name FROM assignment a JOIN instructor i"
    f" ON i.id = a.instructor_id WHERE {ASSIGNMENT_IN_FORCE}"
)
# the (instructor, organization) pairs in force on :today
ASSIGNMENT_PAIRS = (
    f"SELECT instructor_id, organization_id FROM assignment a WHERE {ASSIGNMENT_IN_FORCE}"
)

# -- the registry the import compares against --------------------------------------

ORGANIZATION_COUNT = "SELECT count(*) FROM organization"


def organizations(columns: Iterable[str]) -> str:
    """Every organization's ``columns``, in no particular order."""
    return f"SELECT {', '.join(columns)} FROM organization"


# the newest import of a file (by its sha256) not undone: when it was made
IMPORTED_AT = (
    "SELECT at FROM import_log WHERE file_hash = ? AND undone = 0 ORDER BY id DESC LIMIT 1"
)
# the columns as the clerk matched them for a sheet's headers (JSON: letter → field)
MAPPING = "SELECT mapping FROM import_mapping WHERE signature = ?"

# -- what the import writes ---------------------------------------------------------


def max_id(table: str) -> str:
    """The largest id in ``table`` (rows written in bulk take the ids after it)."""
    return f"SELECT max(id) FROM {table}"


# the classes the organizations of a range of ids were given
CLASSES_OF_RANGE = (
    "SELECT id, class_code FROM organization WHERE id BETWEEN ? AND ? AND class_code IS NOT NULL"
)
# what a change (:c) wrote besides the organizations, by its audit entries: rows
# created, then rows updated that it did not create (each counted once)
WRITTEN_BESIDES_ORGANIZATIONS = (
    "SELECT entity, 'create', sum(coalesce(last_entity_id - entity_id + 1, 1))"
    " FROM audit_entry WHERE change_id = :c AND action = 'create'"
    " AND entity != 'organization' GROUP BY entity"
    " UNION ALL SELECT u.entity, 'update', count(DISTINCT u.entity_id)"
    " FROM audit_entry u WHERE u.change_id = :c AND u.action = 'update'"
    " AND u.entity != 'organization' AND NOT EXISTS (SELECT 1 FROM audit_entry n"
    "  WHERE n.change_id = :c AND n.action = 'create' AND n.entity = u.entity"
    "  AND u.entity_id BETWEEN n.entity_id AND coalesce(n.last_entity_id, n.entity_id))"
    " GROUP BY u.entity"
)

# -- the registry sheet and the quarterly submission -------------------------------

PARTY_ORG_NAMES = "SELECT id, name FROM party_organization"
CLUSTER_NAMES = "SELECT id, name FROM cluster"
# the instructors looking after each organization (on duty and in force on :today):
# the work coverage a county counts from the registry's column
LOOKED_AFTER_BY = (
    "SELECT a.organization_id, i.name FROM assignment a JOIN instructor i"
    f" ON i.id = a.instructor_id WHERE {LOOKED_AFTER}"
    " ORDER BY i.name"
)


def organizations_by_id(columns: Iterable[str]) -> str:
    """Every organization's ``columns``, by id."""
    return f"SELECT {', '.join(columns)} FROM organization ORDER BY id"


def stored_values(table: str, columns: Iterable[str]) -> str:
    """Every record of ``table``: its id, then ``columns``."""
    return f"SELECT id, {', '.join(columns)} FROM {table}"


# every assignment with its instructor and organization, for the 联系分工 sheet
ASSIGNMENT_ROWS = (
    "SELECT i.name, o.name, o.uscc, a.role, a.started_on, a.ended_on, i.uuid"
    " FROM assignment a JOIN instructor i ON i.id = a.instructor_id"
    " JOIN organization o ON o.id = a.organization_id ORDER BY i.name, o.name"
)
# the latest quarter submitted before a quarter, and its registry snapshot
PREVIOUS_SUBMISSION = (
    "SELECT quarter, snapshot FROM submission WHERE quarter < ?"
    " ORDER BY quarter DESC, id DESC LIMIT 1"
)
# the snapshot bound as UTF-8 bytes, stored as text made so by SQLite (the GIL free):
# binding 15 MB of str encoded it under the GIL, the window waiting 100 ms
SNAPSHOT_AS_TEXT = "UPDATE submission SET snapshot = CAST(:snapshot AS TEXT) WHERE id = :id"
