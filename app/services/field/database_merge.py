"""Merging two whole ParkDesk databases that diverged (a clerk's laptop and the office
PC, copies of one database): the other's changes brought into this one with the same
machinery and guarantees as a return package — a preview, conflicts shown side by side
and chosen by the clerk, one transaction after a backup, one undoable change, the
version not taken kept in the audit log.

What changed on each side is read from each side's audit log: the two copies share its
entries up to the moment they parted (the fork); every record an entry after the fork
names changed on that side. A record changed on the other side only is taken from it;
changed on both sides to different values, it is a conflict (there is no common version
to tell the fields apart: each field that differs is shown). A record created on both
sides with the same identity (a credit code, a name that must be unique) is a conflict,
never two records and never one silently taking the other's uuid — unless nothing refers
to it and it holds the same values on both (a unit's scores in a period entered alike):
agreed, each copy keeping its uuid. What a merge of the other copy wrote took that
copy's values: never this side's change the next time (merge_origin.py). A record the other
side deleted is deleted here only if nothing here changed it or came to refer to it.
Each merge remembers how far it read both logs, so the next one starts there.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table, UniqueConstraint

from app.db.bulk import stamp_text, written_columns
from app.db.database import Database, open_database
from app.db.models import Base
from app.db.queries import merge as q
from app.db.queries import records as rq
from app.db.sqlite_file import copy_whole, quick_check_ok
from app.domain.merge import FieldConflict, merge_fields
from app.exchange.packages import PackageError
from app.services.assessment import published
from app.services.field import lineage, merge_origin, merge_published
from app.services.field.merge_whole import settle_deleted_here
from app.services.field.package_merge import (
    DELETED,
    OURS,
    THEIRS,
    MergeItem,
    MergePreview,
    tombstone,
)
from app.services.files.audit import MODELS, Change

# written by whoever saved the record last: copied, never compared
_META = frozenset({"id", "uuid", "created_at", "updated_at", "row_version", "changed_by"})
CHANGED = "（已修改）"


def _tables() -> list[Table]:
    """Every record that has an identity, parents before children."""
    return [t for t in Base.metadata.sorted_tables if "uuid" in t.c and t.name in MODELS]


def _unique_keys(table: Table) -> list[tuple[str, ...]]:
    keys = [(c.name,) for c in table.columns if c.unique and c.name not in ("id", "uuid")]
    keys += [
        tuple(c.name for c in con.columns)
        for con in table.constraints
        if isinstance(con, UniqueConstraint)
    ]
    return keys


class _Side:
    """One database, read through sqlite3: records as portable data (references by
    uuid), and what its audit log says changed."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._uuids: dict[str, dict[int, str]] = {}
        # records whose conflict this side's merges of the other copy settled by keeping
        # its own (set by ``changed``): the other's change to them was read, not taken
        self.kept_own: set[tuple[str, str]] = set()

    def uuid_of(self, table: str, ident: int | None) -> str | None:
        if ident is None:
            return None
        if table not in self._uuids:
            self._uuids[table] = dict(self.conn.execute(q.ids_uuids_sql(table)))
        return self._uuids[table].get(ident)

    def records(self, table: Table, uuids: Iterable[str]) -> dict[str, dict[str, Any]]:
        # without the park a record belongs to: in a park database, this database's
        # (its default); never the other copy's word (a park_id 7 would not be found)
        names = written_columns(table)
        refs = {
            c.name: next(iter(c.foreign_keys)).column.table.name
            for c in table.columns
            if c.foreign_keys and c.name in names
        }
        out = {}
        wanted = sorted(uuids)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            sql = q.rows_of_uuids_sql(table.name, names, len(chunk))
            for row in self.conn.execute(sql, chunk):
                data = dict(zip(names, row, strict=True))
                for column, target in refs.items():
                    data[column] = self.uuid_of(target, data[column])
                out[data["uuid"]] = data
        return out

    def changed(self, after: int, merged_from: str = "") -> set[tuple[str, str]]:
        """(table, uuid) of every record an audit entry after ``after`` names; a change
        undone changed nothing (a merge undone here is not a change made here), and the
        marks undo and redo leave are undone themselves. A change made before ``after``
        (before the copies parted, or before the last merge) and undone or redone since
        changed its records again: they are named too, or the other copy keeps them.

        What a merge of the copy ``merged_from`` (its ledger key) wrote here took that
        copy's values: agreed with it, not a change of this side's (else the next merge
        back calls the other copy's newer edit a conflict, and taking this side brings
        its older value back). Only a conflict this side settled by keeping its own is
        this side's word, and named (merge_origin.merges_from)."""
        merges = merge_origin.merges_from(self.conn, merged_from)
        out: set[tuple[str, str]] = set()
        self.kept_own = set()
        for entity, first, last, uuid, change, action in self.conn.execute(q.AUDIT_SINCE, (after,)):
            if change in merges:
                merges[change].see(action, entity, uuid)
            else:
                out |= self._named(entity, first, last, uuid)
        for merge in merges.values():
            self.kept_own |= {(e, u) for e, u in merge.kept_own if e in MODELS}
        out |= self.kept_own
        for (state,) in self.conn.execute(q.UNDO_REDO_SINCE, (after,)):
            change = json.loads(state or "{}").get("change_id")
            if not change or change in merges:  # a merge of that copy undone: it is behind
                continue
            for entity, first, last, uuid in self.conn.execute(
                q.ENTRIES_OF_CHANGE_UP_TO,
                (change, after),
            ):
                out |= self._named(entity, first, last, uuid)
        return out

    def _named(
        self, entity: str, first: int | None, last: int | None, uuid: str | None
    ) -> set[tuple[str, str]]:
        """(table, uuid) of the records one audit entry names."""
        if entity not in MODELS:
            return set()
        if uuid:
            return {(entity, uuid)}
        if last is None:
            return set()
        # rows created in bulk: a range of ids
        return {
            (entity, u)
            for (u,) in self.conn.execute(q.uuids_in_id_range_sql(entity), (first, last))
        }


