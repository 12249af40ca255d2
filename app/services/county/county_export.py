"""The county's 汇总表 workbook: the rows gathered here, written by
app/exchange/county_workbook.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.db.database import Database
from app.domain.quarters import Quarter
from app.domain.rates import Rounding, percent_text
from app.domain.vocabulary import Formation, OrgKind, yes_no_label
from app.services.county.county_figures import CountyFigures, county_figures
from app.services.county.county_lists import county_duplicates, county_units
from app.services.overview.figures import CLASS_KEYS, KindFigures, RegistryFigures

TOTAL = "合计"


def quarter_text(quarter: Quarter | None) -> str:
    return quarter.label if quarter is not None else "各园区最新一期报送"


def summary_row(
    name: str,
    quarter: str,
    f: RegistryFigures,
    classes: dict[str, dict[str, int]],
    excellent: int | None,
    period: str,
    rounding: Rounding,
) -> list[Any]:
    t: KindFigures = f.total
    return [
        name,
        quarter,
        t.in_base,
        f.by_kind[OrgKind.ENTERPRISE].in_base,
        f.by_kind[OrgKind.SOCIAL].in_base,
        t.covered,
        t.own,
        t.joint,
        t.attached,
        t.work_covered,
        percent_text(t.org_coverage_rate, rounding) + "%",
        percent_text(t.own_rate, rounding) + "%",
        percent_text(t.work_coverage_rate, rounding) + "%",
        t.formal_members,
        t.probationary_members,
        t.activists,
        t.three_plus_without_own,
        *(classes[key]["total"] for key in CLASS_KEYS),
        excellent,
        period,
    ]


def summary_rows(c: CountyFigures, rounding: Rounding) -> list[list[Any]]:
    """A row per park, then the county's total (counted from all units)."""
    rows = [
        summary_row(
            sub.park,
            sub.quarter,
            sub.figures,
            sub.classes,
            sub.excellent,
            sub.assessment_period,
            rounding,
        )
        for sub in c.parks
    ]
    rows.append(summary_row(TOTAL, c.quarter or "", c.total, c.classes, c.excellent, "", rounding))
    return rows


def export_county(
    db: Database, path: Path, quarter: Quarter | None = None, rounding: Rounding | None = None
) -> tuple[Path, int, int]:
    """Write the 汇总表; returns the path, the parks and the units written."""
    from app.exchange.county_workbook import CountyContent, write_county
    from app.services.registry.park import get_rounding

    rounding = rounding or get_rounding(db)
    figures = county_figures(db, quarter)
    units = [
        [
            u.park,
            u.name,
            u.uscc or None,
            OrgKind(u.kind).label,
            Formation(u.formation).label,
            u.party_org or None,
            yes_no_label(u.in_base),
            u.formal_members,
            u.probationary_members,
            u.activists,
            yes_no_label(u.looked_after),
            u.class_code,
        ]
        for u in county_units(db, quarter)
    ]
    duplicates = []
    for d in county_duplicates(db, quarter):
        what = "信用代码相同（多个园区报送）" if d.kind == "same_code" else "名称相同、信用代码不同"
        duplicates += [[what, d.key, park, value] for park, value in d.entries]
    content = CountyContent(
        figures.county, quarter_text(quarter), summary_rows(figures, rounding), units, duplicates
    )
    write_county(path, content)
    return path, len(figures.parks), len(units)
