"""Amounts of money typed by a hostile or careless clerk (经费保障, 编组 经费统筹): an
exponent Decimal cannot multiply (1e999999), a fen hidden past Decimal's 28 digits, a
decimal comma, a yen sign, and numbers the year's sums could not hold. Each is said in
Chinese and nothing is written; what is stored can always be summed again."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from app.db.database import Database
from app.domain.validation import ValidationError
from app.domain.vocabulary import ClusterRecordKind, FundKind
from app.services.funds import fund_settings, funds
from app.services.grouping import clusters
from tests.conftest import run_main
from tests.funds_park import YEAR, make_park


def _payments(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM fund_payment").fetchone()[0])


def _draft(org: int, amount: str) -> funds.PaymentDraft:
    return funds.PaymentDraft(YEAR, org, FundKind.AWARD, date(YEAR, 6, 1), amount, "区委")


@pytest.mark.parametrize(
    ("amount", "said"),
    [
        ("1e999999", "金额过大"),  # Decimal's own Overflow, a traceback before
        ("1e-999999", "最多保留两位小数"),
        ("1.000000000000000000000000000001", "最多保留两位小数"),  # was kept as 1.00
        ("100000.000000000000000000000001", "最多保留两位小数"),  # was kept as 100,000.00
        ("1,5", "逗号只能用作千位分隔"),  # a decimal comma: was 15 元
        ("1,,,0", "逗号只能用作千位分隔"),  # was 10 元
    ],
)
def test_an_amount_no_one_meant_is_refused_not_rounded(
    db: Database, amount: str, said: str
) -> None:
    ids = make_park(db)
    with pytest.raises(ValidationError) as caught:
        funds.add_payment(db, _draft(ids["甲公司党支部"], amount))
    [issue] = caught.value.issues
    assert issue.field == "amount" and said in issue.message, issue.message
    assert _payments(db.path) == 0


@pytest.mark.parametrize(
    ("amount", "fen"),
    [("¥300", 30_000), ("￥1,200.50", 120_050), ("１，２００", 120_000), ("300 元", 30_000)],
)
def test_an_amount_as_a_clerk_writes_money_is_read_to_the_fen(
    db: Database, amount: str, fen: int
) -> None:
    ids = make_park(db)
    funds.add_payment(db, _draft(ids["甲公司党支部"], amount))
    [paid] = funds.list_payments(db, YEAR)
    assert paid.amount == fen


def test_a_standard_of_zero_written_as_money_is_zero_and_a_huge_one_is_refused(
    db: Database,
) -> None:
    settings = fund_settings.set_settings(db, per_member="0.00", startup="0元")
    assert (settings.per_member, settings.startup) == (0, 0)
    with pytest.raises(ValidationError) as caught:
        fund_settings.set_settings(db, per_member="1e999999")
    [issue] = caught.value.issues
    assert issue.field == "per_member" and "金额过大" in issue.message
    assert fund_settings.get_settings(db).per_member == 0


def _cluster(db: Database) -> int:
    make_park(db)
    [row] = [c for c in clusters.list_clusters(db, YEAR) if c.name == "一组"]
    return row.id


@pytest.mark.parametrize(
    ("kind", "amount", "second", "field"),
    [
        (ClusterRecordKind.DUES_RETURNED, 9 * 10**18, None, "amount"),  # past 1000万元
        (ClusterRecordKind.SPENDING, 10**9 + 1, None, "amount"),
        (ClusterRecordKind.QUOTA, 10**23, None, "amount"),  # past SQLite's integer
        (ClusterRecordKind.QUOTA, 5, 10**23, "second_amount"),
    ],
)
def test_a_cluster_record_past_what_a_year_can_hold_is_refused(
    db: Database, kind: ClusterRecordKind, amount: int, second: int | None, field: str
) -> None:
    """Two dues of 9e16 yuan each were stored, and from then on every read of the
    clusters and of 经费保障 failed with SQLite's "integer overflow"."""
    cluster = _cluster(db)
    before = funds.year_funds(db, YEAR).totals.entitled_total
    draft = clusters.RecordDraft(kind, YEAR, date(YEAR, 8, 1), amount=amount, second_amount=second)
    with pytest.raises(ValidationError) as caught:
        clusters.add_record(db, cluster, draft)
    assert [i.field for i in caught.value.issues] == [field]
    assert funds.year_funds(db, YEAR).totals.entitled_total == before
    assert clusters.list_clusters(db, YEAR)


def test_the_command_line_says_so_without_a_traceback(db: Database, db_path: Path) -> None:
    _cluster(db)
    db.dispose()
    base = ("--db", str(db_path))
    cases = [
        ("funds", "add", "--year", str(YEAR), "--to", "甲公司党支部", "--kind", "award",
         "--date", "2026-06-01", "--amount", "1e999999", "--payer", "区委"),
        ("settings", "funds", "--per-member", "1e999999"),
        ("clusters", "record", "一组", "--kind", "dues_returned", "--amount", "9" * 23,
         "--date", "2026-08-01"),
        ("clusters", "record", "一组", "--kind", "quota", "--amount", "9" * 23,
         "--date", "2026-08-01"),
    ]  # fmt: skip
    for args in cases:
        done = run_main(*base, *args)
        assert done.returncode == 1, (args, done.stdout, done.stderr)
        assert "过大" in done.stderr and "Traceback" not in done.stderr, (args, done.stderr)
    assert _payments(db_path) == 0


def test_a_negative_standard_is_refused_in_words_that_allow_zero(db: Database) -> None:
    """`settings funds --per-member -5` said 金额须大于0, where 0 is allowed."""
    with pytest.raises(ValidationError) as caught:
        fund_settings.set_settings(db, per_member="-5")
    [issue] = caught.value.issues
    assert "不能为负数" in issue.message and "填0" in issue.message, issue.message
