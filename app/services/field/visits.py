"""Visits and rectifications as use cases: record a visit with the problems found,
raise a problem without one (a worklist gap in one click), move a rectification
towards 已核验 and reopen it, and list both for the pages and the command line.
Every write is one audited, undoable change; field records bump their row version."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.db.database import Database
from app.db.models import (
    Instructor,
    Organization,
    Problem,
    ProblemEvent,
    ProblemUnit,
    Tombstone,
    Visit,
    VisitAttachment,
    VisitInstructor,
)
from app.db.queries import visits as q
from app.domain.sorting import natural_key
from app.domain.validation import FieldIssue, ValidationError
from app.domain.visits import (
    ProblemDraft,
    VisitDraft,
    check_move,
    check_problem,
    check_visit,
    days_to_close,
    is_overdue,
    urgency,
)
from app.domain.vocabulary import ProblemStatus, VisitKind
from app.gc_pause import collector_paused
from app.services.field import attachments
from app.services.files.audit import Change, snapshot
from app.services.overview.overview_counts import VisitCounts as VisitCounts
from app.services.overview.overview_counts import visit_counts
from app.services.registry.records import get_record

_KINDS = VisitKind.by_value()
_STATUSES = ProblemStatus.by_value()


def add_visit(db: Database, draft: VisitDraft, today: date | None = None) -> int:
    """A visit and the problems found on it, as one change; returns the visit's id.
    A problem without units of its own belongs to the unit visited."""
    today = today or date.today()
    for problem in draft.problems:
        if not problem.unit_ids and draft.org_id is not None:
            problem.unit_ids = [draft.org_id]
    issues = check_visit(draft, today)
    if issues:
        raise ValidationError(issues)
    assert draft.org_id is not None and draft.visited_on is not None
    # copied in first, by content hash (a failed save leaves a file nobody names: harmless)
    kept = [(path.name, attachments.keep_file(db, path)) for path in draft.attachments]
    with db.session() as s:
        org = get_record(s, Organization, draft.org_id)
        for instructor_id in draft.instructor_ids:
            get_record(s, Instructor, instructor_id)
        change = Change(s, f"记录走访：“{org.name}”（{draft.visited_on.isoformat()}）")
        visit = Visit(
            organization_id=org.id,
            visited_on=draft.visited_on,
            kind=draft.kind.value,
            content=draft.content.strip(),
            people_met=draft.people_met.strip(),
            changed_by=change.actor,
        )
        s.add(visit)
        change.created(visit)
        for instructor_id in dict.fromkeys(draft.instructor_ids):
            link = VisitInstructor(visit_id=visit.id, instructor_id=instructor_id)
            s.add(link)
            change.created(link)
        for name, stored in dict.fromkeys(kept):
            photo = VisitAttachment(visit_id=visit.id, name=name, stored=stored)
            s.add(photo)
            change.created(photo)
        for problem in draft.problems:
            _new_problem(s, change, problem, draft.visited_on, visit.id, "")
        return visit.id


def attachments_of(db: Database, visit_id: int) -> list[tuple[str, Path]]:
    """A visit's photos and scans: the name the user knew, the kept file."""
    with db.read_connection() as conn:
        rows = conn.execute(q.ATTACHMENTS_OF_VISIT, (visit_id,)).fetchall()
    return [(name, attachments.folder(db) / stored) for name, stored in rows]


def _new_problem(
    s: Session,
    change: Change,
    draft: ProblemDraft,
    raised_on: date,
    visit_id: int | None,
    source: str,
) -> Problem:
    for unit_id in draft.unit_ids:
        get_record(s, Organization, unit_id)
    problem = Problem(
        visit_id=visit_id,
        text=draft.text.strip(),
        common=draft.common,
        rectification=draft.rectification.strip(),
        responsible=draft.responsible.strip(),
        deadline=draft.deadline,
        status=ProblemStatus.OPEN.value,
        raised_on=raised_on,
        source=source,
        changed_by=change.actor,
    )
    s.add(problem)
    change.created(problem)
    for unit_id in dict.fromkeys(draft.unit_ids):
        link = ProblemUnit(problem_id=problem.id, organization_id=unit_id)
        s.add(link)
        change.created(link)
    return problem


