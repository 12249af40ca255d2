"""Printed reports (issue 14, first part): the register, one unit's file, the overview
and the worklist as PDF — the Chinese comes back out of the file as the same text
(the font is embedded), no page is wider than A4, the register's header row and the
park's name are on every page with "第 n 页 / 共 m 页", and the command line makes
the same files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.db.database import Database
from app.domain.figure_parts import COVERAGE_PARTS, MEMBER_PARTS, RATE_PARTS
from app.domain.rates import percent_text
from app.services.overview import figures
from app.services.registry import org_list, park
from app.services.reports import gaps, overview, registry, unit
from tests.conftest import TODAY, run_main

A4_LONG, A4_SHORT = 842, 595  # points


def _pages(path: Path) -> list[str]:
    return [p.extract_text() for p in PdfReader(path).pages]


def _within_a4(path: Path) -> bool:
    sizes = {(float(p.mediabox.width), float(p.mediabox.height)) for p in PdfReader(path).pages}
    return all(min(w, h) <= A4_SHORT + 1 and max(w, h) <= A4_LONG + 1 for w, h in sizes)


def _embedded_fonts(path: Path) -> set[str]:
    """The TrueType fonts whose glyphs travel in the file (subsets: AAAAAA+Name)."""
    found = set()
    for page in PdfReader(path).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None and "/FontFile2" in descriptor.get_object():
                found.add(str(font["/BaseFont"]).split("+")[-1])
    return found


def test_the_register_prints_every_unit_with_its_header_on_every_page(
    demo_db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "名录.pdf"
    pages = registry.registry_pdf(demo_db, path, today=TODAY).pages
    texts = _pages(path)
    assert pages == len(texts) > 1 and _within_a4(path)
    park_name = park.get_park(demo_db).park_name
    for n, text in enumerate(texts, start=1):
        assert park_name in text and "组织名称" in text and "统一社会信用代码" in text
        assert f"第 {n} 页 / 共 {pages} 页" in text
    whole = "".join(texts)
    rows = org_list.list_organizations(demo_db, TODAY)
    assert all(r.name[:6] in whole for r in rows)  # a long name may wrap in its cell
    assert _embedded_fonts(path) == {"WenQuanYiMicroHei-0"}  # the Chinese font travels along


def test_chosen_columns_and_a_wrong_one(demo_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "电话.pdf"
    registry.registry_pdf(demo_db, path, ["name", "phone"], today=TODAY)
    first = _pages(path)[0]
    assert "联系电话" in first and "所属党组织" not in first
    with pytest.raises(ValueError, match="没有这些列：电话"):
        registry.registry_pdf(demo_db, path, ["name", "电话"], today=TODAY)


def test_a_units_file_and_the_overview_and_the_worklist(demo_db: Database, tmp_path: Path) -> None:
    row = next(r for r in org_list.list_organizations(demo_db, TODAY) if r.party_org)
    path = tmp_path / "一企一档.pdf"
    unit.unit_pdf(demo_db, row.id, path, today=TODAY)
    text = "".join(_pages(path))
    for part in (row.name, row.uscc, "党组织与覆盖", row.party_org[:8], "走访记录", "考核"):
        assert part in text, part
    assert _within_a4(path)
    path = tmp_path / "总览.pdf"
    overview.overview_pdf(demo_db, path, today=TODAY)
    text = "".join(_pages(path))
    found = figures.registry_figures(demo_db, TODAY)
    rate = percent_text(found.total.org_coverage_rate, park.get_rounding(demo_db))
    assert rate in text and str(found.total.in_base) in text  # the window's very figures
    assert "党组织覆盖情况（个）" in text  # a chart, drawn as text and lines, not a picture
    # the classes and the quarters' trend, as the screen has them (issue 25)
    assert "分类情况（个）" in text and "覆盖率变化（%）" in text and "当前" in text
    # 柳州's 党员活动室 and 鹿寨's party organizations by kind, as 总览 shows them
    flat = text.replace("\n", "").replace(" ", "")
    rooms = found.activity_rooms
    assert f"党员活动室（单独组建的非公企业）：{rooms.with_room}/{rooms.base}" in flat
    total, by_kind = figures.party_orgs_by_kind_parts(found)
    assert f"党组织按类型{total}个：" in flat and by_kind.replace(" ", "")[:20] in flat
    # the legends say what the window's charts say (app/domain/figure_parts.py)
    assert all(p.label in text for p in (*COVERAGE_PARTS, *MEMBER_PARTS, *RATE_PARTS))
    assert not any(PdfReader(path).pages[0]["/Resources"].get("/XObject", {}))
    path = tmp_path / "预警.pdf"
    gaps.gaps_pdf(demo_db, path, today=TODAY)
    assert "预警清单" in _pages(path)[0] and _within_a4(path)


def test_the_command_line_writes_the_same_reports(db_path: Path, tmp_path: Path) -> None:
    assert run_main("--db", str(db_path), "demo", "--size", "40").returncode == 0
    out = tmp_path / "r.pdf"
    done = run_main("--db", str(db_path), "report", "registry", str(out), "--columns", "name,uscc")
    assert done.returncode == 0, done.stderr
    assert "统一社会信用代码" in _pages(out)[0]
    done = run_main("--db", str(db_path), "report", "unit", "91450200MA5N6C5H2H", str(out))
    assert done.returncode == 1 and "统一社会信用代码" in done.stderr
    for kind in ("overview", "gaps"):
        assert run_main("--db", str(db_path), "report", kind, str(out)).returncode == 0
    assert date.today().strftime("%Y年%m月%d日") in _pages(out)[0]
