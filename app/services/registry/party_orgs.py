"""Keep the party organizations and which units each covers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.database import Database
from app.db.models import FundPayment, Organization, PartyOrganization
from app.domain.rules import Warning_, party_org_warnings
from app.domain.sorting import natural_key
from app.domain.terms import election_status
from app.domain.validation import FieldIssue, PartyOrgDraft, ValidationError, check_party_org
from app.domain.vocabulary import DemoSiteLevel, Formation, PartyOrgLevel, demo_site_text
from app.services.files.audit import Change, snapshot
from app.services.registry.records import copy_draft, get_record


@dataclass(slots=True)
class PartyOrgRow:
    id: int
    uuid: str
    name: str
    level: PartyOrgLevel
    formation: Formation
    secretary: str
    units: int
    unit_names: str
    formal_members: int
    probationary_members: int
    founded: date | None
    last_election: date | None
    term_years: int
    next_election: date | None
    postponed_until: date | None
    parent: str
    warnings: list[Warning_]
    search_text: str
    demo_site: DemoSiteLevel = DemoSiteLevel.NONE  # 示范点 and the year it was named
    demo_site_year: int | None = None
    dual_managed: bool = False  # 市级以上双重管理 (衢州: a cluster's leader is one)

    @property
    def demo_site_text(self) -> str:
        """园区级（2025）, or "" for none."""
        return demo_site_text(self.demo_site, self.demo_site_year)

    @property
    def warning_text(self) -> str:
        return "、".join(w.label for w in self.warnings)


def list_party_orgs(db: Database, today: date | None = None) -> list[PartyOrgRow]:
    from app.services.field.field_office import field_view

    today = today or date.today()
    # on a laptop a branch's size is the office's: most of its units may not travel
    office_units = field_view(db)
    with db.reading() as s:
        per_org: dict[int, list[tuple[str, int, int]]] = {}
        for po_id, name, formal, prob in s.execute(
            select(
                Organization.party_org_id,
                Organization.name,
                Organization.formal_members,
                Organization.probationary_members,
            )
            .where(Organization.party_org_id.is_not(None))
            .order_by(Organization.name)
        ):
            per_org.setdefault(po_id, []).append((name, formal or 0, prob or 0))
        names = dict(s.execute(select(PartyOrganization.id, PartyOrganization.name)).all())
        out: list[PartyOrgRow] = []
        for po in s.scalars(select(PartyOrganization).order_by(PartyOrganization.name)):
            units = per_org.get(po.id, [])
            level = PartyOrgLevel(po.level)
            formation = Formation(po.formation)
            status = election_status(po.last_election, po.term_years, po.postponed_until, today)
            unit_names = "、".join(u[0] for u in units)
            out.append(
                PartyOrgRow(
                    id=po.id,
                    uuid=po.uuid,
                    name=po.name,
                    level=level,
                    formation=formation,
                    secretary=po.secretary,
                    units=len(units),
                    unit_names=unit_names,
                    formal_members=sum(u[1] for u in units),
                    probationary_members=sum(u[2] for u in units),
                    founded=po.founded,
                    last_election=po.last_election,
                    term_years=po.term_years,
                    next_election=status.due,
                    postponed_until=po.postponed_until,
                    parent=names.get(po.parent_id, "") if po.parent_id else "",
                    warnings=party_org_warnings(
                        level,
                        formation,
                        # a size the office did not send (an older package): 0, no warning
                        len(units)
                        if office_units is None
                        else office_units.party_units.get(po.id, 0),
                        po.last_election,
                        po.term_years,
                        po.postponed_until,
                        today,
                    ),
                    search_text=f"{po.name}\n{po.secretary}\n{unit_names}".casefold(),
                    demo_site=DemoSiteLevel(po.demo_site or "none"),
                    demo_site_year=po.demo_site_year,
                    dual_managed=bool(po.dual_managed),
                )
            )
    out.sort(key=lambda row: natural_key(row.name))  # 第2联合支部 before 第10联合支部
    return out


def choices(db: Database) -> list[tuple[int, str, Formation]]:
    """(id, name, formation) of every party organization, for pickers."""
    with db.reading() as s:
        return [
            (r.id, r.name, Formation(r.formation))
            for r in s.execute(
                select(
                    PartyOrganization.id, PartyOrganization.name, PartyOrganization.formation
                ).order_by(PartyOrganization.name)
            )
        ]


def party_org_id_of(db: Database, name_or_uuid: str) -> int:
    """The party organization a name or a uuid names, or LookupError saying so."""
    wanted = name_or_uuid.strip()
    with db.reading() as s:
        found = s.scalar(
            select(PartyOrganization.id).where(
                (PartyOrganization.name == wanted) | (PartyOrganization.uuid == wanted)
            )
        )
    if found is None:
        raise LookupError(f"没有名称或编号为“{wanted}”的党组织")
    return found


def get_draft(db: Database, po_id: int) -> PartyOrgDraft:
    with db.reading() as s:
        po = get_record(s, PartyOrganization, po_id)
        covered = list(
            s.scalars(
                select(Organization.id)
                .where(Organization.party_org_id == po_id)
                .order_by(Organization.name)
            )
        )
        return PartyOrgDraft(
            name=po.name,
            level=PartyOrgLevel(po.level),
            formation=Formation(po.formation),
            secretary=po.secretary,
            secretary_phone=po.secretary_phone,
            founded=po.founded,
            last_election=po.last_election,
            term_years=po.term_years,
            postponed_until=po.postponed_until,
            postponement_approval=po.postponement_approval,
            parent_id=po.parent_id,
            venue=po.venue,
            dual_managed=bool(po.dual_managed),
            demo_site=DemoSiteLevel(po.demo_site or "none"),
            demo_site_year=po.demo_site_year,
            notes=po.notes,
            covered_ids=covered,
        )


def registry_issues(s: Session, draft: PartyOrgDraft, po_id: int | None) -> list[FieldIssue]:
    issues: list[FieldIssue] = []
    clash = s.scalar(
        select(PartyOrganization.id).where(
            PartyOrganization.name == draft.name.strip(), PartyOrganization.id != (po_id or -1)
        )
    )
    if clash is not None:
        issues.append(FieldIssue("name", "已有同名党组织", "name_duplicate"))
    if po_id is not None and draft.parent_id == po_id:
        issues.append(FieldIssue("parent_id", "上级党组织不能是它自己", "parent_self"))
    if draft.formation is Formation.OWN and draft.covered_ids:
        # an own organization's unit must not already have another own organization
        for org in s.scalars(select(Organization).where(Organization.id.in_(draft.covered_ids))):
            if org.party_org_id not in (None, po_id) and org.formation == Formation.OWN.value:
                issues.append(
                    FieldIssue(
                        "covered",
                        f"“{org.name}”已有单独组建的党组织，不能再被另一个覆盖",
                        "own_multiple_units",
                    )
                )
    return issues


def _set_coverage(s: Session, po: PartyOrganization, draft: PartyOrgDraft, change: Change) -> None:
    wanted = set(draft.covered_ids)
    current = list(s.scalars(select(Organization).where(Organization.party_org_id == po.id)))
    for org in current:
        if org.id not in wanted:
            before = snapshot(org)
            org.party_org_id = None
            org.formation = Formation.NONE.value
            change.updated(org, before)
    if wanted:
        for org in s.scalars(select(Organization).where(Organization.id.in_(wanted))):
            before = snapshot(org)
            org.party_org_id = po.id
            # attached units keep their formation; others take the organization's
            if org.formation != Formation.ATTACHED.value or draft.formation is Formation.OWN:
                org.formation = draft.formation.value
            change.updated(org, before)


def create_party_org(db: Database, draft: PartyOrgDraft, today: date | None = None) -> int:
    issues = check_party_org(draft, today or date.today())
    with db.session() as s:
        issues += registry_issues(s, draft, None)
        if issues:
            raise ValidationError(issues)
        po = PartyOrganization()
        copy_draft(po, draft, leave_out=("covered_ids",))
        s.add(po)
        change = Change(s, f"新增党组织“{po.name}”")
        change.created(po)
        _set_coverage(s, po, draft, change)
        return po.id


def update_party_org(
    db: Database, po_id: int, draft: PartyOrgDraft, today: date | None = None
) -> None:
    issues = check_party_org(draft, today or date.today())
    with db.session() as s:
        po = get_record(s, PartyOrganization, po_id)
        issues += registry_issues(s, draft, po_id)
        if issues:
            raise ValidationError(issues)
        before = snapshot(po)
        change = Change(s, f"修改党组织“{draft.name.strip()}”")
        copy_draft(po, draft, leave_out=("covered_ids",))
        change.updated(po, before)
        _set_coverage(s, po, draft, change)


def delete_party_org(db: Database, po_id: int) -> None:
    """For a mistaken entry: the units it covered become uncovered (undoable)."""
    with db.session() as s:
        po = get_record(s, PartyOrganization, po_id)
        change = Change(s, f"删除党组织“{po.name}”")
        for org in s.scalars(select(Organization).where(Organization.party_org_id == po_id)):
            before = snapshot(org)
            org.party_org_id = None
            org.formation = Formation.NONE.value
            change.updated(org, before)
        for child in s.scalars(
            select(PartyOrganization).where(PartyOrganization.parent_id == po_id)
        ):
            before = snapshot(child)
            child.parent_id = None
            change.updated(child, before)
        # its payments (经费保障) go with it, each logged: undo brings them back
        for payment in s.scalars(select(FundPayment).where(FundPayment.party_org_id == po_id)):
            change.deleted(payment)
        change.deleted(po)


def count(db: Database) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(PartyOrganization)) or 0
