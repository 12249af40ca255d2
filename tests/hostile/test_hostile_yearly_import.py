"""A yearly workbook (年度报表) fed where a registry or a quarterly submission is read: its
考核 sheets have 组织名称 and 统一社会信用代码 columns, so read as a registry it would
come in as 119 units (a county would count a park of them). Each path says in Chinese
what the file is and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.db.database import Database, open_database
from app.exchange.reader import WorkbookError
from app.services.county.county_db import init_county
from app.services.county.county_import import preview_county_import
from app.services.county.county_lists import county_parks
from app.services.registry import org_list
from app.services.workbooks.imports import preview_import
from app.services.workbooks.yearly import export_year
from tests.conftest import TODAY, run_main

SAID = "2026年度报表"


@pytest.fixture
def yearly(demo_db: Database, tmp_path: Path) -> Path:
    path = tmp_path / "年度报表.xlsx"
    export_year(demo_db, path, 2026, today=TODAY)
    return path


def test_the_registry_import_refuses_a_yearly_workbook(demo_db: Database, yearly: Path) -> None:
    before = len(org_list.list_organizations(demo_db))
    for sheet in (None, "上半年考核"):  # found by itself, or named by the clerk
        with pytest.raises(WorkbookError) as caught:
            preview_import(demo_db, yearly, sheet)
        assert SAID in str(caught.value) and "不能导入" in str(caught.value)
    assert len(org_list.list_organizations(demo_db)) == before


def test_import_on_the_command_line_says_so(demo_db: Database, db_path: Path, yearly: Path) -> None:
    done = run_main("--db", str(db_path), "import", str(yearly))
    assert done.returncode == 1, done.stdout
    assert SAID in done.stderr and "不是登记表" in done.stderr and "Traceback" not in done.stderr


def test_a_county_refuses_a_yearly_workbook(yearly: Path, tmp_path: Path) -> None:
    county = open_database(tmp_path / "county.sqlite3")
    try:
        init_county(county, "鹿寨县")
        for park in (None, "示范工业园区"):  # as ParkDesk's, or as a plain sheet named
            with pytest.raises(WorkbookError) as caught:
                preview_county_import(county, [yearly], park)
            assert SAID in str(caught.value) and "不是季度报送" in str(caught.value)
        done = run_main("--db", str(tmp_path / "county.sqlite3"), "county", "import", str(yearly))
        assert done.returncode == 1 and SAID in done.stderr
        assert county_parks(county)[1] == []  # no park read in
    finally:
        county.dispose()
