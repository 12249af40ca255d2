"""Which changes in a database's audit log were merges of a given copy (database_merge.py).

Such a merge wrote the other copy's values: the next merge between the two must read
those writes as agreed, not as this side's edits. A merge finds its origin in the ledger
row it wrote (package_ledger, logged in the merge's change so undo takes it back): the
row's key is "db:" and the other copy's first change after the copies parted, and its
summary repeats that key (``FROM``), as a ledger row written again logs only what changed.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from app.db.queries import merge as q

FROM = "from"  # the key in a database merge's ledger summary naming whom it merged


@dataclass(slots=True)
class MergeOf:
    """What one merge of the other copy did to records, as its audit entries say."""

    written: set[tuple[str, str]] = field(default_factory=set)
    rejected: set[tuple[str, str]] = field(default_factory=set)

    def see(self, action: str, entity: str, uuid: str | None) -> None:
        if not uuid:
            return
        (self.rejected if action == "rejected" else self.written).add((entity, uuid))

    @property
    def kept_own(self) -> set[tuple[str, str]]:
        """Records whose conflict this side settled by keeping its own version: nothing
        written but the other's version set aside ("未采用") — this side's decision."""
        return self.rejected - self.written


def merges_from(conn: sqlite3.Connection, key: str) -> dict[str, MergeOf]:
    """change id → MergeOf, for every change of this log that merged the copy ``key``
    names (undone ones too: an undo of one is no edit either)."""
    if not key:
        return {}
    out: dict[str, MergeOf] = {}
    for change, after in conn.execute(q.LEDGER_WRITES_NAMING, (key,)):
        row = json.loads(after)
        try:
            summary = json.loads(row.get("summary") or "{}")
        except ValueError:
            summary = {}
        named = row.get("package_id") or (summary.get(FROM) if isinstance(summary, dict) else "")
        if named == key:
            out[change] = MergeOf()
    return out


SEEN_CHANGE = "theirs_seen_change"  # the change of the other log's newest entry read


def read_of_us(other: sqlite3.Connection, mine: sqlite3.Connection, key: str) -> int:
    """How far the other copy read this one's log when it last merged it (its ledger
    row for ``key``, this copy's line; 0 if never): this copy's changes up to there
    have been seen by it, taken or settled by its clerk, so they are not news to it
    the next time — even when this copy merged it only before taking them (its own
    ledger then names a point from before, or the other copy's line under another key).
    The entry read must be this log's own (a copy of this database made earlier shares
    the key, not the entries after it): else 0, a conflict shown rather than a change lost."""
    if not key:
        return 0
    row = other.execute(q.LEDGER_DATABASE_SUMMARY, (key,)).fetchone()
    try:
        summary = json.loads(row[0]) if row else {}
    except ValueError:
        summary = {}
    if not isinstance(summary, dict):
        return 0
    seen, change = summary.get("theirs_seen"), summary.get(SEEN_CHANGE)
    if not isinstance(seen, int) or not change:
        return 0
    here = mine.execute(q.AUDIT_CHANGE_OF_ENTRY, (seen,)).fetchone()
    return seen if here is not None and here[0] == change else 0
