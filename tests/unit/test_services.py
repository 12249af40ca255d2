"""Services on a real SQLite file made by the real migrations."""

from __future__ import annotations

from datetime import date

import pytest

from app.db.database import Database
from app.domain.rules import Rule
from app.domain.uscc import make_valid
from app.domain.validation import OrganizationDraft, PartyOrgDraft, ValidationError
from app.domain.vocabulary import Formation, OrgKind, OrgStatus
from app.services.files import audit
from app.services.registry import instructors, org_list, organizations, party_orgs

TODAY = date(2026, 11, 23)
CODE_A = make_valid("91450200MA5K00001")
CODE_B = make_valid("91450200MA5K00002")


def _org(db: Database, name: str, code: str = "", **kw: object) -> int:
    return organizations.create_organization(
        db,
        OrganizationDraft(name=name, uscc=code, **kw),
        TODAY,  # type: ignore[arg-type]
    )


def _names(db: Database) -> list[str]:
    return [r.name for r in org_list.list_organizations(db, TODAY)]


def test_wrong_code_saves_nothing(db: Database) -> None:
    with pytest.raises(ValidationError) as err:
        _org(db, "甲公司", CODE_A[:-1] + ("0" if CODE_A[-1] != "0" else "1"))
    assert err.value.issues[0].code == "uscc_check_char"
    assert _names(db) == []


def test_create_normalises_code_and_is_listed(db: Database) -> None:
    _org(db, " 甲公司 ", CODE_A.lower())
    rows = org_list.list_organizations(db, TODAY)
    assert [(r.name, r.uscc) for r in rows] == [("甲公司", CODE_A)]


def test_duplicate_code_refused(db: Database) -> None:
    _org(db, "甲公司", CODE_A)
    with pytest.raises(ValidationError, match="已登记为“甲公司”"):
        _org(db, "乙公司", CODE_A)
    assert _names(db) == ["甲公司"]


def test_organizations_without_code_may_coexist(db: Database) -> None:
    _org(db, "甲公司")
    _org(db, "乙公司")
    assert len(_names(db)) == 2


def test_edit_and_history(db: Database) -> None:
    org_id = _org(db, "甲公司", CODE_A, formal_members=2)
    draft = organizations.get_draft(db, org_id)
    draft.formal_members = 4
    organizations.update_organization(db, org_id, draft, TODAY)
    row = org_list.list_organizations(db, TODAY)[0]
    assert row.formal_members == 4
    assert [w.rule for w in row.warnings] == [Rule.SHOULD_SET_UP]
    items = audit.history(db, "organization", org_id)
    assert [i.action for i in items] == ["update", "create"]
    assert ("formal_members", 2, 4) in items[0].changes


def test_mark_closed_leaves_base_and_keeps_record(db: Database) -> None:
    org_id = _org(db, "甲公司", CODE_A)
    organizations.mark_status(db, org_id, OrgStatus.CLOSED, date(2026, 10, 1))
    row = org_list.list_organizations(db, TODAY)[0]
    assert row.status is OrgStatus.CLOSED and not row.in_base
    assert row.status_date == date(2026, 10, 1)
    assert audit.history(db, "organization", org_id)[0].summary.endswith("标记为注销")


def test_undo_reverts_last_edit_create_and_delete(db: Database) -> None:
    org_id = _org(db, "甲公司", CODE_A)
    organizations.mark_status(db, org_id, OrgStatus.MOVED_OUT, TODAY)
    assert audit.undo_last(db) == "组织“甲公司”标记为迁出"
    row = org_list.list_organizations(db, TODAY)[0]
    assert row.status is OrgStatus.ACTIVE and row.in_base
    organizations.delete_organization(db, org_id)
    assert _names(db) == []
    audit.undo_last(db)
    restored = org_list.list_organizations(db, TODAY)[0]
    assert (restored.id, restored.uscc) == (org_id, CODE_A)
    audit.undo_last(db)  # the creation itself
    assert _names(db) == []
    assert audit.undo_last(db) is None


def test_party_org_covers_units_and_rules(db: Database) -> None:
    ids = [_org(db, f"单位{i}", formal_members=1) for i in range(6)]
    po_id = party_orgs.create_party_org(
        db,
        PartyOrgDraft(name="第一联合党支部", formation=Formation.JOINT, covered_ids=ids),
        TODAY,
    )
    rows = org_list.list_organizations(db, TODAY)
    assert {r.formation for r in rows} == {Formation.JOINT}
    assert {r.party_org for r in rows} == {"第一联合党支部"}
    po = party_orgs.list_party_orgs(db, TODAY)[0]
    assert po.units == 6 and po.formal_members == 6
    assert [w.rule for w in po.warnings] == [Rule.JOINT_TOO_LARGE]
    assert all(Rule.JOINT_TOO_LARGE in [w.rule for w in r.warnings] for r in rows)
    # dropping a unit uncovers it; the branch is within the limit again
    draft = party_orgs.get_draft(db, po_id)
    draft.covered_ids = ids[:5]
    party_orgs.update_party_org(db, po_id, draft, TODAY)
    assert party_orgs.list_party_orgs(db, TODAY)[0].warnings == []
    dropped = next(r for r in org_list.list_organizations(db, TODAY) if r.id == ids[5])
    assert dropped.formation is Formation.NONE and dropped.party_org_id is None
    # undo puts the sixth unit back in one step
    audit.undo_last(db)
    assert party_orgs.list_party_orgs(db, TODAY)[0].units == 6


