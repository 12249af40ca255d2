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
from app.services import assessment_exports, assessments, imports, organizations, score_import

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
