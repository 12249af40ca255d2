"""A half-year's ranking fed to the registry import or a county: the 半年考核 sheet of the
quarterly workbook named with --sheet, or a yearly workbook whose hidden _parkdesk sheet
was removed (or its kind edited). The ranking's 分类 is the class a unit was ranked in;
read as a registry it moved the units classed since back to it (“更新2个”), and a county
took its 118 rows for a park's whole registry. A ranking is never a registry."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from app.db.database import Database, open_database
from app.domain.quarters import Quarter
from app.domain.vocabulary import OrgClass
from app.exchange.reader import WorkbookError
from app.services.assessment.assessment_results import rank_period
from app.services.county.county_db import init_county
from app.services.county.county_import import preview_county_import
from app.services.county.county_lists import county_parks
from app.services.grouping.classes import change_class
from app.services.registry import org_list
from app.services.workbooks.imports import apply_import, preview_import
from app.services.workbooks.submissions import export_quarter
from app.services.workbooks.yearly import export_year
from tests.conftest import TODAY, run_main


def _classes(db: Database) -> dict[int, str | None]:
    return {o.id: o.class_code for o in org_list.list_organizations(db)}


@pytest.fixture
def moved(demo_db: Database) -> Database:
    """A unit ranked A in 2026H1, classed B since: the ranking says A, the registry B."""
    [unit] = [
        r.unit_id for r in rank_period(demo_db, "2026H1").classes[OrgClass.A.value].ranked[:1]
    ]
    change_class(demo_db, unit, OrgClass.B, "年度复核后调整")
    return demo_db


def test_the_quarterly_workbooks_ranking_named_as_the_sheet_is_refused(
    moved: Database, tmp_path: Path
) -> None:
    path = tmp_path / "季度报送.xlsx"
    export_quarter(moved, path, Quarter.of(TODAY), today=TODAY)
    before = _classes(moved)
    with pytest.raises(WorkbookError) as caught:
        preview_import(moved, path, "半年考核")
    assert "考核结果" in str(caught.value) and "不是登记表" in str(caught.value)
    assert _classes(moved) == before


def _stripped(db: Database, tmp_path: Path, how: str) -> Path:
    path = tmp_path / "年度报表.xlsx"
    export_year(db, path, 2026, today=TODAY)
    wb = openpyxl.load_workbook(path)
    if how == "no_identity":
        del wb["_parkdesk"]
    else:  # the kind edited by hand
        for row in wb["_parkdesk"].iter_rows():
            if row[0].value == "kind":
                row[1].value = "quarterly"
    out = tmp_path / f"{how}.xlsx"
    wb.save(out)
    return out


def test_a_yearly_workbook_without_its_identity_moves_no_unit_back(
    moved: Database, tmp_path: Path
) -> None:
    before = _classes(moved)
    path = _stripped(moved, tmp_path, "no_identity")
    preview = preview_import(moved, path)
    assert preview.sheet not in ("上半年考核", "下半年考核")
    assert preview.count("changed") == 0 and preview.count("new") == 0
    apply_import(moved, preview)
    assert _classes(moved) == before
    with pytest.raises(WorkbookError):
        preview_import(moved, path, "上半年考核")
    done = run_main("--db", str(moved.path), "import", str(path), "--sheet", "上半年考核")
    assert done.returncode == 1 and "考核结果" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("how", ["no_identity", "kind_edited"])
def test_a_county_takes_no_ranking_for_a_parks_registry(
    moved: Database, tmp_path: Path, how: str
) -> None:
    path = _stripped(moved, tmp_path, how)
    county = open_database(tmp_path / "county.sqlite3")
    try:
        init_county(county, "鹿寨县")
        with pytest.raises((WorkbookError, ValueError)):
            preview_county_import(county, [path], "示范工业园区")
        assert county_parks(county)[1] == []
    finally:
        county.dispose()