def test_own_branch_covers_one_unit_only(db: Database) -> None:
    a, b = _org(db, "甲公司", CODE_A, formal_members=5), _org(db, "乙公司", CODE_B)
    with pytest.raises(ValidationError, match="只能覆盖1个单位"):
        party_orgs.create_party_org(
            db, PartyOrgDraft(name="甲支部", formation=Formation.OWN, covered_ids=[a, b]), TODAY
        )
    po_id = party_orgs.create_party_org(
        db, PartyOrgDraft(name="甲支部", formation=Formation.OWN, covered_ids=[a]), TODAY
    )
    draft = organizations.get_draft(db, b)
    draft.formation, draft.party_org_id = Formation.OWN, po_id
    with pytest.raises(ValidationError, match="已覆盖“甲公司”"):
        organizations.update_organization(db, b, draft, TODAY)
    # attaching to another unit's organization is allowed
    draft.formation = Formation.ATTACHED
    organizations.update_organization(db, b, draft, TODAY)


def test_joint_branch_of_one_unit_refused(db: Database) -> None:
    a = _org(db, "甲公司")
    with pytest.raises(ValidationError, match="至少覆盖2个单位"):
        party_orgs.create_party_org(
            db, PartyOrgDraft(name="联合支部", formation=Formation.JOINT, covered_ids=[a]), TODAY
        )
    assert party_orgs.list_party_orgs(db, TODAY) == []


def test_unit_formation_must_fit_its_party_org(db: Database) -> None:
    a, b = _org(db, "甲公司"), _org(db, "乙公司")
    po_id = party_orgs.create_party_org(
        db, PartyOrgDraft(name="联合支部", formation=Formation.JOINT, covered_ids=[a, b]), TODAY
    )
    c = _org(db, "丙公司")
    draft = organizations.get_draft(db, c)
    draft.formation, draft.party_org_id = Formation.OWN, po_id
    with pytest.raises(ValidationError, match="联合组建的党组织"):
        organizations.update_organization(db, c, draft, TODAY)


def test_delete_party_org_uncovers_units_and_undo_restores(db: Database) -> None:
    a, b = _org(db, "甲公司"), _org(db, "乙公司")
    po_id = party_orgs.create_party_org(
        db, PartyOrgDraft(name="联合支部", formation=Formation.JOINT, covered_ids=[a, b]), TODAY
    )
    party_orgs.delete_party_org(db, po_id)
    assert {r.party_org_id for r in org_list.list_organizations(db, TODAY)} == {None}
    audit.undo_last(db)
    assert {r.party_org_id for r in org_list.list_organizations(db, TODAY)} == {po_id}


def test_instructors_and_assignments(db: Database) -> None:
    a = _org(db, "甲公司")
    inst = instructors.create_instructor(db, instructors.InstructorDraft(name="王芳", capacity=1))
    instructors.assign(db, inst, a, started_on=date(2026, 1, 1))
    with pytest.raises(ValidationError, match="已在联系"):
        instructors.assign(db, inst, a)
    row = instructors.list_instructors(db, TODAY)[0]
    assert (row.organizations, row.organization_names, row.over_capacity) == (1, "甲公司", False)
    assert org_list.list_organizations(db, TODAY)[0].instructors == "王芳"
    detail = organizations.get_detail(db, a, TODAY)
    assert detail.instructors[0][0] == "王芳"
    assignment = instructors.list_assignments(db, instructor_id=inst)[0]
    instructors.end_assignment(db, assignment.id, date(2026, 6, 30))
    assert instructors.list_instructors(db, TODAY)[0].organizations == 0
    with pytest.raises(ValidationError):
        instructors.create_instructor(db, instructors.InstructorDraft(name=" "))


def test_delete_organization_takes_assignments_and_undo_brings_them_back(db: Database) -> None:
    a = _org(db, "甲公司")
    inst = instructors.create_instructor(db, instructors.InstructorDraft(name="王芳"))
    instructors.assign(db, inst, a)
    organizations.delete_organization(db, a)
    assert instructors.list_assignments(db) == []
    audit.undo_last(db)
    assert [x.organization for x in instructors.list_assignments(db)] == ["甲公司"]


def test_kind_is_kept_as_entered(db: Database) -> None:
    _org(db, "协会", make_valid("51450200MA5K00003"), kind=OrgKind.SOCIAL)
    assert org_list.list_organizations(db, TODAY)[0].kind is OrgKind.SOCIAL
