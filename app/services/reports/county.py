"""The county's figures printed (区县汇总): a row per park and the total, the parks that
have not submitted, the duplicates across parks; A4 landscape."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.db.database import Database
from app.domain.quarters import Quarter
from app.services.reports import pdf

HEADERS = [
    "园区",
    "季度",
    "纳入统计",
    "党组织覆盖",
    "覆盖率",
    "单独组建",
    "单独组建率",
    "党的工作覆盖",
    "工作覆盖率",
    "正式党员",
    "应建未建",
    "优秀",
]
# summary_row's columns printed, in HEADERS' order
_PICKED = (0, 1, 2, 5, 10, 6, 11, 9, 12, 13, 16, 23)


def county_pdf(
    db: Database, path: Path, quarter: Quarter | None = None, today: date | None = None
) -> pdf.Printed:
    from app.services.county.county_export import quarter_text, summary_rows
    from app.services.county.county_figures import county_figures
    from app.services.county.county_lists import county_duplicates
    from app.services.registry.park import get_rounding

    today = today or date.today()
    rounding = get_rounding(db)
    figures = county_figures(db, quarter)
    rows = [
        ["" if row[i] is None else str(row[i]) for i in _PICKED]
        for row in summary_rows(figures, rounding)
    ]
    page = pdf.Page(figures.county, "区县汇总", today, wide=True)
    s = pdf.styles()
    width = pdf.content_width(page)
    widths = [width * 0.16, width * 0.07, *[width * 0.077] * 10]
    story = [
        pdf.paragraph(s, f"{figures.county}两新组织党建汇总（{quarter_text(quarter)}）", s.title),
        pdf.table(s, HEADERS, rows, widths, numeric=list(range(2, len(HEADERS)))),
        pdf.paragraph(s, f"合计按全部单位计算；百分数取舍：{rounding.label}。", s.body),
    ]
    if figures.missing:
        story.append(pdf.paragraph(s, "未报送：" + "、".join(figures.missing), s.body))
    duplicates = county_duplicates(db, quarter)
    if duplicates:
        lines = [
            [
                "信用代码相同" if d.kind == "same_code" else "名称相同、代码不同",
                d.key,
                "；".join(f"{park}：{value}" for park, value in d.entries),
            ]
            for d in duplicates
        ]
        story += [
            pdf.paragraph(s, f"跨园区重复的组织（{len(duplicates)}处）", s.title),
            pdf.table(
                s,
                ["情况", "信用代码或名称", "各园区报送"],
                lines,
                [width * 0.15, width * 0.3, width * 0.55],
            ),
        ]
    return pdf.build(path, page, story, s)
