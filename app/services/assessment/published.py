"""A published period is frozen: its scores, its row (other than 重新打开) and the scheme
version it was ranked by never change, so its ranking, 优秀 and 以奖代补 stay as
published. SQLite refuses every such write (app/db/published_guard.py, migration
0017_published_frozen); the services ask here first, for a message naming the period
before anything is written, and the merges leave such records out (已发布，未合并)
instead of failing as a whole. A period published on the other copy only arrives
whole instead (merge_published.py)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.db.queries import assessment as q
from app.domain.validation import FieldIssue, ValidationError
from app.domain.vocabulary import PUBLISHED_NOT_MERGED, class_label

if TYPE_CHECKING:
    from app.db.database import Database

# a merge's outcome for a record of a published period: shown, never written
PUBLISHED = "published"
PUBLISHED_LABEL = PUBLISHED_NOT_MERGED
# a database merge's outcomes for a period published on the other copy
# (merge_published.py): published there only, it arrives whole, replacing this copy's
# open one; published on both differently, nothing of it is written
ARRIVES = "published_arrives"
CLASH = "published_clash"
# what only says who saved a record, or which row and period it is: never a difference
_IDENTITY = frozenset(
    {"id", "uuid", "created_at", "updated_at", "row_version", "changed_by", "period_id", "period"}
)


def frozen_message(code: str) -> str:
    return f"{code.upper()}已发布，成绩不能再修改（需先重新打开该考核期）"


class PeriodPublished(ValidationError, ValueError):
    """A write to a published period, refused before anything was written (a
    ValueError too: the score import's callers catch that)."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(
            [FieldIssue("period", message or frozen_message(code), "period_published")]
        )
        self.code = code.upper()


def refuse_if_published(published: bool, code: str) -> None:
    """The one check every path that writes a period's scores makes first."""
    if published:
        raise PeriodPublished(code)


def _published_periods(conn: sqlite3.Connection) -> dict[int, tuple[str, str]]:
    """id → (code, uuid) of every published period."""
    return {i: (code, uuid) for i, code, uuid in conn.execute(q.PUBLISHED_PERIODS)}


def refuse_unit_deletion(conn: sqlite3.Connection, org_id: int, name: str) -> None:
    """A unit with scores in a published period is part of its ranking: not deleted."""
    codes = [code for (code,) in conn.execute(q.UNIT_PUBLISHED_CODES, (org_id,))]
    if codes:
        raise PeriodPublished(
            codes[0], f"“{name}”在{'、'.join(codes)}的考核成绩已发布，不能删除这个单位"
        )


def refuse_audited(conn: sqlite3.Connection, entries: Iterable[Any], doing: str) -> None:
    """Undo or redo of a change that wrote a published period's scores (or its row, or
    its scheme): refused, naming the period, before anything is written."""
    entries = list(entries)
    own = _published_by_merge(entries)
    periods = {i: p for i, p in _published_periods(conn).items() if p[1] not in own}
    if not periods:
        return
    by_uuid = {u: code for code, u in periods.values()}
    schemes = dict(conn.execute(q.PUBLISHED_SCHEMES))
    for e in entries:
        if e.entity == "assessment_score":
            ids = {
                json.loads(text or "{}").get("period_id")
                for text in (getattr(e, "before", None), getattr(e, "after", None))
            }
            if e.last_entity_id is not None:  # a range created in bulk: read its rows
                ids |= {
                    p
                    for (p,) in conn.execute(q.SCORE_RANGE_PERIODS, (e.entity_id, e.last_entity_id))
                }
            ids |= {p for (p,) in conn.execute(q.SCORE_PERIOD, (e.entity_id,))}
            hit = sorted(periods[i][0] for i in ids if i in periods)
        elif e.entity == "assessment_period":
            # its row frozen; and 发布 is not undone by 撤销: 重新打开 says so in the log
            reopens = doing == "撤销" and not _wanted(e).get("published", 1)
            frozen = reopens or not _flag_only(conn, e)
            hit = [by_uuid[e.entity_uuid]] if e.entity_uuid in by_uuid and frozen else []
        elif e.entity == "assessment_scheme":
            hit = [schemes[e.entity_id]] if e.entity_id in schemes else []
        else:
            continue
        if hit:
            told = f"{hit[0]}已发布，成绩不能再修改，不能{doing}“{e.summary}”"
            raise PeriodPublished(hit[0], f"{told}；确需修改请先重新打开{hit[0]}")


def _published_by_merge(entries: list[Any]) -> set[str]:
    """The periods (uuids) a merge published in these entries — another copy's
    publication brought whole (merge_published.py): undoing the merge reopens them before
    it puts this copy's own scores back, and redoing it publishes them again after its
    scores. A clerk's own 发布 is not a merge's (no ledger row in its change): 撤销 never
    reopens it."""
    if not any(e.entity == "package_ledger" for e in entries):
        return set()
    return {
        e.entity_uuid
        for e in entries
        if e.entity == "assessment_period"
        and e.action == "update"
        and json.loads(e.before or "{}").get("published", True) is False
    }


def _wanted(entry: Any) -> dict[str, Any]:
    """The values undo (an entry's before) or redo (its after) writes."""
    return json.loads(getattr(entry, "after", None) or entry.before or "{}")


