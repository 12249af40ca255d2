"""The yearly workbook (年度报表) on the demo park: each sheet's rows are the services'
own numbers (the figures those of `stats --json` to the last digit, the stars those of
`assess stars --json`), a period not published says so, the year's end is read from
each problem's history, and the command line refuses a clash or a bad year."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from app.db.database import Database
from app.domain.vocabulary import OrgClass, ProblemStatus, VisitKind
from app.exchange.export import COVER_ROWS, RATE_ROWS
from app.services.assessment.assessment_exports import ranking_rows
from app.services.assessment.assessment_results import rank_period
from app.services.field import visits
from app.services.grouping import classes
from app.services.workbooks.yearly import YEAR_SHEETS, export_year
from tests.conftest import TODAY, run_main

SHEETS = ["年度数字", "上半年考核", "下半年考核", "星级党组织", "经费保障", "分类复核", "走访整改"]


def _book(db: Database, path: Path, year: int, today: date = TODAY) -> Any:
    export_year(db, path, year, today=today)
    return openpyxl.load_workbook(path)


def _table(ws: Any) -> list[list[Any]]:
    """A table sheet's rows under its title and header, up to the first empty row."""
    rows = []
    for row in ws.iter_rows(min_row=3, values_only=True):
        if all(v is None for v in row):
            break
        rows.append(list(row))
    return rows


def _cell(value: Any) -> Any:
    """A value as the file holds it: a blank no cell, a Decimal a number."""
    if value == "":
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def test_the_sheets_and_the_identity(demo_db: Database, tmp_path: Path) -> None:
    wb = _book(demo_db, tmp_path / "年度.xlsx", 2026)
    # one sheet per writer of YEAR_SHEETS, then the identity
    assert len(wb.sheetnames) == len(YEAR_SHEETS) + 1 and wb.sheetnames[-1] == "_parkdesk"
    assert [n for n in wb.sheetnames if n in SHEETS] == SHEETS
    meta = {r[0]: r[1] for r in wb["_parkdesk"].iter_rows(values_only=True)}
    assert (meta["program"], meta["kind"], meta["year"]) == ("ParkDesk", "yearly", "2026")
    assert wb["_parkdesk"].sheet_state == "hidden"


def test_the_figures_are_those_of_stats(demo_db: Database, db_path: Path, tmp_path: Path) -> None:
    ws = _book(demo_db, tmp_path / "年度.xlsx", 2026)["年度数字"]
    done = run_main("--db", str(db_path), "stats", "--json")
    assert done.returncode == 0, done.stderr
    stats = json.loads(done.stdout)
    by_label = {row[0]: row[1:4] for row in ws.iter_rows(values_only=True) if row[0]}
    keys = {"in_base": "base"}  # the cover's key for what stats calls base
    for label, key in COVER_ROWS:
        cells = by_label[label]
        expected = [stats[kind][keys.get(key, key)] for kind in ("enterprise", "social", "total")]
        assert list(cells) == expected, label
        assert all(isinstance(v, int) for v in cells), label  # a count, not 12.0
    for label, key in RATE_ROWS:
        # a number shown with two decimals (0.00), "—" when there is nothing to divide by
        shown = [f"{v:.2f}" if isinstance(v, int | float) else v for v in by_label[label]]
        assert shown == [stats[k][key] for k in ("enterprise", "social", "total")], label
    rooms = by_label["党员活动室建设率（%）"][0]
    assert f"{rooms:.2f}" == stats["activity_rooms"]["rate"]
    assert by_label["其中建有党员活动室（个）"][0] == stats["activity_rooms"]["with_room"]
    assert by_label["在岗指导员（人）"][0] == len(stats["instructors"])
    assert by_label["所属年度"][0] == "2026年"


def test_the_half_years_as_ranked_and_published(demo_db: Database, tmp_path: Path) -> None:
    wb = _book(demo_db, tmp_path / "年度.xlsx", 2026)
    ranking = rank_period(demo_db, "2026H1")
    assert ranking.published
    rows = _table(wb["上半年考核"])
    assert rows == [[_cell(v) for v in row] for row in ranking_rows(ranking)]
    excellent = [r for r in rows if r[5] == "优秀"]
    assert len(excellent) == sum(len(c.excellent) for c in ranking.classes.values()) > 0
    # the rule itself: 优秀 within the top 3 of a class, at or above the pass line of 60
    assert all(r[1] <= 3 and r[4] >= 60 for r in excellent)
    assert all(isinstance(r[4], int | float) for r in rows)  # totals are numbers
    second = wb["下半年考核"]
    assert "未发布" in second["A1"].value
    assert _table(second)[0][0] == "未发布" and len(_table(second)) == 1
    stars = wb["星级党组织"]  # the demo opened no yearly period for 2026
    assert "未开设" in stars["A1"].value and _table(stars)[0][0] == "未开设"


