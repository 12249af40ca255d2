"""Applying the sheets of a ParkDesk workbook (党组织, 指导员, 联系分工) that an
import reads back: details onto the records the registry sheet named, the rest
created, every write logged with the import."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.bulk import new_uuids, raw_rows
from app.db.models import (
    Assignment,
    Cluster,
    ClusterRecord,
    Instructor,
    Organization,
    Pairing,
    PairingEntry,
    PartyOrganization,
    Problem,
    ProblemUnit,
    Visit,
    VisitInstructor,
)
from app.exchange.own_sheets import OwnSheets, People
from app.services.files.audit import Change
from app.services.workbooks.bulk_writes import bulk_insert, bulk_update


def apply_own_sheets(s: Session, change: Change, own: OwnSheets) -> None:
    """Party organizations, instructors and assignments, matched by name (and a
    unit by its credit code), in the import's transaction and log."""
    now = datetime.now()
    _party_orgs(s, change, own, now)
    people = _instructors(s, change, own, now)
    units = _unit_ids(s)
    _assignments(s, change, own, people, units)
    _pairings(s, change, own, units, now)
    _clusters(s, change, own)
    _cluster_records(s, change, own, units)
    _visits(s, change, own, units, people, now)
    _problems(s, change, own, units, now)


def _party_orgs(s: Session, change: Change, own: OwnSheets, now: datetime) -> None:
    """Details onto those the registry named, new ones created, then their parents."""
    uuids = new_uuids()
    by_name = dict(s.execute(select(PartyOrganization.name, PartyOrganization.id)).all())
    updates, inserts = [], []
    for po in own.party_orgs:
        values = {k: v for k, v in po.items() if not k.startswith("_")}
        if po["name"] in by_name:
            updates.append({"id": by_name[po["name"]], **values, "updated_at": now})
        else:
            new = {"uuid": next(uuids), "parent_id": None, "created_at": now, "updated_at": now}
            inserts.append({**values, **new})
    _update_changed(s, change, PartyOrganization, updates)
    ids = bulk_insert(s, change, PartyOrganization, inserts)
    by_name.update(zip([r["name"] for r in inserts], ids, strict=True))
    parents = [
        {"id": by_name[po["name"]], "parent_id": by_name[po["_parent"]]}
        for po in own.party_orgs
        if po["_parent"] and po["_parent"] in by_name
    ]
    _update_changed(s, change, PartyOrganization, parents)


def registered_people(s: Session) -> People:
    """The instructors on the register by identity and by name."""
    by_uuid: dict[str, int] = {}
    by_name: dict[str, list[int]] = {}
    for iid, uuid, name in s.execute(
        select(Instructor.id, Instructor.uuid, Instructor.name).order_by(Instructor.id)
    ):
        by_uuid[uuid] = iid
        by_name.setdefault(name, []).append(iid)
    return People(by_uuid, by_name)


def _instructors(s: Session, change: Change, own: OwnSheets, now: datetime) -> People:
    """Instructors by identity (else by a name only one has), updated or created with
    the identity the workbook gives; the register's instructors afterwards. Rows the
    preview found ambiguous are gone from ``own`` already."""
    uuids = new_uuids()
    people = registered_people(s)
    updates, inserts = [], []
    for person in own.instructors:
        values = {k: v for k, v in person.items() if not k.startswith("_") and k != "uuid"}
        found = people.find(person["uuid"], person["name"], own.alone(person["name"]))
        if found is not None:
            updates.append({"id": found, **values, "updated_at": now})
        else:
            uuid = person["uuid"] or next(uuids)
            inserts.append({**values, "uuid": uuid, "created_at": now, "updated_at": now})
    _update_changed(s, change, Instructor, updates)
    bulk_insert(s, change, Instructor, inserts)
    return registered_people(s)


def _update_changed(s: Session, change: Change, model: Any, rows: list[dict[str, Any]]) -> None:
    """``bulk_update`` of the rows that change something besides ``updated_at``: the
    same workbook again touches nothing."""
    if not rows:
        return
    table = model.__table__
    stored = raw_rows(s, table, [r["id"] for r in rows])
    changed = [
        r
        for r in rows
        if any(
            _as_stored(v) != stored[r["id"]].get(k)
            for k, v in r.items()
            if k not in ("id", "updated_at")
        )
    ]
    bulk_update(s, change, model, changed)


