"""Keep the registry of organizations: list, look up, add, edit, close, delete."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.database import Database
from app.db.models import Assignment, Cluster, Instructor, Organization, PartyOrganization
from app.domain import uscc
from app.domain.rules import (
    Warning_,
    organization_warnings,
    own_covers_too_many,
    party_org_warnings,
)
from app.domain.validation import (
    FieldIssue,
    OrganizationDraft,
    ValidationError,
    check_organization,
    formation_fits,
)
from app.domain.vocabulary import ClassBasis, Formation, OrgKind, OrgStatus, PartyOrgLevel
from app.services.files.audit import Change, snapshot
from app.services.grouping.classes import record_class_moves
from app.services.registry.records import copy_draft, delete_with_assignments, get_record


def get_draft(db: Database, org_id: int) -> OrganizationDraft:
    with db.reading() as s:
        org = get_record(s, Organization, org_id)
        return _draft_of(org)


def _draft_of(org: Organization) -> OrganizationDraft:
    values = {}
    for f in fields(OrganizationDraft):
        if f.name == "extra":
            continue
        values[f.name] = getattr(org, f.name)
    values["uscc"] = org.uscc or ""
    values["kind"] = OrgKind(org.kind)
    values["status"] = OrgStatus(org.status)
    values["formation"] = Formation(org.formation)
    return OrganizationDraft(**values)


def _issues_against_registry(
    s: Session, draft: OrganizationDraft, org_id: int | None
) -> list[FieldIssue]:
    issues: list[FieldIssue] = []
    code = uscc.normalize(draft.uscc)
    if code:
        other = s.scalar(
            select(Organization.name).where(
                Organization.uscc == code, Organization.id != (org_id or -1)
            )
        )
        if other is not None:
            issues.append(
                FieldIssue("uscc", f"该统一社会信用代码已登记为“{other}”", "uscc_duplicate")
            )
    if draft.party_org_id is not None:
        po = s.get(PartyOrganization, draft.party_org_id)
        if po is None:
            issues.append(FieldIssue("party_org_id", "所选党组织不存在", "party_org_missing"))
        else:
            po_formation = Formation(po.formation)
            if not formation_fits(draft.formation, po_formation):
                issues.append(
                    FieldIssue(
                        "party_org_id",
                        f"组建方式为“{draft.formation.label}”，"
                        f"但“{po.name}”是{po_formation.label}的党组织",
                        "formation_conflict",
                    )
                )
            else:
                other = s.scalar(
                    select(Organization.name).where(
                        Organization.party_org_id == po.id,
                        Organization.formation == Formation.OWN.value,
                        Organization.id != (org_id or -1),
                    )
                )
                if other is not None and own_covers_too_many(draft.formation, 2):
                    issues.append(
                        FieldIssue(
                            "party_org_id",
                            f"“{po.name}”是单独组建的党组织，已覆盖“{other}”，不能再覆盖第二个单位",
                            "own_multiple_units",
                        )
                    )
    return issues


def _apply(org: Organization, draft: OrganizationDraft) -> None:
    copy_draft(org, draft, leave_out=("extra",))
    org.uscc = uscc.normalize(draft.uscc) or None
    if draft.status is not OrgStatus.ACTIVE:
        # a closed or moved-out unit leaves the statistical base
        org.in_base = False


def _note_class(
    s: Session, change: Change, org: Organization, before: str | None, today: date | None
) -> None:
    """A class set in the organization's form is a change of class like any other."""
    record_class_moves(
        s,
        change,
        [(org.id, before, org.class_code)],
        basis=ClassBasis.MANUAL,
        on=today or date.today(),
        reason="在组织信息中修改",
    )


def create_organization(db: Database, draft: OrganizationDraft, today: date | None = None) -> int:
    issues = check_organization(draft, today or date.today())
    with db.session() as s:
        issues += _issues_against_registry(s, draft, None)
        if issues:
            raise ValidationError(issues)
        org = Organization()
        _apply(org, draft)
        s.add(org)
        change = Change(s, f"新增组织“{org.name}”")
        change.created(org)
        _note_class(s, change, org, None, today)
        return org.id


def update_organization(
    db: Database, org_id: int, draft: OrganizationDraft, today: date | None = None
) -> None:
    with db.session() as s:
        org = get_record(s, Organization, org_id)
        update_in(s, Change(s, f"修改组织“{org.name}”"), org, draft, today)