def test_the_stars_are_those_of_assess_stars(
    demo_db: Database, db_path: Path, tmp_path: Path
) -> None:
    ws = _book(demo_db, tmp_path / "年度.xlsx", 2025)["星级党组织"]
    done = run_main("--db", str(db_path), "assess", "stars", "--year", "2025", "--json")
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)
    rows = _table(ws)
    expected = [
        [
            p["name"],
            Decimal(p["total"]) if p["total"] is not None else "未完成评分",
            p["stars"] or None,
            len(p["units"]),
        ]
        for p in listed["party_orgs"]
    ]
    assert [[r[0], Decimal(str(r[3])), r[4], r[8]] for r in rows] == expected
    below = list(ws.iter_rows(min_row=len(rows) + 4, values_only=True))
    head = below[0]
    assert head[:4] == ("星级党组织（个）", "五星级", "四星级", "三星级")
    total = next(r for r in below if r[0] == "合计")
    assert list(total[1:4]) == [listed["counts"][k] for k in ("5", "4", "3")]


def test_the_review_lists_the_year_s_moves_then_what_is_left(
    demo_db: Database, tmp_path: Path
) -> None:
    proposed = classes.proposals(demo_db, 2026)
    assert len(proposed) >= 2
    done, manual = proposed[0], proposed[1]
    decision = classes.ClassDecision(done.id, done.proposal.to, done.proposal.reason)  # type: ignore[union-attr]
    assert classes.apply_review(demo_db, 2026, [decision], today=TODAY) == 1
    to = OrgClass.A if manual.current is not OrgClass.A else OrgClass.B
    classes.change_class(demo_db, manual.id, to, "按党工委意见调整", today=date(2026, 5, 4))
    rows = _table(_book(demo_db, tmp_path / "年度.xlsx", 2026)["分类复核"])
    moved = [r for r in rows if r[4] == "已调整"]
    assert [(r[0], r[6]) for r in moved] == [
        (manual.name, "手工调整"),
        (done.name, "年度复核（2026）"),
    ]
    assert moved[0][5].date() == date(2026, 5, 4) and moved[0][7] == "按党工委意见调整"
    waiting = [r[0] for r in rows if r[4] == "待确认"]
    left = [r.name for r in classes.proposals(demo_db, 2026) if r.id != done.id]
    assert waiting == left and done.name not in waiting


def test_visits_and_the_year_s_end_read_from_history(demo_db: Database, tmp_path: Path) -> None:
    # overdue on 31 December though verified in the January after
    unit = visits.list_visits(demo_db, TODAY)[0].org.id
    draft = visits.ProblemDraft("台账不全", deadline=date(2026, 6, 30), unit_ids=[unit])
    pid = visits.raise_problem(demo_db, draft, date(2026, 3, 1))
    later = date(2027, 1, 15)
    visits.set_status(demo_db, pid, ProblemStatus.VERIFIED, "已补齐", date(2027, 1, 10), later)
    rows = _table(_book(demo_db, tmp_path / "年度.xlsx", 2026, today=later)["走访整改"])
    header = [c.value for c in openpyxl.load_workbook(tmp_path / "年度.xlsx")["走访整改"][2]]
    assert header[-1] == "逾期未整改（截至12月31日）"
    total, loose = rows[-1], next(r for r in rows if r[0] == "（未经走访提出的问题）")
    found = visits.list_visits(demo_db, later)
    in_year = [v for v in found if v.visited_on.year == 2026]
    assert total[1] == len(in_year)
    kinds = list(VisitKind)
    assert total[2 : 2 + len(kinds)] == [sum(v.kind is k for v in in_year) for k in kinds]
    problems = visits.list_problems(demo_db, later)
    assert total[-4] == sum(p.raised_on.year == 2026 for p in problems)
    assert loose[-4:] == [
        sum(p.visit_id is None and p.raised_on.year == 2026 for p in problems),
        sum(p.visit_id is None and p.common and p.raised_on.year == 2026 for p in problems),
        0,  # the problem verified in 2027 is not closed in 2026
        sum(
            p.visit_id is None
            and p.deadline is not None
            and p.deadline < date(2026, 12, 31)
            and (p.verified_on is None or p.verified_on > date(2026, 12, 31))
            and p.raised_on.year <= 2026
            for p in problems
        ),
    ]
    assert loose[-1] >= 1
    for row in rows[:-1]:
        if row[0].startswith("（"):
            continue
        mine = [v for v in in_year if row[0] in v.instructors]
        assert row[1] == len(mine), row[0]


