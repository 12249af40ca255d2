"""An instructor's laptop exports the park's quarterly submission or yearly workbook.
The field database holds the package's units and a copy of the office's park row: its
submission named the park (same uuid), and a county importing it replaced the park's
120 units of the quarter with the laptop's 18 ("减少102个"). Only the office exports
what speaks for the whole park; the laptop says so and writes nothing. The park's
standards (经费保障's, the assessment's subsidies) are the office's there too."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.db.database import Database, open_database
from app.domain.quarters import Quarter
from app.domain.validation import ValidationError
from app.services.assessment import assessment_settings
from app.services.field import field_package
from app.services.funds import fund_settings
from app.services.workbooks.submissions import export_quarter
from app.services.workbooks.yearly import export_year
from tests.conftest import TODAY, run_main


@pytest.fixture
def laptop(demo_db: Database, tmp_path: Path) -> Path:
    package = tmp_path / "孙强云.pdfield"
    field_package.make_field_package(demo_db, package, instructor="孙强云")
    target = tmp_path / "笔记本" / "外业.sqlite3"
    target.parent.mkdir()
    field_package.open_field_package(package, target)
    return target


def test_a_field_database_exports_no_submission_nor_yearly_workbook(
    laptop: Path, tmp_path: Path
) -> None:
    db = open_database(laptop, daily_backup=False)
    out = tmp_path / "出"
    out.mkdir()
    try:
        with pytest.raises(ValueError, match=r"外业数据库.*不能导出示范工业园区的季度报送"):
            export_quarter(db, out / "季度.xlsx", Quarter.of(TODAY), today=TODAY)
        with pytest.raises(ValueError, match=r"外业数据库.*不能导出示范工业园区的年度报表"):
            export_year(db, out / "年度.xlsx", 2026, today=TODAY)
    finally:
        db.dispose()
    assert list(out.iterdir()) == []


def test_the_command_line_says_so(laptop: Path, tmp_path: Path) -> None:
    for extra in ((), ("--year", "2026")):
        done = run_main("--db", str(laptop), "export", str(tmp_path / "报送.xlsx"), *extra)
        assert done.returncode == 1 and "外业数据库" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    assert not (tmp_path / "报送.xlsx").exists()


def test_the_parks_standards_are_the_offices_on_a_laptop(laptop: Path) -> None:
    """经费标准 and the assessment's subsidies were writable on the laptop: its 经费保障
    then showed entitlements of 1 元 a member, and the change never went back."""
    db = open_database(laptop, daily_backup=False)
    try:
        before = (fund_settings.get_settings(db), assessment_settings.get_settings(db))
        with pytest.raises(ValidationError) as caught:
            fund_settings.set_settings(db, per_member="1")
        assert "经费标准和考核设置只读" in caught.value.issues[0].message
        with pytest.raises(ValidationError):
            assessment_settings.set_subsidy(db, "A", "7")
        after = (fund_settings.get_settings(db), assessment_settings.get_settings(db))
        assert after == before
    finally:
        db.dispose()
    done = run_main("--db", str(laptop), "settings", "funds", "--per-member", "1")
    assert done.returncode == 1 and "只读" in done.stderr and "Traceback" not in done.stderr
