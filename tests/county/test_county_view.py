"""The county view: three demo parks' quarterly workbooks added up in a county database
give each park's own figures, and a total equal to their counts summed; a park's newer
submission replaces its quarter with a diff first, undone as one change; duplicates
across parks are listed; what is not a county's (or not a park's) is refused."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

from app.db.database import Database, open_database
from app.domain.quarters import Quarter
from app.domain.rates import Rounding
from app.exchange.reader import WorkbookError
from app.services.county.county_db import init_county, is_county
from app.services.county.county_export import export_county
from app.services.county.county_figures import county_figures, county_report
from app.services.county.county_import import apply_county_import, preview_county_import
from app.services.county.county_lists import county_duplicates, county_parks, county_units
from app.services.files import audit, demo
from app.services.overview.figures import RegistryFigures, registry_figures
from tests.conftest import TODAY, run_main, write_xlsx

PARKS = ("鹿寨工业园区", "江口园区", "雒容园区")
QUARTER = Quarter.of(TODAY)


def _park(folder: Path, name: str, size: int) -> tuple[Path, Path]:
    from app.services.workbooks.submissions import export_quarter

    path = folder / f"{name}.sqlite3"
    db = open_database(path)
    try:
        demo.build_demo(db, size, today=TODAY, park_name=name)
        workbook = folder / f"{name}.xlsx"
        export_quarter(db, workbook, QUARTER, today=TODAY)
    finally:
        db.dispose()
    return path, workbook


@pytest.fixture(scope="module")
def parks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    folder = tmp_path_factory.mktemp("parks")
    return {
        name: _park(folder, name, size) for name, size in zip(PARKS, (150, 90, 60), strict=True)
    }


@pytest.fixture
def county(tmp_path: Path) -> Iterator[Database]:
    db = open_database(tmp_path / "县" / "county.sqlite3")
    init_county(db, "鹿寨县", "县委两新工委")
    yield db
    db.dispose()


def _own_figures(path: Path) -> RegistryFigures:
    db = open_database(path)
    try:
        return registry_figures(db)
    finally:
        db.dispose()


def _import(db: Database, files: list[Path], **kw: object) -> None:
    apply_county_import(db, preview_county_import(db, files, **kw))  # type: ignore[arg-type]


def test_three_parks_added_up_give_each_parks_own_figures_and_their_sum(
    county: Database, parks: dict[str, tuple[Path, Path]]
) -> None:
    _import(county, [wb for _db, wb in parks.values()])
    figures = county_figures(county)
    own = {name: _own_figures(db) for name, (db, _wb) in parks.items()}
    assert sorted(sub.park for sub in county_figures(county).parks) == sorted(PARKS)
    for sub in figures.parks:
        assert sub.quarter == QUARTER.code
        assert asdict(sub.figures) == asdict(own[sub.park]) | {
            # a submission says nothing of the park's party organizations by level or
            # its instructors: the county counts units
            "party_orgs": {},
            "instructors_active": 0,
            # nor of its party organizations by kind, nor of their venues (党员活动室)
            "party_orgs_by_kind": {},
            "activity_rooms": {"base": 0, "with_room": 0},
        }
    for kind in figures.total.by_kind:
        for name, value in vars(figures.total.by_kind[kind]).items():
            assert value == sum(getattr(f.by_kind[kind], name) for f in own.values()), name
    for name, value in vars(figures.total.total).items():
        assert value == sum(getattr(f.total, name) for f in own.values()), name
    # the total's rate from the summed counts, never an average of the parks' rates
    total = figures.total.total
    assert total.org_coverage_rate == Fraction(
        sum(f.total.covered for f in own.values()), sum(f.total.in_base for f in own.values())
    )
    report = county_report(figures, Rounding.HALF_UP)
    assert report["total"]["total"]["base"] == sum(f.total.in_base for f in own.values())
    assert (
        sum(p["classes"]["A"]["total"] for p in report["parks"])
        == report["total"]["classes"]["A"]["total"]
    )
    # the published half-year's 优秀 travel with the workbook (the demo publishes one)
    assert all(p["excellent"] and p["assessment_period"] for p in report["parks"])


def test_the_command_line_gives_the_parks_and_the_total_as_stats_gives_a_park(
    tmp_path: Path, parks: dict[str, tuple[Path, Path]]
) -> None:
    county = tmp_path / "county.sqlite3"
    assert run_main("--db", str(county), "county", "init", "--name", "鹿寨县").returncode == 0
    files = [str(wb) for _db, wb in parks.values()]
    done = run_main("--db", str(county), "county", "import", *files, "--json")
    assert done.returncode == 0, done.stderr
    assert [f["status"] for f in json.loads(done.stdout)["files"]] == ["new"] * 3
    stats = json.loads(run_main("--db", str(county), "county", "stats", "--json").stdout)
    first_db = parks[PARKS[1]][0]
    own = json.loads(run_main("--db", str(first_db), "stats", "--json").stdout)
    row = next(p for p in stats["parks"] if p["park"] == PARKS[1])
    for key in ("enterprise", "social", "total"):
        assert row[key] == own[key]
    assert set(stats) == {"county", "quarter", "rounding", "parks", "missing", "total"}
    listed = json.loads(run_main("--db", str(county), "county", "parks", "--json").stdout)
    assert [p["park"] for p in listed["parks"]] == sorted(PARKS)
    assert all(p["quarters"] == [QUARTER.code] for p in listed["parks"])


def test_a_newer_submission_replaces_the_quarter_after_showing_the_diff_and_undo_restores(
    county: Database, parks: dict[str, tuple[Path, Path]], tmp_path: Path
) -> None:
    from app.services.registry import org_list
    from app.services.workbooks.submissions import export_quarter

    name = PARKS[2]
    db_path, workbook = parks[name]
    _import(county, [workbook])
    before = county_figures(county).total.total.formal_members
    # the same file again: nothing to do
    again = preview_county_import(county, [workbook])
    assert [p.status for p in again.files] == ["unchanged"] and not again.writes

    # the park corrects a unit and sends its quarter again
    copy = tmp_path / "copy.sqlite3"
    copy.write_bytes(db_path.read_bytes())
    park_db = open_database(copy)
    try:
        unit = org_list.list_organizations(park_db)[0]
        with park_db.session() as s:
            from app.db.models import Organization

            row = s.get(Organization, unit.id)
            assert row is not None
            row.formal_members = (row.formal_members or 0) + 7
        newer = tmp_path / "newer.xlsx"
        export_quarter(park_db, newer, QUARTER, today=TODAY)
    finally:
        park_db.dispose()
    preview = preview_county_import(county, [newer])
    plan = preview.files[0]
    assert plan.status == "replace" and (plan.added, plan.removed, plan.changed) == (0, 0, 1)
    assert plan.changes[0].name == unit.name and "正式党员数" in plan.changes[0].what
    apply_county_import(county, preview)
    assert county_figures(county).total.total.formal_members == before + 7
    assert len(county_parks(county, TODAY)[1]) == 1  # never a second park

    assert audit.undo_last(county) is not None
    assert county_figures(county).total.total.formal_members == before
    assert preview_county_import(county, [workbook]).files[0].status == "unchanged"


def test_duplicates_across_parks_are_listed_with_both_parks(
    county: Database, parks: dict[str, tuple[Path, Path]], tmp_path: Path
) -> None:
    _import(county, [parks[PARKS[0]][1]])
    taken = county_units(county)[0]
    other = county_units(county)[1]
    sheet = write_xlsx(
        tmp_path / "plain.xlsx",
        [
            ["组织名称", "统一社会信用代码", "组织类型", "组建方式", "正式党员数"],
            ["另报的公司", taken.uscc, "非公企业", "未建", 1],
            [other.name, "91450200MA5KXXXX1X", "非公企业", "单独组建", 4],
        ],
    )
    with pytest.raises(WorkbookError, match="--park"):
        preview_county_import(county, [sheet])
    preview = preview_county_import(county, [sheet], park="拉堡园区", quarter=QUARTER)
    # the made-up code is refused with its row; the other row counts
    assert [e.row for e in preview.files[0].read.errors] == [3]
    _import(county, [sheet], park="拉堡园区", quarter=QUARTER)
    found = county_duplicates(county)
    same_code = [d for d in found if d.kind == "same_code"]
    assert len(same_code) == 1 and same_code[0].key == taken.uscc
    assert sorted(same_code[0].entries) == sorted(
        [(PARKS[0], taken.name), ("拉堡园区", "另报的公司")]
    )


def test_what_is_not_the_countys_is_refused_and_writes_nothing(
    county: Database, parks: dict[str, tuple[Path, Path]], tmp_path: Path
) -> None:
    name = PARKS[0]
    db_path, workbook = parks[name]
    # a ParkDesk workbook keeps its park: another name for it is refused
    with pytest.raises(WorkbookError, match="报送的园区不改名"):
        preview_county_import(county, [workbook], park="别的园区")
    with pytest.raises(WorkbookError, match="不是2026年第一季度"):
        preview_county_import(county, [workbook], quarter=Quarter.parse("2026Q1"))
    # the same park twice in one command
    with pytest.raises(ValueError, match="一次只能导入一份"):
        preview_county_import(county, [workbook, workbook])
    # another park database of the same name (another uuid) is not merged into it
    _import(county, [workbook])
    _twin, twin_wb = _park(tmp_path, name, 20)
    with pytest.raises(ValueError, match="同名的两个园区不会合并"):
        preview_county_import(county, [twin_wb])
    # a file that is no workbook
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    with pytest.raises(WorkbookError):
        preview_county_import(county, [junk])
    assert len(county_units(county)) == 150  # the first park's units alone

    # a park database is no county, and a county keeps no registry of its own
    park = open_database(db_path)
    try:
        assert not is_county(park)
        with pytest.raises(ValueError, match="不是区县汇总库"):
            county_figures(park)
        with pytest.raises(ValueError, match="不能改作区县汇总库"):
            init_county(park, "鹿寨县")
    finally:
        park.dispose()
    with pytest.raises(ValueError, match="已是“鹿寨县”的区县汇总库"):
        init_county(county, "鹿寨县")
    with pytest.raises(ValueError, match="区县汇总库"):
        demo.build_demo(county, 10)


def test_the_county_workbook_has_a_row_per_park_the_total_the_union_and_the_duplicates(
    county: Database, parks: dict[str, tuple[Path, Path]], tmp_path: Path
) -> None:
    _import(county, [wb for _db, wb in parks.values()])
    path, n_parks, n_units = export_county(county, tmp_path / "汇总表.xlsx")
    assert (n_parks, n_units) == (3, 300)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:3] == ["园区汇总", "组织名录（汇总）", "重复组织"]
    summary = [[c.value for c in row] for row in wb["园区汇总"].iter_rows(min_row=3)]
    assert [r[0] for r in summary] == [*sorted(PARKS), "合计"]
    figures = county_figures(county)
    assert summary[-1][2] == figures.total.total.in_base == sum(r[2] for r in summary[:-1])
    assert summary[-1][5] == sum(r[5] for r in summary[:-1])  # covered
    units = list(wb["组织名录（汇总）"].iter_rows(min_row=3, values_only=True))
    assert len(units) == 300 and {u[0] for u in units} == set(PARKS)


def test_the_county_report_prints_each_park_and_the_total_as_the_figures_give_them(
    county: Database, parks: dict[str, tuple[Path, Path]], tmp_path: Path
) -> None:
    from pypdf import PdfReader

    from app.services.reports.county import county_pdf

    _import(county, [wb for _db, wb in parks.values()])
    printed = county_pdf(county, tmp_path / "县.pdf")
    text = PdfReader(tmp_path / "县.pdf").pages[0].extract_text()
    assert printed.pages == 1
    figures = county_figures(county)
    total = figures.total.total
    for sub in figures.parks:
        assert sub.park in text
    after = text[text.index("合计") :].split()
    assert after[1:3] == [str(total.in_base), str(total.covered)], after[:6]
    # the reporting unit travels with a ParkDesk workbook
    with county.read_connection() as conn:
        units = dict(conn.execute("SELECT name, reporting_unit FROM park WHERE level = 'park'"))
    assert units[PARKS[0]] == f"{PARKS[0]}两新工委"


def test_the_countys_queries_are_portable_core_compiled_for_sqlite_and_postgresql() -> None:
    """Written in SQLAlchemy Core over the models' tables: they compile for a PostgreSQL
    server as for SQLite (issue 26 runs them there), with nothing SQLite's alone."""
    from sqlalchemy.dialects import postgresql, sqlite

    from app.db.queries import county as q

    statements = [
        q.parks(),
        q.submissions(),
        q.figures([1, 2]),
        q.classes([1]),
        q.party_orgs([1]),
        q.units([1]),
        q.same_code([1, 2]),
        q.same_name([1, 2]),
        q.unit_facts(1),
        q.park_by_source("x"),
        q.park_by_name("x"),
        q.current_submission(1, "2026Q4"),
    ]
    for dialect in (sqlite.dialect(), postgresql.dialect()):
        for statement in statements:
            text = str(statement.compile(dialect=dialect))
            assert "INDEXED BY" not in text and "json_each" not in text
    # the rules' numbers come from the domain, in both dialects
    figures = str(q.figures([1]).compile(dialect=postgresql.dialect()))
    assert "coalesce(county_unit.formal_members" in figures