def _fork(ours: sqlite3.Connection, theirs: sqlite3.Connection) -> tuple[int, str, str]:
    """The last audit entry both logs share, and each side's first change after it
    (which names its line of changes from then on: "" when it has none): the other
    side's, then this side's."""
    mine = ours.execute(q.AUDIT_LINE).fetchall()
    other = theirs.execute(q.AUDIT_LINE).fetchall()
    shared = 0
    for a, b in zip(mine, other, strict=False):
        if a != b:
            break
        shared = a[0]
    after = [c for i, c in other if i > shared]
    own = [c for i, c in mine if i > shared]
    return shared, after[0] if after else "", own[0] if own else ""


@dataclass(slots=True)
class DatabaseMerge:
    """What the window and the command line show and then apply."""

    preview: MergePreview
    other: Path
    branch: str  # the ledger's key for the other copy
    theirs_seen: int  # the other log's newest entry read
    theirs_seen_change: str = ""  # its change: that copy checks the entry is its own


def _open_other(db: Database, other: Path, folder: Path) -> sqlite3.Connection:
    """A copy of the other database, upgraded to this program's schema if older;
    refused when it is not ParkDesk's, another park's, or from a newer program."""
    from app.db.migrate import needs_upgrade
    from app.db.sqlite_file import is_sqlite

    if not other.exists():
        raise PackageError(f"“{other.name}”不存在（{other.parent}）")
    if other.is_file() and other.resolve() == db.path.resolve():
        raise PackageError(f"“{other.name}”就是当前打开的数据库，不能与自己合并")
    if not other.is_file() or not is_sqlite(other):
        raise PackageError(f"“{other.name}”不是ParkDesk数据库")
    copy = folder / "other.sqlite3"
    try:
        _whole_copy(other, copy)
    except sqlite3.Error as exc:  # a copy cut short, or damaged: "malformed"
        raise PackageError(
            f"“{other.name}”已损坏或不完整（可能复制时被截断），不能合并；本数据库未作任何修改"
        ) from exc
    except OSError as exc:  # unreadable, or no room for the copy in the temporary folder
        raise PackageError(
            f"“{other.name}”无法读取或复制（{exc.strerror or exc}），不能合并；本数据库未作任何修改"
        ) from exc
    try:
        if needs_upgrade(copy):
            open_database(copy, daily_backup=False).dispose()
    except Exception as exc:
        raise PackageError(f"“{other.name}”不能合并：{exc}") from exc
    with db.read_connection() as conn:
        ours = lineage.identity(conn)
    refused = lineage.copy_refusal(ours, lineage.identity_of(copy), other.name)
    if refused is not None:
        raise PackageError(refused)
    other_conn = sqlite3.connect(copy)
    _same_park(db, other_conn)
    return other_conn


