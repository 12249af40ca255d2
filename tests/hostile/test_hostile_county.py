"""The county view attacked as a hostile or careless user would: a ParkDesk workbook whose
hidden identity was tampered with, a park named twice with a space or a full-width letter
more, an empty sheet sent as a park's quarter, a county database given to what only a
park does. Each is refused with the file named and nothing written, or taken as one park."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from app.db.database import Database, open_database
from app.domain.quarters import Quarter
from app.exchange.reader import WorkbookError
from app.services.county.county_db import A_COUNTY, init_county
from app.services.county.county_import import apply_county_import, preview_county_import
from app.services.county.county_lists import county_parks
from app.services.files import demo
from tests.conftest import TODAY, run_main, write_xlsx

QUARTER = Quarter.of(TODAY)


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from app.services.workbooks.submissions import export_quarter

    folder = tmp_path_factory.mktemp("hostile_parks")
    out = {}
    for name in ("甲园区", "乙园区"):
        db = open_database(folder / f"{name}.sqlite3")
        try:
            demo.build_demo(db, 30, today=TODAY, park_name=name)
            out[name] = folder / f"{name}.xlsx"
            export_quarter(db, out[name], QUARTER, today=TODAY)
        finally:
            db.dispose()
    return out


@pytest.fixture
def county(tmp_path: Path) -> Iterator[Database]:
    db = open_database(tmp_path / "county.sqlite3")
    init_county(db, "鹿寨县")
    yield db
    db.dispose()


def _tampered(source: Path, target: Path, **identity: str) -> Path:
    """``source`` with its hidden _parkdesk identity rewritten as ``identity`` says."""
    wb = openpyxl.load_workbook(source)
    for row in wb["_parkdesk"].iter_rows():
        if str(row[0].value) in identity:
            row[1].value = identity[str(row[0].value)]
    wb.save(target)
    return target


def _import(db: Database, files: list[Path], **kw: object) -> None:
    apply_county_import(db, preview_county_import(db, files, today=TODAY, **kw))  # type: ignore[arg-type]


def _written(path: Path) -> tuple[int, int, int]:
    conn = sqlite3.connect(path)
    try:
        return tuple(  # type: ignore[return-value]
            conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("park", "county_submission", "county_unit")
        )
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("identity", "said"),
    [
        ({"quarter": "2026Q9"}, "季度“2026Q9”无效"),
        ({"quarter": "9999Q4"}, "不在2000"),
        ({"quarter": "0000Q1"}, "不在2000"),
        ({"park": "长" * 250}, "超过200个字"),
        ({"park": "乙\t园\n区"}, "控制字符"),
        ({"park": "\u200b\u3000"}, "园区名称为空"),
        ({"park_uuid": "x" * 100}, "识别码"),
    ],
)
def test_a_tampered_identity_is_refused_with_the_file_named_and_nothing_written(
    county: Database,
    workbooks: dict[str, Path],
    tmp_path: Path,
    identity: dict[str, str],
    said: str,
) -> None:
    bad = _tampered(workbooks["乙园区"], tmp_path / "改过的报送.xlsx", **identity)
    before = _written(county.path)
    with pytest.raises((ValueError, WorkbookError)) as caught:
        _import(county, [bad])
    assert "改过的报送.xlsx" in str(caught.value)
    assert said in str(caught.value)
    assert _written(county.path) == before


@pytest.mark.parametrize(
    ("known", "spelled"),
    [("乙园区", "乙 园区"), ("柳州AB园区", "柳州ＡＢ园区"), ("乙园区", "乙\u200b园区")],
)
def test_a_park_named_with_a_space_or_full_width_letters_more_is_the_same_park(
    county: Database, tmp_path: Path, known: str, spelled: str
) -> None:
    """One park's quarters are never split over two rows, its units never counted twice:
    the county keeps the name it knows the park by."""
    rows = [["组织名称", "统一社会信用代码", "组织类型"], ["广西某某科技有限公司", "", "企业"]]
    first = write_xlsx(tmp_path / "first.xlsx", rows)
    again = write_xlsx(tmp_path / "again.xlsx", [*rows, ["广西另一家有限公司", "", "企业"]])
    _import(county, [first], park=known, quarter=Quarter(2026, 3))
    _import(county, [again], park=spelled, quarter=QUARTER)
    _current, parks = county_parks(county)
    assert [(p.name, p.quarters) for p in parks] == [(known, ["2026Q3", "2026Q4"])]


@pytest.mark.parametrize("rows", [[], [["", "123", "火星"]] * 3], ids=["no_rows", "all_bad"])
def test_a_sheet_with_no_unit_counted_does_not_replace_the_parks_quarter(
    county: Database, workbooks: dict[str, Path], tmp_path: Path, rows: list[list[object]]
) -> None:
    _import(county, [workbooks["乙园区"]])
    before = _written(county.path)
    empty = write_xlsx(
        tmp_path / "空表.xlsx", [["组织名称", "统一社会信用代码", "组织类型"], *rows]
    )
    with pytest.raises(ValueError, match=r"空表\.xlsx.*没有可汇总的单位"):
        _import(county, [empty], park="乙园区", quarter=QUARTER)
    assert _written(county.path) == before


def test_what_only_a_park_does_refuses_a_county_database_and_writes_nothing(
    county: Database, workbooks: dict[str, Path], tmp_path: Path
) -> None:
    from app.services.field.field_package import make_field_package
    from app.services.workbooks.imports import preview_import
    from app.services.workbooks.submissions import export_quarter

    before = _written(county.path)
    out = tmp_path / "县的季度报送.xlsx"
    with pytest.raises(ValueError, match=A_COUNTY):
        export_quarter(county, out, QUARTER, today=TODAY)
    with pytest.raises(ValueError, match=A_COUNTY):
        make_field_package(county, tmp_path / "包.pdfield", usccs=["9145020000000000XX"])
    with pytest.raises(ValueError, match=A_COUNTY):
        preview_import(county, workbooks["甲园区"])
    assert not out.exists() and not (tmp_path / "包.pdfield").exists()
    assert _written(county.path) == before
    conn = sqlite3.connect(county.path)
    try:
        assert conn.execute("SELECT count(*) FROM submission").fetchone()[0] == 0
    finally:
        conn.close()


def test_the_command_line_refuses_in_chinese_with_no_traceback_and_the_database_unchanged(
    workbooks: dict[str, Path], tmp_path: Path
) -> None:
    path = tmp_path / "县" / "county.sqlite3"
    assert run_main("--db", str(path), "county", "init", "--name", "鹿寨县").returncode == 0
    bad = _tampered(workbooks["甲园区"], tmp_path / "九季度.xlsx", quarter="2026Q9")
    cases = [
        (["county", "import", str(bad)], "九季度.xlsx"),
        (["export", str(tmp_path / "县.xlsx")], "区县汇总库"),
        (["import", str(workbooks["甲园区"]), "--dry-run"], "区县汇总库"),
    ]
    for args, said in cases:
        before = path.read_bytes()
        done = run_main("--db", str(path), *args)
        assert done.returncode != 0, args
        assert said in done.stderr and "Traceback" not in done.stderr, done.stderr
        assert path.read_bytes() == before, args
    assert not (tmp_path / "县.xlsx").exists()


def test_the_countys_own_summary_workbook_is_not_read_as_a_parks_registry(
    county: Database, workbooks: dict[str, Path], tmp_path: Path
) -> None:
    """Its registry is every park's: read as one park's, each unit would count twice."""
    from app.services.county.county_export import export_county

    _import(county, list(workbooks.values()))
    summary, _parks, _units = export_county(county, tmp_path / "县汇总.xlsx")
    before = _written(county.path)
    with pytest.raises(WorkbookError, match=r"县汇总\.xlsx.*区县汇总表"):
        _import(county, [summary], park="丙园区", quarter=QUARTER)
    assert _written(county.path) == before


def test_a_parkdesk_workbook_without_its_registry_sheet_is_refused(
    county: Database, workbooks: dict[str, Path], tmp_path: Path
) -> None:
    """Read from another of its sheets, every unit would lose its organization."""
    wb = openpyxl.load_workbook(workbooks["甲园区"])
    del wb["组织名录"]
    cut = tmp_path / "少了名录.xlsx"
    wb.save(cut)
    with pytest.raises(WorkbookError, match=r"少了名录\.xlsx.*缺少“组织名录”表"):
        _import(county, [cut])
    assert _written(county.path) == (1, 0, 0)


def test_a_new_parks_two_quarters_in_one_command_make_one_park(
    county: Database, workbooks: dict[str, Path], tmp_path: Path
) -> None:
    """Before: two parks of one identity, the database's unique index, a traceback. The
    park is named as its newest quarter names it (renamed in between), one change undone."""
    from app.services.files import audit

    earlier = _tampered(
        workbooks["甲园区"], tmp_path / "三季度.xlsx", quarter="2026Q3", park="甲旧名园区"
    )
    _import(county, [workbooks["甲园区"], earlier])
    _current, parks = county_parks(county)
    assert [(p.name, p.quarters) for p in parks] == [("甲园区", ["2026Q3", "2026Q4"])]
    audit.undo_last(county)
    assert _written(county.path) == (1, 0, 0)


def test_two_new_parks_named_alike_from_two_databases_in_one_command_are_refused(
    county: Database, workbooks: dict[str, Path], tmp_path: Path
) -> None:
    alike = _tampered(workbooks["乙园区"], tmp_path / "同名.xlsx", park="甲 园区")
    with pytest.raises(ValueError, match=r"同名\.xlsx.*识别码不同"):
        _import(county, [workbooks["甲园区"], alike])
    assert _written(county.path) == (1, 0, 0)


@pytest.mark.parametrize(
    ("name", "unit", "said"),
    [
        ("县" * 201, "", "区县名称有201个字"),
        ("鹿\t寨\n县", "", "控制字符"),
        ("县", "委" * 201, "汇总单位"),
    ],
)
def test_a_county_named_unfit_for_its_lists_and_workbooks_is_refused(
    tmp_path: Path, name: str, unit: str, said: str
) -> None:
    from app.domain.validation import ValidationError
    from app.services.county.county_db import is_county

    db = open_database(tmp_path / "county.sqlite3")
    try:
        with pytest.raises(ValidationError, match=said):
            init_county(db, name, unit)
        assert not is_county(db)
    finally:
        db.dispose()


def test_county_import_onto_a_missing_database_makes_nothing_and_says_to_init_first(
    workbooks: dict[str, Path], tmp_path: Path
) -> None:
    """Before: an empty park database was made there, and called a park's."""
    path = tmp_path / "还没有的库.sqlite3"
    for dry in ([], ["--dry-run"]):
        done = run_main("--db", str(path), "county", "import", str(workbooks["甲园区"]), *dry)
        assert done.returncode != 0
        assert "county init" in done.stderr and "园区数据库" not in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
        assert not path.exists()


