"""Merging a return package into the clerk's database: a preview (new, changed,
unchanged, deleted, and the conflicts side by side), then everything applied in one
transaction after a backup, one undoable change, the package kept in the ledger.

Each record is merged field by field against the version the field package held
(domain/merge.py). A record changed on both sides, deleted on one side and changed on
the other, or scores entered for the same unit and period on both sides, is a
conflict: the clerk chooses ours (the office's) or theirs (the field's) for each;
nothing is applied while one is unresolved, and the version not chosen is written
to the audit log ("未采用"), so it is never lost.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from app.db.bulk import stamp_text
from app.db.database import Database
from app.db.migrate import SCHEMA_HEAD
from app.db.queries import merge as q
from app.db.queries import records as rq
from app.domain.merge import FieldConflict, merge_fields
from app.exchange.packages import Package, PackageError, open_package, reopen_package
from app.services.assessment import published
from app.services.field import attachments, field_records, field_seen, lineage, package_check
from app.services.field.field_records import Record
from app.services.field.units_gone import UNIT_DELETED, UNIT_DELETED_NOTE, settle_units_gone

OURS, THEIRS = "ours", "theirs"
DELETED = "（已删除）"
LINKS = {
    "visit": (("visit_instructor", "visit_id"), ("visit_attachment", "visit_id")),
    # a problem deleted takes its history with it (SQLite's cascade): logged, undo restores it
    "problem": (("problem_unit", "problem_id"), ("problem_event", "problem_id")),
    "problem_event": (),
    "assessment_score": (),
    "correction": (),
}
ENTITY_LABELS = {
    "visit": "走访",
    "problem": "问题",
    "problem_event": "整改记录",
    "assessment_score": "评分",
    "correction": "更正建议",
    # a whole database's merge (database_merge.py) brings every kind of record
    "organization": "组织",
    "party_organization": "党组织",
    "instructor": "指导员",
    "assignment": "联系分工",
    "class_change": "分类变更",
    "cluster": "编组",
    "cluster_record": "编组记录",
    "pairing": "结对帮带",
    "pairing_entry": "帮带记录",
    "assessment_scheme": "考核方案",
    "assessment_period": "考核期",
    "visit_instructor": "走访指导员",
    "visit_attachment": "走访附件",
    "problem_unit": "问题涉及单位",
    "fund_payment": "经费拨付",
    "park": "园区",
}


@dataclass(slots=True)
class MergeItem:
    entity: str
    uuid: str  # the record's uuid in the package
    outcome: str  # new | updated | unchanged | deleted | conflict
    theirs: dict[str, Any] | None  # None: deleted in the field
    ours: dict[str, Any] | None  # None: not here (new, or deleted here)
    merged: dict[str, Any] | None
    theirs_version: int
    ours_version: int = 0
    office_uuid: str = ""  # the row written here (scores met by unit and period: ours)
    conflicts: list[FieldConflict] = field(default_factory=list)
    # outcome "follows": part of the record deleted here that this uuid names (a visit of
    # a unit): written only if that conflict is settled with theirs (merge_whole.py)
    follows: str = ""

    def chosen(self, side: str) -> dict[str, Any] | None:
        """The values written when the clerk takes ``side`` (None: the record goes):
        the merged values, with each conflicting field — and the fields that hold
        together with it (field_records.GROUPS) — from that side."""
        whole = self.ours if side == OURS else self.theirs
        if whole is None:
            return None
        data = dict(self.merged or whole)
        fields = {c.field for c in self.conflicts}
        for group in field_records.GROUPS.get(self.entity, ()):
            if fields & set(group):
                fields |= set(group)
        data.update({k: whole[k] for k in fields if k in whole})
        return data


@dataclass(slots=True)
class MergePreview:
    path: Path
    manifest: dict[str, Any]
    items: list[MergeItem]
    names: dict[str, str] = field(default_factory=dict)  # unit uuid → name, for describe()
    # the package file as checked (apply verifies it unchanged instead of checking it
    # again) and what its ledger row keeps for the next package (field_seen.kept)
    sha256: str = ""
    kept: dict[str, Any] = field(default_factory=dict)

    def describe(self, item: MergeItem) -> str:
        """The record as the clerk knows it: "走访 2026-11-20 甲公司"; a record deleted here
        says what comes back with it if the other side's is taken."""
        along = self.along(item) if item.outcome == "conflict" and item.ours is None else ""
        return self._named(item) + (f"（采用对方时连同{along}一并恢复）" if along else "")

    def _named(self, item: MergeItem) -> str:
        data = item.theirs or item.ours or {}
        unit = (
            data.get("org")
            or data.get("organization_id")
            or next(iter(data.get("units") or []), "")
        )
        name = self.names.get(unit, "")
        kind = ENTITY_LABELS.get(item.entity, item.entity)
        if item.entity == "visit":
            return f"{kind} {data.get('visited_on', '')} {name}"
        if item.entity == "problem":
            return f"{kind}：{str(data.get('text', ''))[:20]}（{name}）"
        if item.entity == "problem_event":  # a step of a problem's history: named by it
            problem = next(
                (i for i in self.items if i.entity == "problem" and i.uuid == data.get("problem")),
                None,
            )
            of = f"（{self._named(problem)}）" if problem is not None else ""
            return f"{kind} {data.get('on', '')}：{str(data.get('note', ''))[:20]}{of}"
        if item.entity == "assessment_score":
            return f"{kind} {data.get('period', '')} {name}"
        if item.entity == "correction":
            return f"{kind}：{name} {data.get('field', '')}"
        own = data.get("name") or data.get("title") or data.get("text") or data.get("code")
        # else what it refers to, by name (an assignment: its unit and its instructor)
        named = [self.names[v] for v in data.values() if isinstance(v, str) and v in self.names]
        return f"{kind}：{own or '、'.join(named) or name}"

    def along(self, head: MergeItem) -> str:
        """What comes back with a record deleted here if theirs is taken: "走访1条，评分3条"."""
        kinds: dict[str, int] = {}
        parts = {table for links in LINKS.values() for table, _key in links}
        for item in self.items:
            if item.follows == head.uuid and item.entity not in parts:  # a visit's links
                kind = ENTITY_LABELS.get(item.entity, item.entity)
                kinds[kind] = kinds.get(kind, 0) + 1
        return "，".join(f"{kind}{n}条" for kind, n in kinds.items())

    def count(self, outcome: str) -> int:
        return sum(1 for i in self.items if i.outcome == outcome)

    @property
    def conflicts(self) -> list[MergeItem]:
        return [i for i in self.items if i.outcome == "conflict"]

    def as_report(self) -> dict[str, Any]:
        """The contract of ``field merge --json`` (and ``merge --json``, which adds how
        the other copy's published periods come: published.arrivals_report)."""
        report = {
            "created": self.count("new"),
            "updated": self.count("updated"),
            "unchanged": self.count("unchanged"),
            "deleted": self.count("deleted"),
            # records of a published period: 已发布，未合并 (app/services/assessment/published.py)
            "published": [
                {"uuid": i.uuid, "table": i.entity, "record": self.describe(i)}
                for i in self.items
                if i.outcome == published.PUBLISHED
            ],
            "unit_deleted": self.count(UNIT_DELETED),
            "conflicts": [
                {
                    "uuid": i.uuid,
                    "table": i.entity,
                    "field": c.field,
                    "ours": c.ours,
                    "theirs": c.theirs,
                }
                for i in self.conflicts
                for c in i.conflicts
            ],
        }
        if self.manifest.get("database"):  # a field database never publishes
            report |= published.arrivals_report(self.items)
        return report


