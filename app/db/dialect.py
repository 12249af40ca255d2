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