def _as_stored(value: Any) -> Any:
    """A value as ``raw_rows`` gives it back (dates as ISO text)."""
    if isinstance(value, date):
        return value.isoformat()
    return value


@dataclass(frozen=True, slots=True)
class _Units:
    by_code: dict[str, int]
    by_name: dict[str, int]

    def find(self, code: str, name: str) -> int | None:
        """A unit by its credit code, else (no code given) by its name."""
        return self.by_code.get(code) if code else self.by_name.get(name)


def _unit_ids(s: Session) -> _Units:
    codes = select(Organization.uscc, Organization.id).where(Organization.uscc.is_not(None))
    names = select(Organization.name, Organization.id)
    return _Units(dict(s.execute(codes).all()), dict(s.execute(names).all()))  # type: ignore[arg-type]


def _assignments(s: Session, change: Change, own: OwnSheets, people: People, units: _Units) -> None:
    """Assignments with their own dates, unless the same one is already there."""
    uuids = new_uuids()
    existing = set(
        s.execute(
            select(Assignment.instructor_id, Assignment.organization_id, Assignment.started_on)
        ).all()
    )
    rows = []
    for a in own.assignments:
        org_id = units.find(a["uscc"], a["organization"])
        inst_id = people.find(a["instructor_uuid"], a["instructor"], own.alone(a["instructor"]))
        key = (inst_id, org_id, a["started_on"])
        if org_id is None or inst_id is None or key in existing:
            continue
        existing.add(key)
        rows.append(
            {
                "uuid": next(uuids),
                "instructor_id": inst_id,
                "organization_id": org_id,
                "role": a["role"],
                "started_on": a["started_on"],
                "ended_on": a["ended_on"],
                "notes": "",
            }
        )
    bulk_insert(s, change, Assignment, rows)


def _pairings(s: Session, change: Change, own: OwnSheets, units: _Units, now: datetime) -> None:
    """Pairings and their entries, unless the same pairing (helper, helped, start) is there."""
    uuids = new_uuids()
    found = s.execute(select(Pairing.helper_id, Pairing.helped_id, Pairing.started_on))
    existing = {tuple(r) for r in found}
    rows, entries = [], []
    for p in own.pairings:
        key = (units.find(p["helper_uscc"], p["helper"]), units.find(p["helped_uscc"], p["helped"]))
        if None in key or (*key, p["started_on"]) in existing:
            continue
        existing.add((*key, p["started_on"]))
        values = {k: v for k, v in p.items() if k in _PAIRING_COLUMNS}
        rows.append({**values, "uuid": next(uuids), "helper_id": key[0], "helped_id": key[1]})
        rows[-1] |= {"created_at": now, "updated_at": now}
        entries.append(p["entries"])
    ids = bulk_insert(s, change, Pairing, rows)
    done = [
        {"uuid": next(uuids), "pairing_id": pid, "done_on": day, "text": text, "created_at": now}
        for pid, items in zip(ids, entries, strict=True)
        for day, text in items
    ]
    bulk_insert(s, change, PairingEntry, done)


_PAIRING_COLUMNS = frozenset(
    {"started_on", "ended_on", "helper_class_at_start", "helped_class_at_start", "goal", "outcome"}
)


def _clusters(s: Session, change: Change, own: OwnSheets) -> None:
    """The year each cluster was formed and its notes (its members and leader come
    with the registry sheet's 编组 and 是否组长单位 columns)."""
    by_name = dict(s.execute(select(Cluster.name, Cluster.id)).all())
    rows = [
        {"id": by_name[c["name"]], "formed_year": c["formed_year"], "notes": c["notes"]}
        for c in own.clusters
        if c["name"] in by_name
    ]
    _update_changed(s, change, Cluster, rows)


_RECORD_KEY = ("cluster_id", "year", "kind", "dated", "organization_id", "amount", "title")


