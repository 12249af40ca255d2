"""Apply an import preview: all good rows in one transaction, after a backup.

Rows are written in bulk (one INSERT or UPDATE statement for many rows, and
their audit entries likewise): 10,000 rows through the ORM one at a time took
half a minute here.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy.orm import Session

from app.db.backup import take_backup
from app.db.bulk import (
    INSTRUCTOR_DEFAULTS,
    ORGANIZATION_DEFAULTS,
    PARTY_ORG_DEFAULTS,
    insert_rows,
    new_uuids,
    plain_values,
    raw_rows,
    raw_update,
    stamp_text,
    written_columns,
)
from app.db.database import Database
from app.db.models import (
    Assignment,
    Cluster,
    ImportLog,
    Instructor,
    Organization,
    PartyOrganization,
)
from app.db.queries import workbooks as q
from app.domain.record_fields import INSTRUCTOR_FIELDS, PARTY_ORG_FIELDS, stored_columns
from app.domain.terms import default_term_years
from app.domain.vocabulary import (
    ENTITY_LABELS,
    AssignmentRole,
    ClassBasis,
    Formation,
    InstructorRole,
    OrgStatus,
)
from app.exchange.party_org_checks import party_org_level
from app.exchange.plans import DATE_FIELDS, ORG_FIELDS, ImportPreview, ImportResult, RowPlan
from app.gc_pause import collector_paused
from app.services.files.audit import Change
from app.services.grouping.classes import record_class_moves
from app.services.workbooks.bulk_writes import bulk_insert, insert_logged, next_id

Progress = Callable[[int, int], None]

_TEXT_FIELDS = {
    "industry",
    "legal_rep",
    "investor",
    "address",
    "zone",
    "building",
    "contact",
    "phone",
    "base_reason",
    "notes",
}
_TABLE = Organization.__table__
_ORG_FIELD_SET = frozenset(ORG_FIELDS)
# an enum's value is a property, a call each time: read once, not twice a row
_NO_FORMATION = Formation.NONE.value
# every column of a new organization row, in the table's order
_ORG_COLUMNS = written_columns(_TABLE)
_org_columns = itemgetter(*_ORG_COLUMNS)


def _org_row(values: dict[str, Any]) -> tuple[Any, ...]:
    return plain_values(_org_columns(values))


def _org_values(
    plan: RowPlan,
    preview: ImportPreview,
    party_orgs: dict[str, tuple[int, Formation]],
    clusters: dict[str, int],
    current: dict[str, Any] | None,
    today: date,
) -> dict[str, Any]:
    """The columns this row sets on its organization."""
    values = plan.values
    # str enums go to SQLite as their codes; the links become ids below
    out: dict[str, Any] = dict(values)
    for key in out.keys() - _ORG_FIELD_SET:
        del out[key]
    for key in DATE_FIELDS:  # dates as SQLite stores them
        if out.get(key) is not None:
            out[key] = out[key].isoformat()
    if preview.blank_clears and current is not None:
        for key, _old, new in plan.changes:
            if new is None and key in _ORG_FIELD_SET:
                out[key] = "" if key in _TEXT_FIELDS else None
            elif new is None and key == "party_org":
                out["party_org_id"] = None
            elif new is None and key == "cluster":
                out["cluster_id"] = None
    po_name = values.get("party_org")
    if po_name:
        pid, po_formation = party_orgs[po_name]
        out["party_org_id"] = pid
        if "formation" not in values:
            out["formation"] = po_formation.value
    formation = out.get("formation", current["formation"] if current else _NO_FORMATION)
    if formation == _NO_FORMATION:
        out["party_org_id"] = None
    if values.get("cluster"):
        out["cluster_id"] = clusters[values["cluster"]]
    status = values.get("status")
    if status is not None and status is not OrgStatus.ACTIVE:
        out["in_base"] = False
        had_date = out.get("status_date") or (current or {}).get("status_date")
        if not had_date:
            out["status_date"] = today.isoformat()
            if not out.get("base_reason") and not (current or {}).get("base_reason"):
                out["base_reason"] = f"导入时登记为{status.label}"
    return out


@dataclass
class _Links:
    """The ids of the clusters, instructors and party organizations a sheet names."""

    clusters: dict[str, int]
    instructors: dict[str, int]
    party_orgs: dict[str, tuple[int, Formation]]


@collector_paused()
def apply_import(
    db: Database, preview: ImportPreview, progress: Progress | None = None
) -> ImportResult:
    """Write every good row of ``preview``; nothing at all if anything fails."""
    from app.services.county.county_db import refuse_county

    refuse_county(db)  # a county adds up submissions (county import), it keeps no registry
    new_plans = [r for r in preview.rows if r.status == "new"]
    changed_plans = [r for r in preview.rows if r.status == "changed"]
    total = len(new_plans) + len(changed_plans)
    today = date.today()
    with (
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="backup") as pool,
        db.session() as s,
    ):
        # The backup is copied while the rows are written (SQLite's backup step runs
        # without the GIL): it reads in a transaction of its own, which cannot see
        # these writes before they commit, and nothing commits before it is done.
        # With nothing but the log to write (the same file again) there is none: it
        # would only push an older one out of the thirty kept.
        backing_up = pool.submit(take_backup, db.path, "import") if preview.writes else None
        change = Change(s, f"导入《{preview.path.name}》（{preview.sheet}）")
        links = _Links(*_create_links(s, change, preview))
        writing = _Writing(s, change, preview, links, today)
        new_ids = _insert_new(writing, new_plans)
        if progress is not None:
            progress(len(new_plans), total)
        moves = _update_changed(writing, changed_plans)
        moves += _classes_of_new(s, new_ids)
        record_class_moves(
            s,
            change,
            moves,
            basis=ClassBasis.IMPORT,
            basis_ref=preview.path.name,
            on=today,
            reason=f"导入《{preview.path.name}》的“分类”列",
        )
        # instructors named in the sheet look after their units from today
        org_ids = dict(zip((id(p) for p in new_plans), new_ids, strict=True))
        _assign_all(s, change, preview, links.instructors, org_ids, today)
        if preview.own_sheets is not None:
            # a ParkDesk workbook: its party organizations, instructors and assignments
            from app.services.workbooks.own_sheets_apply import apply_own_sheets

            apply_own_sheets(s, change, preview.own_sheets)
        others = written_besides_organizations(s, change.id)
        s.add(_log_entry(preview, len(new_plans), len(changed_plans), change.id))
        # a failed backup rolls the import back
        backup = backing_up.result() if backing_up is not None else None
    if progress is not None:
        progress(total, total)
    return ImportResult(
        created=len(new_plans),
        updated=len(changed_plans),
        unchanged=preview.count("unchanged"),
        bad=preview.not_applied,
        change_id=change.id,
        backup=backup,
        others=others,
    )


def written_besides_organizations(s: Session, change_id: str) -> dict[str, tuple[int, int]]:
    """What a change wrote besides the organizations, by its audit entries (so the
    report counts every record written, whichever step wrote it)."""
    conn = s.connection().connection.driver_connection
    counts: dict[str, list[int]] = {}
    # rows created, then rows updated that it did not create (each counted once)
    for entity, action, n in conn.execute(q.WRITTEN_BESIDES_ORGANIZATIONS, {"c": change_id}):
        at = counts.setdefault(ENTITY_LABELS.get(entity, entity), [0, 0])
        at[0 if action == "create" else 1] += n
    return {label: (created, updated) for label, (created, updated) in counts.items()}


@dataclass
class _Writing:
    """One import being written: its transaction, audit entry, preview and links."""

    s: Session
    change: Change
    preview: ImportPreview
    links: _Links
    today: date


def _insert_new(w: _Writing, plans: list[RowPlan]) -> range:
    """New organizations, one INSERT for all; their ids."""
    s, change, preview, links, today = w.s, w.change, w.preview, w.links, w.today
    uuids = new_uuids()
    start = next_id(s, _TABLE)
    stamp = stamp_text(datetime.now())
    base = {**ORGANIZATION_DEFAULTS, "created_at": stamp, "updated_at": stamp}
    # made as sqlite3 takes them: 50,000 rows of 36 values held at once made the
    # window's garbage collections walk 1.8 million references
    rows = (
        _org_row(
            {
                **base,
                **_org_values(plan, preview, links.party_orgs, links.clusters, None, today),
                "id": start + n,
                "uuid": next(uuids),
            }
        )
        for n, plan in enumerate(plans)
    )
    ids = range(start, start + len(plans))
    if plans:
        insert_rows(s, _TABLE, _ORG_COLUMNS, rows)
        change.created_range(_TABLE.name, ids[0], ids[-1])
    return ids


def _classes_of_new(s: Session, ids: range) -> list[tuple[int, str | None, str | None]]:
    """The classes the new organizations were given, as moves from 未分类."""
    if not ids:
        return []
    conn = s.connection().connection.driver_connection
    return [(oid, None, code) for oid, code in conn.execute(q.CLASSES_OF_RANGE, (ids[0], ids[-1]))]


def _update_changed(w: _Writing, plans: list[RowPlan]) -> list[tuple[int, Any, Any]]:
    """Changed organizations: the rows before, one UPDATE per set of columns, the rows
    after, logged with the columns that changed; the classes that moved."""
    s, change, preview, links, today = w.s, w.change, w.preview, w.links, w.today
    now = datetime.now()
    ids = [p.org_id for p in plans if p.org_id is not None]
    before = raw_rows(s, _TABLE, ids)
    updates = []
    for plan in plans:
        assert plan.org_id is not None
        current = before[plan.org_id]
        values = _org_values(plan, preview, links.party_orgs, links.clusters, current, today)
        # only the columns that change (the stored row keeps the others as they are):
        # SQLite rewrites the index entries of every indexed column an UPDATE sets,
        # changed or not, and rows changing the same columns (a count in a tenth of
        # the rows) share one narrow statement
        # (its dates are ISO text already, as the stored row has them)
        values = {k: v for k, v in values.items() if v != current[k]}
        values["updated_at"] = now
        values["id"] = plan.org_id
        updates.append(values)
    raw_update(s, _TABLE, updates)
    after = raw_rows(s, _TABLE, ids)
    change.many("update", "organization", [(i, after[i]["uuid"], before[i], after[i]) for i in ids])
    return [(i, before[i]["class_code"], after[i]["class_code"]) for i in ids]


def _log_entry(preview: ImportPreview, created: int, updated: int, change_id: str) -> ImportLog:
    return ImportLog(
        file_name=preview.path.name,
        file_hash=preview.file_hash,
        sheet=preview.sheet,
        data_rows=len(preview.rows),
        good_rows=preview.good_rows,
        bad_rows=preview.not_applied,
        created=created,
        updated=updated,
        unchanged=preview.count("unchanged"),
        change_id=change_id,
    )


def _create_links(
    s: Session, change: Change, preview: ImportPreview
) -> tuple[dict[str, int], dict[str, int], dict[str, tuple[int, Formation]]]:
    """The clusters, instructors and party organizations the sheet names, created if new."""
    uuids = new_uuids()
    stamp = stamp_text(datetime.now())
    conn = s.connection().connection.driver_connection
    clusters = dict(conn.execute(q.CLUSTER_IDS))
    ids = bulk_insert(
        s,
        change,
        Cluster,
        [{"uuid": next(uuids), "name": n, "notes": ""} for n in preview.new_clusters],
    )
    clusters.update(zip(preview.new_clusters, ids, strict=True))
    instructors: dict[str, int] = {}
    for iid, name in conn.execute(q.INSTRUCTOR_IDS):
        instructors.setdefault(name, iid)
    first = next_id(s, Instructor.__table__)
    role = InstructorRole.INSTRUCTOR.value
    insert_logged(
        s,
        change,
        Instructor.__table__,
        [*_INSTRUCTOR_COLUMNS],
        [
            _instructor_row(
                {
                    **INSTRUCTOR_DEFAULTS,
                    "id": first + n,
                    "uuid": next(uuids),
                    "name": name,
                    "role": role,
                    "created_at": stamp,
                    "updated_at": stamp,
                }
            )
            for n, name in enumerate(preview.new_instructors)
        ],
    )
    instructors.update((name, first + n) for n, name in enumerate(preview.new_instructors))
    party_orgs = {
        name: (pid, Formation(formation)) for pid, name, formation in conn.execute(q.PARTY_ORG_IDS)
    }
    first = next_id(s, PartyOrganization.__table__)
    rows = []
    for n, (name, formation) in enumerate(preview.new_party_orgs.items()):
        level = party_org_level(name)
        term = default_term_years(level)
        rows.append(
            _party_org_row(
                {
                    **PARTY_ORG_DEFAULTS,
                    "id": first + n,
                    "uuid": next(uuids),
                    "name": name,
                    "level": level.value,
                    "formation": formation.value,
                    "term_years": term,
                    "created_at": stamp,
                    "updated_at": stamp,
                }
            )
        )
        party_orgs[name] = (first + n, formation)
    insert_logged(s, change, PartyOrganization.__table__, [*_PARTY_ORG_COLUMNS], rows)
    return clusters, instructors, party_orgs


# the columns written, from the field tables (app/domain/record_fields.py)
_INSTRUCTOR_COLUMNS = ("id", "uuid", *stored_columns(INSTRUCTOR_FIELDS), "created_at", "updated_at")
_PARTY_ORG_COLUMNS = ("id", "uuid", *stored_columns(PARTY_ORG_FIELDS), "created_at", "updated_at")
_instructor_row = itemgetter(*_INSTRUCTOR_COLUMNS)
_party_org_row = itemgetter(*_PARTY_ORG_COLUMNS)
# an assignment's columns in the table's order, as the rows below give them
ASSIGNMENT_COLUMNS = tuple(c.name for c in Assignment.__table__.columns)


def _assign_all(
    s: Session,
    change: Change,
    preview: ImportPreview,
    instructors: dict[str, int],
    new_org_ids: dict[int, int],
    today: date,
) -> None:
    uuids = new_uuids()
    conn = s.connection().connection.driver_connection  # 10,000 pairs: no ORM rows needed
    active = set(conn.execute(q.ASSIGNMENT_PAIRS, {"today": today.isoformat()}).fetchall())
    first = next_id(s, Assignment.__table__)
    role, started = AssignmentRole.GUIDE.value, today.isoformat()
    rows = []
    for plan in preview.rows:
        if plan.status not in ("new", "changed"):
            continue
        org_id = plan.org_id if plan.status == "changed" else new_org_ids[id(plan)]
        for name in plan.values.get("instructor") or []:
            pair = (instructors[name], org_id)
            if pair in active:
                continue
            active.add(pair)
            rows.append((first + len(rows), next(uuids), *pair, role, started, None, ""))
    insert_logged(s, change, Assignment.__table__, [*ASSIGNMENT_COLUMNS], rows)
