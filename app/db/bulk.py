"""Many rows at once, straight through sqlite3, inside the session's transaction."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Boolean, Date, DateTime
from sqlalchemy.orm import Session

from app.db import dialect
from app.db.by_ids import rows_by_ids
from app.db.models import Instructor, Organization, PartyOrganization
from app.domain.vocabulary import LabeledEnum


def stamp_text(value: datetime | str | None) -> str | None:
    # as SQLAlchemy stores a DateTime in SQLite
    return (
        value if value is None or isinstance(value, str) else value.strftime(dialect.STAMP_FORMAT)
    )


def _day(value: date | str | None) -> str | None:
    return value if value is None or isinstance(value, str) else value.isoformat()


_VARIANT = {d: "89ab"[int(d, 16) & 3] for d in "0123456789abcdef"}


def new_uuids() -> Iterator[str]:
    """Random (version 4) UUIDs as text, like ``str(uuid.uuid4())`` but made in
    batches from one os.urandom call: a bulk import needs tens of thousands."""
    while True:
        digits = os.urandom(16 * 256).hex()
        yield from [
            f"{x[:8]}-{x[8:12]}-4{x[13:16]}-{_VARIANT[x[16]]}{x[17:20]}-{x[20:]}"
            for x in [digits[i : i + 32] for i in range(0, len(digits), 32)]
        ]


def _storable(table: Any, names: list[str], tuples: list[list[Any]]) -> None:
    """Dates and stamps as SQLAlchemy stores them, in place; booleans and str enums
    go to sqlite3 as they are."""
    for index, name in enumerate(names):
        column_type = table.c[name].type
        if isinstance(column_type, DateTime):
            fn: Callable[[Any], Any] = stamp_text
        elif isinstance(column_type, Date):
            fn = _day
        else:
            continue
        memo: dict[Any, Any] = {}
        for t in tuples:
            value = t[index]
            if value is not None and not isinstance(value, str):
                # many rows share one "now": format it once
                out = memo.get(value)
                if out is None:
                    out = memo[value] = fn(value)
                t[index] = out


def _driver(s: Session) -> Any:
    return s.connection().connection.driver_connection


def written_columns(table: Any) -> list[str]:
    """A table's columns in its order, but those the database fills itself on insert:
    the park a record belongs to (its default, models.park_id_column)."""
    return [c.name for c in table.columns if c.name != "park_id"]


def raw_insert(s: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    """One executemany on the session's own sqlite3 connection (same transaction):
    SQLAlchemy's per-row parameter handling costs more than SQLite's insert here.

    The columns are those of the first row (all rows carry the same keys; a
    missing column takes its database default)."""
    if not rows:
        return
    names = [c.name for c in table.columns if c.name in rows[0]]
    tuples = [list(t) for t in map(itemgetter(*names), rows)] if len(names) > 1 else None
    if tuples is None:
        tuples = [[row[names[0]]] for row in rows]
    _storable(table, names, tuples)
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    _driver(s).executemany(sql, tuples)


# sqlite3 binds a str subclass (our vocabulary's enums) or a bool through its slow
# adaptation path, three times the cost of a plain str or int (measured): each
# member maps to its code and True/False to 1/0, as SQLite stores them. Any other
# value maps to itself (1 and 1.0 are True's key, and map to 1: the same stored).
_PLAIN: dict[Any, Any] = {True: 1, False: 0} | {
    member: member.value for enum in LabeledEnum.__subclasses__() for member in enum
}


def plain_values(values: Sequence[Any]) -> tuple[Any, ...]:
    """``values`` with enums and booleans as SQLite stores them (in C: a dict lookup each)."""
    return tuple(map(_PLAIN.get, values, values))


def insert_rows(s: Session, table: Any, names: list[str], rows: Iterable[Any]) -> None:
    """One executemany of rows already in ``names`` order and as SQLite stores them
    (dates and stamps as text): the import's tens of thousands of rows skip the
    dicts and the conversion pass of ``raw_insert``. ``rows`` may be a generator."""
    if rows:
        marks = ", ".join("?" * len(names))
        sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})"
        _driver(s).executemany(sql, rows)


def raw_update(s: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    """Update rows by id (each dict holds "id" and the columns to set): one
    executemany per set of columns, on the session's sqlite3 connection."""
    batches: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        batches.setdefault(tuple(sorted(k for k in row if k != "id")), []).append(row)
    conn = _driver(s)
    for keys, batch in batches.items():
        if not keys:
            continue
        names = [*keys, "id"]
        tuples = [list(plain_values([row[k] for k in names])) for row in batch]
        _storable(table, names, tuples)
        sets = ", ".join(f"{k} = ?" for k in keys)
        conn.executemany(f"UPDATE {table.name} SET {sets} WHERE id = ?", tuples)


def raw_rows(s: Session, table: Any, ids: list[int]) -> dict[int, dict[str, Any]]:
    """Rows by id as the audit log keeps them (like ``audit.snapshot``): dates as
    ISO text, booleans as booleans; straight from sqlite3."""
    names = [c.name for c in table.columns]
    flags = [i for i, c in enumerate(table.columns) if isinstance(c.type, Boolean)]
    stamps = [i for i, c in enumerate(table.columns) if isinstance(c.type, DateTime)]
    out: dict[int, dict[str, Any]] = {}
    for found in rows_by_ids(_driver(s), table.name, names, ids):
        values = list(found)
        for i in flags:
            if values[i] is not None:
                values[i] = bool(values[i])
        for i in stamps:
            if values[i]:
                values[i] = values[i].replace(" ", "T")  # as datetime.isoformat()
        row = dict(zip(names, values, strict=True))
        out[row["id"]] = row
    return out


def _column_defaults(table: Any, given: set[str]) -> dict[str, Any]:
    """Each column's default as the model declares it (None where it has none)."""
    return {
        c.name: c.default.arg if c.default is not None and c.default.is_scalar else None
        for c in table.columns
        if c.name not in given
    }


# An organization row as the models' defaults make it, for rows written in bulk
# (the columns every new row is given are left out)
ORGANIZATION_DEFAULTS: dict[str, Any] = _column_defaults(
    Organization.__table__, {"id", "uuid", "name", "kind", "created_at", "updated_at"}
)
# a party organization or an instructor first named by a sheet: no secretary, dates
# or parent yet (the columns the import gives are left out)
PARTY_ORG_DEFAULTS: dict[str, Any] = _column_defaults(
    PartyOrganization.__table__,
    {"id", "uuid", "name", "level", "formation", "term_years", "created_at", "updated_at"},
)
INSTRUCTOR_DEFAULTS: dict[str, Any] = _column_defaults(
    Instructor.__table__, {"id", "uuid", "name", "created_at", "updated_at"}
)
