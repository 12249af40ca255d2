"""The assessment's workbooks as a clerk opens them: the quarterly submission's
半年考核 sheet after a half-year is published, the ranking for publication and the
awards list for the finance office, agreeing with the ranking to the last digit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl

from app.db.database import Database
from app.domain.assessment import SUIXI_SIX
from app.domain.quarters import Quarter
from app.domain.validation import OrganizationDraft
from app.services.assessment import assessment_exports, assessment_settings, assessments
from app.services.assessment.assessment_settings import AssessmentSettings
from app.services.assessment.assessments import ScoreEntry
from app.services.registry import organizations
from app.services.workbooks.submissions import export_quarter


def _scored_park(db: Database) -> None:
    assessments.open_period(db, "2026H1", "濉溪六项")
    for n, (cls, last) in enumerate(
        (("B", "15"), ("B", "14.5"), ("B", "14.5"), ("B", "10"), ("C", "9"))
    ):
        org = organizations.create_organization(
            db, OrganizationDraft(name=f"单位{n}", class_code=cls)
        )
        values = {i.name: str(i.maximum) for i in SUIXI_SIX.indicators}
        values["品牌特色"] = last
        assessments.set_scores(db, "2026H1", org, ScoreEntry(values))
    assessment_settings.set_settings(
        db, AssessmentSettings(subsidy={"B": Decimal("3000"), "C": Decimal("1500.5")})
    )


def _rows(path: Path, sheet: str) -> list[list[object]]:
    ws = openpyxl.load_workbook(path)[sheet]
    return [[c.value for c in row] for row in ws.iter_rows(min_row=3)]


def test_the_quarterly_workbook_has_the_half_year_once_published(
    db: Database, tmp_path: Path
) -> None:
    _scored_park(db)
    q3 = tmp_path / "q3.xlsx"
    export_quarter(db, q3, Quarter(2026, 3), today=date(2026, 9, 30))
    assert "半年考核" not in openpyxl.load_workbook(q3).sheetnames  # not published yet
    assessments.set_published(db, "2026H1", True)
    export_quarter(db, q3, Quarter(2026, 3), today=date(2026, 9, 30))
    rows = _rows(q3, "半年考核")
    assert rows == [
        ["B 稳健类", 1, "单位0", "", 100, "优秀", 3000, ""],
        ["B 稳健类", 2, "单位1", "", 99.5, "优秀", 3000, ""],  # tied: 1, 2, 2, 4
        ["B 稳健类", 2, "单位2", "", 99.5, "优秀", 3000, ""],
        ["B 稳健类", 4, "单位3", "", 95, "", "", ""],
        ["C 成长类", 1, "单位4", "", 94, "优秀", 1500.5, ""],
    ]
    q1 = tmp_path / "q1.xlsx"
    export_quarter(db, q1, Quarter(2026, 1), today=date(2026, 3, 31))
    assert "半年考核" not in openpyxl.load_workbook(q1).sheetnames  # H1 had not ended


def test_the_awards_list_sums_per_class_and_in_total(db: Database, tmp_path: Path) -> None:
    _scored_park(db)
    path = assessment_exports.export_awards(db, tmp_path / "奖补.xlsx", "2026H1", "测试园区")
    rows = _rows(path, "测试园区2026H1以奖代补发放名单")
    assert [r[0] for r in rows] == ["B 稳健类"] * 3 + [
        "B 稳健类小计",
        "C 成长类",
        "C 成长类小计",
        "合计",
    ]
    # amounts as numbers (an upper level sums them), exact to the fen shown
    assert [r[5] for r in rows if r[0] in ("B 稳健类小计", "C 成长类小计", "合计")] == [
        9000,
        1500.5,
        10500.5,
    ]
    ranking = assessment_exports.export_ranking(db, tmp_path / "排名.xlsx", "2026H1", "测试园区")
    title = openpyxl.load_workbook(ranking).sheetnames[0]
    assert title.startswith("测试园区2026H1半年考核结果")