def test_an_older_quarter_sent_late_does_not_take_back_a_renamed_parks_name(
    county: Database, workbooks: dict[str, Path], tmp_path: Path
) -> None:
    """The park renamed itself after its third quarter: its third quarter's file, sent
    after the fourth (or with it, in any order), keeps the park's newest name."""
    old_q3 = _tampered(workbooks["甲园区"], tmp_path / "q3.xlsx", quarter="2026Q3", park="甲旧名")
    _import(county, [workbooks["甲园区"]])
    _import(county, [old_q3])
    _current, parks = county_parks(county)
    assert [(p.name, p.quarters) for p in parks] == [("甲园区", ["2026Q3", "2026Q4"])]


def test_a_parks_quarters_sent_together_in_any_order_leave_it_named_as_the_newest(
    county: Database, workbooks: dict[str, Path], tmp_path: Path
) -> None:
    old_q2 = _tampered(workbooks["甲园区"], tmp_path / "q2.xlsx", quarter="2026Q2", park="甲旧名")
    old_q3 = _tampered(workbooks["甲园区"], tmp_path / "q3.xlsx", quarter="2026Q3", park="甲旧名")
    _import(county, [old_q2])
    _import(county, [workbooks["甲园区"], old_q3])
    _current, parks = county_parks(county)
    assert [(p.name, p.quarters) for p in parks] == [("甲园区", ["2026Q2", "2026Q3", "2026Q4"])]


def test_one_parks_sheet_given_again_under_another_parks_name_is_refused(
    county: Database, tmp_path: Path
) -> None:
    """A careless --park: the same file as another park's counts its units twice."""
    rows = [["组织名称", "统一社会信用代码", "组织类型"], ["广西某某科技有限公司", "", "企业"]]
    sheet = write_xlsx(tmp_path / "登记表.xlsx", rows)
    _import(county, [sheet], park="甲园区", quarter=QUARTER)
    before = _written(county.path)
    with pytest.raises(ValueError, match=r"登记表\.xlsx.*“甲园区”2026Q4报送是同一个文件"):
        _import(county, [sheet], park="乙园区", quarter=QUARTER)
    assert _written(county.path) == before
    _import(county, [sheet], park="甲园区", quarter=Quarter(2026, 3))  # its own next quarter
    assert _written(county.path)[1] == before[1] + 1
