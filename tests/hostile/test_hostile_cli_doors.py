"""What only the window did, from the command line (issue 25 §2): party organizations
(level, elections, 双重管理), 脱联单建, pairings add|end, clusters add|record, 以奖代补
amounts, the "during a pairing" marker of a class history and the registry's column
keys. Each through main.py as a user runs it: the happy path, and a bad input told in
Chinese on stderr with exit 1 and nothing written."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from app.db.database import Database, open_database
from app.domain.uscc import make_valid
from app.domain.validation import OrganizationDraft, PartyOrgDraft
from app.domain.vocabulary import Formation, OrgClass
from app.services.assessment import assessment_settings
from app.services.grouping import classes, clusters, pairings
from app.services.registry import organizations, party_orgs
from tests.conftest import run_main

JOINT = "中共东区第1联合支部委员会"
CODES = {n: make_valid(f"91450200MA5K{n:05d}") for n in range(1, 6)}


def _unit(db: Database, n: int, members: int, klass: str | None = "C") -> int:
    draft = OrganizationDraft(
        name=f"单位{n}", uscc=CODES[n], formal_members=members, class_code=klass
    )
    return organizations.create_organization(db, draft, date(2024, 1, 2))


@pytest.fixture
def park(db_path: Path) -> Path:
    """Units 1–3 (class D) in one joint branch (unit 1 has 3 members: it may leave
    it), unit 4 with a branch of its own (class A), unit 5 on its own (class D)."""
    db = open_database(db_path)
    ids = {n: _unit(db, n, m, "D") for n, m in ((1, 3), (2, 1), (3, 1), (5, 0))}
    ids[4] = _unit(db, 4, 5, "A")
    party_orgs.create_party_org(
        db,
        PartyOrgDraft(
            name=JOINT,
            formation=Formation.JOINT,
            founded=date(2023, 5, 1),
            last_election=date(2023, 5, 1),
            covered_ids=[ids[1], ids[2], ids[3]],
        ),
    )
    party_orgs.create_party_org(
        db,
        PartyOrgDraft(
            name="中共单位4支部委员会",
            formation=Formation.OWN,
            founded=date(2022, 3, 1),
            last_election=date(2022, 3, 1),
            covered_ids=[ids[4]],
        ),
    )
    db.dispose()
    return db_path


def cli(db_path: Path, *args: str) -> tuple[int, str, str]:
    done = run_main("--db", str(db_path), *args)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stdout, done.stderr


def _read(db_path: Path, what):  # type: ignore[no-untyped-def]
    db = open_database(db_path)
    try:
        return what(db)
    finally:
        db.dispose()


def _joint(db: Database) -> PartyOrgDraft:
    return party_orgs.get_draft(db, party_orgs.party_org_id_of(db, JOINT))


def test_party_org_level_election_and_dual_management(park: Path) -> None:
    code, out, err = cli(
        park, "party-orgs", "set", JOINT, "--level", "党总支", "--election", "2026-05-10"
    )
    assert code == 0, err
    code, _, err = cli(park, "party-orgs", "set", JOINT, "--dual-managed", "yes")
    assert code == 0, err
    # a later change of one field keeps 双重管理 (the draft read back used to drop it)
    code, _, err = cli(park, "party-orgs", "set", JOINT, "--secretary", "李明")
    assert code == 0, err
    code, out, err = cli(park, "party-orgs", "list", "--json")
    row = next(r for r in json.loads(out) if r["name"] == JOINT)
    assert (row["level"], row["last_election"], row["dual_managed"], row["secretary"]) == (
        "general_branch",
        "2026-05-10",
        True,
        "李明",
    )
    assert row["units"] == 3 and row["formal_members"] == 5 and row["formation"] == "joint"
    assert row["next_election"] == "2029-05-10"  # a 总支's term of 3 years from the election
    before = _read(park, _joint)
    for args, said in (
        (["--election", "2026-02-30"], "--election：日期不存在：2026年2月没有30日"),
        (["--level", "大队"], "--level：没有“大队”这个层级"),
        (["--dual-managed", "maybe"], "--dual-managed：“maybe”请写 yes 或 no"),
        (["--term-years", "9"], "任期"),
    ):
        code, _, err = cli(park, "party-orgs", "set", JOINT, "--secretary", "王五", *args)
        assert code == 1 and said in err, err
    code, _, err = cli(park, "party-orgs", "set", "没有这个党组织", "--secretary", "王五")
    assert code == 1 and "没有名称或编号为“没有这个党组织”的党组织" in err
    assert _read(park, _joint) == before  # nothing written


def test_detach_makes_the_units_own_branch(park: Path) -> None:
    bad = [
        (["detach", CODES[1], "--name", "中共单位1支部", "--date", "2026-13-01"], "没有13月"),
        (
            ["detach", make_valid("91450200MA5K99999"), "--name", "x", "--date", "2026-01-01"],
            "没有统一社会信用代码",
        ),
        (["detach", CODES[2], "--name", "中共单位2支部", "--date", "2026-11-01"], "正式党员1名"),
    ]
    for args, said in bad:
        code, _, err = cli(park, *args)
        assert code == 1 and said in err, err
    assert _read(park, lambda db: len(_joint(db).covered_ids)) == 3  # nothing written
    code, out, err = cli(
        park, "detach", CODES[1], "--name", "中共单位1支部", "--date", "2026-11-01"
    )
    assert code == 0, err
    assert f"离开“{JOINT}”（其余2个单位）" in out
    rows = {r["name"]: r for r in json.loads(cli(park, "party-orgs", "list", "--json")[1])}
    assert rows["中共单位1支部"]["formation"] == "own" and rows[JOINT]["units"] == 2
    history = json.loads(cli(park, "classes", "history", CODES[1], "--json")[1])
    assert (history[0]["basis"], history[0]["from"], history[0]["to"]) == ("detach", "D", "C")


def test_pairings_add_and_end(park: Path) -> None:
    code, _, err = cli(
        park, "pairings", "add", "--helper", CODES[4], "--helped", make_valid("91450200MA5K99999")
    )
    assert code == 1 and "没有统一社会信用代码" in err
    code, _, err = cli(
        park, "pairings", "add", "--helper", CODES[4], "--helped", CODES[5], "--start", "2026/2/30"
    )
    assert code == 1 and "--start：日期不存在" in err
    assert _read(park, pairings.list_pairings) == []  # nothing written
    code, out, err = cli(
        park,
        "pairings", "add", "--helper", CODES[4], "--helped", CODES[1],
        "--goal", "达到稳健类", "--start", "2026-03-01",
    )  # fmt: skip
    assert code == 0, err
    (listed,) = json.loads(cli(park, "pairings", "list", "--json")[1])
    assert listed["uuid"] in out and listed["goal"] == "达到稳健类"
    assert (listed["started"], listed["ended"]) == ("2026-03-01", None)
    code, _, err = cli(park, "pairings", "end", listed["uuid"])
    assert code == 1 and "请写明帮带成效" in err
    code, _, err = cli(park, "pairings", "end", "0000", "--outcome", "完成")
    assert code == 1 and "没有编号为“0000”的结对" in err
    code, _, err = cli(
        park, "pairings", "end", listed["uuid"], "--outcome", "升为稳健类", "--date", "2026-10-01"
    )
    assert code == 0, err
    # ended once: its end and outcome stay as recorded
    code, _, err = cli(park, "pairings", "end", listed["uuid"], "--outcome", "又一次")
    assert code == 1 and "这个结对已于2026-10-01结束" in err
    (ended,) = json.loads(cli(park, "pairings", "list", "--json")[1])
    assert (ended["ended"], ended["outcome"]) == ("2026-10-01", "升为稳健类")


def test_class_history_says_during_which_pairing(park: Path) -> None:
    def paired_then_moved(db: Database) -> None:
        helper, helped = (organizations.id_by_uscc(db, CODES[n]) for n in (4, 1))
        pairings.create_pairing(db, pairings.PairingDraft(helper, helped, date(2025, 3, 1)))
        decision = classes.ClassDecision(helped, OrgClass.B, "年度考核优秀")
        classes.apply_review(db, 2025, [decision], date(2025, 12, 20))

    _read(park, paired_then_moved)
    history = json.loads(cli(park, "classes", "history", CODES[1], "--json")[1])
    assert history[0]["to"] == "B" and history[0]["during_pairing"] == "单位4"
    assert history[-1]["during_pairing"] is None  # its class at creation, before the pairing
    code, out, err = cli(park, "classes", "history", CODES[1])
    assert code == 0, err
    assert "结对期间（单位4帮带）" in out.splitlines()[0]


def test_clusters_add_and_record(park: Path) -> None:
    unknown = make_valid("91450200MA5K99999")
    code, _, err = cli(
        park, "clusters", "add", "第1编组", "--leader", CODES[4], "--members", unknown
    )
    assert code == 1 and "没有统一社会信用代码" in err
    assert _read(park, clusters.list_clusters) == []  # nothing written
    code, out, err = cli(
        park, "clusters", "add", "第1编组", "--leader", CODES[4], "--members", CODES[1], CODES[5]
    )
    assert code == 0 and "3个单位" in out, err
    (row,) = json.loads(cli(park, "clusters", "list", "--json")[1])
    assert row["leader"]["uscc"] == CODES[4] and set(row["members"]) == {
        CODES[n] for n in (1, 4, 5)
    }
    record = ["clusters", "record", "第1编组", "--date", "2026-03-01"]
    code, out, err = cli(park, *record, "--kind", "党费返还", "--amount", "1200.50")
    assert code == 0 and "1,200.50元" in out, err
    for args, said in (
        (["--kind", "dues_returned", "--amount", "12.345"], "--amount：金额最多保留两位小数"),
        (["--kind", "dues_returned", "--amount", "abc"], "--amount：“abc”不是金额"),
        (["--kind", "quota", "--amount", "两名"], "--amount：“两名”不是整数"),
        (["--kind", "bogus"], "--kind：没有“bogus”这种记录"),
        (
            ["--kind", "allocation", "--amount", "1", "--unit", CODES[1]],
            "请先录入本编组当年的发展党员指标",
        ),
        (["--kind", "allocation", "--amount", "1", "--unit", CODES[2]], "“单位2”不是本编组成员"),
        (["--kind", "exchange", "--date", "2026-02-30"], "--date：日期不存在"),
    ):
        code, _, err = cli(park, *record, *args)
        assert code == 1 and said in err, (args, err)
    code, _, err = cli(park, "clusters", "record", "第9编组", "--kind", "exchange")
    assert code == 1 and "没有名为“第9编组”的编组" in err

    def records(db: Database) -> list[tuple[str, int | None, str]]:
        (c,) = clusters.list_clusters(db)
        return [(r.kind.value, r.amount, r.title) for r in clusters.list_records(db, c.id, 2026)]

    assert _read(park, records) == [("dues_returned", 120050, "")]  # only the good one
    code, out, err = cli(
        park, *record, "--kind", "spending", "--amount", "2000", "--note", "学习资料"
    )
    assert code == 0 and "超过结余1,200.50元" in out, err
    assert cli(park, *record, "--kind", "quota", "--amount", "2")[0] == 0
    assert cli(park, *record, "--kind", "allocation", "--amount", "1", "--unit", CODES[1])[0] == 0
    assert cli(park, *record, "--kind", "award", "--amount", "1", "--note", "优秀党员")[0] == 0
    nominate = ["--kind", "nomination", "--unit", CODES[1], "--note", "张三"]
    code, _, err = cli(park, *record, *nominate, "--award", "先进集体")
    assert code == 1 and "没有名为“先进集体”的评优名额" in err
    assert cli(park, *record, *nominate, "--award", "优秀党员")[0] == 0
    kept = sorted(_read(park, records))
    assert kept == sorted(
        [
            ("dues_returned", 120050, ""),
            ("spending", 200000, "学习资料"),
            ("quota", 2, ""),
            ("allocation", 1, ""),
            ("award", 1, "优秀党员"),
            ("nomination", None, "张三"),
        ]
    )


def test_cluster_members_and_leader(park: Path) -> None:
    code, _, err = cli(
        park, "clusters", "add", "第1编组", "--leader", CODES[4], "--members", CODES[1]
    )
    assert code == 0, err

    def members() -> tuple[str | None, set[str]]:
        (row,) = json.loads(cli(park, "clusters", "list", "--json")[1])
        return (row["leader"] or {}).get("uscc"), set(row["members"])

    before = members()
    for args, said in (
        (["--add", make_valid("91450200MA5K99999")], "没有统一社会信用代码"),
        (["--leader", CODES[5]], "组长单位须是编组成员"),
        ([], "请指定 --add、--remove 或 --leader"),
    ):
        code, _, err = cli(park, "clusters", "members", "第1编组", *args)
        assert code == 1 and said in err, err
    assert members() == before  # nothing written
    code, out, err = cli(
        park, "clusters", "members", "第1编组", "--add", CODES[5], "--leader", CODES[5]
    )
    assert code == 0 and "组长单位单位5" in out, err
    assert members() == (CODES[5], {CODES[1], CODES[4], CODES[5]})
    code, out, err = cli(park, "clusters", "members", "第1编组", "--remove", CODES[5])
    assert code == 0 and "未确定组长单位" in out, err
    assert members() == (None, {CODES[1], CODES[4]})


def test_subsidy_amounts(park: Path) -> None:
    code, out, err = cli(park, "settings", "subsidy", "--class", "a", "--amount", "5,000")
    assert code == 0 and "A类优秀单位以奖代补5000元" in out, err
    for args, said in (
        (["--class", "F", "--amount", "100"], "没有“F”这个分类（可选：A、B、C、D、E）"),
        (["--class", "B", "--amount", "12.345"], "“12.345”不是金额"),
        (["--class", "B", "--amount", "-1"], "“-1”不是金额"),
    ):
        code, _, err = cli(park, "settings", "subsidy", *args)
        assert code == 1 and said in err, err
    settings = _read(park, assessment_settings.get_settings)
    assert settings.subsidy == {"A": Decimal(5000)}  # the refused ones wrote nothing


def test_report_columns_take_the_orgs_list_keys(park: Path, tmp_path: Path) -> None:
    from app.services.reports.registry import unknown_columns

    listed = json.loads(cli(park, "orgs", "list", "--json")[1])
    assert unknown_columns(["formal_members", "probationary_members", "formal", "prob"]) == []
    assert {"formal_members", "probationary_members"} <= set(listed[0])
    pdf = tmp_path / "名录.pdf"
    code, _, err = cli(
        park,
        "report",
        "registry",
        str(pdf),
        "--columns",
        "name,formal_members,probationary_members",
    )
    assert code == 0 and pdf.is_file(), err
    code, _, err = cli(park, "report", "registry", str(pdf), "--columns", "name,formal")
    assert code == 0, err  # the old key still works
    code, _, err = cli(park, "report", "registry", str(pdf), "--columns", "name,members")
    assert code == 1 and "没有这些列：members" in err and "formal_members" in err
    assert "formal_members" in run_main("report", "registry", "--help").stdout
