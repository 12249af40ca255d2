"""经费保障 under hostile input: amounts that are not money (negative, zero, huge,
non-numeric, past the fen), a party organization that is not there, a date outside the
year, a purpose paid elsewhere, a year that is no year. Each is said in Chinese, where it
is, and nothing is written; the command line never shows a traceback."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from app.db.database import Database, open_database
from app.domain.validation import ValidationError
from app.domain.vocabulary import FundKind
from app.services.files import audit
from app.services.funds import funds
from app.services.registry import party_orgs
from tests.conftest import run_main
from tests.funds_park import YEAR, make_park


def _payments(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM fund_payment").fetchone()[0])


def _draft(org: int | None, amount: str, **more: object) -> funds.PaymentDraft:
    draft = funds.PaymentDraft(YEAR, org, FundKind.AWARD, date(YEAR, 6, 1), amount, "区委")
    for key, value in more.items():
        setattr(draft, key, value)
    return draft


@pytest.mark.parametrize(
    ("amount", "said"),
    [
        ("-100", "金额须大于0"),
        ("0", "金额须大于0"),
        ("0.00", "金额须大于0"),
        ("1e30", "金额过大"),
        ("10000000.01", "金额过大"),
        ("99999999999999999999999", "金额过大"),
        ("三百", "不是金额"),
        ("12abc", "不是金额"),
        ("NaN", "不是金额"),
        ("-Infinity", "不是金额"),
        ("1.005", "最多保留两位小数"),
        ("", "请填写金额"),
    ],
)
def test_an_amount_that_is_not_money_is_refused_and_nothing_written(
    db: Database, amount: str, said: str
) -> None:
    ids = make_park(db)
    with pytest.raises(ValidationError) as caught:
        funds.add_payment(db, _draft(ids["甲公司党支部"], amount))
    [issue] = caught.value.issues
    assert issue.field == "amount" and said in issue.message
    assert _payments(db.path) == 0


def test_the_largest_amount_allowed_is_kept_to_the_fen(db: Database) -> None:
    ids = make_park(db)
    funds.add_payment(db, _draft(ids["甲公司党支部"], "10,000,000.00"))
    [kept] = funds.list_payments(db, YEAR)
    assert kept.amount == 1_000_000_000


@pytest.mark.parametrize("day", [date(YEAR - 1, 12, 31), date(YEAR + 1, 1, 1)])
def test_a_date_outside_the_year_is_refused(db: Database, day: date) -> None:
    ids = make_park(db)
    with pytest.raises(ValidationError, match=f"不在{YEAR}年内"):
        funds.add_payment(db, _draft(ids["乙联合党支部"], "100", paid_on=day))
    assert _payments(db.path) == 0


def test_a_party_organization_that_is_not_there_is_refused(db: Database) -> None:
    ids = make_park(db)
    for missing in (None, 99_999):
        with pytest.raises(ValidationError) as caught:
            funds.add_payment(db, _draft(missing, "100"))
        assert [i.field for i in caught.value.issues] == ["party_org"]
    # deleted while the dialog was open
    party_orgs.delete_party_org(db, ids["丙党支部"])
    with pytest.raises(ValidationError, match="没有这个党组织"):
        funds.add_payment(db, _draft(ids["丙党支部"], "100"))
    assert _payments(db.path) == 0


def test_returned_dues_are_recorded_on_the_cluster_not_twice(db: Database) -> None:
    ids = make_park(db)
    with pytest.raises(ValidationError, match="编组的经费统筹"):
        funds.add_payment(db, _draft(ids["甲公司党支部"], "100", kind=FundKind.DUES_RETURN))
    with pytest.raises(ValidationError, match="请选择经费类别"):
        funds.add_payment(db, _draft(ids["甲公司党支部"], "100", kind=None))


def test_a_year_that_is_no_year_is_refused(db: Database) -> None:
    ids = make_park(db)
    for year in (0, 20266):
        with pytest.raises(ValidationError, match="不是有效的年份"):
            funds.year_funds(db, year)
        with pytest.raises(ValidationError, match="不是有效的年份"):
            funds.add_payment(db, _draft(ids["甲公司党支部"], "100", year=year))


def test_a_payment_is_not_lost_when_its_party_organization_is_deleted(db: Database) -> None:
    """Deleted with it, each payment logged: undo brings them back (a bare cascade
    would delete them unlogged, and undo would bring the organization back without)."""
    ids = make_park(db)
    funds.add_payment(db, _draft(ids["丙党支部"], "5000"))
    party_orgs.delete_party_org(db, ids["丙党支部"])
    audit.undo_last(db)
    [back] = funds.list_payments(db, YEAR)
    assert (back.party_org, back.amount) == ("丙党支部", 500_000)


def test_the_command_line_says_each_refusal_in_chinese(db_path: Path) -> None:
    made = open_database(db_path)
    make_park(made)
    made.dispose()
    base = ("--db", str(db_path), "funds", "add", "--year", str(YEAR), "--payer", "区委")
    cases = [
        (("--to", "甲公司党支部", "--kind", "以奖代补", "--date", "2026-06-01", "--amount", "-1"),
         "金额须大于0"),
        (("--to", "甲公司党支部", "--kind", "以奖代补", "--date", "2026-06-01", "--amount", "1e99"),
         "金额过大"),
        (("--to", "甲公司党支部", "--kind", "以奖代补", "--date", "2026-06-01", "--amount", "abc"),
         "不是金额"),
        (("--to", "没有的党支部", "--kind", "以奖代补", "--date", "2026-06-01", "--amount", "1"),
         "没有名称或编号为“没有的党支部”的党组织"),
        (("--to", "甲公司党支部", "--kind", "以奖代补", "--date", "2025-06-01", "--amount", "1"),
         "不在2026年内"),
        (("--to", "甲公司党支部", "--kind", "以奖代补", "--date", "2026-02-30", "--amount", "1"),
         "--date"),
        (("--to", "甲公司党支部", "--kind", "党费返还", "--date", "2026-06-01", "--amount", "1"),
         "编组的经费统筹"),
        (("--to", "甲公司党支部", "--kind", "奖金", "--date", "2026-06-01", "--amount", "1"),
         "不是经费类别"),
    ]  # fmt: skip
    for args, said in cases:
        done = run_main(*base, *args)
        assert done.returncode == 1, (args, done.stdout, done.stderr)
        assert said in done.stderr and "Traceback" not in done.stderr, (args, done.stderr)
    done = run_main("--db", str(db_path), "funds", "summary", "--year", "20266")
    assert done.returncode == 1 and "不是有效的年份" in done.stderr
    assert _payments(db_path) == 0


def test_a_payment_made_on_a_copy_arrives_with_the_merge(db: Database, tmp_path: Path) -> None:
    """The clerk records a payment on a laptop copy: merging the copy brings it (the
    payment is a record with its identity, fund_payment in the merge's tables)."""
    from app.services.field import database_merge

    ids = make_park(db)
    laptop_path = tmp_path / "笔记本" / "parkdesk.sqlite3"
    laptop_path.parent.mkdir()
    with sqlite3.connect(db.path) as src, sqlite3.connect(laptop_path) as dst:
        src.backup(dst)
    laptop = open_database(laptop_path, daily_backup=False)
    try:
        funds.add_payment(laptop, _draft(ids["乙联合党支部"], "450.25"))
    finally:
        laptop.dispose()
    merge = database_merge.preview_database_merge(db, laptop_path)
    database_merge.apply_database_merge(db, merge)
    [arrived] = funds.list_payments(db, YEAR)
    assert (arrived.party_org, arrived.amount, arrived.kind) == (
        "乙联合党支部",
        45_025,
        FundKind.AWARD,
    )
