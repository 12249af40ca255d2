"""funds list|add|delete|summary and settings funds as a user runs them (python main.py):
the JSON keys a contract, amounts exact yuan text, refusals in Chinese."""

from __future__ import annotations

import json
from pathlib import Path

from app.db.database import open_database
from tests.conftest import run_main
from tests.funds_park import EXPECTED, YEAR, make_park


def _park(db_path: Path) -> None:
    db = open_database(db_path)
    make_park(db)
    db.dispose()


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def test_summary_lists_each_party_organization_with_its_entitlements(db_path: Path) -> None:
    _park(db_path)
    done = run_main("--db", str(db_path), "funds", "summary", "--year", str(YEAR), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["year"] == YEAR
    assert data["standards"] == {
        "per_member": "300.00",
        "startup": "2000.00",
        "stars": {"5": "0.00", "4": "0.00", "3": "0.00"},
    }
    assert data["counted_periods"] == [f"{YEAR}H1", str(YEAR)]
    assert data["open_periods"] == [f"{YEAR}H2"]
    by_name = {o["name"]: o for o in data["party_orgs"]}
    assert {n: o["entitled"] for n, o in by_name.items()} == {
        n: {k: _yuan(v) for k, v in kinds.items()} for n, kinds in EXPECTED.items()
    }
    jia = by_name["甲公司党支部"]
    assert set(jia) == {
        "uuid",
        "name",
        "formal_members",
        "founded",
        "entitled",
        "paid",
        "entitled_total",
        "paid_total",
        "balance",
    }
    assert (jia["entitled_total"], jia["paid_total"], jia["balance"]) == (
        "11500.50",
        "3000.50",
        "8500.00",
    )
    assert {(u["kind"], u["name"], u["amount"]) for u in data["unattributed"]} == {
        ("award", "丁公司", "5000.00"),
        ("dues_return", "二组", "1000.00"),
    }
    assert "2026H2未发布，其奖励未计入" in done.stderr


def test_add_then_list_then_delete(db_path: Path) -> None:
    _park(db_path)
    db = str(db_path)
    done = run_main(
        "--db", db, "funds", "add", "--year", str(YEAR), "--to", "乙联合党支部",
        "--kind", "3个100元", "--date", f"{YEAR}-05-08", "--amount", "600.5",
        "--payer", "区委两新工委", "--note", "上半年",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "已登记：乙联合党支部 党员活动经费" in done.stdout
    assert "结余299.50元" in done.stdout  # 3 × 300 − 600.50
    listed = run_main("--db", db, "funds", "list", "--year", str(YEAR), "--json")
    [payment] = json.loads(listed.stdout)
    assert set(payment) == {
        "uuid", "year", "date", "party_org", "kind", "kind_label", "amount", "payer", "note",
    }  # fmt: skip
    assert (payment["amount"], payment["kind"], payment["date"]) == (
        "600.50",
        "member_activity",
        f"{YEAR}-05-08",
    )
    assert payment["party_org"]["name"] == "乙联合党支部"
    assert run_main("--db", db, "funds", "delete", payment["uuid"]).returncode == 0
    listed = run_main("--db", db, "funds", "list", "--year", str(YEAR), "--json")
    assert json.loads(listed.stdout) == []


def test_the_standards_are_set_on_the_command_line(db_path: Path) -> None:
    _park(db_path)
    db = str(db_path)
    done = run_main("--db", db, "settings", "funds", "--per-member", "100", "--star5", "8000")
    assert done.returncode == 0 and "每名正式党员每年100.00元" in done.stdout
    assert "5星8,000.00元、4星0.00元" in done.stdout
    summary = run_main("--db", db, "funds", "summary", "--year", str(YEAR), "--json")
    jia = next(o for o in json.loads(summary.stdout)["party_orgs"] if o["name"] == "甲公司党支部")
    assert jia["entitled"]["member_activity"] == "500.00"
    assert jia["entitled"]["star_award"] == "8000.00"  # five stars in 2026
