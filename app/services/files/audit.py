"""The audit log: every changed row with its before and after, and undo.

All entries written by one user action share a change id, so undo reverts
the action as a whole (a party organization and the units it covers, say).
"""

from __future__ import annotations

import contextlib
import getpass
import json
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, delete, func, insert, select, update
from sqlalchemy.orm import Session

from app.db.bulk import raw_update, stamp_text
from app.db.by_ids import CHUNK
from app.db.database import Database
from app.db.models import (
    AssessmentPeriod,
    AssessmentScheme,
    AssessmentScore,
    Assignment,
    AuditEntry,
    Base,
    ClassChange,
    Cluster,
    ClusterRecord,
    Correction,
    CountySubmission,
    CountyUnit,
    FundPayment,
    ImportLog,
    Instructor,
    Organization,
    PackageLedger,
    Pairing,
    PairingEntry,
    Park,
    PartyOrganization,
    Problem,
    ProblemEvent,
    ProblemUnit,
    Tombstone,
    Visit,
    VisitAttachment,
    VisitInstructor,
)
from app.db.queries import files as q
from app.db.queries.registry import SETTING_SQL
from app.services.assessment import published

MODELS: dict[str, type[Base]] = {
    m.__tablename__: m
    for m in (
        Organization,
        PartyOrganization,
        Instructor,
        Assignment,
        Cluster,
        ClusterRecord,
        ClassChange,
        Pairing,
        PairingEntry,
        AssessmentScheme,
        AssessmentPeriod,
        AssessmentScore,
        Visit,
        VisitInstructor,
        VisitAttachment,
        Problem,
        ProblemUnit,
        ProblemEvent,
        Correction,
        Park,
        CountySubmission,
        CountyUnit,
        FundPayment,
    )
}

# what a merge keeps beside the records: the ledger (a package merged, how far a copy's
# log was read) and the tombstones of records it deleted. Not records (no history, never
# merged themselves), but undone and redone with the change that wrote them, so a merge
# undone can be merged again and brings its changes (issue 22)
KEPT: dict[str, type[Base]] = {m.__tablename__: m for m in (PackageLedger, Tombstone)}


def model_of(entity: str) -> type[Base] | None:
    """The model undo and redo restore an entry's rows of (None: not one of theirs)."""
    return MODELS.get(entity) or KEPT.get(entity)


ACTION_LABELS = {
    "create": "新增",
    "update": "修改",
    "delete": "删除",
    "undo": "撤销",
    "rejected": "未采用",  # a merge conflict's version the clerk did not take
}


# each database's field instructor (None: the clerk's database), asked once
_FIELD_ACTORS: dict[str, str | None] = {}


def _actor(session: Session | None = None) -> str:
    """Who made a change: on an instructor's laptop (a field database) the instructor the
    package was made for — the name the clerk knows, not the login (root) or the machine;
    else the login."""
    if session is not None:
        url = str(session.get_bind().url)
        if url not in _FIELD_ACTORS:
            row = session.connection().exec_driver_sql(SETTING_SQL, ("field_package",)).first()
            _FIELD_ACTORS[url] = json.loads(row[0]).get("instructor") if row else None
        if _FIELD_ACTORS[url]:
            return str(_FIELD_ACTORS[url])
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""


def snapshot(obj: Base) -> dict[str, Any]:
    """The row's column values as JSON-ready data."""
    out: dict[str, Any] = {}
    for col in obj.__table__.columns:  # type: ignore[attr-defined]
        value = getattr(obj, col.key)
        if isinstance(value, date | datetime):
            value = value.isoformat()
        out[col.key] = value
    return out


