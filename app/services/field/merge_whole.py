"""A record deleted here that a merge of another copy would bring back comes back whole or
not at all (issue 22): a unit the office deleted and the laptop renamed, or a unit the
laptop's new visit needs. The one home of "restore a unit whole".

Such a record is a conflict (its head); every record of it the other copy has and this
one lacks — its visits with their instructors, photos and problems, scores, assignments,
class history, pairings, cluster records — follows the clerk's choice for the head
(outcome "follows"): taken from the other side, they all come; kept as deleted here,
none does (each kept in the audit log as 未采用), so nothing is written that points at
a record this database does not have."""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import Table

from app.db.queries import merge as q
from app.domain.merge import FieldConflict
from app.services.field.package_merge import DELETED, MergeItem
from app.services.field.units_gone import present

# records that stand on their own: never brought back as a part of another
STANDALONE = frozenset(
    {
        "organization",
        "party_organization",
        "instructor",
        "cluster",
        "assessment_scheme",
        "assessment_period",
    }
)
NEEDED = "（另一份有其新记录）"
_WRITES = ("new", "updated")


class _Refs:
    """Each table's references: (column, table referred to, may be empty)."""

    def __init__(self, tables: list[Table]) -> None:
        self.tables = {t.name: t for t in tables}
        self.of = {
            t.name: [
                (c.name, next(iter(c.foreign_keys)).column.table.name, bool(c.nullable))
                for c in t.columns
                if c.foreign_keys
            ]
            for t in tables
        }


def settle_deleted_here(
    mine: sqlite3.Connection, theirs: Any, tables: list[Table], items: list[MergeItem]
) -> None:
    """Make every record deleted here that the merge would need a head, and the records
    of it the other side has (``theirs``: database_merge._Side) its followers; in place."""
    refs = _Refs(tables)
    by_key = {(i.entity, i.uuid): i for i in items}
    heads = [i for i in items if i.outcome == "conflict" and i.ours is None and i.theirs]
    lacking: set[tuple[str, str]] = set()  # not on the other side either: nothing to take
    needed = _needed(mine, theirs, refs, items, by_key)
    while needed:  # a visit taken back needs its unit: heads until none is missing
        for table, uuid in sorted(needed):
            record = theirs.records(refs.tables[table], [uuid]).get(uuid)
            if record is None:
                lacking.add((table, uuid))
                continue
            head = MergeItem(table, uuid, "conflict", record, None, None, 0, office_uuid=uuid)
            head.conflicts = [FieldConflict("*", None, DELETED, NEEDED)]
            items.append(head)
            by_key[(table, uuid)] = head
            heads.append(head)
        needed = _needed(mine, theirs, refs, items, by_key) - lacking
    order = list(refs.tables)
    heads.sort(key=lambda h: order.index(h.entity))  # a unit before its visit
    for head in heads:
        if head.follows:
            continue  # part of a head met before
        for table, uuid, data in _members(mine, theirs, refs, head, by_key):
            item = by_key.get((table, uuid))
            if item is None:
                item = MergeItem(table, uuid, "new", data, None, data, 0, office_uuid=uuid)
                items.append(item)
                by_key[(table, uuid)] = item
            item.outcome, item.follows, item.merged, item.conflicts = "follows", head.uuid, data, []


def _needed(
    mine: sqlite3.Connection, theirs: Any, refs: _Refs, items: list[MergeItem], by_key: dict
) -> set[tuple[str, str]]:
    """Records deleted here, neither coming nor heads yet, that a write refers to by a
    reference that may not be empty — or that a part taken back belongs to: a problem
    deleted here with its unit belongs to its visit and, through its links, its units."""
    wanted: dict[str, set[str]] = {}
    for item in items:
        deleted_here = item.outcome == "conflict" and item.ours is None  # may come back
        if not (item.outcome in _WRITES or deleted_here) or item.theirs is None:
            continue
        part = deleted_here and item.entity not in STANDALONE
        for column, target, nullable in refs.of[item.entity]:
            value = item.theirs.get(column)
            if value and (not nullable or part):
                wanted.setdefault(target, set()).add(value)
        if part:
            for target, value in _owners_through_links(theirs, refs, item):
                wanted.setdefault(target, set()).add(value)
    return {
        (table, u)
        for table, uuids in wanted.items()
        for u in uuids - present(mine, table, uuids)
        if (table, u) not in by_key
    }


def _owners_through_links(theirs: Any, refs: _Refs, item: MergeItem) -> set[tuple[str, str]]:
    """The records ``item`` belongs to through rows that link it (a problem's units)."""
    out: set[tuple[str, str]] = set()
    for child, columns in refs.of.items():
        for column, target, _nullable in columns:
            if target != item.entity or child in STANDALONE:
                continue
            others = [(c, t) for c, t, n in columns if c != column and not n and t in STANDALONE]
            for c, t in others:
                out |= {
                    (t, u)
                    for (u,) in theirs.conn.execute(
                        q.owners_through_link_sql(child, t, c, column, item.entity), (item.uuid,)
                    )
                }
    return out


def _members(
    mine: sqlite3.Connection, theirs: Any, refs: _Refs, head: MergeItem, by_key: dict
) -> list[tuple[str, str, dict[str, Any]]]:
    """The records of ``head`` on the other side that this database lacks: what refers to
    it (and to them), and the parts they need (a problem its link to the unit names);
    those that need a record neither here nor coming are left out."""
    found: dict[tuple[str, str], dict[str, Any]] = {(head.entity, head.uuid): head.theirs or {}}
    frontier = [(head.entity, head.uuid)]
    while frontier:
        table, uuid = frontier.pop()
        candidates: list[tuple[str, str]] = []
        for child, columns in refs.of.items():
            if child in STANDALONE:
                continue
            for column, target, _nullable in columns:
                if target != table:
                    continue
                candidates += [
                    (child, u)
                    for (u,) in theirs.conn.execute(q.children_sql(child, column, table), (uuid,))
                ]
        for column, target, nullable in refs.of[table]:
            value = found[(table, uuid)].get(column)
            if not nullable and value and target not in STANDALONE:
                candidates.append((target, value))
        for key in candidates:
            if key in found or present(mine, key[0], {key[1]}):
                continue
            data = theirs.records(refs.tables[key[0]], [key[1]]).get(key[1])
            if data is not None:
                found[key] = data
                frontier.append(key)
    return _writable(mine, refs, head, found, by_key)


def _writable(
    mine: sqlite3.Connection,
    refs: _Refs,
    head: MergeItem,
    found: dict[tuple[str, str], dict[str, Any]],
    by_key: dict,
) -> list[tuple[str, str, dict[str, Any]]]:
    """The members whose every required reference is here, coming, or a member: a
    pairing with another unit deleted here cannot come (and its entries with it)."""
    coming = {k for k, i in by_key.items() if i.outcome in _WRITES}
    changed = True
    while changed:
        changed = False
        for key, data in list(found.items()):
            if key == (head.entity, head.uuid):
                continue
            for column, target, nullable in refs.of[key[0]]:
                value = data.get(column)
                if nullable or not value or (target, value) in found or (target, value) in coming:
                    continue
                if not present(mine, target, {value}):
                    del found[key]
                    changed = True
                    break
    return [(t, u, d) for (t, u), d in found.items() if (t, u) != (head.entity, head.uuid)]