def raise_problem(
    db: Database,
    draft: ProblemDraft,
    raised_on: date | None = None,
    source: str = "",
) -> int:
    """A problem raised without a visit: from the worklist (``source`` names the rule,
    e.g. an overdue election) or as the clerk writes it."""
    raised_on = raised_on or date.today()
    issues = check_problem(draft, raised_on)
    if issues:
        raise ValidationError(issues)
    with db.session() as s:
        change = Change(s, f"登记问题：{draft.text.strip()[:30]}")
        return _new_problem(s, change, draft, raised_on, None, source).id


def set_status(
    db: Database,
    problem_id: int,
    to: ProblemStatus,
    note: str = "",
    on: date | None = None,
    today: date | None = None,
) -> None:
    """Move a rectification, keeping the move and its note in the problem's history
    (every note, whatever the status): 已核验 needs the verifier's note and date; moving
    a verified one back (reopening) clears them. The same status with a note records
    progress. One audited change; the date lies between the day raised and today."""
    today = today or date.today()
    with db.session() as s:
        problem = get_record(s, Problem, problem_id)
        issues = check_move(to, note, on, problem.raised_on, today)
        if problem.status == to.value and not note.strip():
            message = f"状态已是“{to.label}”，也没有填写说明：没有可保存的内容"
            issues.append(FieldIssue("note", message, "nothing_to_record"))
        if issues:
            raise ValidationError(issues)
        before = snapshot(problem)
        verb = "重新打开" if problem.status == ProblemStatus.VERIFIED.value else to.label
        change = Change(s, f"整改{verb}：{problem.text[:30]}")
        if to is ProblemStatus.VERIFIED:
            problem.verified_on, problem.verify_note = on, note.strip()
        else:
            problem.verified_on, problem.verify_note = None, ""
        event = ProblemEvent(
            problem_id=problem.id,
            from_status=problem.status,
            to_status=to.value,
            note=note.strip(),
            happened_on=on or today,
            changed_by=change.actor,
        )
        s.add(event)
        change.created(event)
        problem.status = to.value
        problem.row_version += 1
        problem.changed_by, problem.updated_at = change.actor, datetime.now()
        change.updated(problem, before)


def delete_visit(db: Database, visit_id: int) -> None:
    """A visit recorded by mistake, with its instructors and photos (its problems stay,
    without the visit); a tombstone tells the other side of a field package."""
    with db.session() as s:
        visit = get_record(s, Visit, visit_id)
        change = Change(s, f"删除走访：{visit.visited_on.isoformat()}")
        for link in s.scalars(select(VisitInstructor).where(VisitInstructor.visit_id == visit_id)):
            change.deleted(link)
        for kept in s.scalars(select(VisitAttachment).where(VisitAttachment.visit_id == visit_id)):
            change.deleted(kept)
        for problem in s.scalars(select(Problem).where(Problem.visit_id == visit_id)):
            before = snapshot(problem)
            problem.visit_id = None
            change.updated(problem, before)
        _tombstone(s, "visit", visit.uuid, visit.row_version, change.actor)
        change.deleted(visit)


def delete_problem(db: Database, problem_id: int) -> None:
    """A problem raised by mistake, with its links to units; leaves a tombstone."""
    with db.session() as s:
        problem = get_record(s, Problem, problem_id)
        change = Change(s, f"删除问题：{problem.text[:30]}")
        for link in s.scalars(select(ProblemUnit).where(ProblemUnit.problem_id == problem_id)):
            change.deleted(link)
        for event in s.scalars(select(ProblemEvent).where(ProblemEvent.problem_id == problem_id)):
            change.deleted(event)  # its history: audited, so undo brings it back
        _tombstone(s, "problem", problem.uuid, problem.row_version, change.actor)
        change.deleted(problem)


def _tombstone(s: Session, entity: str, uuid: str, version: int, actor: str) -> None:
    s.execute(delete(Tombstone).where(Tombstone.entity == entity, Tombstone.uuid == uuid))
    s.add(Tombstone(entity=entity, uuid=uuid, row_version=version, deleted_by=actor))


