from datetime import date

import pytest

from app.domain.dates import DateError, parse_date
from app.domain.rules import Rule, organization_warnings, party_org_warnings, should_set_up_own
from app.domain.terms import ElectionState, add_years, default_term_years, election_status
from app.domain.uscc import make_valid
from app.domain.validation import (
    OrganizationDraft,
    PartyOrgDraft,
    check_organization,
    check_party_org,
    formation_fits,
    parse_count,
)
from app.domain.vocabulary import Formation, OrgKind, OrgStatus, PartyOrgLevel, parse_yes_no

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("formal", "formation", "flag"),
    [
        (2, Formation.NONE, False),
        (3, Formation.NONE, True),  # exactly three formal members
        (3, Formation.JOINT, True),
        (3, Formation.ATTACHED, True),
        (3, Formation.OWN, False),
        (None, Formation.NONE, False),
    ],
)
def test_three_formal_members_need_own_organization(
    formal: int | None, formation: Formation, flag: bool
) -> None:
    assert should_set_up_own(formal, formation) is flag
    rules = [w.rule for w in organization_warnings(formal, formation, True)]
    assert (Rule.SHOULD_SET_UP in rules) is flag


def test_formation_without_recorded_party_org_is_a_gap() -> None:
    rules = [w.rule for w in organization_warnings(1, Formation.JOINT, False)]
    assert rules == [Rule.PARTY_ORG_MISSING]
    assert organization_warnings(0, Formation.NONE, False) == []


@pytest.mark.parametrize(("units", "flag"), [(5, False), (6, True)])
def test_joint_branch_over_five_units(units: int, flag: bool) -> None:
    ws = party_org_warnings(PartyOrgLevel.BRANCH, Formation.JOINT, units, None, 3, None, TODAY)
    assert (Rule.JOINT_TOO_LARGE in [w.rule for w in ws]) is flag


def test_own_branch_with_many_units_is_not_the_joint_rule() -> None:
    ws = party_org_warnings(PartyOrgLevel.BRANCH, Formation.OWN, 9, None, 3, None, TODAY)
    assert ws == []


def test_terms_by_level() -> None:
    assert default_term_years(PartyOrgLevel.BRANCH) == 3
    assert default_term_years(PartyOrgLevel.GENERAL_BRANCH) == 3
    assert default_term_years(PartyOrgLevel.COMMITTEE) == 5


def test_election_due_today_is_not_overdue_yesterday_is() -> None:
    elected = date(2023, 11, 23)
    assert election_status(elected, 3, None, TODAY).state is ElectionState.DUE_SOON
    assert election_status(date(2023, 11, 22), 3, None, TODAY).state is ElectionState.OVERDUE


def test_due_within_ninety_days() -> None:
    assert election_status(date(2024, 2, 21), 3, None, TODAY).state is ElectionState.DUE_SOON
    assert election_status(date(2024, 2, 22), 3, None, TODAY).state is ElectionState.OK


def test_committee_serves_five_years() -> None:
    assert election_status(date(2022, 6, 1), 5, None, TODAY).state is ElectionState.OK
    assert election_status(date(2021, 1, 1), 5, None, TODAY).state is ElectionState.OVERDUE


def test_approved_postponement_is_honoured() -> None:
    status = election_status(date(2023, 1, 1), 3, date(2027, 6, 1), TODAY)
    assert status.state is ElectionState.OK and status.postponed
    assert status.due == date(2027, 6, 1)
    # a postponement that has run out is overdue again
    assert election_status(date(2023, 1, 1), 3, date(2026, 6, 1), TODAY).state is (
        ElectionState.OVERDUE
    )


def test_leap_day_term() -> None:
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-03-15", date(2019, 3, 15)),
        ("2019/3/15", date(2019, 3, 15)),
        ("2019.3.15", date(2019, 3, 15)),
        ("2019年3月15日", date(2019, 3, 15)),
        ("2019.3", date(2019, 3, 1)),
        ("2019年3月", date(2019, 3, 1)),
        ("２０１９－０３－１５", date(2019, 3, 15)),
        ("", None),
    ],
)
def test_dates_as_clerks_write_them(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


def test_impossible_date_is_refused_with_reason() -> None:
    with pytest.raises(DateError, match="2019年2月没有30日"):
        parse_date("2019-02-30")
    with pytest.raises(DateError, match="没有13月"):
        parse_date("2019-13-01")
    with pytest.raises(DateError, match="不是日期"):
        parse_date("去年")


def test_counts() -> None:
    assert parse_count("3") == 3
    assert parse_count("３人") == 3
    assert parse_count(" ") is None
    with pytest.raises(ValueError, match="负数"):
        parse_count("-1")
    with pytest.raises(ValueError, match="不是人数"):
        parse_count("三")


def test_yes_no_spellings() -> None:
    assert [parse_yes_no(t) for t in ("是", "有", "Y", "√", "1")] == [True] * 5
    assert [parse_yes_no(t) for t in ("否", "无", "n", "×", "0")] == [False] * 5
    assert parse_yes_no("不详") is None


def _codes(draft: OrganizationDraft) -> list[str]:
    return [i.code for i in check_organization(draft, TODAY)]


def test_organization_checks() -> None:
    assert _codes(OrganizationDraft(name="甲公司", uscc="91350100M000100Y43")) == []
    assert _codes(OrganizationDraft(name="")) == ["name_missing"]
    assert _codes(OrganizationDraft(name="甲", uscc="91350100M000100Y44")) == ["uscc_check_char"]
    assert _codes(OrganizationDraft(name="甲", formal_members=-1)) == ["count_negative"]
    assert _codes(OrganizationDraft(name="甲", status=OrgStatus.CLOSED)) == ["status_date"]


def test_kind_contradicting_code_offers_the_kind_from_the_code() -> None:
    issues = check_organization(
        OrganizationDraft(
            name="乙协会", uscc=make_valid("51350100M000100Y4"), kind=OrgKind.ENTERPRISE
        ),
        TODAY,
    )
    assert [i.code for i in issues] == ["kind_mismatch"]
    assert issues[0].suggestion is OrgKind.SOCIAL


def test_party_org_checks() -> None:
    def codes(**kw: object) -> list[str]:
        return [i.code for i in check_party_org(PartyOrgDraft(name="支部", **kw), TODAY)]  # type: ignore[arg-type]

    assert codes(formation=Formation.JOINT, covered_ids=[1]) == ["joint_single_unit"]
    assert codes(formation=Formation.JOINT, covered_ids=[1, 2]) == []
    assert codes(formation=Formation.OWN, covered_ids=[1, 2]) == ["own_multiple_units"]
    assert codes(term_years=4) == ["term_invalid"]
    assert codes(postponed_until=date(2027, 1, 1)) == ["postponement_unapproved"]


def test_formation_fits() -> None:
    assert formation_fits(Formation.OWN, Formation.OWN)
    assert not formation_fits(Formation.OWN, Formation.JOINT)
    assert formation_fits(Formation.ATTACHED, Formation.OWN)
