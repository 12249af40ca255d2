"""What only SQLite has, in one place, each with its portable form beside it (issue 24;
issue 26 runs the same queries on a PostgreSQL server).

The queries (app/db/queries/) write these constructs through the functions here and
nothing SQLite's alone anywhere else; ``dialect`` is the database's dialect name
(``Engine.dialect.name``: "sqlite" or "postgresql"). The SQLite form is the one every
query runs today; the PostgreSQL form is what the same query says there.
"""

from __future__ import annotations

SQLITE = "sqlite"
POSTGRESQL = "postgresql"


def ids_in(column: str, dialect: str = SQLITE) -> str:
    """``column`` among the ids passed as one parameter (a JSON array on SQLite, a list on
    PostgreSQL): one statement for any number of ids, one statement text to cache."""
    if dialect == POSTGRESQL:
        return f"{column} = ANY(%s)"
    return f"{column} IN (SELECT value FROM json_each(?))"


def joined(expression: str, separator_sql: str, dialect: str = SQLITE) -> str:
    """The group's values joined into one text (``separator_sql`` an SQL expression)."""
    if dialect == POSTGRESQL:
        return f"string_agg({expression}, {separator_sql})"
    return f"group_concat({expression}, {separator_sql})"


def unindexed(column: str, dialect: str = SQLITE) -> str:
    """A sort key SQLite's planner must not answer from an index (a unary plus): the
    rows are few after the filter, an index walk in name order would read them all.
    PostgreSQL plans such sorts itself."""
    return column if dialect == POSTGRESQL else f"+{column}"


def json_object(pairs: str, dialect: str = SQLITE) -> str:
    """A JSON object from ``'key', value`` pairs."""
    if dialect == POSTGRESQL:
        return f"json_build_object({pairs})"
    return f"json_object({pairs})"


def years_before(day_sql: str, years_sql: str, dialect: str = SQLITE) -> str:
    """The date ``years_sql`` years before the ISO date ``day_sql``."""
    if dialect == POSTGRESQL:
        return f"(CAST({day_sql} AS date) - make_interval(years => {years_sql}))"
    return f"date({day_sql}, '-' || {years_sql} || ' years')"


def years_after(day_sql: str, years_sql: str, dialect: str = SQLITE) -> str:
    """The date ``years_sql`` years after the ISO date ``day_sql``. From 29 February to a
    common year SQLite says 1 March, PostgreSQL 28 February: the term rule's SQL is a first
    cut with days of margin, terms.election_status decides."""
    if dialect == POSTGRESQL:
        return f"(CAST({day_sql} AS date) + make_interval(years => {years_sql}))"
    return f"date({day_sql}, '+' || {years_sql} || ' years')"


def days_after(day_sql: str, days: int, dialect: str = SQLITE) -> str:
    """The date ``days`` days after the ISO date ``day_sql``."""
    if dialect == POSTGRESQL:
        return f"(CAST({day_sql} AS date) + {days})"
    return f"date({day_sql}, '+{days} days')"


def later_date(day_sql: str, maybe_sql: str, dialect: str = SQLITE) -> str:
    """The later of the date ``day_sql`` and ``maybe_sql`` (a date or NULL: then
    ``day_sql``). SQLite's max() is NULL with a NULL, '' sorts before any date;
    PostgreSQL's greatest() leaves NULLs out."""
    if dialect == POSTGRESQL:
        return f"greatest({day_sql}, {maybe_sql})"
    return f"max({day_sql}, coalesce({maybe_sql}, ''))"


def same_as(left_sql: str, right_sql: str, dialect: str = SQLITE) -> str:
    """``left_sql`` equal to ``right_sql``, NULL equal to NULL."""
    if dialect == POSTGRESQL:
        return f"{left_sql} IS NOT DISTINCT FROM {right_sql}"
    return f"{left_sql} IS {right_sql}"


def not_flattened(dialect: str = SQLITE) -> str:
    """Appended to a subquery to keep SQLite from flattening it into the outer query (a
    LIMIT that limits nothing); PostgreSQL needs nothing."""
    return "" if dialect == POSTGRESQL else " LIMIT -1"


# the connection's settings: SQLite's pragmas, set on every connection (app/db/engine.py);
# a PostgreSQL server keeps its own (foreign keys always on, WAL its own)
CONNECTION_PRAGMAS = (
    "PRAGMA foreign_keys=ON",
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
)
# a read-only connection (SQLite: refuses writes on this connection); PostgreSQL:
# SET TRANSACTION READ ONLY
READ_ONLY = "PRAGMA query_only=ON"

# a date-time as SQLAlchemy's DateTime stores it on SQLite (text); PostgreSQL stores a
# timestamp and takes the datetime itself
STAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f"


# -- writing rows that may be there already ----------------------------------------


