"""The field's queries: a field database and what it says of itself, the package it was
opened from, the corrections suggested on the laptop, the ledger of packages made and
merged. SQLite-only statements are marked "SQLite only:" with their portable form."""

from __future__ import annotations

from app.db.queries import records

# --- the field database's own description (field_identity.py, lineage.py) ---

SETTING_VALUE = "SELECT value FROM setting WHERE key = ?"
ORGANIZATION_COUNT = "SELECT count(*) FROM organization"
# the database's identity and, in a field database, the package it came from
IDENTITY_SETTINGS = "SELECT key, value FROM setting WHERE key IN ('database_id', ?)"

# --- corrections (corrections.py): open ones first, then the newest ---

CORRECTIONS = (
    "SELECT c.id, c.uuid, o.id, o.name, c.field, c.value, c.note, c.status, c.changed_by"
    " FROM correction c JOIN organization o ON o.id = c.organization_id"
    " ORDER BY c.status != 'open', c.id DESC"
)

# --- the ledger of packages (package_ledger.py, field_seen.py) ---

# the WHERE of one ledger row, as the audit change keeps it
LEDGER_ROW_WHERE = "package_id = ?"
# SQLite only: INSERT OR REPLACE (a copy merged again replaces its row); portable form
# INSERT ... ON CONFLICT (package_id) DO UPDATE SET ... (SQLite 3.24+ and PostgreSQL)
LEDGER_RECORD = (
    "INSERT OR REPLACE INTO package_ledger (package_id, kind, file_name, sha256,"
    " instructor, device, at, summary, change_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
LEDGER_ENTRIES = (
    "SELECT at, kind, instructor, file_name, summary FROM package_ledger ORDER BY id DESC"
)
# the merged return packages of one field database
# SQLite only: json_valid / json_extract; portable form: summary::jsonb ->> 'field_database'
# (PostgreSQL) or a field_database column of package_ledger
LEDGER_RETURNS_OF_FIELD_DATABASE = (
    "SELECT at, summary FROM package_ledger WHERE kind = 'return'"
    " AND json_valid(summary) AND json_extract(summary, '$.field_database') = ?"
)

# --- the return package (return_package.py) ---

FIELD_BASE = "SELECT entity, uuid, row_version, data FROM field_base"
# orders this database's packages (field_seen.py)
LAST_AUDIT_ID = "SELECT coalesce(max(id), 0) FROM audit_entry"

# --- the office's part of a field package (field_office_make.py) ---

UUIDS_OF_ORGANIZATIONS = records.uuids_sql("organization")
UUIDS_OF_PARTY_ORGS = records.uuids_sql("party_organization")
# SQLite only: json_each(?) expands a JSON array of uuids; portable form: an expanding
# bind parameter (uuid IN :uuids) or jsonb_array_elements_text(:uuids) on PostgreSQL
ORGANIZATION_IDS_OF_UUIDS = (
    "SELECT id, uuid FROM organization WHERE uuid IN (SELECT value FROM json_each(?))"
)
# SQLite only: json_each (as above)
UNITS_PER_PARTY_ORG_OF_UUIDS = (
    "SELECT p.uuid, count(o.id) FROM party_organization p"
    " LEFT JOIN organization o ON o.party_org_id = p.id"
    " WHERE p.uuid IN (SELECT value FROM json_each(?)) GROUP BY p.id"
)

# --- what the office carried to the laptop (field_office.py) ---

# SQLite only: INSERT OR REPLACE; portable form INSERT ... ON CONFLICT (key) DO UPDATE
# SET value = excluded.value
SETTING_PUT = "INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)"
SETTINGS_TWO = "SELECT key, value FROM setting WHERE key IN (?, ?)"
ORGANIZATION_IDS_BY_UUID = records.uuid_ids_sql("organization")
PARTY_ORG_IDS_BY_UUID = records.uuid_ids_sql("party_organization")
