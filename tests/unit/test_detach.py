"""脱联单建 end to end: the unit gets its own branch and 成长类 in one undoable change,
the joint branch left with one unit is flagged, and a unit that does not qualify is
refused with the reason and nothing written."""

from __future__ import annotations

from datetime import date

import pytest

from app.db.database import Database
from app.domain.rules import Rule
from app.domain.validation import OrganizationDraft, PartyOrgDraft, ValidationError
from app.domain.vocabulary import ClassBasis, Formation, OrgClass, PartyOrgLevel
from app.services.files import audit
from app.services.grouping import classes
from app.services.overview.gaps import find_gaps
from app.services.registry import organizations, party_orgs
from app.services.registry.detach import DetachDraft, detach_unit

TODAY = date(2026, 11, 23)


@pytest.fixture
def joint_park(db: Database) -> dict[str, int]:
    ids = {
        "committee": party_orgs.create_party_org(
            db, PartyOrgDraft(name="园区党委", level=PartyOrgLevel.COMMITTEE, term_years=5), TODAY
        )
    }
    joint = party_orgs.create_party_org(
        db,
        PartyOrgDraft(
            name="创业园联合党支部",
            formation=Formation.JOINT,
            last_election=date(2025, 3, 1),
            parent_id=ids["committee"],
        ),
        TODAY,
    )
    ids["joint"] = joint
    for name, formal in (("金鸿盛电气", 4), ("小微商贸", 1), ("星火软件", 2)):
        ids[name] = organizations.create_organization(
            db,
            OrganizationDraft(
                name=name,
                formal_members=formal,
                formation=Formation.JOINT,
                party_org_id=joint,
                class_code="D",
            ),
            TODAY,
        )
    return ids


def _draft(name: str = "金鸿盛电气党支部") -> DetachDraft:
    return DetachDraft(branch_name=name, founded=date(2026, 6, 18), secretary="周敏")


def _po(db: Database, name: str) -> party_orgs.PartyOrgRow:
    return next(p for p in party_orgs.list_party_orgs(db, TODAY) if p.name == name)


def test_detach_then_undo(db: Database, joint_park: dict[str, int]) -> None:
    unit = joint_park["金鸿盛电气"]
    result = detach_unit(db, unit, _draft(), TODAY)
    assert (result.left, result.left_units) == ("创业园联合党支部", 2)
    branch = _po(db, "金鸿盛电气党支部")
    assert (branch.formation, branch.units, branch.secretary) == (Formation.OWN, 1, "周敏")
    assert branch.last_election == date(2026, 6, 18)
    assert branch.parent == "园区党委"  # under the same committee as the joint branch
    draft = organizations.get_draft(db, unit)
    assert (draft.formation, draft.party_org_id, draft.class_code) == (
        Formation.OWN,
        result.party_org_id,
        "C",
    )
    change = classes.class_history(db, unit)[0]
    assert (change.from_class, change.to_class, change.basis) == (
        OrgClass.D,
        OrgClass.C,
        ClassBasis.DETACH,
    )
    assert "创业园联合党支部" in change.reason

    # the second unit leaves too: the joint branch is left with one and is flagged
    organizations.update_organization(
        db,
        joint_park["星火软件"],
        OrganizationDraft(
            name="星火软件",
            formal_members=3,
            formation=Formation.JOINT,
            party_org_id=joint_park["joint"],
            class_code="D",
        ),
        TODAY,
    )
    detach_unit(db, joint_park["星火软件"], _draft("星火软件党支部"), TODAY)
    flagged = [g for g in find_gaps(db, TODAY) if g.rule is Rule.JOINT_TOO_SMALL]
    assert [g.name for g in flagged] == ["创业园联合党支部"]
    assert Rule.JOINT_TOO_SMALL in [w.rule for w in _po(db, "创业园联合党支部").warnings]

    # undo takes each detach back whole (the second, the edit between, the first)
    for _ in range(3):
        audit.undo_last(db)
    assert not [g for g in find_gaps(db, TODAY) if g.rule is Rule.JOINT_TOO_SMALL]
    assert _po(db, "创业园联合党支部").units == 3
    assert "金鸿盛电气党支部" not in {p.name for p in party_orgs.list_party_orgs(db, TODAY)}
    draft = organizations.get_draft(db, unit)
    assert (draft.formation, draft.party_org_id, draft.class_code) == (
        Formation.JOINT,
        joint_park["joint"],
        "D",
    )
    assert [h.basis for h in classes.class_history(db, unit)] == [ClassBasis.MANUAL]


def test_the_class_may_be_left_as_it_is(db: Database, joint_park: dict[str, int]) -> None:
    unit = joint_park["金鸿盛电气"]
    detach_unit(
        db, unit, DetachDraft("金鸿盛电气党支部", date(2026, 6, 18), set_class=False), TODAY
    )
    assert organizations.get_draft(db, unit).class_code == "D"
    assert classes.proposals(db)[0].proposal.to is OrgClass.C  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("unit", "draft", "code"),
    [
        ("小微商贸", _draft("小微商贸党支部"), "too_few_members"),
        ("金鸿盛电气", DetachDraft("金鸿盛电气党支部", None), "founded_missing"),
        ("金鸿盛电气", _draft("创业园联合党支部"), "name_duplicate"),
        ("金鸿盛电气", _draft(""), "name_missing"),
    ],
)
def test_refusals_write_nothing(
    db: Database, joint_park: dict[str, int], unit: str, draft: DetachDraft, code: str
) -> None:
    before = len(party_orgs.list_party_orgs(db, TODAY))
    with pytest.raises(ValidationError) as err:
        detach_unit(db, joint_park[unit], draft, TODAY)
    assert code in [i.code for i in err.value.issues]
    assert all(i.message for i in err.value.issues)
    assert len(party_orgs.list_party_orgs(db, TODAY)) == before
    assert organizations.get_draft(db, joint_park[unit]).formation is Formation.JOINT


def test_a_unit_not_in_a_joint_branch_is_told(db: Database, joint_park: dict[str, int]) -> None:
    lone = organizations.create_organization(
        db, OrganizationDraft(name="独立公司", formal_members=5)
    )
    with pytest.raises(ValidationError) as err:
        detach_unit(db, lone, _draft("独立公司党支部"), TODAY)
    assert [i.code for i in err.value.issues] == ["not_in_joint"]
    detach_unit(db, joint_park["金鸿盛电气"], _draft(), TODAY)
    with pytest.raises(ValidationError) as err:
        detach_unit(db, joint_park["金鸿盛电气"], _draft("又一个党支部"), TODAY)
    assert err.value.issues[0].code == "already_own"
