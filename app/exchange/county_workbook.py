"""The county's 汇总表 workbook, written from plain data (services/county/county_export.py
gathers it): a row per park and the total, the union registry with its 园区 column,
the duplicates across parks; styled as the quarterly workbook is."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app import __version__
from app.db.migrate import SCHEMA_HEAD
from app.exchange.export import Formats, new_workbook, table_sheet, write_meta
from app.exchange.saving import saving

SUMMARY_SHEET = "园区汇总"
UNITS_SHEET = "组织名录（汇总）"
DUPLICATES_SHEET = "重复组织"

SUMMARY_HEADERS: tuple[tuple[str, int], ...] = (
    ("园区", 24),
    ("报送季度", 10),
    ("纳入统计的组织（个）", 12),
    ("其中非公企业（个）", 12),
    ("其中社会组织（个）", 12),
    ("党组织覆盖（个）", 12),
    ("单独组建（个）", 12),
    ("联合组建（个）", 12),
    ("挂靠组建（个）", 12),
    ("党的工作覆盖（个）", 12),
    ("党组织覆盖率", 10),
    ("单独组建率", 10),
    ("党的工作覆盖率", 10),
    ("正式党员（名）", 10),
    ("预备党员（名）", 10),
    ("入党积极分子（名）", 10),
    ("应建未建（个）", 10),
    ("A类", 7),
    ("B类", 7),
    ("C类", 7),
    ("D类", 7),
    ("E类", 7),
    ("未分类", 7),
    ("优秀（个）", 9),
    ("考核期", 9),
)
UNIT_HEADERS: tuple[tuple[str, int], ...] = (
    ("园区", 24),
    ("组织名称", 34),
    ("统一社会信用代码", 22),
    ("组织类型", 10),
    ("组建方式", 10),
    ("所属党组织", 30),
    ("是否纳入统计基数", 9),
    ("正式党员数", 9),
    ("预备党员数", 9),
    ("入党积极分子数", 9),
    ("党建指导员（在岗）", 9),
    ("分类", 6),
)
DUPLICATE_HEADERS: tuple[tuple[str, int], ...] = (
    ("情况", 24),
    ("统一社会信用代码或名称", 34),
    ("园区", 24),
    ("组织名称或信用代码", 34),
)


@dataclass(frozen=True, slots=True)
class CountyContent:
    county: str
    quarter_text: str  # “2026年第四季度” or “各园区最新一期”
    summary: list[list[Any]]
    units: list[list[Any]]
    duplicates: list[list[Any]]


def write_county(path: Path, c: CountyContent) -> Path:
    with saving(path) as tmp:
        wb = new_workbook(tmp)
        f = Formats(wb)
        table_sheet(
            wb,
            f,
            SUMMARY_SHEET,
            f"{c.county}两新组织党建汇总表（{c.quarter_text}）",
            SUMMARY_HEADERS,
            c.summary,
            paper=8,
        )
        table_sheet(
            wb,
            f,
            UNITS_SHEET,
            f"{c.county}两新组织名录（{c.quarter_text}）",
            UNIT_HEADERS,
            c.units,
            paper=8,
        )
        table_sheet(
            wb,
            f,
            DUPLICATES_SHEET,
            f"{c.county}跨园区重复的组织（{c.quarter_text}）",
            DUPLICATE_HEADERS,
            c.duplicates,
        )
        write_meta(
            wb,
            {
                "program": "ParkDesk",
                "version": __version__,
                "schema": SCHEMA_HEAD,
                "kind": "county",
                "county": c.county,
            },
        )
        wb.close()
    return path