def revive(model: type[Base], data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for col in model.__table__.columns:  # type: ignore[attr-defined]
        if col.key not in data:
            continue
        value = data[col.key]
        if value is not None:
            if isinstance(col.type, DateTime):
                value = datetime.fromisoformat(value)
            elif isinstance(col.type, Date):
                value = date.fromisoformat(value)
            elif isinstance(col.type, Boolean):
                value = bool(value)
        out[col.key] = value
    return out


class Change:
    """Collects the audit entries of one user action inside one Session."""

    def __init__(self, session: Session, summary: str) -> None:
        self.session = session
        self.summary = summary
        self.id = str(uuid.uuid4())
        self.actor = _actor(session)
        self.at = datetime.now()

    def _add(self, action: str, obj: Base, before: dict | None, after: dict | None) -> None:
        self.session.add(
            AuditEntry(
                change_id=self.id,
                at=self.at,
                actor=self.actor,
                action=action,
                summary=self.summary,
                entity=obj.__tablename__,
                entity_id=obj.id,  # type: ignore[attr-defined]
                entity_uuid=getattr(obj, "uuid", "") or "",
                before=None if before is None else json.dumps(before, ensure_ascii=False),
                after=None if after is None else json.dumps(after, ensure_ascii=False),
            )
        )

    def created(self, obj: Base) -> None:
        self.session.flush()
        self._add("create", obj, None, snapshot(obj))

    def updated(self, obj: Base, before: dict[str, Any]) -> None:
        self.session.flush()
        after = snapshot(obj)
        changed = {k for k in after if after[k] != before.get(k) and k != "updated_at"}
        if changed:
            self._add("update", obj, before, after)

    def deleted(self, obj: Base) -> None:
        before = snapshot(obj)
        self._add("delete", obj, before, None)
        self.session.delete(obj)
        self.session.flush()

    def many(
        self,
        action: str,
        entity: str,
        rows: list[tuple[int, str, dict[str, Any] | None, dict[str, Any] | None]],
    ) -> None:
        """Entries for rows written in bulk: (id, uuid, before, after) each. An
        update keeps only the columns it changed (undo sets those back; a row
        that did not change gets no entry): a 1,000-row import then logs a tenth
        of the text it would with whole rows."""
        self.in_order([(action, entity, rows)])

    def in_order(
        self,
        groups: list[
            tuple[str, str, list[tuple[int, str, dict[str, Any] | None, dict[str, Any] | None]]]
        ],
    ) -> None:
        """``many(action, entity, rows)`` for each group, in one statement, in their order."""
        dumps = json.JSONEncoder(ensure_ascii=False).encode
        stamp = stamp_text(self.at)  # as SQLAlchemy stores a DateTime
        params = []
        for action, entity, rows in groups:
            if action == "update":
                rows = [
                    (ident, uid, {k: before[k] for k in keys}, {k: after[k] for k in keys})
                    for ident, uid, before, after in rows
                    if before is not None
                    and after is not None
                    and (keys := [k for k in after if after[k] != before.get(k)])
                ]
            # str(): a table's name is SQLAlchemy's quoted_name, which sqlite3 adapts slowly
            head = (self.id, stamp, self.actor, action, self.summary, str(entity))
            params += [
                (
                    *head,
                    ident,
                    uid or "",
                    None if before is None else dumps(before),
                    None if after is None else dumps(after),
                )
                for ident, uid, before, after in rows
            ]
        if not params:
            return
        conn = self.session.connection().connection.driver_connection
        conn.executemany(q.AUDIT_ENTRY_SQL, params)

    @contextlib.contextmanager
    def keeping(self, table: str, where: str, args: Sequence[Any]) -> Iterator[None]:
        """What the block does to the rows of a kept table (KEPT) that ``where`` selects,
        logged in this change: undo puts them back as they were, redo as the block left them."""
        from app.db.bulk import raw_rows

        columns = KEPT[table].__table__  # type: ignore[attr-defined]
        conn = self.session.connection().connection.driver_connection

        def rows() -> dict[int, dict[str, Any]]:
            ids = [i for (i,) in conn.execute(q.ids_where_sql(table, where), args)]
            return raw_rows(self.session, columns, ids)

        before = rows()
        yield
        after = rows()
        # undo goes newest first: new rows go before the old ones come back (a unique key)
        self.many("delete", table, [(i, "", r, None) for i, r in before.items() if i not in after])
        both = sorted(before.keys() & after.keys())
        self.many("update", table, [(i, "", before[i], after[i]) for i in both])
        self.many("create", table, [(i, "", None, r) for i, r in after.items() if i not in before])

    def delete_whole(self, entity: str, ident: int) -> None:
        """Delete a row and what the schema's cascades would take with it (a unit's
        visits and their links, scores…), each row logged, and the references the schema
        would empty (a problem's visit) logged as updates: undo brings all of it back,
        where a bare DELETE would lose the cascaded rows silently."""
        from app.db.bulk import raw_rows

        conn = self.session.connection().connection.driver_connection
        for child, model in MODELS.items():
            for column in model.__table__.columns:  # type: ignore[attr-defined]
                fk = next(iter(column.foreign_keys), None)
                if fk is None or fk.column.table.name != entity:
                    continue
                found = conn.execute(q.ids_referring_sql(child, column.name), (ident,))
                ids = [i for (i,) in found if (child, i) != (entity, ident)]
                if fk.ondelete == "CASCADE":
                    for i in ids:
                        if conn.execute(q.row_exists_sql(child), (i,)).fetchone():
                            self.delete_whole(child, i)
                elif ids:  # SET NULL
                    table = model.__table__  # type: ignore[attr-defined]
                    before = raw_rows(self.session, table, ids)
                    conn.execute(q.empty_reference_sql(child, column.name, len(ids)), ids)
                    after = raw_rows(self.session, table, ids)
                    self.many(
                        "update",
                        child,
                        [(i, r.get("uuid", ""), r, after[i]) for i, r in before.items()],
                    )
        table = MODELS[entity].__table__  # type: ignore[attr-defined]
        before = raw_rows(self.session, table, [ident])
        if ident in before:
            row = before[ident]
            self.many("delete", entity, [(ident, row.get("uuid", ""), row, None)])
            conn.execute(q.delete_row_sql(entity), (ident,))

    def updates_in_sql(
        self, table: Any, columns: Sequence[str], ids: list[int]
    ) -> Callable[[], None]:
        """Entries for rows about to be updated in bulk, made by SQLite (json_object)
        rather than row by row in Python: the before values of ``columns`` are copied
        now; call the function returned once the rows are written to copy the after
        values. Every row given gets an entry: the caller updates only changed rows."""
        if not ids:
            return lambda: None
        assert not any(isinstance(table.c[c].type, Boolean) for c in columns)
        # stamps as snapshot() writes them (isoformat), so undo and history read both alike
        stamps = {c for c in columns if isinstance(table.c[c].type, DateTime)}
        pairs = q.json_pairs(columns, stamps)
        name = str(table.name)
        conn = self.session.connection().connection.driver_connection
        stamp = stamp_text(self.at)
        conn.execute(
            q.audit_before_sql(name, pairs),
            (self.id, stamp, self.actor, self.summary, name, json.dumps(ids)),
        )

        def after() -> None:
            conn.execute(q.audit_after_sql(name, pairs), (self.id, name))

        return after

    def created_range(self, entity: str, first: int, last: int) -> None:
        """One entry for rows created in bulk with the ids first..last: undo deletes
        them, a record's history finds it."""
        # now, not at commit: entries written straight through sqlite3 follow it, and
        # undo reverts in the order of the entries' ids (so the session's pending
        # entries go first); written as they are, not through the ORM's flush of one
        # object (a few milliseconds each, five or six per import)
        self.session.flush()
        conn = self.session.connection().connection.driver_connection
        conn.execute(
            q.AUDIT_CREATED_RANGE_SQL,
            (self.id, stamp_text(self.at), self.actor, self.summary, str(entity), first, last),
        )


@dataclass(frozen=True, slots=True)
class HistoryItem:
    at: datetime
    actor: str
    action: str
    summary: str
    changes: list[tuple[str, Any, Any]]  # field, old, new
    undone: bool


def history(db: Database, entity: str, entity_id: int, limit: int = 200) -> list[HistoryItem]:
    """Newest first: what happened to one record, its bulk creation included."""
    with db.reading() as s:
        own = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
            .order_by(AuditEntry.id.desc())
            .limit(limit)
        ).all()
        # the same conditions as the partial index ix_audit_ranges, so it is used
        ranges = s.scalars(
            select(AuditEntry).where(
                AuditEntry.last_entity_id.is_not(None),
                AuditEntry.entity == entity,
                AuditEntry.entity_id < entity_id,
                AuditEntry.last_entity_id >= entity_id,
            )
        ).all()
    rows = sorted([*own, *ranges], key=lambda e: e.id, reverse=True)[:limit]
    out: list[HistoryItem] = []
    for row in rows:
        # an undo's or a redo's own data is what 重做 needs, not a change of the record
        plain = row.action not in ("undo", "redo")
        before = json.loads(row.before) if row.before and plain else {}
        after = json.loads(row.after) if row.after and plain else {}
        keys = [
            k
            for k in (after or before)
            if k not in ("updated_at", "created_at", "id", "uuid") and before.get(k) != after.get(k)
        ]
        out.append(
            HistoryItem(
                row.at,
                row.actor,
                row.action,
                row.summary,
                [(k, before.get(k), after.get(k)) for k in keys],
                row.undone,
            )
        )
    return out


