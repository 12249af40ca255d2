"""经费保障's rules on their own (app/domain/funds.py): 柳州's "3个100元" a formal
member, 2,000 元 for an organization formed in the year, and the balance."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.funds import (
    MAX_AMOUNT,
    FundSettings,
    OrgFacts,
    amount_text,
    fund_rows,
    member_activity,
    parse_amount,
    parse_standard,
    payment_issues,
    site_startup,
    totals,
)
from app.domain.vocabulary import FundKind

DEFAULT = FundSettings()


def test_the_defaults_are_the_documents_amounts() -> None:
    # 柳州: "每名两新组织党员“3个100元”", "2000元的阵地建设启动经费"
    assert DEFAULT.per_member == 3 * 100 * 100
    assert DEFAULT.startup == 2000 * 100


def test_members_times_the_standard_and_none_for_none() -> None:
    assert member_activity(7, DEFAULT) == 7 * 30_000
    assert member_activity(0, DEFAULT) == 0
    assert member_activity(3, FundSettings(per_member=12_345)) == 37_035


@pytest.mark.parametrize(
    ("founded", "entitled"),
    [
        (date(2026, 1, 1), 200_000),  # the first day of the year
        (date(2026, 12, 31), 200_000),  # the last
        (date(2025, 12, 31), 0),  # the day before: last year's organization
        (date(2027, 1, 1), 0),
        (None, 0),  # no founding date: not known to be new
    ],
)
def test_the_startup_funds_only_in_the_year_formed(founded: date | None, entitled: int) -> None:
    assert site_startup(founded, 2026, DEFAULT) == entitled


def test_balance_is_entitled_minus_paid_by_kind() -> None:
    facts = [
        OrgFacts(1, "u1", "甲", date(2026, 3, 1), 5, awards=500_000, dues_returned=300_050),
        OrgFacts(2, "u2", "乙", date(2019, 1, 1), 3),
    ]
    paid = [
        (1, FundKind.MEMBER_ACTIVITY, 100_000),
        (1, FundKind.MEMBER_ACTIVITY, 50_000),
        (2, FundKind.AWARD, 10_000),  # paid beyond any entitlement: a negative balance
        (99, FundKind.AWARD, 1),  # a party organization not listed: not counted
    ]
    rows = {r.id: r for r in fund_rows(facts, paid, 2026, DEFAULT)}
    one = rows[1]
    assert one.entitled == {
        FundKind.MEMBER_ACTIVITY: 150_000,
        FundKind.SITE_STARTUP: 200_000,
        FundKind.AWARD: 500_000,
        FundKind.STAR_AWARD: 0,
        FundKind.DUES_RETURN: 300_050,
    }
    # the returned dues are paid as recorded (全额返还)
    assert one.paid[FundKind.DUES_RETURN] == 300_050
    assert one.paid[FundKind.MEMBER_ACTIVITY] == 150_000
    assert one.balance == 150_000 + 200_000 + 500_000 + 300_050 - 150_000 - 300_050
    assert rows[2].balance == 90_000 - 10_000
    both = totals(rows.values())
    assert both.entitled_total == one.entitled_total + rows[2].entitled_total
    assert both.balance == one.balance + rows[2].balance


@pytest.mark.parametrize(
    ("typed", "fen"),
    [("300", 30_000), ("1,200.50元", 120_050), ("0.01", 1), (" 2000 ", 200_000), ("1e2", 10_000)],
)
def test_amounts_are_read_exactly_to_the_fen(typed: str, fen: int) -> None:
    assert parse_amount(typed) == fen


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("", "请填写金额"),
        ("0", "金额须大于0"),
        ("-5", "金额须大于0"),
        ("0.001", "最多保留两位小数"),
        ("abc", "不是金额"),
        ("NaN", "不是金额"),
        ("Infinity", "不是金额"),
        ("1e30", "金额过大"),
        (str(MAX_AMOUNT // 100 + 1), "金额过大"),
    ],
)
def test_amounts_that_are_not_money_are_refused_in_chinese(typed: str, said: str) -> None:
    with pytest.raises(ValueError, match=said):
        parse_amount(typed)


def test_a_standard_may_be_zero_but_not_negative() -> None:
    assert parse_standard("0", "x") == 0
    with pytest.raises(ValueError, match="x："):
        parse_standard("-1", "x")


def test_a_payment_outside_its_year_or_against_the_clusters_ledger_is_refused() -> None:
    codes = {i.code for i in payment_issues(2026, date(2025, 12, 31), None, "", "")}
    assert codes == {"date_outside_year", "kind_unknown", "payer_missing"}
    dues = payment_issues(2026, date(2026, 1, 1), FundKind.DUES_RETURN, "区委", "")
    assert [i.code for i in dues] == ["kind_not_payable"]
    assert "编组" in dues[0].message
    fine = payment_issues(2026, date(2026, 12, 31), FundKind.AWARD, "区委", "备注")
    assert fine == []
    bad_text = payment_issues(2026, date(2026, 6, 1), FundKind.AWARD, "区\x00委", "x" * 2001)
    assert {i.code for i in bad_text} == {"control_character", "note_too_long"}


def test_amount_text_is_exact_yuan() -> None:
    assert [amount_text(f) for f in (0, 1, 30_000, 120_050, -300)] == [
        "0.00",
        "0.01",
        "300.00",
        "1200.50",
        "-3.00",
    ]


def test_an_organization_formed_after_the_year_had_nothing_that_year() -> None:
    later = OrgFacts(1, "u1", "新支部", date(2027, 2, 1), 9, awards=0)
    assert fund_rows([later], [], 2026, DEFAULT) == []
    [paid_early] = fund_rows([later], [(1, FundKind.SITE_STARTUP, 200_000)], 2026, DEFAULT)
    assert (paid_early.entitled_total, paid_early.balance) == (0, -200_000)
    [formed] = fund_rows([later], [], 2027, DEFAULT)
    assert formed.entitled_total == 9 * 30_000 + 200_000


def test_a_star_award_by_level_and_none_below_three_stars() -> None:
    settings = FundSettings(stars=(1_000_000, 500_000, 200_000))
    awards = [settings.star_award(n) for n in (5, 4, 3, 2, 0)]
    assert awards == [1_000_000, 500_000, 200_000, 0, 0]
    rated = OrgFacts(1, "u1", "甲", date(2019, 1, 1), 0, stars=4)
    [row] = fund_rows([rated], [], 2026, settings)
    assert row.entitled[FundKind.STAR_AWARD] == 500_000
    assert FundSettings().star_award(5) == 0  # no amount named by the documents
