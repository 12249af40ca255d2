"""The field's queries: the field package (the package's rows copied into a new file,
checked when opened), the field database and what it says of itself, what the office
carried to it, the corrections suggested on the laptop, the ledger of packages made and
merged. SQLite's own words come from app/db/dialect.py, each beside its portable form;
the field package's copy attaches the field file (SQLite's by nature, see below)."""

from __future__ import annotations

import re

from app.db import dialect, rule_sql
from app.db.dialect import ids_in
from app.db.queries import records
from app.db.queries.registry import SETTING_SQL

# --- the field database's own description (field_identity.py, lineage.py) ---

SETTING_VALUE = SETTING_SQL  # one setting read, written once (registry.py)
ORGANIZATION_COUNT = "SELECT count(*) FROM organization"
# the database's identity and, in a field database, the package it came from
IDENTITY_SETTINGS = "SELECT key, value FROM setting WHERE key IN ('database_id', ?)"

# --- corrections (corrections.py): open ones first, then the newest ---

CORRECTIONS = (
    "SELECT c.id, c.uuid, o.id, o.name, c.field, c.value, c.note, c.status, c.changed_by,"
    " c.created_at"
    " FROM correction c JOIN organization o ON o.id = c.organization_id"
    " ORDER BY c.status != 'open', c.id DESC"
)

# one of a unit's own fields (``key`` from the organization's field table, never typed)
ORGANIZATION_FIELD = "SELECT {key} FROM organization WHERE id = ?"

# --- the ledger of packages (package_ledger.py, field_seen.py) ---

# the WHERE of one ledger row, as the audit change keeps it
LEDGER_ROW_WHERE = "package_id = ?"
# a copy merged again replaces its row
_LEDGER_COLUMNS = "package_id kind file_name sha256 instructor device at summary change_id"
LEDGER_RECORD = dialect.insert_or_replace(
    "package_ledger", tuple(_LEDGER_COLUMNS.split()), ("package_id",)
)
LEDGER_ENTRIES = (
    "SELECT at, kind, instructor, file_name, summary FROM package_ledger ORDER BY id DESC"
)
# the merged return packages of one field database (named in the ledger's summary)
LEDGER_RETURNS_OF_FIELD_DATABASE = (
    "SELECT at, summary FROM package_ledger WHERE kind = 'return'"
    f" AND {dialect.is_json('summary')}"
    f" AND {dialect.json_member('summary', 'field_database')} = ?"
)

# --- the return package (return_package.py) ---

FIELD_BASE = "SELECT entity, uuid, row_version, data FROM field_base"

# --- the office's part of a field package (field_office_make.py) ---

UUIDS_OF_ORGANIZATIONS = records.uuids_sql("organization")
UUIDS_OF_PARTY_ORGS = records.uuids_sql("party_organization")
ORGANIZATION_IDS_OF_UUIDS = records.ids_of_uuids_sql("organization")
UNITS_PER_PARTY_ORG_OF_UUIDS = (
    "SELECT p.uuid, count(o.id) FROM party_organization p"
    " LEFT JOIN organization o ON o.party_org_id = p.id"
    f" WHERE {ids_in('p.uuid')} GROUP BY p.id"
)

# --- what the office carried to the laptop (field_office.py) ---

SETTING_PUT = dialect.insert_or_replace("setting", ("key", "value"), ("key",))
SETTINGS_TWO = "SELECT key, value FROM setting WHERE key IN (?, ?)"
ORGANIZATION_IDS_BY_UUID = records.uuid_ids_sql("organization")
PARTY_ORG_IDS_BY_UUID = records.uuid_ids_sql("party_organization")


# --- the field package: the package's rows copied into a new file (field_package.py) ---
# The field database is a SQLite file on a laptop whatever the office's database is:
# the copy below attaches it to the office's file (dialect.attach says the portable
# form: the field file made from the models' metadata, the rows selected and inserted).
# Its main./field./temp. schema names are SQLite's as well.

INSTRUCTOR_BY_NAME = "SELECT id FROM instructor WHERE name = ?"
# the units an instructor looks after today (:who, :today)
UNITS_OF_INSTRUCTOR = (
    "SELECT DISTINCT organization_id FROM assignment a"
    f" WHERE instructor_id = :who AND {rule_sql.ASSIGNMENT_IN_FORCE}"
)
ORGANIZATION_BY_USCC = "SELECT id FROM organization WHERE uscc = ?"

