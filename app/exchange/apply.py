"""Apply an import preview: all good rows in one transaction, after a backup."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import Any

from sqlalchemy import select

from app.db.backup import take_backup
from app.db.database import Database
from app.db.models import (
    Assignment,
    Cluster,
    ImportLog,
    Instructor,
    Organization,
    PartyOrganization,
)
from app.domain.terms import default_term_years
from app.domain.vocabulary import AssignmentRole, Formation, InstructorRole, OrgStatus
from app.exchange.importer import ORG_FIELDS, ImportPreview, ImportResult, party_org_level
from app.services.audit import Change, snapshot

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


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def apply_import(
    db: Database, preview: ImportPreview, progress: Progress | None = None
) -> ImportResult:
    """Write every good row of ``preview``; nothing at all if anything fails."""
    backup = take_backup(db.path, "import")
    good = [r for r in preview.rows if r.status in ("new", "changed")]
    today = date.today()
    with db.session() as s:
        change = Change(s, f"导入《{preview.path.name}》（{preview.sheet}）")
        clusters = dict(s.execute(select(Cluster.name, Cluster.id)).all())
        for name in preview.new_clusters:
            cluster = Cluster(name=name)
            s.add(cluster)
            change.created(cluster)
            clusters[name] = cluster.id
        instructors: dict[str, int] = {}
        for iid, name in s.execute(select(Instructor.id, Instructor.name).order_by(Instructor.id)):
            instructors.setdefault(name, iid)
        for name in preview.new_instructors:
            inst = Instructor(name=name, role=InstructorRole.INSTRUCTOR.value)
            s.add(inst)
            change.created(inst)
            instructors[name] = inst.id
        party_orgs = {
            name: (pid, Formation(formation))
            for pid, name, formation in s.execute(
                select(PartyOrganization.id, PartyOrganization.name, PartyOrganization.formation)
            )
        }
        for name, formation in preview.new_party_orgs.items():
            level = party_org_level(name)
            po = PartyOrganization(
                name=name,
                level=level.value,
                formation=formation.value,
                term_years=default_term_years(level),
            )
            s.add(po)
            change.created(po)
            party_orgs[name] = (po.id, formation)
        for n, plan in enumerate(good):
            if progress is not None and n % 200 == 0:
                progress(n, len(good))
            values = plan.values
            if plan.status == "new":
                org = Organization(name=values["name"], kind=_plain(values["kind"]))
                before = None
            else:
                org = s.get(Organization, plan.org_id)
                assert org is not None
                before = snapshot(org)
            for key, value in values.items():
                if key in ORG_FIELDS:
                    setattr(org, key, _plain(value))
            if preview.blank_clears and plan.status == "changed":
                for key, _old, new in plan.changes:
                    if new is None and key in ORG_FIELDS:
                        setattr(org, key, "" if key in _TEXT_FIELDS else None)
                    elif new is None and key == "party_org":
                        org.party_org_id = None
                    elif new is None and key == "cluster":
                        org.cluster_id = None
            po_name = values.get("party_org")
            if po_name:
                pid, po_formation = party_orgs[po_name]
                org.party_org_id = pid
                if "formation" not in values:
                    org.formation = po_formation.value
            if org.formation == Formation.NONE.value:
                org.party_org_id = None
            if values.get("cluster"):
                org.cluster_id = clusters[values["cluster"]]
            status = values.get("status")
            if status is not None and status is not OrgStatus.ACTIVE:
                org.in_base = False
                if org.status_date is None:
                    org.status_date = today
                    if not org.base_reason:
                        org.base_reason = f"导入时登记为{status.label}"
            if plan.status == "new" and org.in_base is None:
                org.in_base = True
            if before is None:
                s.add(org)
                change.created(org)
            else:
                change.updated(org, before)
            for inst_name in values.get("instructor") or []:
                _assign(s, change, instructors[inst_name], org.id, today)
        s.add(
            ImportLog(
                file_name=preview.path.name,
                file_hash=preview.file_hash,
                sheet=preview.sheet,
                data_rows=len(preview.rows),
                good_rows=preview.good_rows,
                bad_rows=preview.count("bad"),
                created=preview.count("new"),
                updated=preview.count("changed"),
                unchanged=preview.count("unchanged"),
                change_id=change.id,
            )
        )
    if progress is not None:
        progress(len(good), len(good))
    return ImportResult(
        created=preview.count("new"),
        updated=preview.count("changed"),
        unchanged=preview.count("unchanged"),
        bad=preview.count("bad"),
        change_id=change.id,
        backup=backup,
    )


def _assign(s: Any, change: Change, instructor_id: int, org_id: int, today: date) -> None:
    exists = s.scalar(
        select(Assignment.id).where(
            Assignment.instructor_id == instructor_id,
            Assignment.organization_id == org_id,
            (Assignment.ended_on.is_(None)) | (Assignment.ended_on >= today),
        )
    )
    if exists is None:
        a = Assignment(
            instructor_id=instructor_id,
            organization_id=org_id,
            role=AssignmentRole.GUIDE.value,
            started_on=today,
        )
        s.add(a)
        change.created(a)
