"""Writing many rows at once with their audit entries: one INSERT or UPDATE
statement for many rows (10,000 rows through the ORM one at a time took half a
minute), the rows created logged as one range, the rows changed with the
columns they changed. Used by the import and by the ParkDesk-workbook import.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.db.bulk import insert_rows, raw_insert, raw_rows, raw_update
from app.db.queries import workbooks as q
from app.services.files.audit import Change


def next_id(s: Session, table: Any) -> int:
    conn = s.connection().connection.driver_connection
    return int(conn.execute(q.max_id(table.name)).fetchone()[0] or 0) + 1


def insert_logged(
    s: Session, change: Change, table: Any, names: list[str], rows: list[Any]
) -> None:
    """Insert rows in ``names`` order, as SQLite stores them, the id first and
    given by the caller (from ``next_id``), and log them as one range."""
    if rows:
        insert_rows(s, table, names, rows)
        # one entry for the range: the import log names the file, undo needs only the ids
        change.created_range(table.name, rows[0][0], rows[-1][0])


def bulk_insert(s: Session, change: Change, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` (every column given) with ids given here, and log them."""
    if not rows:
        return []
    table = model.__table__
    start = next_id(s, table)
    ids = list(range(start, start + len(rows)))
    for ident, row in zip(ids, rows, strict=True):
        row["id"] = ident
    raw_insert(s, table, rows)
    # one entry for the range: the import log names the file, undo needs only the ids
    change.created_range(table.name, ids[0], ids[-1])
    return ids


def bulk_update(s: Session, change: Change, model: Any, rows: list[dict[str, Any]]) -> None:
    """Update rows by id (each dict holds "id" and the columns to set), and log them."""
    if not rows:
        return
    table = model.__table__
    ids = [r["id"] for r in rows]
    before = raw_rows(s, table, ids)
    raw_update(s, table, rows)
    after = raw_rows(s, table, ids)
    change.many(
        "update",
        table.name,
        [(i, after[i].get("uuid", ""), before[i], after[i]) for i in ids],  # many() drops the same
    )
