"""脱联单建: a unit of a joint (or attached) party organization sets up a branch of
its own. One action, one undoable change: the new branch is created, the unit
leaves the joint one for it, and (as the clerk confirms) its class becomes 成长类
with the basis 脱联单建. A joint branch left with one unit is then flagged by the
worklist (rules.JOINT_TOO_SMALL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.db.database import Database
from app.db.models import Organization, PartyOrganization
from app.domain.classes import NEW_OWN_ORG_CLASS
from app.domain.rules import JOINT_MIN_UNITS, THREE_MEMBERS
from app.domain.terms import BRANCH_TERM_YEARS
from app.domain.validation import FieldIssue, PartyOrgDraft, ValidationError, check_party_org
from app.domain.vocabulary import ClassBasis, Formation, PartyOrgLevel
from app.services.files.audit import Change, snapshot
from app.services.grouping.classes import record_class_moves, set_class
from app.services.registry.party_orgs import registry_issues
from app.services.registry.records import copy_draft, get_record

LEAVES_FROM = (Formation.JOINT, Formation.ATTACHED)


@dataclass(slots=True)
class DetachDraft:
    """The new branch, as the clerk enters it."""

    branch_name: str = ""
    founded: date | None = None  # founding meeting; its first election
    secretary: str = ""
    term_years: int = BRANCH_TERM_YEARS
    set_class: bool = True  # record 成长类 (the clerk may leave the class as it is)


@dataclass(frozen=True, slots=True)
class DetachResult:
    party_org_id: int
    left: str  # the joint or attached party organization the unit left
    left_units: int  # how many units that one still covers
    too_small: bool  # a joint branch left with fewer units than it joins (now on the worklist)


def _unit_issues(org: Organization) -> list[FieldIssue]:
    if org.formation == Formation.OWN.value:
        return [FieldIssue("unit", f"“{org.name}”已单独建立党组织", "already_own")]
    issues = []
    if org.party_org_id is None or org.formation not in {f.value for f in LEAVES_FROM}:
        message = f"“{org.name}”不在联合或挂靠的党组织中，请直接新增党组织"
        issues.append(FieldIssue("unit", message, "not_in_joint"))
    if (org.formal_members or 0) < THREE_MEMBERS:
        message = (
            f"“{org.name}”正式党员{org.formal_members or 0}名，"
            f"单独建立党支部需正式党员{THREE_MEMBERS}名以上"
        )
        issues.append(FieldIssue("unit", message, "too_few_members"))
    return issues


def detach_unit(
    db: Database, org_id: int, draft: DetachDraft, today: date | None = None
) -> DetachResult:
    """Create the unit's own branch and move the unit to it, in one change; refused
    with the reasons (nothing written) when the unit or the branch does not qualify."""
    today = today or date.today()
    branch = PartyOrgDraft(
        name=draft.branch_name,
        level=PartyOrgLevel.BRANCH,
        formation=Formation.OWN,
        secretary=draft.secretary,
        founded=draft.founded,
        last_election=draft.founded,
        term_years=draft.term_years,
        covered_ids=[org_id],
    )
    issues = check_party_org(branch, today)
    if draft.founded is None:
        issues.append(FieldIssue("founded", "请填写成立（首次选举）日期", "founded_missing"))
    with db.session() as s:
        org = get_record(s, Organization, org_id)
        issues = _unit_issues(org) + issues + registry_issues(s, branch, None)
        if issues:
            raise ValidationError(issues)
        old = get_record(s, PartyOrganization, org.party_org_id)  # type: ignore[arg-type]
        change = Change(s, f"脱联单建：“{org.name}”成立“{branch.name.strip()}”")
        po = PartyOrganization(parent_id=old.parent_id)
        copy_draft(po, branch, leave_out=("covered_ids", "parent_id"))
        s.add(po)
        change.created(po)
        before = snapshot(org)
        org.party_org_id = po.id
        org.formation = Formation.OWN.value
        org.no_party_org_reason = None
        change.updated(org, before)
        move = set_class(change, org, NEW_OWN_ORG_CLASS) if draft.set_class else None
        if move is not None:
            reason = f"从“{old.name}”脱联，单独建立“{po.name}”"
            record_class_moves(s, change, [move], basis=ClassBasis.DETACH, on=today, reason=reason)
        s.flush()
        left = s.query(Organization).filter(Organization.party_org_id == old.id).count()
        small = old.formation == Formation.JOINT.value and 0 < left < JOINT_MIN_UNITS
        return DetachResult(po.id, old.name, left, small)
