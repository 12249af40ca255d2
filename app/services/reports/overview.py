"""总览 printed: the coverage figures by kind (exact counts, the rates as the park
rounds them, the same text as the window and the command line), the party
organizations, the classes, and the charts as vector graphics. A4 portrait."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from reportlab.platypus import Table

from app.db.database import Database
from app.domain.figure_parts import (
    CLASS_COLOUR,
    COVERAGE_PARTS,
    FORMATION_PARTS,
    MEMBER_PARTS,
    NOT_COVERED,
    RATE_PARTS,
    Part,
)
from app.services.reports import pdf
from app.services.reports.charts import bar_chart, line_chart

# five charts and the figures on one A4 page, as the window shows them on one screen
CHART_HEIGHT = 122


def overview_pdf(db: Database, path: Path, today: date | None = None) -> pdf.Printed:
    from app.domain.rates import percent_text
    from app.services.field import field_office
    from app.services.overview import figures
    from app.services.registry import park

    today = today or date.today()
    found = figures.registry_figures(db, today)
    rounding = park.get_rounding(db)
    info = park.get_park(db)
    page = pdf.Page(info.park_name or "园区", "覆盖情况总览", today, wide=False)
    s = pdf.styles()
    width = pdf.content_width(page)
    kinds = [(label, found.by_kind[kind]) for label, kind in figures.KIND_LABELS]
    kinds.append(("合计", found.total))
    rows = [
        ("纳入统计的单位", *[str(f.in_base) for _l, f in kinds]),
        ("已建党组织覆盖", *[str(f.covered) for _l, f in kinds]),
        *[
            (f"　{part.label}", *[str(getattr(f, part.key)) for _l, f in kinds])
            for part in FORMATION_PARTS
        ],
        (NOT_COVERED.label, *[str(f.none) for _l, f in kinds]),
        ("党的工作覆盖", *[str(f.work_covered) for _l, f in kinds]),
        *[
            (
                f"{part.label}（%）",
                *[percent_text(getattr(f, part.key), rounding) for _l, f in kinds],
            )
            for part in RATE_PARTS
        ],
        ("正式党员", *[str(f.formal_members) for _l, f in kinds]),
        ("预备党员", *[str(f.probationary_members) for _l, f in kinds]),
        ("3名以上正式党员未单独组建", *[str(f.three_plus_without_own) for _l, f in kinds]),
    ]
    charts, trend_chart = _charts(s, db, found, rounding)
    story = [
        pdf.paragraph(s, "覆盖情况总览", s.title),
        pdf.table(
            s,
            ["项目", *[label for label, _f in kinds]],
            rows,
            [width * 0.4, width * 0.2, width * 0.2, width * 0.2],
            numeric=[1, 2, 3],
        ),
        pdf.paragraph(s, f"在岗党建指导员：{found.instructors_active}名", s.body),
        pdf.paragraph(s, _by_kind_line(found), s.body),
        pdf.paragraph(s, _rooms_line(found, rounding), s.body),
        pdf.paragraph(s, "图表", s.heading),
        charts,
        trend_chart,
    ]
    if note := field_office.figures_note(db):  # a laptop: its units, not the park
        story.insert(1, pdf.paragraph(s, note, s.body))
    return pdf.build(path, page, story, s)


def _by_kind_line(found: Any) -> str:
    """鹿寨's "已建立党组织34个": party organizations (not units) by kind, as 总览 says it."""
    from app.services.overview import figures

    total, by_kind = figures.party_orgs_by_kind_parts(found)
    return f"党组织按类型 {total} 个：{by_kind}"


def _rooms_line(found: Any, rounding: Any) -> str:
    """柳州's 党员活动室 figure, as 总览 shows it."""
    from app.domain.rates import percent_text

    rooms = found.activity_rooms
    rate = percent_text(rooms.rate, rounding)
    return f"党员活动室（单独组建的非公企业）：{rooms.with_room} / {rooms.base}（{rate}%）"


def _charts(s: Any, db: Database, found: Any, rounding: Any) -> tuple[Table, Any]:
    """The window's charts on paper: coverage, party organizations, members, classes in
    two columns, then the rates' trend over the submitted quarters."""
    from app.services.overview import figures

    charts = Table(
        [
            [
                bar_chart(
                    s.typesetter,
                    "党组织覆盖情况（个）",
                    figures.coverage_series(found),
                    COVERAGE_PARTS,
                    height=CHART_HEIGHT,
                ),
                bar_chart(
                    s.typesetter,
                    "党组织（个）",
                    figures.party_org_series(found),
                    FORMATION_PARTS,
                    height=CHART_HEIGHT,
                ),
            ],
            [
                bar_chart(
                    s.typesetter,
                    "党员情况（人）",
                    figures.member_series(found),
                    MEMBER_PARTS,
                    stacked=False,
                    height=CHART_HEIGHT,
                ),
                bar_chart(
                    s.typesetter,
                    "分类情况（个）",
                    {key: {"total": n["total"]} for key, n in figures.class_counts(db).items()},
                    (Part("total", "单位数", CLASS_COLOUR),),
                    height=CHART_HEIGHT,
                ),
            ],
        ]
    )
    quarters, trend = figures.trend_series(figures.submitted_figures(db), found, rounding)
    trend_chart = line_chart(
        s.typesetter, "覆盖率变化（%）", quarters, trend, RATE_PARTS, height=CHART_HEIGHT
    )
    return charts, trend_chart
