"""A return package's records of a unit deleted at the office (issue 22): the package
does not carry the registry (the field database's is read-only), so the unit cannot come
back from it; its records are not merged, and the preview says so by the unit's name —
what it previews is what the merge does, never a failure half-way."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from app.db.queries import merge as q
from app.db.queries import records as rq

# the outcome of such a record, and what the preview, the command line and the audit say
UNIT_DELETED = "unit_deleted"
UNIT_DELETED_NOTE = "单位已在办公室删除，外业的此记录未合并（保存在修改记录中）"
GONE = UNIT_DELETED


def present(conn: sqlite3.Connection, table: str, uuids: set[str]) -> set[str]:
    """Those of ``uuids`` this database has in ``table``."""
    found = conn.execute(rq.uuids_present_sql(table), (json.dumps(sorted(uuids)),))
    return {u for (u,) in found}


def settle_units_gone(conn: sqlite3.Connection, items: list[Any], names: dict) -> None:
    """A return package's records of a unit deleted at the office: not merged (outcome
    ``unit_deleted``, kept in the audit log as 未采用) — the package does not carry the
    registry, so the unit cannot come back from it. A problem that names other units too
    keeps them, one whose visit went with the unit comes without it, and a visit naming
    an instructor deleted at the office comes without them (as the office's own deletion
    of an instructor leaves their visits). In place; ``names`` learns the deleted units'
    names from the audit log."""
    gone = _missing(conn, "organization", items, ("org", "units"))
    gone_people = _missing(conn, "instructor", items, ("instructors",))
    if not gone and not gone_people:
        return
    for uuid in gone:
        row = conn.execute(q.DELETED_UNIT_BEFORE, (uuid,)).fetchone()
        names[uuid] = json.loads(row[0]).get("name", "") if row and row[0] else "（已删除的单位）"
    visits = _missing(conn, "visit", items, ("visit",))  # gone here, or new in the package
    visits -= {i.uuid for i in items if i.entity == "visit" and i.outcome == "new"}
    problems: set[str] = set()  # not merged here: their history steps go with them
    for item in items:  # visits, problems, then their steps (the package's order)
        data = item.theirs
        if data is None:
            continue
        units = _refs(data, ("org", "units"))
        if item.ours is None and (
            (units and units <= gone)
            or (data.get("visit") and data["visit"] in visits)
            or (item.entity == "problem_event" and data.get("problem") in problems)
        ):
            item.outcome, item.merged, item.conflicts = GONE, None, []
            if item.entity == "visit":
                visits.add(item.uuid)  # its problems go with it
            elif item.entity == "problem":
                problems.add(item.uuid)
            continue
        for values in (item.merged, item.theirs):  # what is written, whichever side
            if not values:
                continue
            if values.get("units"):
                values["units"] = [u for u in values["units"] if u not in gone]
            if values.get("instructors"):
                values["instructors"] = [u for u in values["instructors"] if u not in gone_people]
            if values.get("visit") in visits:
                values["visit"] = None


def _refs(data: dict[str, Any], keys: tuple[str, ...]) -> set[str]:
    """The uuids ``data`` names under ``keys`` (one, or a list)."""
    out: set[str] = set()
    for key in keys:
        value = data.get(key)
        out |= set(value) if isinstance(value, list) else {value} if value else set()
    return out


def _missing(
    conn: sqlite3.Connection, table: str, items: list[Any], keys: tuple[str, ...]
) -> set[str]:
    """What the package's records name under ``keys`` that this database lacks."""
    named = {u for i in items if i.theirs for u in _refs(i.theirs, keys)}
    return named - present(conn, table, named)