def _cluster_records(s: Session, change: Change, own: OwnSheets, units: _Units) -> None:
    """The clusters' year records, unless the same one is there; nominations after the
    awards they belong to."""
    clusters = dict(s.execute(select(Cluster.name, Cluster.id)).all())
    columns = [getattr(ClusterRecord, k) for k in _RECORD_KEY]
    existing = {tuple(r) for r in s.execute(select(*columns))}
    uuids, now = new_uuids(), datetime.now()
    for nominations in (False, True):
        awards = {
            (r.cluster_id, r.year, r.title): r.id
            for r in s.scalars(select(ClusterRecord).where(ClusterRecord.kind == "award"))
        }
        rows = []
        for r in own.cluster_records:
            if (r["kind"] == "nomination") != nominations or r["cluster"] not in clusters:
                continue
            values = {
                k: v
                for k, v in r.items()
                if k not in ("cluster", "unit", "uscc", "award") and not k.startswith("_")
            }
            values["cluster_id"] = clusters[r["cluster"]]
            values["organization_id"] = units.find(r["uscc"], r["unit"]) if r["unit"] else None
            values["parent_id"] = awards.get((values["cluster_id"], r["year"], r["award"]))
            key = tuple(values[k] for k in _RECORD_KEY)
            if key in existing or (nominations and values["parent_id"] is None):
                continue
            existing.add(key)
            rows.append(values | {"uuid": next(uuids), "created_at": now})
        bulk_insert(s, change, ClusterRecord, rows)


def _visits(
    s: Session, change: Change, own: OwnSheets, units: _Units, people: People, now: datetime
) -> None:
    """The visits of 走访整改 by their number: one already here is the same visit, left
    as it is (identity is the number, never a name or a date)."""
    uuids = new_uuids()
    have = set(s.scalars(select(Visit.uuid)))
    rows, who = [], []
    for r in own.visit_rows:
        org = units.find(r["uscc"], r["unit"])
        if not r["visit"] or r["visit"] in have or org is None or r["day"] is None:
            continue
        have.add(r["visit"])
        rows.append(
            {
                "uuid": r["visit"],
                "organization_id": org,
                "visited_on": r["day"],
                "kind": r["kind"],
                "content": r["content"],
                "people_met": "",
                "row_version": 1,
                "changed_by": change.actor,
                "created_at": now,
                "updated_at": now,
            }
        )
        # by a name only one instructor has (the sheet gives names only)
        who.append(
            [
                ids[0]
                for n in dict.fromkeys(r["instructors"])
                if len(ids := people.by_name.get(n, [])) == 1
            ]
        )
    ids = bulk_insert(s, change, Visit, rows)
    links = [
        {"uuid": next(uuids), "visit_id": vid, "instructor_id": person}
        for vid, persons in zip(ids, who, strict=True)
        for person in persons
    ]
    bulk_insert(s, change, VisitInstructor, links)


def _problems(s: Session, change: Change, own: OwnSheets, units: _Units, now: datetime) -> None:
    """The problems of 走访整改 by their number, with their units and their visit."""
    uuids = new_uuids()
    have = set(s.scalars(select(Problem.uuid)))
    visit_ids = dict(s.execute(select(Visit.uuid, Visit.id)).all())
    rows, linked = [], []
    for r in own.visit_rows:
        if not r["problem"] or r["problem"] in have or r["day"] is None:
            continue
        have.add(r["problem"])
        found = [units.by_code.get(u) or units.by_name.get(u) for u in r["units"]]
        if not r["units"]:  # a workbook without the column: the row's unit
            found = [units.find(r["uscc"], r["unit"])]
        rows.append(
            {
                "uuid": r["problem"],
                "visit_id": visit_ids.get(r["visit"]),
                "text": r["text"],
                "common": r["common"],
                "rectification": r["rectification"],
                "responsible": r["responsible"],
                "deadline": r["deadline"],
                "status": r["status"],
                "raised_on": r["day"],
                "verified_on": r["verified_on"],
                "verify_note": r["verify_note"],
                "source": "",
                "row_version": 1,
                "changed_by": change.actor,
                "created_at": now,
                "updated_at": now,
            }
        )
        linked.append([u for u in dict.fromkeys(found) if u is not None])
    ids = bulk_insert(s, change, Problem, rows)
    links = [
        {"uuid": next(uuids), "problem_id": pid, "organization_id": org}
        for pid, orgs in zip(ids, linked, strict=True)
        for org in orgs
    ]
    bulk_insert(s, change, ProblemUnit, links)
