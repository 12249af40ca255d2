"""经费保障 on a real SQLite file: the entitlements of a park made for the rules
(tests/funds_park.py: expected values worked out there from the documents), a payment
recorded, undone, kept with its party organization's deletion, the standards changed."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from app.db.database import Database
from app.domain.validation import ValidationError
from app.domain.vocabulary import FundKind
from app.services.files import audit
from app.services.funds import fund_settings, funds
from app.services.registry import party_orgs
from tests.funds_park import EXPECTED, YEAR, make_park


def _entitled(db: Database, year: int = YEAR) -> dict[str, dict[str, int]]:
    return {
        r.name: {k.value: v for k, v in r.entitled.items()} for r in funds.year_funds(db, year).rows
    }


def _row(db: Database, name: str) -> funds.FundRow:
    return next(r for r in funds.year_funds(db, YEAR).rows if r.name == name)


def _pay(db: Database, org: int, amount: str, **more: object) -> int:
    draft = funds.PaymentDraft(
        YEAR, org, FundKind.MEMBER_ACTIVITY, date(YEAR, 4, 1), amount, "区委两新工委"
    )
    for key, value in more.items():
        setattr(draft, key, value)
    return funds.add_payment(db, draft)


def test_each_party_organization_is_entitled_by_the_documents_rules(db: Database) -> None:
    make_park(db)
    assert _entitled(db) == EXPECTED
    year = funds.year_funds(db, YEAR)
    assert year.counted_periods == [f"{YEAR}H1", str(YEAR)]
    assert year.open_periods == [f"{YEAR}H2"]
    # what no party organization can receive is named, not dropped or given to another
    assert {(u.kind, u.name, u.amount) for u in year.unattributed} == {
        (FundKind.AWARD, "丁公司", 500_000),
        (FundKind.DUES_RETURN, "二组", 100_000),
    }
    # the year before: 甲公司党支部 was not formed yet (一组's dues of that year then
    # had no party organization of its leader's to go to)
    before = _entitled(db, YEAR - 1)
    assert sorted(before) == ["丙党支部", "乙联合党支部"]
    assert before["丙党支部"]["site_startup"] == 200_000  # founded 2025-12-31
    [gone] = funds.year_funds(db, YEAR - 1).unattributed
    assert (gone.kind, gone.amount) == (FundKind.DUES_RETURN, 99_900)
    assert "尚未成立" in gone.reason


def test_a_payment_lowers_the_balance_and_undo_raises_it_again(db: Database) -> None:
    ids = make_park(db)
    start = _row(db, "乙联合党支部").balance
    assert start == 90_000
    _pay(db, ids["乙联合党支部"], "600.50")
    row = _row(db, "乙联合党支部")
    assert (row.paid[FundKind.MEMBER_ACTIVITY], row.balance) == (60_050, start - 60_050)
    [listed] = funds.list_payments(db, YEAR)
    assert (listed.party_org, listed.amount, listed.payer) == (
        "乙联合党支部",
        60_050,
        "区委两新工委",
    )
    assert funds.list_payments(db, YEAR - 1) == []
    assert "经费拨付" in (audit.undo_last(db) or "")
    assert _row(db, "乙联合党支部").balance == start
    assert funds.list_payments(db, YEAR) == []


def test_a_refused_payment_writes_nothing_and_says_every_problem(db: Database) -> None:
    ids = make_park(db)
    with pytest.raises(ValidationError) as caught:
        _pay(db, ids["甲公司党支部"], "-5", paid_on=date(YEAR + 1, 1, 1), payer=" ")
    assert {i.field for i in caught.value.issues} == {"amount", "paid_on", "payer"}
    with sqlite3.connect(db.path) as conn:
        assert conn.execute("SELECT count(*) FROM fund_payment").fetchone() == (0,)


def test_deleting_a_party_organization_takes_its_payments_and_undo_brings_them(
    db: Database,
) -> None:
    ids = make_park(db)
    _pay(db, ids["丙党支部"], "900")
    party_orgs.delete_party_org(db, ids["丙党支部"])
    assert funds.list_payments(db, YEAR) == []
    audit.undo_last(db)
    [back] = funds.list_payments(db, YEAR)
    assert (back.party_org, back.amount) == ("丙党支部", 90_000)


def test_the_standards_are_settings_and_change_the_entitlements(db: Database) -> None:
    make_park(db)
    assert fund_settings.get_settings(db) == funds.FundSettings(30_000, 200_000)
    fund_settings.set_settings(db, per_member="100", startup="0")
    entitled = _entitled(db)
    assert entitled["甲公司党支部"]["member_activity"] == 5 * 10_000
    assert entitled["甲公司党支部"]["site_startup"] == 0
    with pytest.raises(ValidationError, match="不是金额"):
        fund_settings.set_settings(db, per_member="三百")
    assert fund_settings.get_settings(db).per_member == 10_000  # kept as it was


def test_the_star_awards_follow_the_published_yearly_rating(db: Database) -> None:
    """柳州 budgets awards for starred party organizations; the amount per level is the
    park's (none by default): 甲 five stars, 丙 four, 乙 not rated."""
    make_park(db)
    fund_settings.set_settings(db, stars={5: "10000", 4: "5,000", 3: "2000"})
    entitled = _entitled(db)
    assert {n: e["star_award"] for n, e in entitled.items()} == {
        "甲公司党支部": 1_000_000,
        "丙党支部": 500_000,
        "乙联合党支部": 0,
    }
    # the yearly period reopened: its stars may change, not counted until published again
    from app.services.assessment import assessments

    assessments.set_published(db, str(YEAR), False)
    assert {e["star_award"] for e in _entitled(db).values()} == {0}
    assert funds.year_funds(db, YEAR).open_periods == [f"{YEAR}H2", str(YEAR)]