def _same_park(db: Database, other: sqlite3.Connection) -> None:
    """A copy of this database holds this database's park: copies migrated apart were
    each given a new uuid for it (migrations 0021, 0025), and the park then came as a
    record deleted here, taking the other copy's new records with it. The temporary
    copy's park row, and its audit entries, take this database's uuid."""
    from app.db.models import OWN_PARK_ID

    with db.read_connection() as conn:
        row = conn.execute(q.OWN_PARK_UUID, (OWN_PARK_ID,)).fetchone()
    theirs = other.execute(q.OWN_PARK_UUID, (OWN_PARK_ID,)).fetchone()
    if row is None or theirs is None or theirs[0] == row[0]:
        return
    with other:
        other.execute(q.PARK_TAKES_UUID, (row[0], OWN_PARK_ID, row[0]))
        other.execute(q.AUDIT_PARK_TAKES_UUID, (row[0], theirs[0]))


def _whole_copy(other: Path, copy: Path) -> None:
    """``other`` copied and checked whole (sqlite3.Error if not); the files beside it
    (-wal, -shm), another program's while it has it open, are never touched."""
    target = copy_whole(other, copy)
    try:
        if not quick_check_ok(target):
            raise sqlite3.DatabaseError("quick_check")
    finally:
        target.close()


def preview_database_merge(db: Database, other: Path) -> DatabaseMerge:
    """What merging ``other`` into this database would do; nothing is written."""
    with tempfile.TemporaryDirectory(prefix="parkdesk-merge-") as tmp:
        conn = _open_other(db, other, Path(tmp))
        try:
            with db.read_connection() as mine:
                return _preview(db, mine, conn, other)
        finally:
            conn.close()


def _preview(
    db: Database, mine: sqlite3.Connection, conn: sqlite3.Connection, other: Path
) -> DatabaseMerge:
    fork, branch, own = _fork(mine, conn)
    if fork == 0 and mine.execute(q.ANY_AUDIT).fetchone():
        raise PackageError(
            f"“{other.name}”与本数据库没有共同的修改记录，无法判断谁改了什么，不能合并"
        )
    seen = mine.execute(
        q.LEDGER_DATABASE_SUMMARY,
        (f"db:{branch}",),
    ).fetchone()
    points = json.loads(seen[0]) if seen else {}
    theirs_after = max(fork, points.get("theirs_seen", 0))
    ours_after = max(fork, points.get("ours_after", 0))
    ours_side, theirs_side = _Side(mine), _Side(conn)
    # the other copy's merges of this one (its ledger's key for us), and ours of it
    theirs_changed = theirs_side.changed(theirs_after, f"db:{own}" if own else "")
    ours_changed = ours_side.changed(ours_after, f"db:{branch}" if branch else "")
    # this side's changes the other copy has since read (merged into it) are no news
    # to it — else an edit it took comes back as a conflict with its next edit — unless
    # its clerk kept its own against them: that conflict is asked here too
    seen_there = merge_origin.read_of_us(conn, mine, f"db:{own}" if own else "")
    if seen_there > ours_after:
        news = ours_side.changed(seen_there, f"db:{branch}" if branch else "")
        ours_changed = news | (ours_changed & theirs_side.kept_own)
    newest, newest_change = conn.execute(q.NEWEST_AUDIT).fetchone()
    items: list[MergeItem] = []
    for table in _tables():
        wanted = {u for t, u in theirs_changed if t == table.name}
        if not wanted:
            continue
        theirs_rows = theirs_side.records(table, wanted)
        ours_rows = ours_side.records(table, wanted)
        for uuid in sorted(wanted):
            item = _item(
                ours_side,
                table,
                uuid,
                ours_rows.get(uuid),
                theirs_rows.get(uuid),
                (table.name, uuid) in ours_changed,
            )
            if item is not None:
                items.append(item)
    _refuse_orphaning(mine, items)
    settle_deleted_here(mine, theirs_side, _tables(), items)
    published.mark_database_items(mine, items)  # 已发布，未合并
    merge_published.settle(ours_side, theirs_side, items)  # published there only: arrives whole
    names: dict[str, str] = {}
    for side in (conn, mine):  # what a reference names, by name (here first)
        for table in ("organization", "party_organization", "instructor", "cluster"):
            names |= dict(side.execute(q.uuid_names_sql(table)))
    manifest = {
        "database": True,  # the dialog says "another copy", not "a return package"
        "instructor": "",
        "device": other.name,
        "made_at": datetime.fromtimestamp(other.stat().st_mtime).isoformat(timespec="seconds"),
    }
    preview = MergePreview(other, manifest, items, names)
    return DatabaseMerge(preview, other, f"db:{branch}", newest, newest_change or "")