def problem_id_of(db: Database, uuid: str) -> int:
    with db.read_connection() as conn:
        row = conn.execute(q.PROBLEM_ID_BY_UUID, (uuid.strip(),)).fetchone()
    if row is None:
        raise LookupError(f"没有编号为{uuid}的问题")
    return int(row[0])


@dataclass(frozen=True, slots=True)
class Unit:
    id: int
    uscc: str | None
    name: str


@dataclass(frozen=True, slots=True)
class ProblemStep:
    """One move in a rectification's history (from None: before histories were kept)."""

    on: date
    was: ProblemStatus | None
    to: ProblemStatus
    note: str
    by: str


@dataclass(frozen=True, slots=True)
class ProblemRow:
    id: int
    uuid: str
    units: tuple[Unit, ...]
    text: str
    common: bool
    rectification: str
    responsible: str
    deadline: date | None
    status: ProblemStatus
    raised_on: date
    verified_on: date | None
    verify_note: str
    visit_id: int | None
    overdue: bool
    days_to_close: int | None
    search_text: str  # what the page's search looks in, folded once
    history: tuple[ProblemStep, ...] = ()  # oldest first

    @property
    def note(self) -> str:
        """The note that goes with the status: the latest typed on a move to it (a
        verification before histories were kept: its note). Not merely the latest note:
        a merge that takes the laptop's status keeps the office's later move to another
        status in the history, and its note does not explain the status taken."""
        typed = [step.note for step in self.history if step.note and step.to is self.status]
        return typed[-1] if typed else self.verify_note


@dataclass(slots=True)  # not frozen: a frozen dataclass is made 6× slower, 100,000 at a time
class VisitRow:
    id: int
    uuid: str
    visited_on: date
    org: Unit
    kind: VisitKind
    instructors: tuple[str, ...]
    content: str
    people_met: str
    problems: tuple[ProblemRow, ...]
    search_text: str
    unit_rank: int = 0  # the unit's place by name (natural order), made in the worker


def _units_of(conn, table: str, key: str) -> dict[int, list[Unit]]:  # type: ignore[no-untyped-def]
    out: dict[int, list[Unit]] = {}
    for owner, oid, uscc, name in conn.execute(q.units_of_sql(table, key)):
        out.setdefault(owner, []).append(Unit(oid, uscc, name))
    return out


def _histories(conn) -> dict[int, list[ProblemStep]]:  # type: ignore[no-untyped-def]
    out: dict[int, list[ProblemStep]] = {}
    for pid, was, to, note, on, by in conn.execute(q.PROBLEM_HISTORIES):
        step = ProblemStep(date.fromisoformat(on), _STATUSES.get(was), _STATUSES[to], note, by)  # type: ignore[arg-type]
        out.setdefault(pid, []).append(step)
    return out


def list_problems(db: Database, today: date | None = None) -> list[ProblemRow]:
    """Every problem, the open ones first by deadline, with its units and history."""
    today = today or date.today()
    with db.read_connection() as conn:
        units = _units_of(conn, "problem_unit", "problem_id")
        histories = _histories(conn)
        found = conn.execute(q.PROBLEMS).fetchall()
    rows = []
    for (
        pid,
        uid,
        text,
        common,
        asked,
        who,
        deadline,
        status,
        raised,
        verified,
        note,
        visit,
    ) in found:
        due = date.fromisoformat(deadline) if deadline else None
        state = _STATUSES[status]
        raised_on = date.fromisoformat(raised)
        verified_on = date.fromisoformat(verified) if verified else None
        rows.append(
            ProblemRow(
                pid,
                uid,
                tuple(units.get(pid, ())),
                text,
                bool(common),
                asked,
                who,
                due,
                state,  # type: ignore[arg-type]
                raised_on,
                verified_on,
                note,
                visit,
                is_overdue(state, due, today),  # type: ignore[arg-type]
                days_to_close(raised_on, verified_on),
                _folded(
                    text,
                    asked,
                    who,
                    *(step.note for step in histories.get(pid, ())),
                    *(f"{u.name} {u.uscc or ''}" for u in units.get(pid, ())),
                ),
                tuple(histories.get(pid, ())),
            )
        )
    rows.sort(key=lambda r: (*urgency(r.status, r.deadline), r.id))
    return rows