def _flag_only(conn: sqlite3.Connection, entry: Any) -> bool:
    """Whether undoing (or redoing) ``entry`` changes only a period's published flag
    (发布, 重新打开): its values differ from the row's now in nothing else."""
    if entry.action != "update":
        return False
    wanted = _wanted(entry)
    cur = conn.execute(q.PERIOD_BY_ID, (entry.entity_id,))
    row = cur.fetchone()
    if row is None:
        return False
    now = dict(zip([d[0] for d in cur.description], row, strict=True))
    keys = {"id", "uuid", "code", "scheme_id"}  # what the trigger freezes
    return all(wanted.get(k, now[k]) == now[k] for k in keys)


def _freeze(item: Any) -> None:
    item.outcome = PUBLISHED
    item.conflicts = []


def mark_package_items(conn: sqlite3.Connection, items: Iterable[Any]) -> None:
    """A return package's scores of a period published here: 已发布，未合并."""
    codes = {code for code, _uuid in _published_periods(conn).values()}
    for item in items:
        if item.entity != "assessment_score" or item.outcome == "unchanged":
            continue
        data = [d for d in (item.theirs, item.ours) if d]
        if any(str(d.get("period", "")).upper() in codes for d in data):
            _freeze(item)


def mark_database_items(conn: sqlite3.Connection, items: list[Any]) -> None:
    """Another copy's records that would change a period published here (its scores,
    its row, its scheme, a unit scored in it): 已发布，未合并."""
    periods = {u for _code, u in _published_periods(conn).values()}
    schemes = {u for (u,) in conn.execute(q.PUBLISHED_SCHEME_UUIDS)}
    scored = {u for (u,) in conn.execute(q.PUBLISHED_SCORED_UNITS)}
    for item in items:
        if item.outcome in ("unchanged", PUBLISHED):
            continue
        data = [d for d in (item.theirs, item.ours) if d]
        if item.entity == "assessment_score":
            frozen = any(d.get("period_id") in periods for d in data)
        elif item.entity == "assessment_period":
            frozen = item.uuid in periods
        elif item.entity == "assessment_scheme":
            frozen = item.uuid in schemes
        elif item.entity == "organization":  # deleted there: its published scores would go
            frozen = item.theirs is None and item.uuid in scored
        else:
            frozen = False
        if frozen:
            _freeze(item)


def compared(data: dict[str, Any] | None) -> dict[str, Any]:
    """A record's values as two copies' are compared (not who saved it, nor its row)."""
    return {k: v for k, v in (data or {}).items() if k not in _IDENTITY}


def period_scores(items: Iterable[Any], code: str) -> list[Any]:
    """A merge's ARRIVES items of the scores of the period ``code``."""
    return [
        i
        for i in items
        if i.outcome == ARRIVES
        and i.entity == "assessment_score"
        and (i.theirs or i.ours or {}).get("period") == code
    ]


def arrivals_report(items: Iterable[Any]) -> dict[str, list[dict[str, Any]]]:
    """``merge --json``: the periods published on the other copy only, arriving whole
    (how many of this copy's scores they replace, how many they add), and those
    published on both differently (a unit deleted here, or a scheme version unlike
    this copy's, keeps one from arriving: said too)."""
    items = list(items)
    arrives, clashes = [], []
    for head in items:
        if head.entity != "assessment_period" or head.outcome not in (ARRIVES, CLASH):
            continue
        code = (head.theirs or {}).get("code", "")
        if head.outcome == CLASH:
            missing = [c.theirs for c in head.conflicts if c.field == "organization_id"]
            scheme = next((c.ours for c in head.conflicts if c.field == "scheme_id"), "")
            clashes.append({"period": code, "units_deleted_here": missing, "scheme": scheme})
            continue
        scores = period_scores(items, code)
        replaced = [i for i in scores if i.ours and compared(i.ours) != compared(i.theirs)]
        added = [i for i in scores if i.ours is None]
        arrives.append({"period": code, "replaced": len(replaced), "added": len(added)})
    return {"published_arrives": arrives, "published_conflicts": clashes}


@dataclass(frozen=True, slots=True)
class Unscored:
    """The units a period ranks without a complete score (no score, or one missing an
    indicator), by class (None: 未分类): said before and when it is published."""

    code: str
    by_class: dict[str | None, int]

    @property
    def total(self) -> int:
        return sum(self.by_class.values())

    @property
    def text(self) -> str:
        if not self.total:
            return f"{self.code}的单位都已评分"
        parts = "、".join(f"{class_label(c)}{n}个" for c, n in self.by_class.items())
        return f"{self.code}还有{self.total}个单位未完成评分（{parts}），发布后它们不参加排名"


def unscored_of(db: Database, code: str) -> Unscored:
    code = code.strip().upper()
    with db.read_connection() as conn:
        found = conn.execute(q.PERIOD_ID, (code,)).fetchone()
        if found is None:
            raise LookupError(f"没有考核期{code}")
        period_id = found[0]
        # the units rank_period lists (active, or scored) whose total is missing
        rows = conn.execute(q.UNSCORED_BY_CLASS, (period_id,)).fetchall()
    return Unscored(code, dict(rows))