class MergeRefused(ValueError):
    """Conflicts not yet chosen: nothing is written."""


def picks_of(
    preview: MergePreview, choices: Mapping[str, str] | None, everywhere: str | None
) -> dict[str, str]:
    """Each conflict's side (by record uuid, else ``everywhere``); MergeRefused while
    one is left unchosen: a conflict is never settled by default."""
    picks = {i.uuid: (choices or {}).get(i.uuid) or everywhere for i in preview.conflicts}
    open_ones = [u for u, side in picks.items() if side not in (OURS, THEIRS)]
    if open_ones:
        raise MergeRefused(f"还有{len(open_ones)}处冲突没有选择采用哪一方，未写入任何内容")
    return picks  # type: ignore[return-value]


def _refuse_here(conn: Any, manifest: dict[str, Any], name: str) -> None:
    """PackageError for a package this database must not take now: another park's, one
    merged already, one older than a package of its field database merged here."""
    refused = lineage.return_refusal(lineage.identity(conn), manifest, name)
    if refused is not None:
        raise PackageError(refused)
    seen = conn.execute(q.LEDGER_AT_OF_PACKAGE, (manifest.get("package_id"),)).fetchone()
    if seen is not None:
        raise PackageError(f"“{name}”已导入过（{str(seen[0])[:16]}），不会重复导入")
    field_seen.refuse_older(conn, manifest, name)


