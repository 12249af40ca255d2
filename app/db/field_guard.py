"""A field database's registry is read-only: the instructor suggests corrections, the
clerk makes them. Enforced by SQLite itself (triggers), so no path through the window
or the command line can change a unit on the laptop and have it silently lost: the
return package carries visits, problems, scores and corrections, not registry rows.
Lifted while a migration runs (a migration may rewrite registry tables)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

REGISTRY_TABLES = (
    "organization",
    "party_organization",
    "instructor",
    "assignment",
    "class_change",
    "cluster",
    "cluster_record",
    "pairing",
    "pairing_entry",
    "assessment_scheme",
    "assessment_period",
    "fund_payment",  # the office pays; a payment never travels back in a return package
)
MESSAGE = "外业数据库中台账只读：台账信息有误请用“提出更正”，由园区办公室修改"


def _is_field(conn: sqlite3.Connection) -> bool:
    try:
        row = conn.execute("SELECT 1 FROM setting WHERE key = 'field_package'").fetchone()
    except sqlite3.OperationalError:  # a database not yet migrated
        return False
    return row is not None


def ensure(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        if not _is_field(conn):
            return
        have = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        wanted = [
            (f"field_readonly_{table}_{event.lower()}", table, event)
            for table in REGISTRY_TABLES
            for event in ("INSERT", "UPDATE", "DELETE")
        ]
        missing = [w for w in wanted if w[0] not in have]
        if not missing:
            return  # nothing to write: a field database on a read-only stick opens too
        with conn:
            for name, table, event in missing:
                conn.execute(
                    f"CREATE TRIGGER {name} BEFORE {event} ON {table}"
                    f" BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
                )
    finally:
        conn.close()


def lift(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        names = [
            n
            for (n,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'"
                " AND name LIKE 'field_readonly_%'"
            )
        ]
        with conn:
            for name in names:
                conn.execute(f"DROP TRIGGER {name}")
    finally:
        conn.close()
