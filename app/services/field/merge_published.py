"""A period published on one copy only arrives whole when the copies are merged
(issue 22). Publishing is the committee's official act: the copy that has the period
open takes the published period's row (its scheme, 以奖代补, term vetoes), its frozen
scores and the publication itself, replacing what it held open for that period, in the
merge's one transaction — each row logged, so undoing the merge leaves this copy as it
was (open, its own scores). Published on both copies with the same results: nothing to
do. With different results: nothing of that period is written, and it is one conflict
(已发布结果不一致) that no choice settles — the clerk reopens it on one side, which
then yields to the other's publication.

database_merge.py asks ``settle`` in its preview (after the records of a period
published here were marked 已发布，未合并) and ``apply`` in its transaction, after the
other records are written (a unit new there is here by then)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from typing import Any, Protocol

from app.db.queries import merge as q
from app.db.queries import records as rq
from app.domain.merge import FieldConflict
from app.exchange.packages import PackageError
from app.services.assessment.published import ARRIVES, CLASH, compared, period_scores
from app.services.field.package_merge import MergeItem
from app.services.files.audit import MODELS


class Side(Protocol):
    """One copy as database_merge reads it (records by uuid, references by uuid)."""

    conn: sqlite3.Connection

    def records(self, table: Any, uuids: Iterable[str]) -> dict[str, dict[str, Any]]: ...


def _table(name: str) -> Any:
    return MODELS[name].__table__  # type: ignore[attr-defined]


def _results(conn: sqlite3.Connection, code: str) -> tuple[Any, ...]:
    """What a published period promised: its scheme, 以奖代补, term vetoes, the pass
    line 优秀 needed, and each unit's scores as ranked (by unit uuid: ids differ
    between copies)."""
    period = conn.execute(q.PUBLISHED_PERIOD, (code,)).fetchone()
    name, version, definition, subsidy, vetoed, pass_line = period
    # the scores as one digest, a row at a time: a sorted list of 50,000 and its repr
    # were single C calls holding the GIL for a fifth of a second (the window froze)
    digest = hashlib.sha256()
    for unit, cls, points, bonus, total, veto in conn.execute(q.PUBLISHED_SCORES, (code,)):
        row = [unit, cls, json.loads(points or "{}"), bonus, total, veto]
        digest.update(json.dumps(row, sort_keys=True, ensure_ascii=False).encode() + b"\n")
    return (
        name,
        version,
        json.loads(definition or "{}"),
        json.loads(subsidy) if subsidy else None,
        sorted(json.loads(vetoed)) if vetoed else None,
        pass_line,
        digest.hexdigest(),
    )


def _of_period(item: MergeItem, uuids: set[str]) -> bool:
    if item.entity == "assessment_period":
        return item.uuid in uuids or item.office_uuid in uuids
    if item.entity == "assessment_score":
        return any(d.get("period_id") in uuids for d in (item.theirs, item.ours) if d)
    return False


def settle(ours: Side, theirs: Side, items: list[MergeItem]) -> None:
    """Each period published there: arriving whole (ARRIVES items: its row, its scheme
    if it differs here, each score that differs), the same as here (nothing), or
    published here differently (one CLASH item). The other items of that period are
    taken out: this decides for the whole period."""
    for code, uuid in theirs.conn.execute(q.PUBLISHED_PERIODS).fetchall():
        here = ours.conn.execute(q.PERIOD_BY_CODE, (code,)).fetchone()
        mine = {uuid} | ({here[0]} if here else set())
        if here and here[1] and _results(ours.conn, code) == _results(theirs.conn, code):
            # published alike on both (its scheme the same version, under two uuids
            # when each copy made it): nothing to do, nothing to show
            scheme = _scheme_of(theirs.conn, uuid)
            items[:] = [
                i
                for i in items
                if not _of_period(i, mine) and (i.entity, i.uuid) != ("assessment_scheme", scheme)
            ]
            continue
        items[:] = [i for i in items if not _of_period(i, mine)]
        period = theirs.records(_table("assessment_period"), [uuid])[uuid]
        ours_period = (
            ours.records(_table("assessment_period"), [here[0]])[here[0]] if here else None
        )
        head = MergeItem("assessment_period", uuid, CLASH, period, ours_period, None, 0)
        head.office_uuid = here[0] if here else uuid
        if here and here[1]:
            items.append(head)  # published on both, differently
            continue
        scheme, clash = _scheme_item(ours, theirs, items, uuid)
        arriving = _arriving(ours, theirs, code, uuid, here[0] if here else None)
        missing = _missing_units(ours, items, arriving)
        if clash is not None or missing:  # the period cannot come whole
            head.conflicts = [FieldConflict("organization_id", None, None, u) for u in missing]
            head.conflicts += [clash] if clash is not None else []
            items.append(head)
            continue
        head.outcome, head.merged = ARRIVES, period
        if scheme is not None:
            items[:] = [i for i in items if (i.entity, i.uuid) != (scheme.entity, scheme.uuid)]
            items.append(scheme)
        items += [head, *arriving]


def _scheme_item(
    ours: Side, theirs: Side, items: list[MergeItem], period: str
) -> tuple[MergeItem | None, FieldConflict | None]:
    """The scheme version the published period was ranked by, as an ARRIVES item when
    it is not here as it is there (each copy may have made the same version itself:
    then it takes the other's uuid); a conflict when this copy holds that version with
    other contents, or frozen by a period published here."""
    uuid = _scheme_of(theirs.conn, period)
    table = _table("assessment_scheme")
    scheme = theirs.records(table, [uuid])[uuid]
    here = ours.records(table, [uuid]).get(uuid)
    if here is None:
        twin = ours.conn.execute(
            q.SCHEME_BY_NAME_VERSION,
            (scheme["name"], scheme["version"]),
        ).fetchone()
        here = ours.records(table, [twin[0]])[twin[0]] if twin else None
    if here is not None and here["uuid"] == uuid and compared(scheme) == compared(here):
        return None, None
    if any(i.outcome == ARRIVES and i.uuid == uuid for i in items):
        return None, None  # brought for another period already
    used = ours.conn.execute(
        q.SCHEME_PUBLISHED,
        (here["uuid"] if here else "",),
    ).fetchone()
    alike = here is not None and json.loads(here["definition"] or "{}") == json.loads(
        scheme["definition"] or "{}"
    )
    if here is not None and (here["uuid"] != uuid or used) and not alike:
        named = f"《{scheme['name']}》第{scheme['version']}版"
        return None, FieldConflict("scheme_id", None, named, uuid)
    item = MergeItem("assessment_scheme", uuid, ARRIVES, scheme, here, scheme, 0)
    item.office_uuid = here["uuid"] if here else uuid
    return item, None


def _arriving(ours: Side, theirs: Side, code: str, uuid: str, here: str | None) -> list[MergeItem]:
    """Each score of the period that differs here, as an ARRIVES item."""
    out = []
    table = _table("assessment_score")

    def scores(side: Side, period: str | None) -> dict[str, dict[str, Any]]:
        found = [u for (u,) in side.conn.execute(q.SCORES_OF_PERIOD, (period,))]
        rows = side.records(table, found).values()
        return {r["organization_id"]: {**r, "period": code} for r in rows}

    there, mine = scores(theirs, uuid), scores(ours, here)
    for unit in sorted(there.keys() | mine.keys()):
        new, old = there.get(unit), mine.get(unit)
        same = compared(new) == compared(old)
        if not same or new["uuid"] != old["uuid"]:  # type: ignore[index]  # the other's uuid too
            score = (new or old or {})["uuid"]
            out.append(MergeItem("assessment_score", score, ARRIVES, new, old, new, 0))
    return out


def _scheme_of(conn: sqlite3.Connection, period: str) -> str:
    """The uuid of the scheme version a period (by uuid) is ranked by."""
    (found,) = conn.execute(q.SCHEME_OF_PERIOD, (period,)).fetchone()
    return str(found)


def _missing_units(ours: Side, items: list[MergeItem], arriving: list[MergeItem]) -> list[str]:
    """The units the published scores name that are neither here nor arriving new."""
    new = {i.uuid for i in items if i.entity == "organization" and i.outcome == "new"}
    needed = {
        i.theirs["organization_id"] for i in arriving if i.entity == "assessment_score" and i.theirs
    }
    here = {
        u
        for (u,) in ours.conn.execute(
            rq.uuids_present_sql("organization"),
            (json.dumps(sorted(needed)),),
        )
    }
    return sorted(needed - here - new)


def apply(s: Any, change: Any, conn: sqlite3.Connection, items: list[MergeItem]) -> dict[str, int]:
    """The ARRIVES items written in the merge's change — the schemes, each period's row
    (open), its scores, then its publication as an entry of its own (undo reopens it
    first, then puts back this copy's scores). Returns the rows written by kind."""
    counts = {"new": 0, "updated": 0, "deleted": 0}
    arriving = [i for i in items if i.outcome == ARRIVES]
    for item in arriving:
        if item.entity == "assessment_scheme":
            at = item.office_uuid or item.uuid  # this copy's own of that version, if made here
            counts[_put(s, change, conn, item.entity, item.theirs, "uuid", at)] += 1
    for head in arriving:
        if head.entity != "assessment_period":
            continue
        code = head.theirs["code"]  # type: ignore[index]
        counts[_put(s, change, conn, "assessment_period", head.theirs, "code", code)] += 1
        (period_id,) = conn.execute(q.PERIOD_ID_BY_CODE, (code,)).fetchone()
        for item in period_scores(arriving, code):
            data = item.theirs or item.ours or {}
            unit = _id_of(conn, "organization", data["organization_id"], code)
            found = conn.execute(
                q.SCORE_OF_UNIT,
                (period_id, unit),
            ).fetchone()
            if item.theirs is not None:
                row = found[0] if found else None
                counts[_put(s, change, conn, "assessment_score", item.theirs, "id", row)] += 1
            elif found is not None:  # scored here only: not in the published ranking
                change.delete_whole("assessment_score", found[0])
                counts["deleted"] += 1
        _publish(s, change, conn, period_id, head.theirs["uuid"])  # type: ignore[index]
    return counts


def _id_of(conn: sqlite3.Connection, table: str, uuid: str, code: str) -> int:
    found = conn.execute(rq.id_by_sql(table, "uuid"), (uuid,)).fetchone()
    if found is None:  # settle() saw it here or arriving: taken away by a choice since
        raise PackageError(
            f"另一份已发布的{code}考核结果中的单位本机没有（已删除），该期不能完整合并；"
            "本数据库未作任何修改"
        )
    return int(found[0])


def _put(
    s: Any, change: Any, conn: sqlite3.Connection, entity: str, data: Any, key: str, at: Any
) -> str:
    """The other copy's record written whole here (its uuid too) over the row whose
    ``key`` is ``at`` (or a new row), still open: published stays as it is here."""
    from app.db.bulk import raw_rows

    table = _table(entity)
    values: dict[str, Any] = {}
    for column in table.columns:
        if column.name in ("id", "published") or column.name not in data:
            continue
        value = data[column.name]
        fk = next(iter(column.foreign_keys), None)
        if fk is not None and value is not None:
            value = _id_of(conn, fk.column.table.name, value, str(data.get("period", "")))
        values[column.name] = value
    row = None
    if at is not None:
        row = conn.execute(rq.id_by_sql(entity, key), (at,)).fetchone()
    if row is None:
        if "published" in table.c:
            values["published"] = False  # published last, by _publish
        names = list(values)
        cur = conn.execute(
            rq.insert_sql(entity, names),
            list(values.values()),
        )
        made = raw_rows(s, table, [cur.lastrowid])[cur.lastrowid]
        change.many("create", entity, [(cur.lastrowid, made["uuid"], None, made)])
        return "new"
    before = raw_rows(s, table, [row[0]])[row[0]]
    conn.execute(rq.update_by_id_sql(entity, list(values)), [*values.values(), row[0]])
    after = raw_rows(s, table, [row[0]])[row[0]]
    change.many("update", entity, [(row[0], after["uuid"], before, after)])
    return "updated"


def _publish(s: Any, change: Any, conn: sqlite3.Connection, period_id: int, uuid: str) -> None:
    """Published last, as an entry of its own: undoing the merge reopens the period
    before anything else of it is put back (published_guard.py lets a merge's own
    publication be undone: published.refuse_audited)."""
    from app.db.bulk import raw_rows

    table = _table("assessment_period")
    before = raw_rows(s, table, [period_id])[period_id]
    conn.execute(q.PUBLISH_PERIOD, (period_id,))
    after = raw_rows(s, table, [period_id])[period_id]
    change.many("update", "assessment_period", [(period_id, uuid, before, after)])