def _open_checked(db: Database, path: Path) -> tuple[Package, list[dict[str, Any]]]:
    pkg = open_package(path, "return", SCHEMA_HEAD)
    try:
        manifest = pkg.manifest
        with db.read_connection() as conn:
            _refuse_here(conn, manifest, path.name)
        if "changes.json" not in manifest["files"]:
            raise PackageError(f"“{path.name}”缺少可读的改动清单")
        with db.read_connection() as conn:  # every record checked before anything is written
            raw = pkg.read("changes.json")
            changes = package_check.checked_changes(conn, manifest, raw, path.name)
    except BaseException:
        pkg.close()
        raise
    return pkg, changes


def preview_merge(db: Database, path: Path) -> MergePreview:
    """What merging ``path`` would do; nothing is written."""
    sha256 = _file_hash(path)
    pkg, changes = _open_checked(db, path)
    pkg.close()
    if _file_hash(path) != sha256:  # replaced while it was read: nothing is taken from it
        raise PackageError(f"“{path.name}”在读取时被改动，请重新打开")
    with db.read_connection() as conn:
        last = field_seen.seen(conn, pkg.manifest)  # its field database's package before
        items = [_item(conn, c, last) for c in changes]
        published.mark_package_items(conn, items)  # 已发布，未合并
        units = {
            u
            for i in items
            for data in (i.theirs, i.ours)
            if data
            for u in (data.get("org"), *(data.get("units") or []))
            if u
        }
        names = dict(
            conn.execute(
                q.UNIT_NAMES_OF_UUIDS,
                (json.dumps(sorted(units)),),
            )
        )
        _notes_beside_status(conn, items)
        settle_units_gone(conn, items, names)
    kept = field_seen.kept(pkg.manifest, changes)
    return MergePreview(path, pkg.manifest, items, names, sha256, kept)


def _file_hash(path: Path) -> str:
    from app.exchange.importer import file_hash

    try:
        return file_hash(path)
    except OSError as exc:
        raise PackageError(f"找不到文件：{path.name}") from exc


def _still_checked(db: Database, preview: MergePreview) -> Package:
    """The package the preview checked, opened again for its photos: refused when its
    file changed since (its sha256), or when this database must not take it now (merged
    meanwhile, a newer one of its field database merged): the records are not checked
    a second time."""
    if _file_hash(preview.path) != preview.sha256:
        raise PackageError(f"“{preview.path.name}”在预览之后被改动过，请重新预览")
    with db.read_connection() as conn:
        _refuse_here(conn, preview.manifest, preview.path.name)
    return reopen_package(preview.path, preview.manifest)


def _notes_beside_status(conn: Any, items: list[MergeItem]) -> None:
    """A problem whose status conflicts shows beside it each side's note that goes with its
    status (the latest typed on a move to it), so the clerk chooses knowing why each side
    moved it; a status and its note travel together (both notes are kept whatever she
    chooses)."""
    status = set(field_records.GROUPS["problem"][0])
    theirs: dict[tuple[str, str], tuple[str, str, str]] = {}  # (problem, to) → the latest
    for item in items:
        step = item.theirs if item.entity == "problem_event" else None
        if step and step.get("note"):
            latest = (str(step.get("on")), str(step.get("at")), str(step["note"]))
            key = (step["problem"], step["to"])
            theirs[key] = max(theirs.get(key, latest), latest)
    for item in items:
        if item.entity != "problem" or not status & {c.field for c in item.conflicts}:
            continue
        row = conn.execute(
            q.NOTE_OF_PROBLEM_STATUS,
            (item.office_uuid,),
        ).fetchone()
        taken = (item.theirs or {}).get("status")
        ours, there = (row[0] if row else ""), theirs.get((item.uuid, taken), ("", "", ""))[2]
        if ours or there:
            item.conflicts.append(FieldConflict("status_note", None, ours, there))


def _ours(conn: Any, entity: str, uuid: str) -> Record | None:
    found = field_records.read(conn, entity, rq.uuid_where(entity), (uuid,))
    return found[0] if found else None


def _same_unit_scores(conn: Any, data: dict[str, Any]) -> Record | None:
    """Scores for the same unit and period entered here under another uuid."""
    found = field_records.read(
        conn, "assessment_score", rq.SCORE_OF_PERIOD_AND_UNIT, (data["period"], data["org"])
    )
    return found[0] if found else None


