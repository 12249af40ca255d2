"""What every record's use case does first and last: find the record the window or
the command line names (or say in Chinese that it is gone), and delete one with
the assignments that name it; set a form's fields on its record."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from enum import Enum
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import (
    AssessmentScheme,
    AssessmentScore,
    Assignment,
    ClassChange,
    Cluster,
    ClusterRecord,
    Instructor,
    Organization,
    Pairing,
    PairingEntry,
    PartyOrganization,
    Problem,
    ProblemEvent,
    ProblemUnit,
    Visit,
    VisitAttachment,
    VisitInstructor,
)
from app.services.assessment import published
from app.services.files.audit import snapshot

Record = TypeVar(
    "Record",
    Organization,
    PartyOrganization,
    Instructor,
    Pairing,
    Cluster,
    ClusterRecord,
    AssessmentScheme,
    Visit,
    Problem,
)

_WHAT = {
    Organization: "组织",
    PartyOrganization: "党组织",
    Instructor: "指导员",
    Pairing: "结对帮带",
    Cluster: "编组",
    ClusterRecord: "编组记录",
    AssessmentScheme: "考核方案",
    Visit: "走访记录",
    Problem: "问题",
}


def get_record(s: Session, model: type[Record], record_id: int) -> Record:
    """The record, or LookupError naming what is missing."""
    record = s.get(model, record_id)
    if record is None:
        raise LookupError(f"{_WHAT[model]}不存在（编号{record_id}）")
    return record


def copy_draft(record: Any, draft: Any, leave_out: tuple[str, ...] = ()) -> None:
    """Set a form's fields on its record: a vocabulary member as the value stored,
    text without stray spaces at either end (never meant; the importer drops them too)."""
    for field in fields(draft):
        if field.name in leave_out:
            continue
        value = getattr(draft, field.name)
        if isinstance(value, Enum):
            value = value.value
        elif isinstance(value, str):
            value = value.strip()
        setattr(record, field.name, value)
    record.updated_at = datetime.now()


def delete_with_assignments(s: Session, change: Any, record: Organization | Instructor) -> None:
    """Delete an organization or an instructor with the assignments that name it (and an
    organization's class history and pairings), each logged so the deletion can be undone."""
    column = (
        Assignment.organization_id if isinstance(record, Organization) else Assignment.instructor_id
    )
    for a in s.scalars(select(Assignment).where(column == record.id)):
        change.deleted(a)
    if isinstance(record, Instructor):  # the visits stay, without this instructor on them
        for link in s.scalars(
            select(VisitInstructor).where(VisitInstructor.instructor_id == record.id)
        ).all():
            change.deleted(link)
    if isinstance(record, Organization):  # its class history and pairings go with it
        conn = s.connection().connection.driver_connection
        published.refuse_unit_deletion(conn, record.id, record.name)  # a published ranking
        dependents: list[Any] = list(
            s.scalars(select(ClassChange).where(ClassChange.organization_id == record.id))
        )
        # its allocations and nominations in a cluster, its assessment scores
        dependents += s.scalars(
            select(ClusterRecord).where(ClusterRecord.organization_id == record.id)
        ).all()
        dependents += s.scalars(
            select(AssessmentScore).where(AssessmentScore.organization_id == record.id)
        ).all()
        pairs = (Pairing.helper_id == record.id) | (Pairing.helped_id == record.id)
        for pairing in s.scalars(select(Pairing).where(pairs)).all():
            done = select(PairingEntry).where(PairingEntry.pairing_id == pairing.id)
            dependents += [*s.scalars(done), pairing]
        dependents += _visits_and_problems(s, change, record.id)
        for row in dependents:
            change.deleted(row)
    change.deleted(record)


def _visits_and_problems(s: Session, change: Any, org_id: int) -> list[Any]:
    """A unit's visits (with their instructors and files), its links to problems, and
    the problems left with no unit, children first (undo brings them back in order);
    a common problem found on one of its visits stays, no longer tied to the visit."""
    rows: list[Any] = []
    links = s.scalars(select(ProblemUnit).where(ProblemUnit.organization_id == org_id)).all()
    rows += links
    for link in links:
        others = s.scalar(
            select(func.count())
            .select_from(ProblemUnit)
            .where(ProblemUnit.problem_id == link.problem_id, ProblemUnit.organization_id != org_id)
        )
        if not others:  # the problem goes, its history first (audited: undo restores it)
            rows += s.scalars(
                select(ProblemEvent).where(ProblemEvent.problem_id == link.problem_id)
            )
            rows.append(s.get(Problem, link.problem_id))
    for visit in s.scalars(select(Visit).where(Visit.organization_id == org_id)).all():
        rows += s.scalars(select(VisitInstructor).where(VisitInstructor.visit_id == visit.id))
        rows += s.scalars(select(VisitAttachment).where(VisitAttachment.visit_id == visit.id))
        for problem in s.scalars(select(Problem).where(Problem.visit_id == visit.id)):
            if problem not in rows:  # a common problem stays with its other units
                before = snapshot(problem)
                problem.visit_id = None
                change.updated(problem, before)
        rows.append(visit)
    return rows
