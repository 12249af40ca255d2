"""The quarterly submission: what a clerk and the upper level will open."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
from sqlalchemy import text

from app.db.database import Database, open_database
from app.domain.quarters import Quarter
from app.domain.validation import OrganizationDraft
from app.domain.vocabulary import OrgStatus
from app.exchange.export import META_SHEET
from app.services.files import demo
from app.services.registry import organizations
from app.services.workbooks.import_apply import apply_import
from app.services.workbooks.imports import preview_import
from app.services.workbooks.submissions import export_quarter, export_template, figures_of
from tests.conftest import TODAY

Q3, Q4 = Quarter(2026, 3), Quarter(2026, 4)


def _cells(path: Path, sheet: str) -> list[tuple[object, ...]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = [tuple(r) for r in wb[sheet].iter_rows(min_row=2, values_only=True)]
    wb.close()
    return rows


def test_workbook_layout(demo_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "报送.xlsx"
    result = export_quarter(demo_db, path, Q4, today=TODAY)
    assert result.organizations == 120
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [
        "封面汇总",
        "组织名录",
        "党组织",
        "指导员",
        "联系分工",
        "编组",
        "编组记录",
        "结对帮带",
        "走访整改",
        "半年考核",  # 2026H1, published, closed by the fourth quarter
        "变化情况",
        META_SHEET,
    ]
    assert wb[META_SHEET].sheet_state == "hidden"
    meta = {r[0].value: r[1].value for r in wb[META_SHEET].iter_rows()}
    assert (meta["program"], meta["kind"], meta["quarter"]) == ("ParkDesk", "quarterly", "2026Q4")
    ws = wb["组织名录"]
    assert ws.freeze_panes == "B3"
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$1:$2"  # how it prints: test_the_workbook_prints_readably
    header = [c.value for c in ws[2]]
    assert header[:3] == ["组织名称", "统一社会信用代码", "组织类型"]
    code_cell = ws.cell(3, 2)
    assert code_cell.data_type == "s" and len(code_cell.value) == 18
    founded = ws.cell(3, header.index("成立日期") + 1)
    assert isinstance(founded.value, date) or founded.value is None
    lists = {next(iter(dv.sqref.ranges)).min_col for dv in ws.data_validations.dataValidation}
    assert header.index("组建方式") + 1 in lists and header.index("组织类型") + 1 in lists
    assert ws.column_dimensions["A"].width >= 20  # names fit


def test_cover_figures_are_the_registry_counts(demo_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "报送.xlsx"
    export_quarter(demo_db, path, Q4, today=TODAY)
    figures = figures_of(demo_db)
    rows = {r[0]: r[1:4] for r in _cells(path, "封面汇总") if r and r[0]}
    assert rows["纳入统计的组织（个）"] == (
        figures["enterprise"]["in_base"],
        figures["social"]["in_base"],
        figures["total"]["in_base"],
    )
    assert rows["党组织覆盖合计（个）"][2] == figures["total"]["covered"]
    assert figures["total"]["covered"] == sum(
        figures["total"][k] for k in ("own", "joint", "attached")
    )
    # the classes by kind, as 总览 counts them, adding up to the base
    from app.services.overview.figures import class_counts, figure_list

    counts = class_counts(demo_db)
    assert rows["A 示范类"] == tuple(counts["A"][k] for k in ("enterprise", "social", "total"))
    assert rows["未分类"][2] == counts["未分类"]["total"]
    classes = ("A 示范类", "B 稳健类", "C 成长类", "D 孵化类", "E 其他类", "未分类")
    assert sum(rows[c][2] for c in classes) == figures["total"]["in_base"]
    assert len(figure_list(demo_db, "class_C")) == rows["C 成长类"][2]


def test_round_trip_into_the_same_database_changes_nothing(
    demo_db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "报送.xlsx"
    export_quarter(demo_db, path, Q4, today=TODAY)
    preview = preview_import(demo_db, path)
    assert preview.sheet == "组织名录"
    assert (preview.count("new"), preview.count("changed"), preview.count("bad")) == (0, 0, 0)
    assert preview.count("unchanged") == 120


def test_text_that_looks_like_a_formula_stays_text(db: Database, tmp_path: Path) -> None:
    organizations.create_organization(
        db,
        OrganizationDraft(name='=HYPERLINK("http://x.invalid","点")', notes="+1-2", phone="@home"),
    )
    path = tmp_path / "报送.xlsx"
    export_quarter(db, path, Q4, today=TODAY)
    ws = openpyxl.load_workbook(path)["组织名录"]
    assert ws.cell(3, 1).data_type == "s" and ws.cell(3, 1).value.startswith("=HYPERLINK")
    again = preview_import(db, path)
    assert again.count("unchanged") == 1


def test_changes_since_the_last_submission(db: Database, tmp_path: Path) -> None:
    demo.build_demo(db, 30, today=TODAY)
    from app.services.registry import org_list

    first, second = org_list.list_organizations(db)[:2]
    draft = organizations.get_draft(db, second.id)
    draft.formal_members = 0
    organizations.update_organization(db, second.id, draft)
    earlier = export_quarter(db, tmp_path / "q3.xlsx", Q3, today=TODAY)
    assert earlier.first and earlier.changes_text() == "本次为首次报送"
    new_id = organizations.create_organization(db, OrganizationDraft(name="新来的公司"))
    organizations.mark_status(db, first.id, OrgStatus.MOVED_OUT, date(2026, 10, 15))
    draft.formal_members = 7
    organizations.update_organization(db, second.id, draft)
    result = export_quarter(db, tmp_path / "q4.xlsx", Q4, today=TODAY)
    assert not result.first and result.changes_text() == "较上次报送有3处变化"
    changes = [r for r in _cells(tmp_path / "q4.xlsx", "变化情况")[1:] if r[0]]
    kinds = [r[0] for r in changes]
    assert kinds == ["新增", "迁出", "变更"] and result.changes == 3
    assert changes[0][1] == "新来的公司" and new_id
    assert "正式党员数：0 → 7" in changes[2][3]  # a 0 is 0, not 空
    wb = openpyxl.load_workbook(tmp_path / "q4.xlsx", read_only=True)
    assert "2026Q3" in wb["变化情况"]["A1"].value
    wb.close()


def test_exporting_a_quarter_again_keeps_one_registry_snapshot(
    db: Database, tmp_path: Path
) -> None:
    demo.build_demo(db, 30, today=TODAY)
    export_quarter(db, tmp_path / "q3.xlsx", Q3, today=TODAY)
    export_quarter(db, tmp_path / "q4-first.xlsx", Q4, today=TODAY)
    organizations.create_organization(db, OrganizationDraft(name="第二次导出前登记的公司"))
    export_quarter(db, tmp_path / "q4.xlsx", Q4, today=TODAY)
    with db.read_connection() as conn:
        rows = conn.execute(
            "SELECT quarter, file_name, length(snapshot) > 0 FROM submission ORDER BY id"
        ).fetchall()
    # every export is still on record; only each quarter's newest keeps the registry
    assert rows == [
        ("2026Q3", "q3.xlsx", 1),
        ("2026Q4", "q4-first.xlsx", 0),
        ("2026Q4", "q4.xlsx", 1),
    ]
    # and what changed is still measured against the previous quarter
    changes = [r for r in _cells(tmp_path / "q4.xlsx", "变化情况")[1:] if r[0]]
    assert [r[0] for r in changes] == ["新增"]


def test_template_is_importable_and_explained(db: Database, tmp_path: Path) -> None:
    path = export_template(tmp_path / "模板.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["组织名录", "填表说明", META_SHEET]
    ws = wb["组织名录"]
    ws.append(["模板里填的公司", None, "非公企业"])
    wb.save(path)
    preview = preview_import(db, path)
    assert [(r.status, r.name) for r in preview.rows] == [("new", "模板里填的公司")]


def test_the_whole_workbook_comes_back_into_an_empty_database(
    demo_db: Database, tmp_path: Path
) -> None:
    """Registry, party organizations, instructors and assignments: the same cells."""
    first = tmp_path / "第一次.xlsx"
    export_quarter(demo_db, first, Q4, today=TODAY)
    other = open_database(tmp_path / "空库.sqlite3")
    apply_import(other, preview_import(other, first))
    second = tmp_path / "第二次.xlsx"
    export_quarter(other, second, Q4, today=TODAY)
    sheets = (
        "组织名录",
        "党组织",
        "指导员",
        "联系分工",
        "编组",
        "编组记录",
        "结对帮带",
        "走访整改",
    )
    for sheet in sheets:
        assert _cells(second, sheet)[1:] == _cells(first, sheet)[1:], sheet
    assert len(_cells(first, "结对帮带")) > 10  # the demo park's pairings, with their entries
    assert any(row[-1] for row in _cells(first, "结对帮带")[1:])
    assert len(_cells(first, "走访整改")) > 5  # the quarter's visits and the open problems
    # and importing it again changes nothing at all
    again = preview_import(other, second)
    assert (again.count("new"), again.count("changed")) == (0, 0)
    from app.services.grouping import pairings

    before = len(pairings.list_pairings(other, TODAY))
    apply_import(other, again)
    assert len(pairings.list_pairings(other, TODAY)) == before
    third = tmp_path / "第三次.xlsx"
    export_quarter(other, third, Q4, today=TODAY)
    assert _cells(third, "编组记录")[1:] == _cells(first, "编组记录")[1:]  # nothing twice
    other.dispose()


def test_changes_are_measured_against_an_older_snapshot_too(db: Database, tmp_path: Path) -> None:
    import json

    demo.build_demo(db, 20, today=TODAY)
    export_quarter(db, tmp_path / "q3.xlsx", Q3, today=TODAY)
    # a submission kept by an earlier version: a dict of values per organization
    with db.read_connection() as conn:
        kept = json.loads(conn.execute("SELECT snapshot FROM submission").fetchone()[0])
    older = {u: dict(zip(kept["columns"], row, strict=True)) for u, row in kept["rows"].items()}
    with db.session() as s:
        s.execute(text("UPDATE submission SET snapshot = :s"), {"s": json.dumps(older)})
    from app.services.registry import org_list

    first = org_list.list_organizations(db)[0]
    draft = organizations.get_draft(db, first.id)
    draft.formal_members = (draft.formal_members or 0) + 2
    organizations.update_organization(db, first.id, draft)
    result = export_quarter(db, tmp_path / "q4.xlsx", Q4, today=TODAY)
    changes = [r for r in _cells(tmp_path / "q4.xlsx", "变化情况")[1:] if r[0]]
    assert result.changes == 1 and list(changes[0][:2]) == ["变更", first.name]
    assert changes[0][3].startswith("正式党员数：")


def test_every_stored_field_of_party_orgs_and_instructors_comes_back(
    db: Database, tmp_path: Path
) -> None:
    """Notes, phones, venue, postponement: what the clerk typed survives the round trip
    (an instructor's 备注 used to be written blank and read back as blank)."""
    from app.domain.validation import PartyOrgDraft
    from app.domain.vocabulary import Formation, InstructorRole, PartyOrgLevel
    from app.services.registry import instructors, party_orgs

    parent = party_orgs.create_party_org(
        db, PartyOrgDraft(name="园区党委", level=PartyOrgLevel.COMMITTEE, term_years=5), TODAY
    )
    branch = PartyOrgDraft(
        name="星河联合党支部",
        formation=Formation.JOINT,
        secretary="周敏",
        secretary_phone="0561-1234567",
        founded=date(2019, 5, 4),
        last_election=date(2023, 6, 1),
        postponed_until=date(2027, 1, 31),
        postponement_approval="园区党工委〔2026〕3号",
        parent_id=parent,
        venue="星河大厦3楼",
        notes="两家企业共用活动室",
    )
    party_orgs.create_party_org(db, branch, TODAY)
    person = instructors.InstructorDraft(
        name="李强",
        role=InstructorRole.FIRST_SECRETARY,
        unit="园区党群工作部",
        phone="13800000000",
        active=False,
        capacity=8,
        notes="2026年起兼任第一书记",
    )
    instructors.create_instructor(db, person)
    path = tmp_path / "报送.xlsx"
    export_quarter(db, path, Q4, today=TODAY)
    other = open_database(tmp_path / "空库.sqlite3")
    apply_import(other, preview_import(other, path))
    ids = {r.name: r.id for r in party_orgs.list_party_orgs(other, TODAY)}
    back = party_orgs.get_draft(other, ids["星河联合党支部"])
    assert back == replace(branch, parent_id=ids["园区党委"])
    (inst,) = instructors.list_instructors(other, TODAY)
    assert instructors.get_draft(other, inst.id) == person
    other.dispose()


def test_a_bad_cell_in_parkdesks_own_sheets_is_told_and_nothing_is_written(
    demo_db: Database, tmp_path: Path
) -> None:
    import pytest

    from app.exchange.reader import WorkbookError

    path = tmp_path / "报送.xlsx"
    export_quarter(demo_db, path, Q4, today=TODAY)
    wb = openpyxl.load_workbook(path)
    wb["编组记录"].cell(3, 7).value = "很多"  # 数额 of the first record
    wb.save(path)
    other = open_database(tmp_path / "空库.sqlite3")
    with pytest.raises(WorkbookError) as err:
        preview_import(other, path)
    assert str(err.value) == "工作表“编组记录”第3行“数额”列：“很多”不是金额"
    other.dispose()


def test_the_workbook_prints_readably(demo_db: Database, tmp_path: Path) -> None:
    """组织名录 (34 columns) on A3 landscape at 80 % (10 pt cells print at 8 pt), over
    pages across with the name column and the header rows on each; a narrow sheet fits
    one page wide; the cover's 报送单位 spans three columns so a long name stays inside."""
    path = export_quarter(demo_db, tmp_path / "q.xlsx", Q4, today=TODAY).path
    wb = openpyxl.load_workbook(path)
    names = wb["组织名录"]
    assert (names.page_setup.paperSize, names.page_setup.scale) == (8, 80)
    assert names.page_setup.orientation == "landscape"
    assert (names.print_title_rows, names.print_title_cols) == ("$1:$2", "$A:$A")
    assert not names.sheet_properties.pageSetUpPr.fitToPage
    people = wb["指导员"]
    assert people.sheet_properties.pageSetUpPr.fitToPage  # one page wide (OOXML default 1)
    assert people.page_setup.fitToWidth in (None, 1) and people.page_setup.fitToHeight == 0
    assert "B3:D3" in {str(r) for r in wb["封面汇总"].merged_cells.ranges}
