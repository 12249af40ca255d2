"""A return package's records of a unit deleted at the office (issue 22): the package
does not carry the registry (the field database's is read-only), so the unit cannot come
back from it; its records are not merged, and the preview says so by the unit's name —
what it previews is what the merge does, never a failure half-way."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

# the outcome of such a record, and what the preview, the command line and the audit say
UNIT_DELETED = "unit_deleted"
UNIT_DELETED_NOTE = "单位已在办公室删除，外业的此记录未合并（保存在修改记录中）"
GONE = UNIT_DELETED


def present(conn: sqlite3.Connection, table: str, uuids: set[str]) -> set[str]:
    """Those of ``uuids`` this database has in ``table``."""
    found = conn.execute(
        f"SELECT uuid FROM {table} WHERE uuid IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(uuids)),),
    )
    return {u for (u,) in found}


def settle_units_gone(conn: sqlite3.Connection, items: list[Any], names: dict) -> None:
    """A return package's records of a unit deleted at the office: not merged (outcome
    ``unit_deleted``, kept in the audit log as 未采用) — the package does not carry the
    registry, so the unit cannot come back from it; a problem that names other units
    too keeps them, and one whose visit went with the unit comes without it. In place;
    ``names`` learns the deleted units' names from the audit log."""
    units = {u for i in items if i.theirs for u in _units(i.theirs)}
    gone = units - present(conn, "organization", units)
    if not gone:
        return
    for uuid in gone:
        row = conn.execute(
            "SELECT before FROM audit_entry WHERE entity = 'organization' AND entity_uuid = ?"
            " AND action = 'delete' ORDER BY id DESC LIMIT 1",
            (uuid,),
        ).fetchone()
        names[uuid] = json.loads(row[0]).get("name", "") if row and row[0] else "（已删除的单位）"
    visits = {i.theirs.get("visit") for i in items if i.theirs and i.entity == "problem"}
    visits_here = present(conn, "visit", {v for v in visits if v})
    for item in items:  # visits before their problems (the package's order)
        data = item.theirs
        if data is None or item.ours is not None:
            continue  # a record still here belongs to a unit still here
        mine = _units(data)
        if (mine and mine <= gone) or data.get("visit") in {
            i.uuid for i in items if i.outcome == GONE
        }:
            item.outcome, item.merged, item.conflicts = GONE, None, []
        elif item.entity == "problem" and item.outcome != "conflict":
            kept = dict(item.merged or data)
            kept["units"] = [u for u in kept.get("units") or [] if u not in gone]
            if kept.get("visit") and kept["visit"] not in visits_here | {
                i.uuid for i in items if i.entity == "visit" and i.outcome == "new"
            }:
                kept["visit"] = None
            item.merged = kept


def _units(data: dict[str, Any]) -> set[str]:
    return {u for u in (data.get("org"), *(data.get("units") or [])) if u}