def _revert(s: Session, model: type[Base], action: str, run: list[Any]) -> None:
    """Undo a run of entries of one table and one kind (newest first)."""
    table = model.__table__  # type: ignore[attr-defined]
    if action == "create":
        ids = [e.entity_id for e in run if e.last_entity_id is None]
        for i in range(0, len(ids), CHUNK):
            s.execute(delete(table).where(table.c.id.in_(ids[i : i + CHUNK])))
        for e in run:
            if e.last_entity_id is not None:
                s.execute(delete(table).where(table.c.id.between(e.entity_id, e.last_entity_id)))
    elif action == "update":
        rows = []
        for e in run:
            values = revive(model, json.loads(e.before or "{}"))
            values["id"] = e.entity_id
            rows.append(values)
        raw_update(s, table, rows)
    elif action == "delete":
        s.execute(insert(table), [revive(model, json.loads(e.before or "{}")) for e in run])


def marker_entry(action: str, summary: str, like: Any) -> AuditEntry:
    """The entry that records an undo or a redo, about the record ``like`` names; never
    itself undone (undo and redo act on the change it names)."""
    return AuditEntry(
        change_id=str(uuid.uuid4()),
        actor=_actor(),
        action=action,
        summary=summary,
        entity=like.entity,
        entity_id=like.entity_id,
        entity_uuid=like.entity_uuid,
        undone=True,
    )


