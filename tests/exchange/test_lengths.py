"""No field is ever cut silently: limits checked alike in the form, the import and
the command line; the export stops rather than write a shorter value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.db.database import Database, open_database
from app.domain.quarters import Quarter
from app.domain.validation import OrganizationDraft, ValidationError
from app.services.registry import organizations
from app.services.workbooks.imports import preview_import
from app.services.workbooks.submissions import ValueTooLong, export_quarter
from tests.conftest import run_main, write_xlsx


def test_the_form_refuses_a_name_over_200_characters(db: Database) -> None:
    with pytest.raises(ValidationError) as caught:
        organizations.create_organization(db, OrganizationDraft(name="甲" * 201))
    assert [i.code for i in caught.value.issues] == ["name_too_long"]
    assert "最多200个字" in caught.value.issues[0].message
    organizations.create_organization(db, OrganizationDraft(name="甲" * 200))


def test_the_import_makes_a_too_long_cell_a_bad_row(db: Database, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "长.xlsx",
        [
            ["组织名称", "类型", "地址", "党建指导员"],
            ["甲" * 201, "企业", "", ""],
            ["乙公司", "企业", "路" * 301, ""],
            ["丙公司", "企业", "", "王" * 101],
            ["丁公司", "企业", "路" * 300, ""],
        ],
    )
    preview = preview_import(db, path)
    reasons = [(e.row, e.reason) for e in preview.errors]
    assert reasons == [(2, "name_too_long"), (3, "address_too_long"), (4, "instructor_too_long")]
    assert preview.count("new") == 1


def test_the_command_line_reports_the_same(db_path: Path, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "长.xlsx", [["组织名称", "类型"], ["甲" * 100_000, "企业"]])
    done = run_main("--db", str(db_path), "import", str(path), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert [e["reason"] for e in report["errors"]] == ["name_too_long"]
    assert report["created"] == 0


def _legacy_long_name(db: Database) -> int:
    """A name stored before there were limits."""
    org = organizations.create_organization(db, OrganizationDraft(name="长名公司"))
    with db.session() as s:
        conn = s.connection().connection.driver_connection
        conn.execute("UPDATE organization SET name = ? WHERE id = ?", ("长" * 100_000, org))
    return org


def test_the_export_stops_rather_than_cut_a_value(db: Database, tmp_path: Path) -> None:
    _legacy_long_name(db)
    out = tmp_path / "报送.xlsx"
    with pytest.raises(ValueTooLong, match=r"100000个字.*32767"):
        export_quarter(db, out, Quarter(2026, 4))
    assert not out.exists() and not out.with_name(out.name + ".part").exists()


def test_the_export_command_names_the_record_and_writes_nothing(
    db_path: Path, tmp_path: Path
) -> None:
    db = open_database(db_path)
    _legacy_long_name(db)
    organizations.create_organization(db, OrganizationDraft(name="普通公司", notes="备注"))
    db.dispose()
    out = tmp_path / "报送.xlsx"
    done = run_main("--db", str(db_path), "export", str(out))
    assert done.returncode == 1
    assert "组织名录" in done.stderr and "组织名称" in done.stderr and "没有写出文件" in done.stderr
    assert not out.exists()
