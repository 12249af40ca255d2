"""Keep the instructors (党建指导员 and others) and their assignments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select

from app.db.database import Database
from app.db.models import Assignment, Instructor, Organization
from app.domain.assignment_plan import over_capacity_text
from app.domain.limits import INSTRUCTOR
from app.domain.validation import FieldIssue, ValidationError, check_lengths
from app.domain.vocabulary import AssignmentRole, InstructorRole
from app.services.files.audit import Change, snapshot
from app.services.registry.records import copy_draft, delete_with_assignments, get_record


@dataclass(slots=True)
class InstructorDraft:
    name: str = ""
    role: InstructorRole = InstructorRole.INSTRUCTOR
    unit: str = ""
    phone: str = ""
    active: bool = True
    capacity: int | None = None
    notes: str = ""


@dataclass(slots=True)
class InstructorRow:
    id: int
    uuid: str
    name: str
    role: InstructorRole
    unit: str
    phone: str
    active: bool
    capacity: int | None
    organizations: int  # active assignments
    organization_names: str
    search_text: str

    @property
    def over_text(self) -> str:
        """Why this instructor is over capacity (a 上限 not set counts as the assumed
        one), empty when they are not."""
        return over_capacity_text(self.organizations, self.capacity)

    @property
    def over_capacity(self) -> bool:
        return bool(self.over_text)


@dataclass(slots=True)
class AssignmentRow:
    id: int
    instructor_id: int
    instructor: str
    organization_id: int
    organization: str
    role: AssignmentRole
    started_on: date | None
    ended_on: date | None

    def active_on(self, day: date) -> bool:
        return self.ended_on is None or self.ended_on >= day


def _active(today: date):
    return or_(Assignment.ended_on.is_(None), Assignment.ended_on >= today)


def list_instructors(db: Database, today: date | None = None) -> list[InstructorRow]:
    today = today or date.today()
    with db.reading() as s:
        names: dict[int, list[str]] = {}
        for inst_id, org_name in s.execute(
            select(Assignment.instructor_id, Organization.name)
            .join(Organization, Organization.id == Assignment.organization_id)
            .where(_active(today))
            .order_by(Organization.name)
        ):
            names.setdefault(inst_id, []).append(org_name)
        out = []
        for i in s.scalars(select(Instructor).order_by(Instructor.name)):
            orgs = names.get(i.id, [])
            joined = "、".join(orgs)
            out.append(
                InstructorRow(
                    id=i.id,
                    uuid=i.uuid,
                    name=i.name,
                    role=InstructorRole(i.role),
                    unit=i.unit,
                    phone=i.phone,
                    active=i.active,
                    capacity=i.capacity,
                    organizations=len(orgs),
                    organization_names=joined,
                    search_text=f"{i.name}\n{i.unit}\n{i.phone}\n{joined}".casefold(),
                )
            )
    return out


def choices(db: Database) -> list[tuple[int, str]]:
    with db.reading() as s:
        return [
            (r.id, r.name)
            for r in s.execute(
                select(Instructor.id, Instructor.name)
                .where(Instructor.active.is_(True))
                .order_by(Instructor.name)
            )
        ]


def _check(draft: InstructorDraft) -> list[FieldIssue]:
    issues = check_lengths(draft, INSTRUCTOR)
    if not draft.name.strip():
        issues.append(FieldIssue("name", "姓名不能为空", "name_missing"))
    if draft.capacity is not None and draft.capacity < 0:
        issues.append(FieldIssue("capacity", "联系单位上限不能为负数", "count_negative"))
    return issues


def get_draft(db: Database, inst_id: int) -> InstructorDraft:
    with db.reading() as s:
        i = get_record(s, Instructor, inst_id)
        return InstructorDraft(
            i.name, InstructorRole(i.role), i.unit, i.phone, i.active, i.capacity, i.notes
        )


def create_instructor(db: Database, draft: InstructorDraft) -> int:
    issues = _check(draft)
    if issues:
        raise ValidationError(issues)
    with db.session() as s:
        i = Instructor()
        copy_draft(i, draft)
        s.add(i)
        Change(s, f"新增指导员“{i.name}”").created(i)
        return i.id


def update_instructor(db: Database, inst_id: int, draft: InstructorDraft) -> None:
    issues = _check(draft)
    if issues:
        raise ValidationError(issues)
    with db.session() as s:
        i = get_record(s, Instructor, inst_id)
        before = snapshot(i)
        copy_draft(i, draft)
        Change(s, f"修改指导员“{i.name}”").updated(i, before)


def delete_instructor(db: Database, inst_id: int) -> None:
    with db.session() as s:
        i = get_record(s, Instructor, inst_id)
        change = Change(s, f"删除指导员“{i.name}”")
        delete_with_assignments(s, change, i)


def list_assignments(
    db: Database, *, instructor_id: int | None = None, organization_id: int | None = None
) -> list[AssignmentRow]:
    with db.reading() as s:
        q = (
            select(
                Assignment.id,
                Assignment.instructor_id,
                Instructor.name,
                Assignment.organization_id,
                Organization.name,
                Assignment.role,
                Assignment.started_on,
                Assignment.ended_on,
            )
            .join(Instructor, Instructor.id == Assignment.instructor_id)
            .join(Organization, Organization.id == Assignment.organization_id)
            .order_by(Organization.name)
        )
        if instructor_id is not None:
            q = q.where(Assignment.instructor_id == instructor_id)
        if organization_id is not None:
            q = q.where(Assignment.organization_id == organization_id)
        return [
            AssignmentRow(r[0], r[1], r[2], r[3], r[4], AssignmentRole(r[5]), r[6], r[7])
            for r in s.execute(q)
        ]


def assign(
    db: Database,
    instructor_id: int,
    organization_id: int,
    role: AssignmentRole = AssignmentRole.GUIDE,
    started_on: date | None = None,
    ended_on: date | None = None,
) -> int:
    if started_on and ended_on and ended_on < started_on:
        raise ValidationError([FieldIssue("ended_on", "结束日期早于开始日期", "date_order")])
    with db.session() as s:
        inst = s.get(Instructor, instructor_id)
        org = s.get(Organization, organization_id)
        if inst is None or org is None:
            raise LookupError("指导员或组织不存在")
        today = date.today()
        dup = s.scalar(
            select(func.count())
            .select_from(Assignment)
            .where(
                Assignment.instructor_id == instructor_id,
                Assignment.organization_id == organization_id,
                _active(today),
            )
        )
        if dup:
            raise ValidationError(
                [FieldIssue("organization", f"{inst.name}已在联系“{org.name}”", "duplicate")]
            )
        a = Assignment(
            instructor_id=instructor_id,
            organization_id=organization_id,
            role=role.value,
            started_on=started_on,
            ended_on=ended_on,
        )
        s.add(a)
        Change(s, f"安排{inst.name}联系“{org.name}”").created(a)
        return a.id


def end_assignment(db: Database, assignment_id: int, on: date) -> None:
    with db.session() as s:
        a = s.get(Assignment, assignment_id)
        if a is None:
            raise LookupError("联系分工不存在")
        if a.started_on and on < a.started_on:
            raise ValidationError([FieldIssue("ended_on", "结束日期早于开始日期", "date_order")])
        before = snapshot(a)
        a.ended_on = on
        inst = s.get(Instructor, a.instructor_id)
        org = s.get(Organization, a.organization_id)
        assert inst is not None and org is not None
        Change(s, f"结束{inst.name}对“{org.name}”的联系").updated(a, before)


def remove_assignment(db: Database, assignment_id: int) -> None:
    with db.session() as s:
        a = s.get(Assignment, assignment_id)
        if a is None:
            raise LookupError("联系分工不存在")
        Change(s, "删除误录的联系分工").deleted(a)
