"""Hostile workbooks read in: a hidden stale draft before the real sheet, a score
sheet of another period, formulas without a value, error values, merged cells,
indicator columns twice or missing, full-width digits, and the park's own quarterly
export imported again. Each workbook is made here with openpyxl."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from app.db.database import Database
from app.domain.validation import OrganizationDraft
from app.exchange.reader import WorkbookError
from app.services.assessment import assessment_exports, assessments, score_import
from app.services.registry import organizations
from app.services.workbooks import imports

INDICATORS = ["组织设置", "党员队伍", "组织生活", "工作保障", "作用发挥", "品牌特色"]
UNITS = (
    ("甲科技有限公司", "91450200MA5N6C5H2H", "A"),
    ("乙贸易有限公司", "91450200773885895T", "A"),
    ("丙协会", None, "C"),
)


def _park(db: Database) -> dict[str, int]:
    return {
        name: organizations.create_organization(
            db, OrganizationDraft(name=name, uscc=code, class_code=cls)
        )
        for name, code, cls in UNITS
    }


def _score_rows(points: dict[str, list[object]]) -> list[list[object]]:
    return [["组织名称", *INDICATORS], *([name, *p] for name, p in points.items())]


def _stored(db: Database, period: str) -> dict[str, dict[str, str]]:
    with db.read_connection() as conn:
        return {
            name: __import__("json").loads(scores)
            for name, scores in conn.execute(
                "SELECT o.name, s.scores FROM assessment_score s"
                " JOIN organization o ON o.id = s.organization_id"
                " JOIN assessment_period p ON p.id = s.period_id WHERE p.code = ?",
                (period,),
            )
        }


# -- hidden sheets -------------------------------------------------------------------


def _with_hidden_draft(path: Path, draft: list[list[object]], real: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    first = wb.active
    first.title = "旧稿"
    for row in draft:
        first.append(row)
    first.sheet_state = "hidden"
    second = wb.create_sheet("正式")
    for row in real:
        second.append(row)
    wb.save(path)
    return path


def test_the_score_import_reads_the_visible_sheet_not_a_hidden_draft(
    db: Database, tmp_path: Path
) -> None:
    _park(db)
    assessments.ensure_period(db, "2026H1")
    path = _with_hidden_draft(
        tmp_path / "评分.xlsx",
        _score_rows({"甲科技有限公司": [1, 1, 1, 1, 1, 1]}),
        _score_rows({"甲科技有限公司": [15, 15, 20, 15, 20, 15]}),
    )
    preview = score_import.preview_scores(db, path, "2026H1")
    assert preview.sheet == "正式"
    score_import.apply_scores(db, preview)
    assert _stored(db, "2026H1")["甲科技有限公司"]["组织设置"] == "15.0"
    # named by the user, the hidden sheet is read
    named = score_import.preview_scores(db, path, "2026H1", sheet="旧稿")
    assert named.sheet == "旧稿" and named.count("changed") == 1


def test_the_registry_import_reads_the_visible_sheet_not_a_hidden_draft(
    db: Database, tmp_path: Path
) -> None:
    draft = [["组织名称", "统一社会信用代码", "组织类型"]] + [
        [f"旧稿单位{n}", None, "非公企业"] for n in range(17)
    ]
    real = [["组织名称", "组织类型"], ["正式单位", "非公企业"]]
    path = _with_hidden_draft(tmp_path / "名录.xlsx", draft, real)
    preview = imports.preview_import(db, path)
    assert preview.sheet == "正式"
    assert [r.name for r in preview.rows] == ["正式单位"]
    assert [r.name for r in imports.preview_import(db, path, sheet="旧稿").rows][:1] == [
        "旧稿单位0"
    ]


def test_only_hidden_sheets_say_so(db: Database, tmp_path: Path) -> None:
    draft = [["组织名称", "组织类型"], ["旧稿单位", "非公企业"]]
    path = _with_hidden_draft(tmp_path / "名录.xlsx", draft, [["说明"], ["见附件"]])
    with pytest.raises(WorkbookError, match="隐藏的工作表（旧稿）"):
        imports.preview_import(db, path)


# -- the period a score sheet names --------------------------------------------------


def test_a_template_of_another_period_is_refused_naming_both(db: Database, tmp_path: Path) -> None:
    _park(db)
    assessments.ensure_period(db, "2026H2")
    assessments.ensure_period(db, "2027H1")
    path = assessment_exports.export_template(db, tmp_path / "评分表.xlsx", "2026H2")
    wb = openpyxl.load_workbook(path)
    ws = wb["考核评分"]
    for r in range(3, ws.max_row + 1):
        for c in range(4, 10):
            ws.cell(r, c).value = 10
    wb.save(path)
    with pytest.raises(WorkbookError, match=r"是2026H2的评分表.*不能导入到2027H1"):
        score_import.preview_scores(db, path, "2027H1")
    assert _stored(db, "2027H1") == {}
    assert score_import.preview_scores(db, path, "2026H2").count("new") == 3


def test_the_command_line_refuses_another_period_and_opens_nothing(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    from tests.conftest import run_main

    _park(db)
    assessments.ensure_period(db, "2026H2")
    path = assessment_exports.export_template(db, tmp_path / "评分表.xlsx", "2026H2")
    db.dispose()
    out = run_main("--db", str(db_path), "assess", "import", str(path), "--period", "2027H1")
    assert out.returncode != 0
    assert "是2026H2的评分表" in out.stderr and "不能导入到2027H1" in out.stderr
    assert "Traceback" not in out.stderr
    with db.read_connection() as conn:
        assert [c for (c,) in conn.execute("SELECT code FROM assessment_period")] == ["2026H2"]
    # the right period, not opened yet, is opened by the import itself
    out = run_main("--db", str(db_path), "assess", "import", str(path), "--period", "2026H2")
    assert out.returncode == 0, out.stderr


def test_a_hand_made_sheet_titled_with_another_half_is_refused(
    db: Database, tmp_path: Path
) -> None:
    _park(db)
    assessments.ensure_period(db, "2026H1")
    rows = [["2026年下半年考核打分"], *_score_rows({"甲科技有限公司": [15] * 6})]
    path = tmp_path / "手工.xlsx"
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    with pytest.raises(WorkbookError, match=r"2026H2.*标题“2026年下半年考核打分”.*2026H1"):
        score_import.preview_scores(db, path, "2026H1")


# -- the park's own quarterly export, imported again ---------------------------------


def _two_of_one_name(db: Database) -> tuple[dict[str, int], list[int]]:
    from app.services.registry import instructors

    units = _park(db)
    people = [
        instructors.create_instructor(db, instructors.InstructorDraft(name="于伟", phone=p))
        for p in ("13800000001", "13800000002")
    ]
    instructors.assign(db, people[0], units["甲科技有限公司"])
    instructors.assign(db, people[1], units["乙贸易有限公司"])
    return units, people


def _assignments(db: Database) -> set[tuple[int, int]]:
    with db.read_connection() as conn:
        return set(conn.execute("SELECT instructor_id, organization_id FROM assignment"))


def _phones(db: Database) -> dict[int, str]:
    with db.read_connection() as conn:
        return dict(conn.execute("SELECT id, phone FROM instructor"))


def _export(db: Database, path: Path) -> Path:
    from datetime import date

    from app.domain.quarters import Quarter
    from app.services.workbooks.submissions import export_quarter

    export_quarter(db, path, Quarter.of(date.today()))
    return path


def test_the_own_export_imported_again_changes_nothing_and_says_so(
    db: Database, tmp_path: Path
) -> None:
    _two_of_one_name(db)
    before, phones = _assignments(db), _phones(db)
    path = _export(db, tmp_path / "q.xlsx")
    preview = imports.preview_import(db, path)
    assert preview.errors == []
    result = imports.apply_import(db, preview)
    assert (result.created, result.updated) == (0, 0)
    assert result.others == {}  # no assignment, instructor or party organization written
    assert _assignments(db) == before
    assert _phones(db) == phones  # neither 于伟 took the other's details


def test_the_own_export_in_an_empty_database_keeps_two_people_of_one_name_apart(
    db: Database, tmp_path: Path
) -> None:
    from app.db.database import open_database

    _two_of_one_name(db)
    path = _export(db, tmp_path / "q.xlsx")
    other = open_database(tmp_path / "另一个" / "parkdesk.sqlite3")
    try:
        result = imports.apply_import(other, imports.preview_import(other, path))
        assert result.others["指导员"] == (2, 0)
        assert result.others["联系分工"] == (2, 0)
        with other.read_connection() as conn:
            pairs = set(
                conn.execute(
                    "SELECT i.phone, o.name FROM assignment a"
                    " JOIN instructor i ON i.id = a.instructor_id"
                    " JOIN organization o ON o.id = a.organization_id"
                )
            )
        assert pairs == {("13800000001", "甲科技有限公司"), ("13800000002", "乙贸易有限公司")}
    finally:
        other.dispose()


def test_an_export_without_identities_asks_about_a_shared_name(
    db: Database, tmp_path: Path
) -> None:
    """An older export (no 指导员编号): a name two instructors share is a question on
    its rows, never a pick."""
    _two_of_one_name(db)
    before, phones = _assignments(db), _phones(db)
    path = _export(db, tmp_path / "q.xlsx")
    wb = openpyxl.load_workbook(path)
    for name in ("指导员", "联系分工"):
        ws = wb[name]
        ws.delete_cols([c.value for c in ws[2]].index("指导员编号") + 1)
    wb.save(path)
    preview = imports.preview_import(db, path)
    ambiguous = [e for e in preview.errors if e.reason == "instructor_ambiguous"]
    assert sorted((e.message[:8], e.row, e.column) for e in ambiguous) == [
        ("工作表“指导员”", 3, "指导员"),
        ("工作表“指导员”", 4, "指导员"),
        ("工作表“联系分工", 3, "指导员"),
        ("工作表“联系分工", 4, "指导员"),
    ]
    assert all("2名指导员叫“于伟”" in e.message for e in ambiguous)
    result = imports.apply_import(db, preview)
    assert "联系分工" not in result.others and "指导员" not in result.others
    assert _assignments(db) == before and _phones(db) == phones


def test_a_registry_sheet_naming_a_shared_name_stops_that_row(db: Database, tmp_path: Path) -> None:
    _units, _people = _two_of_one_name(db)
    path = tmp_path / "名录.xlsx"
    wb = openpyxl.Workbook()
    for row in (
        ["组织名称", "统一社会信用代码", "党建指导员"],
        ["甲科技有限公司", "91450200MA5N6C5H2H", "于伟"],  # already its 于伟: no change
        ["丙协会", None, "于伟"],  # which one?
    ):
        wb.active.append(row)
    wb.save(path)
    before = _assignments(db)
    preview = imports.preview_import(db, path)
    assert [(e.row, e.reason) for e in preview.errors] == [(3, "instructor_ambiguous")]
    assert preview.rows[0].status == "unchanged"
    imports.apply_import(db, preview)
    assert _assignments(db) == before


# -- formulas, error values, merged cells, columns twice or missing, full-width --------


def _book(path: Path, rows: list[list[object]], merge: str | None = None) -> Path:
    """openpyxl writes a formula without its value and "#DIV/0!" as an error cell."""
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    if merge:
        wb.active.merge_cells(merge)
    wb.save(path)
    return path


def _reasons(errors: list) -> list[tuple[int, str, str]]:  # type: ignore[type-arg]
    return [(e.row, e.column, e.reason) for e in errors]


def test_a_formula_without_its_value_is_said_not_read_as_blank(
    db: Database, tmp_path: Path
) -> None:
    _park(db)
    assessments.ensure_period(db, "2026H1")
    path = _book(
        tmp_path / "公式.xlsx", _score_rows({"甲科技有限公司": ["=10+3", 15, 20, 15, 20, 15]})
    )
    preview = score_import.preview_scores(db, path, "2026H1")
    assert _reasons(preview.errors) == [(2, "组织设置", "formula_uncached")]
    assert preview.errors[0].value == "=10+3"
    assert "公式没有计算结果，请在 Excel 中打开并保存后再导入" in preview.errors[0].message
    score_import.apply_scores(db, preview)
    assert _stored(db, "2026H1") == {}  # not saved with 5 of 6 scores


def test_an_error_value_is_said_and_the_old_score_is_not_kept_silently(
    db: Database, tmp_path: Path
) -> None:
    _park(db)
    assessments.ensure_period(db, "2026H1")
    first = _book(tmp_path / "一.xlsx", _score_rows({"甲科技有限公司": [15, 15, 20, 15, 20, 15]}))
    score_import.apply_scores(db, score_import.preview_scores(db, first, "2026H1"))
    path = _book(
        tmp_path / "二.xlsx", _score_rows({"甲科技有限公司": [14, "#DIV/0!", 20, 15, 20, 15]})
    )
    preview = score_import.preview_scores(db, path, "2026H1")
    assert _reasons(preview.errors) == [(2, "党员队伍", "formula_error")]
    assert "单元格是错误值 #DIV/0!" in preview.errors[0].message
    assert preview.count("bad") == 1


def test_a_score_merged_across_three_units_is_said_on_each(db: Database, tmp_path: Path) -> None:
    _park(db)
    assessments.ensure_period(db, "2026H1")
    rows = _score_rows(
        {
            "甲科技有限公司": [15, 15, 20, 15, 20, 15],
            "乙贸易有限公司": [None, 15, 20, 15, 20, 15],
            "丙协会": [None, 15, 20, 15, 20, 15],
        }
    )
    path = _book(tmp_path / "合并.xlsx", rows, merge="B2:B4")
    preview = score_import.preview_scores(db, path, "2026H1")
    assert _reasons(preview.errors) == [(r, "组织设置", "merged_cell") for r in (2, 3, 4)]
    assert "合并单元格 B2:B4" in preview.errors[0].message
    assert preview.count("bad") == 3


def test_an_indicator_column_twice_is_refused_naming_both(db: Database, tmp_path: Path) -> None:
    _park(db)
    assessments.ensure_period(db, "2026H1")
    rows = [["组织名称", *INDICATORS, "组织设置"], ["甲科技有限公司", 15, 15, 20, 15, 20, 15, 3]]
    path = _book(tmp_path / "两列.xlsx", rows)
    with pytest.raises(WorkbookError, match="“组织设置”列出现了两次（B列和H列）"):
        score_import.preview_scores(db, path, "2026H1")


def test_a_missing_indicator_column_is_said(db: Database, tmp_path: Path) -> None:
    _park(db)
    assessments.ensure_period(db, "2026H1")
    rows = [["组织名称", *INDICATORS[:-1]], ["甲科技有限公司", 15, 15, 20, 15, 20]]
    preview = score_import.preview_scores(db, _book(tmp_path / "缺列.xlsx", rows), "2026H1")
    assert _reasons(preview.errors) == [(1, "品牌特色", "indicator_missing")]


def test_full_width_digits_are_numbers(db: Database, tmp_path: Path) -> None:
    _park(db)
    assessments.ensure_period(db, "2026H1")
    rows = _score_rows({"甲科技有限公司": ["１３．５", "１５", 20, 15, 20, 15]})
    preview = score_import.preview_scores(db, _book(tmp_path / "全角.xlsx", rows), "2026H1")
    assert preview.errors == []
    score_import.apply_scores(db, preview)
    stored = _stored(db, "2026H1")["甲科技有限公司"]
    assert (stored["组织设置"], stored["党员队伍"]) == ("13.5", "15.0")


def test_the_registry_import_says_formulas_merges_and_reads_full_width(
    db: Database, tmp_path: Path
) -> None:
    rows = [
        ["组织名称", "组织类型", "正式党员数", "所属党组织", "组建方式"],
        ["甲公司", "非公企业", "=1+2", None, "未建"],
        ["乙公司", "非公企业", "１３", None, "未建"],
        ["丙公司", "非公企业", 1, "园区联合党支部", "联合组建"],
        ["丁公司", "非公企业", 1, None, "联合组建"],
        ["戊公司", "非公企业", 1, None, "联合组建"],
    ]
    path = _book(tmp_path / "名录.xlsx", rows, merge="D4:D6")
    preview = imports.preview_import(db, path)
    assert _reasons(preview.errors) == [
        (2, "正式党员数", "formula_uncached"),
        (4, "所属党组织", "merged_cell"),
        (5, "所属党组织", "merged_cell"),
        (6, "所属党组织", "merged_cell"),
    ]
    assert [r.status for r in preview.rows] == ["bad", "new", "bad", "bad", "bad"]
    assert preview.rows[1].values["formal_members"] == 13


def test_another_offices_export_joins_one_name_and_keeps_two_of_a_name_apart(
    db: Database, tmp_path: Path
) -> None:
    """Identities this register does not know: a name alone in the workbook and here
    is that person; two of a name in the workbook are never made one here."""
    from app.db.database import open_database
    from app.services.registry import instructors

    _two_of_one_name(db)  # the office: two 于伟
    solo = instructors.create_instructor(db, instructors.InstructorDraft(name="李娜"))
    instructors.assign(db, solo, _ids(db)["丙协会"])
    path = _export(db, tmp_path / "q.xlsx")
    here = open_database(tmp_path / "园区" / "parkdesk.sqlite3")
    try:
        for name in ("于伟", "李娜"):  # entered by hand here, with identities of their own
            instructors.create_instructor(here, instructors.InstructorDraft(name=name))
        result = imports.apply_import(here, imports.preview_import(here, path))
        assert result.others["指导员"][0] == 2  # the two 于伟 of the workbook, not 李娜
        with here.read_connection() as conn:
            counts = dict(conn.execute("SELECT name, count(*) FROM instructor GROUP BY name"))
            linked = conn.execute(
                "SELECT count(*) FROM assignment a JOIN instructor i ON i.id = a.instructor_id"
                " WHERE i.name = '李娜' AND i.id = (SELECT min(id) FROM instructor"
                " WHERE name = '李娜')"
            ).fetchone()[0]
        assert counts == {"于伟": 3, "李娜": 1} and linked == 1
    finally:
        here.dispose()


def _ids(db: Database) -> dict[str, int]:
    with db.read_connection() as conn:
        return dict(conn.execute("SELECT name, id FROM organization"))


@pytest.mark.parametrize("title", ["2026年度上半年考核打分", "2026 H1 考核", "考核打分表"])
def test_a_title_of_the_same_half_or_none_is_taken(
    db: Database, tmp_path: Path, title: str
) -> None:
    _park(db)
    assessments.ensure_period(db, "2026H1")
    path = _book(tmp_path / "手工.xlsx", [[title], *_score_rows({"甲科技有限公司": [15] * 6})])
    assert score_import.preview_scores(db, path, "2026H1").count("new") == 1