@collector_paused()  # 100,000 rows, no cycles (app/gc_pause.py)
def list_visits(db: Database, today: date | None = None) -> list[VisitRow]:
    """Every visit, newest first, with its instructors and the problems found on it.

    100,000 visits are read for the page: the units and instructors once each (not
    joined into every visit), a unit's and an instructor's search text folded once."""
    by_visit: dict[int, list[ProblemRow]] = {}
    for problem in list_problems(db, today):
        if problem.visit_id is not None:
            by_visit.setdefault(problem.visit_id, []).append(problem)
    with db.read_connection() as conn:
        units = [Unit(oid, uscc, name) for oid, uscc, name in conn.execute(q.UNITS)]
        people = _people_of(conn)
        found = conn.execute(q.VISITS).fetchall()  # sorted whole (q.VISITS says why)
    count = len(found)
    # by unit: itself, its part of the search text (_folded(name, code, content, *who)),
    # and its place by name (natural order; ties in the visits' order: the name's rank
    # among the names times the visits, plus the visit's place in the list)
    ranked = sorted({u.name for u in units}, key=natural_key)
    name_rank = {name: rank * count for rank, name in enumerate(ranked)}
    of_unit = {u.id: (u, _folded(u.name, u.uscc or ""), name_rank[u.name]) for u in units}
    nobody: tuple[tuple[str, ...], str] = ((), "")
    day, kinds, people_of, problems = date.fromisoformat, _KINDS, people.get, by_visit.get
    rows = []
    append = rows.append
    for place, (vid, uid, on, oid, kind, content, met) in enumerate(found):
        unit, unit_text, rank = of_unit[oid]
        who, who_text = people_of(vid, nobody)
        found_there = problems(vid)
        append(
            VisitRow(
                vid,
                uid,
                day(on),
                unit,
                kinds[kind],  # type: ignore[arg-type]
                who,
                content,
                met,
                tuple(found_there) if found_there else (),
                f"{unit_text} {content.casefold()}{who_text}",
                rank + place,
            )
        )
    return rows


def _people_of(conn: sqlite3.Connection) -> dict[int, tuple[tuple[str, ...], str]]:
    """Each visit's instructors in the order given, and their names folded for its
    search text (with the space before them). Most visits have one: its pair is the
    instructor's own, made once."""
    alone = {i: ((name,), f" {name.casefold()}") for i, name in conn.execute(q.INSTRUCTOR_NAMES)}
    people: dict[int, tuple[tuple[str, ...], str]] = {}
    for visit_id, who in conn.execute(q.VISIT_INSTRUCTORS):
        had = people.get(visit_id)
        if had is None:
            people[visit_id] = alone[who]
        else:
            (name,), folded = alone[who]
            people[visit_id] = ((*had[0], name), had[1] + folded)
    return people


def _folded(*parts: str) -> str:
    return " ".join(parts).casefold()


def instructor_ids(db: Database, names: list[str], unit: int | None = None) -> list[int]:
    """Instructors by name (the command line and the visit dialog name them). An unknown
    name is refused; a name two instructors share is the one of them who looks after
    ``unit``, and refused naming the clash when that does not settle it (it took either,
    silently)."""
    by_name: dict[str, list[int]] = {}
    with db.read_connection() as conn:
        for i, n in conn.execute(q.INSTRUCTORS_BY_ID):
            by_name.setdefault(n, []).append(i)
        keeping = {
            i
            for (i,) in conn.execute(
                q.INSTRUCTORS_OF_UNIT,
                {"unit": unit if unit is not None else -1, "today": date.today().isoformat()},
            )
        }
    missing = [n for n in names if n not in by_name]
    if missing:
        raise ValidationError(
            [FieldIssue("instructors", f"没有名为“{'、'.join(missing)}”的指导员", "unknown")]
        )
    chosen, unclear = [], []
    for n in names:
        found = by_name[n]
        if len(found) > 1:
            found = [i for i in found if i in keeping]
        if len(found) == 1:
            chosen.append(found[0])
        else:
            unclear.append(f"有{len(by_name[n])}位指导员叫“{n}”")
    if unclear:
        message = "、".join(unclear) + "，无法确定是哪一位：请在联系分工中只让其中一位联系这个单位"
        raise ValidationError([FieldIssue("instructors", message, "ambiguous")])
    return chosen


