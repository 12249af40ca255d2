"""What the office last took from one field database (package_merge.py).

A return package carries every record the field database changed since its field
package was made, with the version it had then (its base). Once one return package is
merged, the next one from the same field database carries those records again: read
against the field package's base, the office's merge writes (the field's own values)
would look like the office's edits — a false conflict, and taking the field's side of
an office edit made since would bring the field's older value back. So each return
package merged here keeps in its ledger row what it carried, and the next package of
that field database reads its records against that: changed since, or not.

A field database is known by its own identity (``field_database``, made when its
package was opened) and orders its packages by its audit log (``field_log``): a
package older than one already merged is superseded by it and refused.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from app.db.queries import field as q
from app.exchange.packages import PackageError

Seen = dict[tuple[str, str], dict[str, Any] | None]  # (entity, uuid) → data, None: deleted


def _last(conn: sqlite3.Connection, manifest: dict[str, Any]) -> dict[str, Any] | None:
    """The ledger summary of the newest package of this field database merged here."""
    field = manifest.get("field_database")
    if not field:
        return None
    rows = conn.execute(q.LEDGER_RETURNS_OF_FIELD_DATABASE, (field,)).fetchall()
    found = [json.loads(summary) | {"at": at} for at, summary in rows]
    return max(found, key=lambda s: s.get("field_log", 0), default=None)


def refuse_older(conn: sqlite3.Connection, manifest: dict[str, Any], name: str) -> None:
    """PackageError for a package made before one of its field database merged here."""
    last = _last(conn, manifest)
    if last is not None and manifest.get("field_log", 0) < last.get("field_log", 0):
        raise PackageError(
            f"“{name}”比已导入的同一外业数据库的回传包（{str(last['at'])[:16]}导入）更早，"
            "其中的改动都已包含在那个较新的回传包中，不会再导入"
        )


def seen(conn: sqlite3.Connection, manifest: dict[str, Any]) -> Seen:
    """What the newest merged package of this field database carried."""
    last = _last(conn, manifest)
    carried = (last or {}).get("carried") or []
    return {(entity, uuid): data for entity, uuid, data in carried}


def kept(manifest: dict[str, Any], changes: list[dict[str, Any]]) -> dict[str, Any]:
    """What the ledger row keeps of a package for the next one (empty for a package
    made before field databases said who they are)."""
    if not manifest.get("field_database"):
        return {}
    return {
        "field_database": manifest["field_database"],
        "field_log": manifest.get("field_log", 0),
        "carried": [[c["entity"], c["uuid"], c.get("data")] for c in changes],
    }