def _compared(data: dict[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in (data or {}).items() if k not in _META}


def _item(
    ours_side: _Side,
    table: Table,
    uuid: str,
    ours: dict[str, Any] | None,
    theirs: dict[str, Any] | None,
    both: bool,
) -> MergeItem | None:
    item = MergeItem(table.name, uuid, "unchanged", theirs, ours, None, 0, office_uuid=uuid)
    if ours is None and theirs is None:
        return None  # made and deleted there, never here
    if theirs is None:  # deleted there
        if both:
            item.outcome = "conflict"
            item.merged = ours
            item.conflicts = [FieldConflict("*", None, CHANGED, DELETED)]
        else:
            item.outcome = "deleted"
        return item
    if ours is None:
        twin = _twin(ours_side, table, theirs)
        if both:  # deleted here, changed there
            item.outcome = "conflict"
            item.conflicts = [FieldConflict("*", None, DELETED, CHANGED)]
        elif twin is not None:  # the same identity made on both sides
            item.outcome, item.ours, item.office_uuid = "conflict", twin, twin["uuid"]
            merged, conflicts = merge_fields(None, _compared(twin), _compared(theirs))
            merged.pop("uuid", None)
            if not conflicts and table.name in _LEAVES:
                item.outcome = "unchanged"  # agreed: each copy keeps its uuid, none refers to it
                return item
            item.merged, item.conflicts = (
                {**twin, **merged},
                conflicts or [FieldConflict("uuid", None, twin["uuid"], uuid)],
            )
        else:
            item.outcome, item.merged = "new", theirs
        return item
    if _compared(ours) == _compared(theirs):
        return item
    if not both:
        item.outcome, item.merged = "updated", theirs
        return item
    merged, conflicts = merge_fields(None, _compared(ours), _compared(theirs))
    item.outcome, item.merged, item.conflicts = "conflict", {**ours, **merged}, conflicts
    return item


# records nothing refers to (a unit's scores in a period, a visit's instructor): a twin
# holding the same values is the same record to both copies, each under its own uuid;
# a twin another record refers to (a unit by its credit code) stays a conflict, as the
# other copy's records name it by the uuid this copy lacks
_LEAVES = frozenset(
    t.name
    for t in Base.metadata.sorted_tables
    if not any(
        fk.column.table is t for other in Base.metadata.sorted_tables for fk in other.foreign_keys
    )
)


def _twin(side: _Side, table: Table, theirs: dict[str, Any]) -> dict[str, Any] | None:
    """A record here with the identity the other side's new record has (a credit
    code, a unique name, a unit's scores in a period), under another uuid."""
    for key in _unique_keys(table):
        values = [theirs.get(c) for c in key]
        if any(v is None for v in values):
            continue
        refs = {c.name for c in table.columns if c.foreign_keys}
        columns = [
            (c, next(iter(table.c[c].foreign_keys)).column.table.name if c in refs else None)
            for c in key
        ]
        row = side.conn.execute(q.uuid_by_key_sql(table.name, columns), values).fetchone()
        if row is not None:
            return side.records(table, [row[0]])[row[0]]
    return None


def _refuse_orphaning(mine: sqlite3.Connection, items: list[MergeItem]) -> None:
    """A record deleted there that records here still refer to (a visit added here to
    a unit deleted there) would take them along: a conflict instead."""
    going = {(i.entity, i.uuid) for i in items if i.outcome == "deleted"}
    for item in items:
        if item.outcome != "deleted":
            continue
        for table in _tables():
            for column in table.columns:
                fk = next(iter(column.foreign_keys), None)
                if fk is None or fk.column.table.name != item.entity:
                    continue
                users = mine.execute(
                    q.children_sql(table.name, column.name, item.entity), (item.uuid,)
                ).fetchall()
                if any((table.name, u) not in going for (u,) in users):
                    item.outcome = "conflict"
                    item.merged = item.ours
                    item.conflicts = [FieldConflict("*", None, "（本机有关联记录）", DELETED)]
                    break
            if item.outcome == "conflict":
                break


@dataclass(frozen=True, slots=True)
class DatabaseMergeResult:
    created: int
    updated: int
    deleted: int
    conflicts: int
    change_id: str


def apply_database_merge(
    db: Database,
    merge: DatabaseMerge,
    choices: Mapping[str, str] | None = None,
    everywhere: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DatabaseMergeResult:
    """Apply the preview (each conflict as chosen) in one transaction after a backup."""
    from app.db.backup import take_backup
    from app.services.field import package_ledger
    from app.services.field.package_merge import keep_rejected, picks_of

    preview = merge.preview
    picks = picks_of(preview, choices, everywhere)
    take_backup(db.path, "merge")
    counts = {"new": 0, "updated": 0, "deleted": 0}
    order = {t.name: n for n, t in enumerate(_tables())}
    writes = sorted(preview.items, key=lambda i: order[i.entity])
    deletes = list(reversed(writes))
    with db.session() as s:
        conn = s.connection().connection.driver_connection
        change = Change(s, f"合并数据库《{merge.other.name}》")
        for n, item in enumerate(writes):
            side = picks.get(item.follows or item.uuid)
            if item.outcome == "conflict":
                keep_rejected(s, change, item, side, item.chosen(THEIRS if side == OURS else OURS))
            elif item.follows and side == OURS:  # its record stays deleted: kept in the log
                keep_rejected(s, change, item, side, item.theirs)
            target = _target(item, side)
            if target is not None and _compared(target) != _compared(item.ours):
                counts[_write(s, change, conn, item, target)] += 1
            if progress is not None and n % 500 == 0:
                progress(n, len(writes))
        for item in deletes:
            if _target(item, picks.get(item.follows or item.uuid)) is None and item.ours:
                _delete(s, change, conn, item)
                counts["deleted"] += 1
        for kind, n in merge_published.apply(s, change, conn, preview.items).items():
            counts[kind] += n  # a period published there, with its scores
        (ours_after,) = conn.execute(q.LAST_AUDIT_ID).fetchone()
        points = {"theirs_seen": merge.theirs_seen, "ours_after": ours_after, **counts}
        points[merge_origin.FROM] = merge.branch  # whom it merged: read by that copy
        points[merge_origin.SEEN_CHANGE] = merge.theirs_seen_change
        package_ledger.record(
            conn,
            merge.branch,
            "database",
            merge.other.name,
            points,
            device=str(merge.other),
            change=change,
            at=change.at,
        )
    return DatabaseMergeResult(
        counts["new"], counts["updated"], counts["deleted"], len(preview.conflicts), change.id
    )


def _target(item: MergeItem, side: str | None) -> dict[str, Any] | None:
    """The values this database ends with (None: the record goes or never comes)."""
    if item.outcome == "deleted":
        return None
    if item.outcome == "follows":  # comes with the record deleted here, if that comes
        return item.merged if side == THEIRS else None
    if item.outcome == "conflict":
        assert side is not None
        chosen = item.chosen(side)
        if chosen is None:
            return None
        base = item.theirs if side == THEIRS and item.theirs is not None else item.ours
        return {**(base or {}), **chosen}
    if item.outcome in ("new", "updated"):
        return item.merged
    return item.ours  # unchanged: written as it is (nothing to do)


def _write(s: Any, change: Any, conn: sqlite3.Connection, item: MergeItem, data: dict) -> str:
    from app.db.bulk import raw_rows

    table = MODELS[item.entity].__table__  # type: ignore[attr-defined]
    values = {}
    for column in table.columns:
        if column.name in ("id", "uuid") or column.name not in data:
            continue
        value = data[column.name]
        fk = next(iter(column.foreign_keys), None)
        if fk is not None and value is not None:
            found = conn.execute(rq.id_by_sql(fk.column.table.name, "uuid"), (value,)).fetchone()
            value = found[0] if found else None
        values[column.name] = value
    row = conn.execute(rq.id_by_sql(item.entity, "uuid"), (item.office_uuid,)).fetchone()
    if row is None:
        names = ["uuid", *values]
        cur = conn.execute(
            rq.insert_sql(item.entity, names),
            [item.office_uuid, *values.values()],
        )
        after = raw_rows(s, table, [cur.lastrowid])
        change.many(
            "create", item.entity, [(cur.lastrowid, item.office_uuid, None, after[cur.lastrowid])]
        )
        return "new"
    before = raw_rows(s, table, [row[0]])
    conn.execute(rq.update_by_id_sql(item.entity, list(values)), [*values.values(), row[0]])
    after = raw_rows(s, table, [row[0]])
    change.many("update", item.entity, [(row[0], item.office_uuid, before[row[0]], after[row[0]])])
    return "updated"


def _delete(s: Any, change: Any, conn: sqlite3.Connection, item: MergeItem) -> None:
    from app.db.bulk import raw_rows

    table = MODELS[item.entity].__table__  # type: ignore[attr-defined]
    row = conn.execute(rq.id_by_sql(item.entity, "uuid"), (item.office_uuid,)).fetchone()
    if row is None:
        return
    before = raw_rows(s, table, [row[0]])
    change.delete_whole(item.entity, row[0])  # with its visits, scores…: undone with it
    version = before[row[0]].get("row_version") or 0
    tombstone(change, item.entity, item.office_uuid, version, stamp_text(change.at))