@dataclass(frozen=True, slots=True)
class VisitLine:
    """A visit as a record's page lists it."""

    visited_on: date
    unit: str
    kind: VisitKind
    instructors: str
    content: str


@dataclass(frozen=True, slots=True)
class ProblemLine:
    unit: str
    text: str
    status: ProblemStatus
    deadline: date | None
    overdue: bool


def _lines(conn, where: str, args: tuple, today: date) -> tuple[list, list]:  # type: ignore[no-untyped-def]
    seen = [
        VisitLine(date.fromisoformat(on), name, _KINDS[kind], people or "", content)  # type: ignore[arg-type]
        for on, name, kind, content, people in conn.execute(
            q.VISIT_LINES.format(where=where[0]), args
        )
    ]
    found = []
    for _pid, name, text, status, deadline in conn.execute(
        q.PROBLEM_LINES.format(where=where[1]), args
    ):
        due = date.fromisoformat(deadline) if deadline else None
        state = _STATUSES[status]
        found.append(ProblemLine(name, text, state, due, is_overdue(state, due, today)))  # type: ignore[arg-type]
    return seen, found


def of_unit(db: Database, org_id: int, today: date | None = None) -> tuple[list, list]:
    """A unit's visits (newest first) and its problems (by deadline)."""
    with db.read_connection() as conn:
        return _lines(
            conn,
            q.OF_UNIT,
            (org_id,),
            today or date.today(),
        )


def of_instructor(db: Database, instructor_id: int, today: date | None = None) -> tuple[list, list]:
    """An instructor's visits, and the problems found on them still to be rectified."""
    with db.read_connection() as conn:
        return _lines(
            conn,
            q.OF_INSTRUCTOR,
            (instructor_id,),
            today or date.today(),
        )


# what a worklist rule asks when it becomes a problem (the clerk may edit it after)
_ASKED = {
    "election_overdue": "按期完成换届选举，报上级党组织批复",
    "election_due_soon": "做好换届准备，按期换届",
    "should_set_up": "符合条件的，按程序单独组建党组织",
    "no_secretary": "选好配强党组织书记",
    "joint_too_large": "按规定调整联合党支部的覆盖范围",
}
RECTIFY_DAYS = 90  # the deadline a problem raised from the worklist gets


def problem_from_gap(db: Database, gap: object, today: date | None = None) -> int:
    """An overdue election (or any gap on a unit or a party organization) as a problem
    in one click: the units it concerns, the rule's usual rectification, 90 days. The
    same gap raised twice while its problem is open is refused."""
    from datetime import timedelta

    today = today or date.today()
    rule, record, record_id = gap.rule, gap.record, gap.record_id  # type: ignore[attr-defined]
    with db.read_connection() as conn:
        if record == "organization":
            units = [record_id]
        elif record == "party_organization":
            units = [i for (i,) in conn.execute(q.UNITS_OF_PARTY_ORG, (record_id,))]
        else:
            units = []
        raised = conn.execute(
            q.GAP_RAISED,
            (rule.value, units[0] if units else -1),
        ).fetchone()
    if not units:
        message = "这条预警不涉及具体单位（如指导员联系单位过多），请直接调整"
        raise ValidationError([FieldIssue("units", message, "no_units")])
    if raised:
        message = "这条预警已生成过整改问题，尚未整改完成"
        raise ValidationError([FieldIssue("source", message, "already_raised")])
    draft = ProblemDraft(
        f"{gap.label}：{gap.name}（{gap.detail}）",  # type: ignore[attr-defined]
        len(units) > 1,
        _ASKED.get(rule.value, ""),
        "",
        today + timedelta(days=RECTIFY_DAYS),
        units,
    )
    return raise_problem(db, draft, today, rule.value)


# 总览's figures, read with sqlite3 alone (app/services/overview/overview_counts.py)
counts = visit_counts