def _item(conn: Any, change: dict[str, Any], last: field_seen.Seen) -> MergeItem:
    entity, uuid = change["entity"], change["uuid"]
    theirs = None if change.get("deleted") else change["data"]
    base = change.get("base")
    item = MergeItem(entity, uuid, "unchanged", theirs, None, None, change["row_version"])
    ours = _ours(conn, entity, uuid)
    if ours is None and theirs is not None and entity == "assessment_score":
        ours = _same_unit_scores(conn, theirs)
        base = None  # made on both sides: every difference is a conflict
    taken = last.get((entity, uuid))
    if taken is not None:  # what its field database sent last time: the office has seen it
        base = taken
    if ours is None:
        if theirs is None:
            return item  # deleted on both sides
        gone = conn.execute(q.TOMBSTONE_OF, (entity, uuid)).fetchone()
        item.office_uuid = uuid
        if gone is not None and _same(theirs, taken):
            return item  # deleted here after the office took it, not changed there since
        if gone is not None:
            item.outcome = "conflict"
            item.conflicts = [FieldConflict("*", base, DELETED, "（已修改）")]
        else:
            item.outcome = "new"
            item.merged = theirs
        return item
    item.ours, item.ours_version, item.office_uuid = ours.data, ours.row_version, ours.uuid
    if theirs is None:  # deleted in the field: unless the office changed it since
        if (entity, uuid) in last and taken is None:
            return item  # its deletion came with the package before, and the office kept it
        if (
            _same(ours.data, taken)
            if taken is not None
            else ours.row_version == change["base_version"]
        ):
            item.outcome = "deleted"
        else:
            item.outcome = "conflict"
            item.merged = ours.data
            item.conflicts = [FieldConflict("*", base, "（已修改）", DELETED)]
        return item
    merged, conflicts = merge_fields(
        None if base is None else field_records.compared(base),
        field_records.compared(ours.data),
        field_records.compared(theirs),
    )
    followers = field_records.FOLLOWERS.get(item.entity, frozenset())
    conflicts = [c for c in conflicts if c.field not in followers]
    # the field's link uuids: a link the merge makes here keeps the field's identity
    item.merged = {**merged, "changed_by": theirs.get("changed_by", "")}
    item.merged["links"] = theirs.get("links", [])
    item.conflicts = conflicts
    if conflicts:
        item.outcome = "conflict"
    elif merged != field_records.compared(ours.data):
        item.outcome = "updated"
    return item


def _same(data: dict[str, Any] | None, taken: dict[str, Any] | None) -> bool:
    """The record as the office took it from the field last time (never when it took none)."""
    if data is None or taken is None:
        return False
    return field_records.compared(data) == field_records.compared(taken)


@dataclass(frozen=True, slots=True)
class MergeResult:
    created: int
    updated: int
    deleted: int
    unchanged: int
    conflicts: int
    change_id: str


