"""重做 (Ctrl+Y): the action undone last, done again — as long as nothing else was
changed since (then there is nothing to redo, as in any editor). The audit entries of
the undone change say what it wrote; rows created in bulk come back from what undo
kept of them. Redone, the change can be undone again."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from app.db.bulk import raw_update
from app.db.database import Database
from app.db.models import AuditEntry, ImportLog
from app.services.assessment import published
from app.services.files.audit import marker_entry, model_of, revive


def _pending(s: Session) -> tuple[int, dict[str, Any]] | None:
    """The undo to redo (its id and state): the newest not yet redone, with no other
    change after it. Only the small state is read: this runs each time 编辑 is shown."""
    newest_change = s.scalar(
        select(AuditEntry.id)
        .where(AuditEntry.action.not_in(("undo", "redo")))
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    undos = s.execute(
        select(AuditEntry.id, AuditEntry.after)
        .where(AuditEntry.action == "undo", AuditEntry.id > (newest_change or 0))
        .order_by(AuditEntry.id.desc())
    ).all()
    for ident, after in undos:
        state = json.loads(after or "{}")
        if state.get("change_id") and not state.get("redone"):
            undone = s.scalar(
                select(AuditEntry.undone).where(AuditEntry.change_id == state["change_id"]).limit(1)
            )
            if undone:
                return ident, state
    return None


def redoable(db: Database) -> str | None:
    """What 重做 would do again, or None."""
    with db.reading() as s:
        found = _pending(s)
        if found is None:
            return None
        summary = s.scalar(select(AuditEntry.summary).where(AuditEntry.id == found[0]))
        return (summary or "").removeprefix("撤销：")


def redo_last(db: Database) -> str | None:
    """Do again the change undone last; its summary, or None when there is none."""
    with db.session() as s:
        found = _pending(s)
        if found is None:
            return None
        undo, state = s.get(AuditEntry, found[0]), found[1]
        assert undo is not None
        kept = json.loads(undo.before or "{}").get("ranges", {})
        change_id = state["change_id"]
        entries = s.scalars(
            select(AuditEntry).where(AuditEntry.change_id == change_id).order_by(AuditEntry.id)
        ).all()
        conn = s.connection().connection.driver_connection
        published.refuse_audited(conn, entries, "重做")  # a published period stays as published
        for entry in entries:
            _again(s, entry, kept)
        s.execute(update(AuditEntry).where(AuditEntry.change_id == change_id).values(undone=False))
        s.execute(update(ImportLog).where(ImportLog.change_id == change_id).values(undone=False))
        undo.after, undo.before = json.dumps({**state, "redone": True}), None
        summary = entries[0].summary if entries else undo.summary
        # never itself undone: undo takes the redone change again
        marker = marker_entry("redo", f"重做：{summary}", undo)
        marker.after = json.dumps({"change_id": change_id})  # what a database merge reads again
        s.add(marker)
        s.flush()
        s.expire_all()
    return summary


def _again(s: Session, entry: AuditEntry, ranges: dict[str, list[dict[str, Any]]]) -> None:
    model = model_of(entry.entity)
    if model is None:
        return
    table = model.__table__  # type: ignore[attr-defined]
    if entry.action == "create":
        if entry.last_entity_id is not None:
            rows = ranges.get(f"{entry.entity}:{entry.entity_id}", [])
        else:
            rows = [json.loads(entry.after or "{}")]
        if rows:
            s.execute(insert(table), [revive(model, r) for r in rows])
    elif entry.action == "update":
        values = revive(model, json.loads(entry.after or "{}"))
        values["id"] = entry.entity_id
        raw_update(s, table, [values])
    elif entry.action == "delete":
        s.execute(delete(table).where(table.c.id == entry.entity_id))