def insert_or_replace(
    table: str, columns: tuple[str, ...], key: tuple[str, ...], dialect: str = SQLITE
) -> str:
    """One row of ``columns`` (a parameter each, in that order) written over the row with
    the same unique ``key``, if any. SQLite's REPLACE deletes that row and inserts anew
    (a new id); PostgreSQL's upsert updates it in place (the id kept)."""
    names = ", ".join(columns)
    if dialect == POSTGRESQL:
        marks = ", ".join(["%s"] * len(columns))
        sets = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in key)
        return (
            f"INSERT INTO {table} ({names}) VALUES ({marks})"
            f" ON CONFLICT ({', '.join(key)}) DO UPDATE SET {sets}"
        )
    marks = ", ".join("?" * len(columns))
    return f"INSERT OR REPLACE INTO {table} ({names}) VALUES ({marks})"


def insert_or_ignore(table: str, rows_sql: str, dialect: str = SQLITE) -> str:
    """``rows_sql`` (``VALUES (...)`` or a SELECT) into ``table``, those whose unique key
    is there already left out."""
    if dialect == POSTGRESQL:
        return f"INSERT INTO {table} {rows_sql} ON CONFLICT DO NOTHING"
    return f"INSERT OR IGNORE INTO {table} {rows_sql}"


# -- text and JSON ------------------------------------------------------------------


def contains(text_sql: str, part_sql: str, dialect: str = SQLITE) -> str:
    """Whether the text ``text_sql`` holds ``part_sql`` (no LIKE: the part may hold % or _)."""
    if dialect == POSTGRESQL:
        return f"(strpos({text_sql}, {part_sql}) > 0)"
    return f"instr({text_sql}, {part_sql})"


def is_json(text_sql: str, dialect: str = SQLITE) -> str:
    """Whether the text ``text_sql`` is well-formed JSON (IS JSON: PostgreSQL 16 and later)."""
    if dialect == POSTGRESQL:
        return f"({text_sql} IS JSON)"
    return f"json_valid({text_sql})"


def json_member(text_sql: str, key: str, dialect: str = SQLITE) -> str:
    """The member ``key`` of the JSON object in the text ``text_sql``. SQLite fails on text
    that is not JSON (guard it with is_json before); the PostgreSQL form (16 and later)
    guards itself, as its planner may evaluate the conditions of a WHERE in any order."""
    if dialect == POSTGRESQL:
        return f"CASE WHEN {text_sql} IS JSON THEN CAST({text_sql} AS jsonb) ->> '{key}' END"
    return f"json_extract({text_sql}, '$.{key}')"


def json_array(items_sql: str, dialect: str = SQLITE) -> str:
    """A JSON array of the values ``items_sql`` (comma separated)."""
    if dialect == POSTGRESQL:
        return f"json_build_array({items_sql})"
    return f"json_array({items_sql})"


def json_list(expression: str, order_by: str = "", dialect: str = SQLITE) -> str:
    """The group's values as a JSON array ([] for none), in ``order_by``'s order. SQLite
    aggregates the rows in the order they come, so the query sorts them in the subquery
    the aggregate reads (``order_by`` unused there); PostgreSQL's aggregate is told."""
    if dialect == POSTGRESQL:
        order = f" ORDER BY {order_by}" if order_by else ""
        return f"coalesce(json_agg({expression}{order}), CAST('[]' AS json))"
    return f"json_group_array({expression})"


def as_json(text_sql: str, dialect: str = SQLITE) -> str:
    """The JSON text ``text_sql`` taken as JSON (not as a string) inside a JSON value."""
    if dialect == POSTGRESQL:
        return f"CAST({text_sql} AS json)"
    return f"json({text_sql})"


# -- the planner ---------------------------------------------------------------------


def indexed_by(table_sql: str, index: str, dialect: str = SQLITE) -> str:
    """``table_sql`` (a table and its alias) read through the named index (the ranking's
    covering index: 50,000 units ranked in one pass); PostgreSQL has no index hints and
    plans from its statistics."""
    if dialect == POSTGRESQL:
        return table_sql
    return f"{table_sql} INDEXED BY {index}"


# -- a second SQLite file on one connection (the field package's copy) ---------------
# The field database is a SQLite file on a laptop, whatever the office's database is:
# the copy attaches it to the office's file and copies with INSERT ... SELECT. These have
# no PostgreSQL form: from a server, the field file is made from the models' metadata
# (metadata.create_all on its own SQLite engine) and the office's rows are selected
# there and inserted into it.


def attach(schema: str) -> str:
    """The SQLite file named by the one parameter, opened on this connection as ``schema``."""
    return f"ATTACH DATABASE ? AS {schema}"


def detach(schema: str) -> str:
    return f"DETACH DATABASE {schema}"


def created_schema(schema: str = "main") -> str:
    """The CREATE statements of ``schema`` as SQLite keeps them: type, name, sql; the tables
    before their indexes (triggers last by the caller's choice). Portable form: the
    models' metadata (``metadata.sorted_tables``, CreateTable/CreateIndex per dialect)."""
    return (
        f"SELECT type, name, sql FROM {schema}.sqlite_master WHERE sql IS NOT NULL"
        " AND name NOT LIKE 'sqlite_%' ORDER BY type = 'index'"
    )


# a SQLite file to be handed over or moved whole: its journal back in the file (no -wal
# beside it); a server's database is never a file handed over
ONE_FILE = "PRAGMA journal_mode=DELETE"