# rows copied into the field database, by table: a WHERE on the table's own columns
# (scope: the package's units; near: those and the units they are paired with)
COPIED = {
    "alembic_version": "",
    "setting": "key NOT IN ('database_id', 'field_package', 'field_office')",
    "park": "",  # the park's row: the laptop's window names the park it works for
    "organization": "id IN (SELECT id FROM temp.near)",
    "party_organization": "id IN (SELECT id FROM temp.party)",
    "cluster": "id IN (SELECT cluster_id FROM main.organization"
    " WHERE id IN (SELECT id FROM temp.near))",
    "instructor": "",
    "assignment": "organization_id IN (SELECT id FROM temp.near)",
    "class_change": "organization_id IN (SELECT id FROM temp.near)",
    "pairing": "helper_id IN (SELECT id FROM temp.near)"
    " AND helped_id IN (SELECT id FROM temp.near)",
    "pairing_entry": "pairing_id IN (SELECT id FROM main.pairing WHERE helper_id IN"
    " (SELECT id FROM temp.near) AND helped_id IN (SELECT id FROM temp.near))",
    "assessment_scheme": "",
    "assessment_period": "",
    "assessment_score": "organization_id IN (SELECT id FROM temp.scope)",
    "visit": "organization_id IN (SELECT id FROM temp.scope)",
    "visit_instructor": "visit_id IN (SELECT id FROM main.visit WHERE organization_id IN"
    " (SELECT id FROM temp.scope))",
    "visit_attachment": "visit_id IN (SELECT id FROM main.visit WHERE organization_id IN"
    " (SELECT id FROM temp.scope))",
    "problem": "id IN (SELECT problem_id FROM main.problem_unit WHERE organization_id IN"
    " (SELECT id FROM temp.scope))",
    "problem_unit": "organization_id IN (SELECT id FROM temp.scope)",
    "problem_event": "problem_id IN (SELECT problem_id FROM main.problem_unit WHERE"
    " organization_id IN (SELECT id FROM temp.scope))",
}

ATTACH_FIELD = dialect.attach("field")
DETACH_FIELD = dialect.detach("field")
BEGIN = "BEGIN"
COMMIT = "COMMIT"
# the clerk's schema, tables before their indexes; triggers made after the rows
SCHEMA = dialect.created_schema("main")


def into_field_sql(sql: str, kind: str) -> str:
    """A CREATE statement of the clerk's schema (``kind``: table, index, trigger), aimed
    at the attached field database (the copy above)."""
    if kind == "table":
        return re.sub(r'^CREATE TABLE ("?)', r"CREATE TABLE field.\1", sql, count=1)
    if kind == "trigger":
        return re.sub(
            r"^CREATE TRIGGER (IF NOT EXISTS )?", r"CREATE TRIGGER \1field.", sql, count=1
        )
    return re.sub(r'^CREATE (UNIQUE )?INDEX ("?)', r"CREATE \1INDEX field.\2", sql, count=1)


def copy_rows_sql(table: str, where: str) -> str:
    """The rows of ``table`` (COPIED's WHERE) into the attached field database."""
    clause = f" WHERE {where}" if where else ""
    return f"INSERT INTO field.{table} SELECT * FROM main.{table}{clause}"


# a problem raised on a visit to a unit not in the package: its visit stays home
UNLINK_VISITS_LEFT_HOME = (
    "UPDATE field.problem SET visit_id = NULL WHERE visit_id NOT IN (SELECT id FROM field.visit)"
)
# the package's units (scope), those and their pairing partners (near), the party
# organizations over them (party); a unit named twice is in scope once
SCOPE_TABLE = "CREATE TEMP TABLE scope (id INTEGER PRIMARY KEY)"
SCOPE_ADD = dialect.insert_or_ignore("temp.scope", "VALUES (?)")
# the units paired with the package's, so a pairing can be shown whole
NEAR_TABLE = (
    "CREATE TEMP TABLE near AS SELECT id FROM temp.scope UNION"
    " SELECT helped_id FROM main.pairing WHERE helper_id IN (SELECT id FROM temp.scope) UNION"
    " SELECT helper_id FROM main.pairing WHERE helped_id IN (SELECT id FROM temp.scope)"
)
PARTY_TABLE = (
    "CREATE TEMP TABLE party AS WITH RECURSIVE up(id) AS ("
    " SELECT party_org_id FROM main.organization WHERE id IN (SELECT id FROM temp.near)"
    " AND party_org_id IS NOT NULL UNION"
    " SELECT p.parent_id FROM main.party_organization p JOIN up ON p.id = up.id"
    " WHERE p.parent_id IS NOT NULL) SELECT id FROM up"
)

# the field database's identity, description and records as they are when made
DATABASE_ID_ADD = "INSERT INTO setting (key, value) VALUES ('database_id', ?)"
SETTING_ADD = "INSERT INTO setting (key, value) VALUES (?, ?)"
FIELD_BASE_ADD = "INSERT INTO field_base (entity, uuid, row_version, data) VALUES (?, ?, ?, ?)"
ATTACHMENT_FILES = "SELECT DISTINCT stored FROM visit_attachment"
UNIT_UUIDS_IN_ORDER = "SELECT uuid FROM organization ORDER BY uuid"

# opening a field package on the laptop: the file checked whole
# (app/db/sqlite_file.quick_check_ok), then one file moved into place
JOURNAL_ONE_FILE = dialect.ONE_FILE