def update_in(
    s: Session, change: Change, org: Organization, draft: OrganizationDraft, today: date | None
) -> None:
    """``org`` set to ``draft`` inside an open transaction, checked as the form checks it
    (the rules, then against the registry), logged in ``change``: the form's edit and a
    correction adopted from the field are one edit."""
    issues = check_organization(draft, today or date.today())
    issues += _issues_against_registry(s, draft, org.id)
    if issues:
        raise ValidationError(issues)
    before = snapshot(org)
    _apply(org, draft)
    change.updated(org, before)
    _note_class(s, change, org, before["class_code"], today)


def draft_in(org: Organization) -> OrganizationDraft:
    """The organization as its form holds it (inside an open transaction)."""
    return _draft_of(org)


def id_by_uscc(db: Database, code: str) -> int:
    """The organization a credit code names, or LookupError saying so in Chinese (a
    character no code has named where it is)."""
    normalized = uscc.lookup_key(code)
    with db.reading() as s:
        found = s.scalar(select(Organization.id).where(Organization.uscc == normalized))
    if found is None:
        raise LookupError(f"没有统一社会信用代码为“{code.strip()}”的组织")
    return found


def mark_status(db: Database, org_id: int, status: OrgStatus, on: date, note: str = "") -> None:
    """注销 / 迁出 (or back to 在册): the record stays, with its history."""
    with db.session() as s:
        org = get_record(s, Organization, org_id)
        before = snapshot(org)
        org.status = status.value
        org.status_date = on if status is not OrgStatus.ACTIVE else None
        if status is OrgStatus.ACTIVE:
            org.in_base = True
            org.base_reason = ""
        else:
            org.in_base = False
            org.base_reason = f"{on:%Y-%m-%d}{status.label}"
        if note:
            org.notes = f"{org.notes}\n{note}".strip()
        org.updated_at = datetime.now()
        Change(s, f"组织“{org.name}”标记为{status.label}").updated(org, before)


def delete_organization(db: Database, org_id: int) -> None:
    """Only for an entry made by mistake; its assignments go with it (undoable)."""
    with db.session() as s:
        org = get_record(s, Organization, org_id)
        change = Change(s, f"删除组织“{org.name}”")
        delete_with_assignments(s, change, org)


@dataclass(frozen=True, slots=True)
class OrgDetail:
    draft: OrganizationDraft
    id: int
    uuid: str
    party_org_name: str
    party_org_level: str
    party_org_formation: str
    party_org_secretary: str
    party_org_units: list[str]
    cluster_name: str
    instructors: list[tuple[str, str, date | None, date | None]]  # name, role, from, to
    warnings: list[Warning_]


def get_detail(db: Database, org_id: int, today: date | None = None) -> OrgDetail:
    today = today or date.today()
    with db.reading() as s:
        org = get_record(s, Organization, org_id)
        draft = _draft_of(org)
        po = org.party_org
        units: list[str] = []
        po_warnings: list[Warning_] = []
        if po is not None:
            units = list(
                s.scalars(
                    select(Organization.name)
                    .where(Organization.party_org_id == po.id)
                    .order_by(Organization.name)
                )
            )
            po_warnings = party_org_warnings(
                PartyOrgLevel(po.level),
                Formation(po.formation),
                len(units),
                po.last_election,
                po.term_years,
                po.postponed_until,
                today,
            )
        cluster = s.get(Cluster, org.cluster_id) if org.cluster_id else None
        assigned = s.execute(
            select(Instructor.name, Assignment.role, Assignment.started_on, Assignment.ended_on)
            .join(Instructor, Instructor.id == Assignment.instructor_id)
            .where(Assignment.organization_id == org_id)
            .order_by(Assignment.started_on.desc())
        ).all()
        return OrgDetail(
            draft=draft,
            id=org.id,
            uuid=org.uuid,
            party_org_name=po.name if po else "",
            party_org_level=PartyOrgLevel(po.level).label if po else "",
            party_org_formation=Formation(po.formation).label if po else "",
            party_org_secretary=po.secretary if po else "",
            party_org_units=units,
            cluster_name=cluster.name if cluster else "",
            instructors=[(a[0], a[1], a[2], a[3]) for a in assigned],
            warnings=organization_warnings(
                org.formal_members, Formation(org.formation), po is not None, po_warnings
            ),
        )
