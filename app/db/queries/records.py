"""The records that travel between the clerk's database and a laptop (visits, problems,
their history, scores, corrections): read as portable data (every reference by uuid or
code), written back by uuid (field_records.py, the merges). The table and column names
the builders take come from the models, never from input."""

from __future__ import annotations

from app.db.dialect import as_json, ids_in, json_array, json_list, json_object

# each entity's records, one row each: uuid, row_version, the record as JSON built in
# the query (json_object, json_list, json_array, as_json: app/db/dialect.py); a list's
# rows are sorted in the subquery its aggregate reads, its order named for PostgreSQL
_UUID_LIST = json_list("u", "u")
_ATTACHMENT_LIST = json_list(json_array("name, stored"), "stored, name")
_VISIT_LINK = json_array("'visit_instructor', i.uuid, vi.uuid")
_ATTACHMENT_LINK = json_array("'visit_attachment', name, stored, uuid")
_VISIT = f"""
  'org', o.uuid, 'visited_on', v.visited_on, 'kind', v.kind, 'content', v.content,
  'people_met', v.people_met, 'changed_by', v.changed_by,
  'instructors', (SELECT {_UUID_LIST} FROM (SELECT i.uuid AS u FROM visit_instructor vi
      JOIN instructor i ON i.id = vi.instructor_id WHERE vi.visit_id = v.id ORDER BY i.uuid)),
  'attachments', (SELECT {_ATTACHMENT_LIST} FROM (SELECT name, stored
      FROM visit_attachment WHERE visit_id = v.id ORDER BY stored, name)),
  'links', (SELECT {json_list(as_json("l"), "n, k")} FROM (
      SELECT {_VISIT_LINK} AS l, 0 AS n, i.uuid AS k
      FROM visit_instructor vi JOIN instructor i ON i.id = vi.instructor_id WHERE vi.visit_id = v.id
      UNION ALL SELECT {_ATTACHMENT_LINK}, 1, stored || name
      FROM visit_attachment WHERE visit_id = v.id ORDER BY n, k))"""
_PROBLEM = f"""
  'visit', (SELECT uuid FROM visit WHERE id = p.visit_id), 'text', p.text,
  'common', {as_json("CASE WHEN p.common THEN 'true' ELSE 'false' END")},
  'rectification', p.rectification, 'responsible', p.responsible, 'deadline', p.deadline,
  'status', p.status, 'raised_on', p.raised_on, 'verified_on', p.verified_on,
  'verify_note', p.verify_note, 'source', p.source, 'changed_by', p.changed_by,
  'units', (SELECT {_UUID_LIST} FROM (SELECT o.uuid AS u FROM problem_unit pu
      JOIN organization o ON o.id = pu.organization_id WHERE pu.problem_id = p.id ORDER BY o.uuid)),
  'links', (SELECT {json_list(json_array("'problem_unit', u, l"), "u")} FROM (SELECT o.uuid AS u,
      pu.uuid AS l FROM problem_unit pu JOIN organization o ON o.id = pu.organization_id
      WHERE pu.problem_id = p.id ORDER BY o.uuid))"""
# a step of a problem's history, with its note: written once, never changed, so the
# same step is the same record on both sides and new ones from either side add up
_PROBLEM_EVENT = """
  'problem', (SELECT uuid FROM problem WHERE id = e.problem_id), 'from', e.from_status,
  'to', e.to_status, 'note', e.note, 'on', e.happened_on, 'at', e.created_at,
  'changed_by', e.changed_by"""
_SCORE = """
  'period', ap.code, 'org', o.uuid, 'class_code', s.class_code, 'scores', s.scores,
  'bonus', s.bonus, 'veto', s.veto, 'note', s.note, 'entered_by', s.entered_by,
  'changed_by', s.changed_by"""
_CORRECTION = """
  'org', o.uuid, 'field', c.field, 'value', c.value, 'note', c.note, 'status', c.status,
  'changed_by', c.changed_by"""
RECORDS = {
    "visit": f"""
SELECT v.uuid, v.row_version, {json_object(_VISIT)}
FROM visit v JOIN organization o ON o.id = v.organization_id""",
    "problem": f"""
SELECT p.uuid, p.row_version, {json_object(_PROBLEM)}
FROM problem p""",
    "problem_event": f"""
SELECT e.uuid, e.row_version, {json_object(_PROBLEM_EVENT)}
FROM problem_event e""",
    "assessment_score": f"""
SELECT s.uuid, s.row_version, {json_object(_SCORE)}
FROM assessment_score s JOIN assessment_period ap ON ap.id = s.period_id
JOIN organization o ON o.id = s.organization_id""",
    "correction": f"""
SELECT c.uuid, c.row_version, {json_object(_CORRECTION)}
FROM correction c JOIN organization o ON o.id = c.organization_id""",
}

# the alias each query gives its table, for a caller's WHERE
ALIAS = {
    "visit": "v",
    "problem": "p",
    "problem_event": "e",
    "assessment_score": "s",
    "correction": "c",
}


def records_sql(select: str, where: str = "") -> str:
    """One entity's records (``select``: its RECORDS text), those ``where`` picks (on
    the query's alias) or all."""
    return select + (f" WHERE {where}" if where else "")


def id_by_sql(table: str, column: str) -> str:
    """The id of the ``table`` row whose ``column`` is the one parameter."""
    return f"SELECT id FROM {table} WHERE {column} = ?"


def insert_sql(table: str, names: list[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"


def update_by_id_sql(table: str, names: list[str]) -> str:
    """Set ``names`` (parameters in that order, then the id) on one row."""
    sets = ", ".join(f"{n} = ?" for n in names)
    return f"UPDATE {table} SET {sets} WHERE id = ?"


def link_rows_sql(table: str, names: list[str], key: str) -> str:
    """A record's link rows in ``table``: id, then ``names``, by the ``key`` column."""
    return f"SELECT id, {', '.join(names)} FROM {table} WHERE {key} = ?"


def delete_by_id_sql(table: str) -> str:
    return f"DELETE FROM {table} WHERE id = ?"


def uuid_taken_sql(table: str) -> str:
    return f"SELECT 1 FROM {table} WHERE uuid = ?"


# --- records by uuid (the checks of a package, the office's part of it) ---


def uuid_ids_sql(table: str) -> str:
    """Every row of ``table``: uuid, id."""
    return f"SELECT uuid, id FROM {table}"


def uuids_sql(table: str) -> str:
    return f"SELECT uuid FROM {table}"


def uuid_ids_of_sql(table: str) -> str:
    """uuid, id of those of a JSON array of uuids that ``table`` holds."""
    return f"SELECT uuid, id FROM {table} WHERE {ids_in('uuid')}"


def uuid_where(entity: str) -> str:
    """A WHERE for records_sql: the record with one uuid."""
    return f"{ALIAS[entity]}.uuid = ?"


def uuids_in_json_where(entity: str) -> str:
    """A WHERE for records_sql: the records with one of a JSON array of uuids."""
    return f"{ALIAS[entity]}.{ids_in('uuid')}"


# a WHERE for the scores' records_sql: the scores of one period (code) and unit (uuid)
SCORE_OF_PERIOD_AND_UNIT = "ap.code = ? AND o.uuid = ?"


def uuids_present_sql(table: str) -> str:
    """Those of a JSON array of uuids that ``table`` holds."""
    return f"SELECT uuid FROM {table} WHERE {ids_in('uuid')}"


def ids_of_uuids_sql(table: str) -> str:
    """id, uuid of those of a JSON array of uuids that ``table`` holds."""
    return f"SELECT id, uuid FROM {table} WHERE {ids_in('uuid')}"
