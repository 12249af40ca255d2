"""The seeds' worked figures, through the service, the command line and the workbook."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl

from app.db.database import Database
from app.domain.rates import Rounding, percent_text
from app.domain.validation import OrganizationDraft, PartyOrgDraft
from app.domain.vocabulary import Formation, OrgKind, OrgStatus
from app.services.overview.figures import registry_figures
from app.services.registry import instructors, organizations, party_orgs
from tests.conftest import run_main

ROOT = Path(__file__).resolve().parents[2]


def _luzhai(db: Database) -> None:
    """Luzhai park (004): 65 enterprises, 26 own + 8 joint organizations covering 55."""
    ids = [
        organizations.create_organization(
            db, OrganizationDraft(name=f"鹿寨企业{i:02d}", formal_members=3 if i < 26 else 1)
        )
        for i in range(65)
    ]
    for i in range(26):
        party_orgs.create_party_org(
            db,
            PartyOrgDraft(name=f"企业{i:02d}支部", formation=Formation.OWN, covered_ids=[ids[i]]),
        )
    joint_units = ids[26:55]  # 29 units in 8 joint branches
    groups = [joint_units[k : k + 4] for k in range(0, 28, 4)]
    groups[-1] = groups[-1] + joint_units[28:]
    for n, group in enumerate(groups):
        party_orgs.create_party_org(
            db,
            PartyOrgDraft(name=f"第{n + 1}联合支部", formation=Formation.JOINT, covered_ids=group),
        )
    # two of the ten uncovered have an instructor: work coverage 57
    inst = instructors.create_instructor(db, instructors.InstructorDraft(name="指导员甲"))
    instructors.assign(db, inst, ids[55], started_on=date(2026, 1, 1))
    instructors.assign(db, inst, ids[56], started_on=date(2026, 1, 1))
    # a closed one and a social organization do not change the enterprise figures
    gone = organizations.create_organization(db, OrganizationDraft(name="已注销企业"))
    organizations.mark_status(db, gone, OrgStatus.CLOSED, date(2026, 3, 1))
    organizations.create_organization(db, OrganizationDraft(name="某协会", kind=OrgKind.SOCIAL))


def test_luzhai_figures(db: Database) -> None:
    _luzhai(db)
    f = registry_figures(db).by_kind[OrgKind.ENTERPRISE]
    assert (f.in_base, f.covered, f.own, f.joint, f.none) == (65, 55, 26, 29, 10)
    assert percent_text(f.org_coverage_rate) == "84.62"
    assert percent_text(f.org_coverage_rate, Rounding.TRUNCATE) == "84.61"
    assert f.work_covered == 57 and percent_text(f.work_coverage_rate) == "87.69"
    assert percent_text(f.own_rate) == "40.00"
    assert f.three_plus == 26 and f.three_plus_without_own == 0
    total = registry_figures(db).total
    assert total.in_base == 66 and total.covered == 55


def test_command_line_and_workbook_show_the_same_digits(db: Database, tmp_path: Path) -> None:
    _luzhai(db)
    db.dispose()
    run = run_main("--db", str(db.path), "stats", "--json")
    assert run.returncode == 0, run.stderr
    cli = json.loads(run.stdout)["enterprise"]
    assert (cli["base"], cli["covered"], cli["org_coverage_rate"]) == (65, 55, "84.62")
    cut = run_main("--db", str(db.path), "stats", "--json", "--rounding", "truncate")
    assert json.loads(cut.stdout)["enterprise"]["org_coverage_rate"] == "84.61"
    from app.db.database import open_database
    from app.domain.quarters import Quarter
    from app.services.workbooks.submissions import export_quarter

    again = open_database(db.path)
    export_quarter(again, tmp_path / "报送.xlsx", Quarter(2026, 4))
    again.dispose()
    ws = openpyxl.load_workbook(tmp_path / "报送.xlsx")["封面汇总"]
    rows = {r[0]: r[1:4] for r in ws.iter_rows(values_only=True) if r and r[0]}
    # the rates as the numbers they read (SUM and AVERAGE work), the digits stats shows
    assert rows["党组织覆盖率（%）"][0] == float(cli["org_coverage_rate"])
    assert rows["党的工作覆盖率（%）"][0] == float(cli["work_coverage_rate"])
    assert rows["纳入统计的组织（个）"][0] == cli["base"]


def test_every_figure_opens_its_list(db: Database) -> None:
    from app.services.overview.figures import figure_list

    _luzhai(db)
    f = registry_figures(db).by_kind[OrgKind.ENTERPRISE]
    for measure, expected in (
        ("base", f.in_base),
        ("covered", f.covered),
        ("uncovered", f.in_base - f.covered),
        ("own", f.own),
        ("work_covered", f.work_covered),
        ("work_uncovered", f.in_base - f.work_covered),
        ("should_set_up", f.three_plus_without_own),
    ):
        assert len(figure_list(db, measure, OrgKind.ENTERPRISE)) == expected, measure
    uncovered = figure_list(db, "uncovered", OrgKind.ENTERPRISE)
    assert len(uncovered) == 10
    assert {r.instructors for r in uncovered} == {"", "指导员甲"}


def test_suixi_classes(db: Database) -> None:
    """Suixi (002): 43 own-branch enterprises, A 9 / B 12 / C 22; 57 others D/E."""
    from app.services.overview.figures import class_counts

    for i, code in enumerate("A" * 9 + "B" * 12 + "C" * 22 + "D" * 30 + "E" * 27):
        organizations.create_organization(
            db, OrganizationDraft(name=f"濉溪企业{i:03d}", class_code=code)
        )
    counts = {k: v["total"] for k, v in class_counts(db).items()}
    assert (counts["A"], counts["B"], counts["C"]) == (9, 12, 22)
    assert counts["A"] + counts["B"] + counts["C"] == 43 and counts["D"] + counts["E"] == 57
    assert class_counts(db)["A"] == {"enterprise": 9, "social": 0, "total": 9}


def test_cli_follows_the_park_rounding(db: Database) -> None:
    from app.domain.rates import Rounding
    from app.services.registry.park import set_rounding

    _luzhai(db)
    set_rounding(db, Rounding.TRUNCATE)
    db.dispose()
    run = run_main("--db", str(db.path), "stats", "--json")
    assert json.loads(run.stdout)["enterprise"]["org_coverage_rate"] == "84.61"


def test_stats_says_which_rounding_gave_the_rates(db: Database) -> None:
    """鹿寨 55/65 = 84.615…: half up 84.62 (the default), cut 84.61; the text and the
    JSON say which rule gave the figure, once."""
    _luzhai(db)
    db.dispose()
    for option, rate, rule, label in (
        ((), "84.62", "第三位四舍五入", "四舍五入"),
        (("--rounding", "truncate"), "84.61", "第三位直接舍去（截断）", "截断（舍去）"),
    ):
        text = run_main("--db", str(db.path), "stats", *option)
        assert text.returncode == 0, text.stderr
        assert f"（{rate}%）" in text.stdout
        assert text.stdout.count("百分数保留两位小数") == 1 and rule in text.stdout
        assert "百分数" not in text.stderr  # said once, with the figures
        shown = json.loads(run_main("--db", str(db.path), "stats", "--json", *option).stdout)
        assert shown["enterprise"]["org_coverage_rate"] == rate
        assert shown["rounding"] == label


def test_cli_counts_party_organizations_and_what_each_instructor_covers(
    demo_db: Database,
) -> None:
    from app.services.overview.figures import registry_figures
    from app.services.registry.instructors import list_instructors

    figures = registry_figures(demo_db)
    people = {i.name: i.organizations for i in list_instructors(demo_db) if i.active}
    demo_db.dispose()
    report = json.loads(run_main("--db", str(demo_db.path), "stats", "--json").stdout)
    by_level = {level: sum(by.values()) for level, by in report["party_orgs"].items()}
    assert sum(by_level.values()) == sum(figures.party_orgs.values()) > 0
    assert by_level["branch"] == sum(
        n for (level, _f), n in figures.party_orgs.items() if level.value == "branch"
    )
    assert {i["name"]: i["organizations"] for i in report["instructors"]} == people
    assert len(people) == figures.instructors_active and any(people.values())


def test_a_submitted_quarter_keeps_its_party_organization_counts(
    demo_db: Database, tmp_path: Path
) -> None:
    from app.domain.quarters import Quarter
    from app.services.overview.figures import submitted_figures
    from app.services.workbooks.submissions import export_quarter

    before = registry_figures(demo_db)
    export_quarter(demo_db, tmp_path / "q3.xlsx", Quarter(2026, 3))
    party_orgs.create_party_org(demo_db, PartyOrgDraft(name="报送后成立的党支部"))
    ((quarter, reported),) = submitted_figures(demo_db)
    assert quarter == "2026Q3"
    assert reported.party_orgs == before.party_orgs and reported.total == before.total
    assert sum(registry_figures(demo_db).party_orgs.values()) == sum(before.party_orgs.values()) + 1