def apply_merge(
    db: Database,
    preview: MergePreview,
    choices: Mapping[str, str] | None = None,
    everywhere: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> MergeResult:
    """Apply the preview: each conflict as chosen (by the package's record uuid, or
    ``everywhere``), the rest as previewed; refused while a conflict is not chosen."""
    from app.db.backup import take_backup
    from app.services.files.audit import Change

    picks = picks_of(preview, choices, everywhere)
    pkg = _still_checked(db, preview)
    take_backup(db.path, "merge")
    counts = {"new": 0, "updated": 0, "deleted": 0}
    try:
        with db.session() as s:
            conn = s.connection().connection.driver_connection
            who = preview.manifest.get("instructor") or "外业"
            change = Change(s, f"导入回传包《{preview.path.name}》（{who}）")
            stamp = stamp_text(datetime.now())
            writer = field_records.Writer(conn, change.actor, stamp)
            published.mark_package_items(conn, preview.items)  # published since the preview
            journal = _Journal(s, change)
            n = 0
            for run in _runs(preview.items):
                journal.start(run)
                for item in run:
                    outcome = _apply_item(journal, writer, item, picks.get(item.uuid))
                    if outcome in counts:
                        counts[outcome] += 1
                    if progress is not None and n % 500 == 0:
                        progress(n, len(preview.items))
                    n += 1
                journal.flush()
            _attachments(db, pkg, preview)
            _ledger(conn, preview, change, counts | preview.kept)
    finally:
        pkg.close()
    return MergeResult(
        counts["new"],
        counts["updated"],
        counts["deleted"],
        preview.count("unchanged"),
        len(preview.conflicts),
        change.id,
    )


def _runs(items: list[MergeItem]) -> Iterator[list[MergeItem]]:
    """The items in runs of one entity, no record twice in a run: writing one record of a
    run touches no other's row or link rows, so a run's rows are read before and after
    it in bulk (_Journal)."""
    run: list[MergeItem] = []
    taken: set[str] = set()
    for item in items:
        if run and (item.entity != run[0].entity or item.office_uuid in taken):
            yield run
            run, taken = [], set()
        run.append(item)
        taken.add(item.office_uuid)
    if run:
        yield run


def _apply_item(journal: _Journal, writer: Any, item: MergeItem, side: str | None) -> str:
    change = journal.change
    if item.outcome in ("unchanged", published.PUBLISHED):  # 已发布，未合并: never written
        return item.outcome
    if item.outcome == UNIT_DELETED:  # as the preview said: kept in the audit log only
        journal.reject(item, OURS, item.theirs, UNIT_DELETED_NOTE)
        return UNIT_DELETED
    if item.outcome == "conflict":
        assert side is not None
        target = item.chosen(side)
        rejected = item.chosen(THEIRS if side == OURS else OURS)
        journal.reject(item, side, rejected)
    elif item.outcome == "deleted":
        target = None
    else:
        target = item.merged
    if _orphan_step(writer, item, target):
        # its problem stays deleted here (the clerk kept the office's deletion): the
        # step and its note are kept in the audit log as not taken, never lost
        journal.reject(item, OURS, target)
        return "unchanged"
    version = max(item.ours_version, item.theirs_version) + 1
    if target is None:
        ident = writer.id_of(item.entity, item.office_uuid)
        if item.ours is None or ident is None:
            return "unchanged"
        journal.flush()  # the entries before these, in their order
        tombstone(change, item.entity, item.office_uuid, version, writer.stamp)
        change.delete_whole(item.entity, ident)  # its links, its problems' visit: logged
        return "deleted"
    if item.ours is None:
        writer.write(Record(item.entity, item.office_uuid, 0, target), item.theirs_version)
        journal.written(item.office_uuid)
        return "new"
    if field_records.compared(target) == field_records.compared(item.ours):
        return "unchanged"
    writer.write(Record(item.entity, item.office_uuid, 0, target), version)
    journal.written(item.office_uuid)
    return "updated"


def _orphan_step(writer: Any, item: MergeItem, target: dict[str, Any] | None) -> bool:
    return (
        item.entity == "problem_event"
        and target is not None
        and writer.id_of("problem", target["problem"]) is None
    )


def _rejected_row(
    change: Any, item: MergeItem, side: str, rejected: Any, why: str
) -> tuple[Any, ...]:
    """The audit entry of the version the clerk did not take (or the merge could not)."""
    return (
        change.id,
        stamp_text(change.at),
        change.actor,
        f"{change.summary}："
        + (why or f"冲突中未采用{'外业' if side == OURS else '办公室'}的版本"),
        item.entity,
        item.office_uuid,
        json.dumps(item.chosen(side), ensure_ascii=False),
        json.dumps(rejected, ensure_ascii=False),
    )


def keep_rejected(
    s: Any, change: Any, item: MergeItem, side: str, rejected: Any, why: str = ""
) -> None:
    """The version not taken, kept in the audit log now (a database merge's), after what
    the session holds: in the order it was done."""
    s.flush()
    conn = s.connection().connection.driver_connection
    conn.execute(q.REJECTED_ENTRY, _rejected_row(change, item, side, rejected, why))


def tombstone(change: Any, entity: str, uuid: str, version: int, stamp: str) -> None:
    """The tombstone of a record a merge deletes, logged in its change (undone with it)."""
    conn = change.session.connection().connection.driver_connection
    with change.keeping("tombstone", q.TOMBSTONE_WHERE, (entity, uuid)):
        conn.execute(
            q.TOMBSTONE_PUT,
            (entity, uuid, version, stamp, change.actor),
        )


Rows = dict[str, dict[int, dict[str, Any]]]  # table → id → row: a record's row and links


class _Journal:
    """The audit entries of a run of records (_runs), in the order writing them one at a
    time gave, their rows read in bulk: each record's row and link rows before the run
    and after it. For each record, in the order undo needs (undo goes newest first):
    links removed, the row, links added — a row comes back before its links, and links
    go before their row. The versions not taken are kept as "rejected" entries."""

    def __init__(self, s: Any, change: Any) -> None:
        self.s, self.change = s, change
        self.conn = s.connection().connection.driver_connection
        self.entity = ""
        self.before: dict[str, Rows] = {}
        self.pending: list[tuple[Any, ...]] = []  # ("rejected", row) | ("written", uuid)

    def start(self, run: list[MergeItem]) -> None:
        self.entity = run[0].entity
        self.before = self._rows([i.office_uuid for i in run])

    def reject(self, item: MergeItem, side: str, rejected: Any, why: str = "") -> None:
        self.pending.append(("rejected", _rejected_row(self.change, item, side, rejected, why)))

    def written(self, uuid: str) -> None:
        self.pending.append(("written", uuid))

    def flush(self) -> None:
        """Every entry waiting, in its order."""
        pending, self.pending = self.pending, []
        after = self._rows([uuid for kind, uuid in pending if kind == "written"])
        groups: list[tuple[str, str, list[Any]]] = []
        for kind, what in pending:
            if kind == "written":
                groups += self._logged(self.before[what], after[what])
                continue
            self.change.in_order(groups)
            groups = []
            self.conn.execute(q.REJECTED_ENTRY, what)
        self.change.in_order(groups)

    def _rows(self, uuids: list[str]) -> dict[str, Rows]:
        """Each record's row and link rows, by the record's uuid (empty when it has none)."""
        from app.db.bulk import raw_rows
        from app.services.files.audit import MODELS

        links = LINKS[self.entity]
        out: dict[str, Rows] = {u: {self.entity: {}} | {t: {} for t, _k in links} for u in uuids}
        ids = dict(
            self.conn.execute(
                rq.ids_of_uuids_sql(self.entity),
                (json.dumps(uuids),),
            )
        )
        for ident, row in raw_rows(self.s, MODELS[self.entity].__table__, list(ids)).items():
            out[ids[ident]][self.entity][ident] = row
        for table, key in links:
            found = [
                r[0]
                for r in self.conn.execute(
                    q.link_ids_sql(table, key),
                    (json.dumps(list(ids)),),
                )
            ]
            for ident, row in raw_rows(self.s, MODELS[table].__table__, found).items():
                out[ids[row[key]]][table][ident] = row
        return out

    def _logged(self, before: Rows, after: Rows) -> list[tuple[str, str, list[Any]]]:
        """One record's entries (Change.many's groups), in the order undo needs."""
        links = [t for t, _k in LINKS[self.entity]]
        groups: list[tuple[str, str, list[Any]]] = []
        for table in links:
            gone = [
                (i, r.get("uuid", ""), r, None)
                for i, r in before[table].items()
                if i not in after[table]
            ]
            groups.append(("delete", table, gone))
        b, a = before[self.entity], after[self.entity]
        for i in b.keys() | a.keys():
            if i in b and i in a:
                groups.append(("update", self.entity, [(i, a[i]["uuid"], b[i], a[i])]))
            elif i in a:
                groups.append(("create", self.entity, [(i, a[i]["uuid"], None, a[i])]))
            else:
                groups.append(("delete", self.entity, [(i, b[i]["uuid"], b[i], None)]))
        for table in links:
            new = [
                (i, r.get("uuid", ""), None, r)
                for i, r in after[table].items()
                if i not in before[table]
            ]
            groups.append(("create", table, new))
        return groups


def _attachments(db: Database, pkg: Package, preview: MergePreview) -> None:
    """The photos the package's records name, into the attachments folder (each
    checked against its hash; a file no record names stays in the package)."""
    named = {
        stored
        for item in preview.items
        if item.entity == "visit" and item.theirs is not None
        for _name, stored in item.theirs.get("attachments", [])
    }
    for stored in sorted(named):
        if f"attachments/{stored}" in preview.manifest.get("files", {}):
            attachments.keep_packed(attachments.folder(db), pkg, stored)


def _ledger(conn: Any, preview: MergePreview, change: Any, counts: dict) -> None:
    from app.services.field import package_ledger

    m = preview.manifest
    package_ledger.record(
        conn,
        m["package_id"],
        "return",
        preview.path.name,
        counts,
        sha256=preview.sha256,
        instructor=m.get("instructor", ""),
        device=m.get("device", ""),
        change=change,
    )
