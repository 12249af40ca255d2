"""Rows by a list of ids, through plain sqlite3 (no SQLAlchemy needed)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

# well under SQLite's limit on bound parameters in one statement
CHUNK = 500


def rows_by_ids(
    conn: sqlite3.Connection, table: str, columns: list[str], ids: list[int]
) -> Iterator[tuple[Any, ...]]:
    """``SELECT columns FROM table WHERE id IN ids``, a chunk of ids at a time."""
    sql = f"SELECT {', '.join(columns)} FROM {table} WHERE id IN "
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        yield from conn.execute(f"{sql}({', '.join('?' * len(chunk))})", chunk)
