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
# the park's standards a laptop reads with its registry (经费保障's, the assessment's
# subsidies, schemes and pass line): the office sets them; one changed on a laptop
# showed the laptop its own entitlements and never travelled back
PARK_SETTINGS = ("funds", "assessment")
SETTINGS_MESSAGE = "外业数据库中园区的经费标准和考核设置只读：由园区办公室设置"
MESSAGES = (MESSAGE, SETTINGS_MESSAGE)


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
        wanted = {
            f"field_readonly_{table}_{event.lower()}": (
                f"BEFORE {event} ON {table} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )
            for table in REGISTRY_TABLES
            for event in ("INSERT", "UPDATE", "DELETE")
        }
        keys = ", ".join(f"'{k}'" for k in PARK_SETTINGS)
        for event, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",))):
            when = " OR ".join(f"{row}.key IN ({keys})" for row in rows)
            wanted[f"field_readonly_setting_{event.lower()}"] = (
                f"BEFORE {event} ON setting WHEN {when}"
                f" BEGIN SELECT RAISE(ABORT, '{SETTINGS_MESSAGE}'); END"
            )
        missing = [name for name in wanted if name not in have]
        if not missing:
            return  # nothing to write: a field database on a read-only stick opens too
        with conn:
            for name in missing:
                conn.execute(f"CREATE TRIGGER {name} {wanted[name]}")
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