def _ranges_kept(s: Session, entries: list[Any]) -> dict[str, list[dict[str, Any]]]:
    """The rows of each range of bulk-created rows, as raw_rows reads them."""
    from app.db.bulk import raw_rows

    kept: dict[str, list[dict[str, Any]]] = {}
    for e in entries:
        if e.action == "create" and e.last_entity_id is not None:
            table = MODELS[e.entity].__table__  # type: ignore[attr-defined]
            ids = list(range(e.entity_id, e.last_entity_id + 1))
            kept[f"{e.entity}:{e.entity_id}"] = list(raw_rows(s, table, ids).values())
    return kept


def last_undoable(db: Database) -> str | None:
    """The summary of the action undo would revert, or None."""
    with db.reading() as s:
        entry = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.undone.is_(False), AuditEntry.action != "undo")
            .order_by(AuditEntry.id.desc())
            .limit(1)
        ).first()
    return entry.summary if entry else None


def undo_last(db: Database) -> str | None:
    """Revert the newest action not yet undone; returns its summary or None.

    Entries are reverted newest first, a run of entries of one table and kind
    at a time: undoing an import of 10,000 rows is a handful of statements,
    not 20,000 (it took 11 s that way)."""
    with db.session() as s:
        last_id = s.scalar(
            select(func.max(AuditEntry.id)).where(
                AuditEntry.undone.is_(False), AuditEntry.action != "undo"
            )
        )
        if last_id is None:
            return None
        change_id = s.scalar(select(AuditEntry.change_id).where(AuditEntry.id == last_id))
        entries = s.execute(
            select(
                AuditEntry.entity,
                AuditEntry.action,
                AuditEntry.entity_id,
                AuditEntry.entity_uuid,
                AuditEntry.summary,
                AuditEntry.before,
                AuditEntry.last_entity_id,
            )
            .where(AuditEntry.change_id == change_id)
            .order_by(AuditEntry.id.desc())
        ).all()
        summary = entries[0].summary
        conn = s.connection().connection.driver_connection
        published.refuse_audited(conn, entries, "撤销")  # a published period stays as published
        # rows created in bulk are logged as a range of ids, without their values: kept
        # here before they go, so that 重做 can put them back (services/files/redo.py)
        kept = _ranges_kept(s, entries)
        for (entity, action), run in groupby(entries, key=lambda e: (e.entity, e.action)):
            model = model_of(entity)
            if model is not None:
                _revert(s, model, action, list(run))
        s.execute(update(AuditEntry).where(AuditEntry.change_id == change_id).values(undone=True))
        marker = marker_entry("undo", f"撤销：{summary}", entries[0])
        # what 重做 needs: the change (small, read each time the menu is shown) and
        # the rows of bulk creations (large, read only when redone)
        marker.after = json.dumps({"change_id": change_id, "redone": False})
        marker.before = json.dumps({"ranges": kept}, ensure_ascii=False) if kept else None
        s.add(marker)
        # an import undone this way is undone in its log too
        s.execute(update(ImportLog).where(ImportLog.change_id == change_id).values(undone=True))
        # the identity map may hold rows changed behind its back by core statements
        s.flush()
        s.expire_all()
    return summary