def test_the_command_line(demo_db: Database, db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "年度.xlsx"
    done = run_main("--db", str(db_path), "export", str(out), "--year", "2026")
    assert done.returncode == 0, done.stderr
    assert "已导出2026年度报表" in done.stdout and "走访整改" in done.stdout
    assert [n for n in openpyxl.load_workbook(out).sheetnames if n in SHEETS] == SHEETS


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (["--year", "2026", "--quarter", "2026Q4"], 2, "不能与参数"),
        (["--year", "1899"], 1, "年度1899不在2000—"),
        (["--year", "abc"], 1, "年度“abc”的格式不对"),
        (["--year", "9999"], 1, "年度报表只能导出已开始的年度"),
    ],
)
def test_a_clash_or_a_bad_year_is_told(
    demo_db: Database, db_path: Path, tmp_path: Path, args: list[str], code: int, said: str
) -> None:
    out = tmp_path / "年度.xlsx"
    done = run_main("--db", str(db_path), "export", str(out), *args)
    assert done.returncode == code and said in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and not out.exists()


def test_the_funds_sheet_is_funds_summary(demo_db: Database, db_path: Path, tmp_path: Path) -> None:
    """经费保障 in the yearly workbook: each party organization's entitled, paid and
    balance are those of `funds summary --json` to the fen, after a payment recorded."""
    listed = json.loads(
        run_main("--db", str(db_path), "funds", "summary", "--year", "2026", "--json").stdout
    )
    first = next(p for p in listed["party_orgs"] if p["formal_members"])
    done = run_main(
        "--db", str(db_path), "funds", "add", "--year", "2026", "--to", first["uuid"],
        "--kind", "3个100元", "--date", "2026-05-08", "--amount", "123.45",
        "--payer", "区委两新工委",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    summary = json.loads(
        run_main("--db", str(db_path), "funds", "summary", "--year", "2026", "--json").stdout
    )
    wb = _book(demo_db, tmp_path / "年度.xlsx", 2026)
    assert wb.sheetnames[3:6] == ["星级党组织", "经费保障", "分类复核"]
    ws = wb["经费保障"]
    header = [c.value for c in ws[2]]
    at = {name: header.index(name) for name in ("党组织", "应拨合计", "已拨合计", "结余")}
    rows = {
        r[at["党组织"]]: r
        for r in ws.iter_rows(min_row=3, values_only=True)
        if isinstance(r[0], int)
    }
    assert len(rows) == len(summary["party_orgs"])
    for p in summary["party_orgs"]:
        row = rows[p["name"]]
        for key, column in (("entitled_total", "应拨合计"), ("paid_total", "已拨合计")):
            assert Decimal(str(row[at[column]])) == Decimal(p[key]), (p["name"], key)
        assert Decimal(str(row[at["结余"]])) == Decimal(p["balance"])
    paid = next(p for p in summary["party_orgs"] if p["uuid"] == first["uuid"])
    assert Decimal(paid["paid_total"]) == Decimal("123.45")


def test_two_instructors_of_one_name_stay_two_rows(demo_db: Database, tmp_path: Path) -> None:
    """Counted by person, not by name: two 张伟 are two rows, neither given the other's."""
    from app.services.field.visit_summary import year_visits
    from app.services.registry.instructors import InstructorDraft, create_instructor

    first = create_instructor(demo_db, InstructorDraft("张伟", unit="园区管委会"))
    second = create_instructor(demo_db, InstructorDraft("张伟", unit="街道办"))
    unit = visits.list_visits(demo_db, TODAY)[0].org.id
    for who, days in ((first, (3, 4)), (second, (5,))):
        for month in days:
            draft = visits.VisitDraft(unit, date(2026, month, 2), VisitKind.VISIT, [who])
            visits.add_visit(demo_db, draft, TODAY)
    rows = [t for t in year_visits(demo_db, 2026, TODAY).people if t.who == "张伟"]
    assert sorted(t.visits for t in rows) == [1, 2]


def test_a_half_year_on_a_starred_scheme_gives_each_unit_its_stars(
    demo_db: Database, tmp_path: Path
) -> None:
    """五星争创's bands (DOMAIN: five ≥ 90, four ≥ 80, three ≥ 70) on a half-year: the
    星级 column says each unit's, none below 70; the other half still 未开设."""
    from app.services.assessment import assessments
    from app.services.registry import org_list

    assessments.open_period(demo_db, "2025H2", "五星争创")
    units = [o for o in org_list.list_organizations(demo_db) if o.class_code][:4]
    totals = (95, 85, 72, 50)
    dims = ("组织凝聚力", "队伍战斗力", "发展推动力", "文化支撑力", "区域影响力")
    entries = {}
    for unit, total in zip(units, totals, strict=True):
        each = Decimal(total) / 5
        entries[unit.id] = assessments.ScoreEntry(dict.fromkeys(dims, str(each)))
    assessments.set_many(demo_db, "2025H2", entries)
    assessments.set_published(demo_db, "2025H2", True)
    wb = _book(demo_db, tmp_path / "年度.xlsx", 2025)
    assert wb["下半年考核"]["I2"].value == "星级"
    stars = {r[2]: r[8] for r in _table(wb["下半年考核"])}
    expected = [5 if t >= 90 else 4 if t >= 80 else 3 if t >= 70 else None for t in totals]
    assert [stars[u.name] for u in units] == expected
    assert "未开设" in wb["上半年考核"]["A1"].value
