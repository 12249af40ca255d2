"""Hostile cases of printed reports (issue 22): a unit named with characters the shipped
font lacks (CJK Extension B, emoji, other scripts) prints every one of them, in a
fallback font, or the report names those no font has — never a silent blank; and a
6,000-character visit flows across pages, whole, instead of crashing (LayoutError)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from fontTools.ttLib import TTCollection, TTFont
from pypdf import PdfReader

from app import cli
from app.db.database import Database
from app.domain.validation import OrganizationDraft
from app.domain.visits import VisitDraft
from app.services.field import visits
from app.services.files.resources import CJK_FONT
from app.services.registry import instructors, organizations
from app.services.registry.instructors import InstructorDraft
from app.services.reports import fonts, pdf, table, unit
from tests.conftest import TODAY

# 𠮷𪚥: CJK Extension B; 😀 and 🏭: emoji; ไทย: Thai; 🫨: Unicode 15, which no font
# ParkDesk looks for has (the report must name it)
RARE_NAME = "𠮷𪚥生僻字公司😀"
ADDRESS = "🏭 ไทย Ж 𠮷路🫨"
USCC = "91350100M000100Y43"


def _unit(db: Database, name: str = RARE_NAME, address: str = ADDRESS) -> int:
    return organizations.create_organization(
        db, OrganizationDraft(name=name, uscc=USCC, address=address), today=TODAY
    )


def _text(path: Path) -> str:
    return "".join(p.extract_text() for p in PdfReader(path).pages)


def _drawable() -> set[int]:
    """Every character some font ParkDesk may use on this machine has, read with
    fontTools (not reportlab, which the code under test uses)."""
    files = fonts._font_files(fonts.font_folders())
    found = [files[f.file.lower()] for f in fonts.FALLBACKS if f.file.lower() in files]
    with TTCollection(str(CJK_FONT)) as shipped:
        codes = set(shipped.fonts[0].getBestCmap())
    for path in found:
        with TTFont(str(path), lazy=True) as font:
            codes |= set(font.getBestCmap())
    return codes


def test_every_rare_character_is_printed_or_named(db: Database, tmp_path: Path) -> None:
    org_id = _unit(db)
    path = tmp_path / "一企一档.pdf"
    printed = unit.unit_pdf(db, org_id, path, today=TODAY)
    text, drawable = _text(path), _drawable()
    for ch in dict.fromkeys(RARE_NAME + ADDRESS.replace(" ", "")):
        if ord(ch) in drawable:  # some font has it: it is on the page, in that font
            assert ch in text and ch not in printed.missing, ch
        else:  # none has it: the report says which
            assert ch in printed.missing and ch in printed.warning, ch
    if printed.missing:
        assert printed.warning.startswith("以下字符没有字体可以显示：")
    embedded = {
        str(ref.get_object()["/BaseFont"]).split("+")[-1]
        for page in PdfReader(path).pages
        for ref in page["/Resources"]["/Font"].values()
    }
    if ord("𠮷") in drawable:  # the bootstrap installs fonts-hanazono (or SimSun-ExtB)
        assert embedded - {"WenQuanYiMicroHei-0"}, "a fallback font travels in the file"


@pytest.fixture
def no_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine with only the shipped font (no fonts-hanazono, no SimSun-ExtB)."""
    bare = fonts.FontChain(fonts.primary_font(), [])
    monkeypatch.setattr(fonts, "chain", lambda: bare)


def test_without_fallback_fonts_the_missing_characters_are_named_everywhere(
    db: Database, db_path: Path, tmp_path: Path, no_fallback: None, capsys: pytest.CaptureFixture
) -> None:
    _unit(db, address="")
    path = tmp_path / "一企一档.pdf"
    done = cli.run(["--db", str(db_path), "report", "unit", USCC, str(path)])
    out, err = capsys.readouterr()
    assert done == 0 and path.is_file() and "已保存" in out  # the file is made
    # each named once, in the order met, with its code (a clerk can look it up)
    assert err.strip() == "以下字符没有字体可以显示：𠮷（U+20BB7）、𪚥（U+2A6A5）、😀（U+1F600）"
    # a list printed from the window says the same
    printed = table.table_pdf(db, path, "单位", ["名称"], [[RARE_NAME]], [1], today=TODAY)
    assert printed.missing == ("𠮷", "𪚥", "😀")


def _visit(db: Database, org_id: int, content: str) -> None:
    who = instructors.create_instructor(db, InstructorDraft(name="王指导"))
    draft = VisitDraft(org_id, date(2026, 11, 1), instructor_ids=[who], content=content)
    visits.add_visit(db, draft, TODAY)


def _body(path: Path, furniture: set[str]) -> str:
    """The text of every page without its header, footer and repeated column headers
    (lines equal to one of ``furniture``), its lines joined."""
    lines = _text(path).splitlines()
    return "".join(
        line
        for line in lines
        if line not in furniture and not re.fullmatch(r"第 \d+ 页 / 共 \d+ 页", line)
    )


LONG_NOTE = "".join(chr(0x4E00 + (n * 7919) % 20_000) for n in range(6_000))


def test_a_six_thousand_character_visit_flows_across_pages_whole(
    db: Database, tmp_path: Path
) -> None:
    org_id = _unit(db, name="长记录公司", address="")
    _visit(db, org_id, LONG_NOTE)
    path = tmp_path / "一企一档.pdf"
    printed = unit.unit_pdf(db, org_id, path, today=TODAY)
    assert printed.pages > 2 and not printed.missing
    furniture = {"园区", "一企一档：长记录公司", "2026年11月23日"}
    assert f"王指导：{LONG_NOTE}" in _body(path, furniture)  # every character, in order
    # the same text in a list's cell (the visits page printed): a row split across pages
    path = tmp_path / "走访.pdf"
    printed = table.table_pdf(
        db, path, "走访记录", ["单位", "内容"], [["长记录公司", LONG_NOTE]], [1, 6], today=TODAY
    )
    furniture = {"园区", "走访记录", "2026年11月23日", "序号", "单位", "内容"}
    assert printed.pages > 1 and LONG_NOTE in _body(path, furniture)


def test_the_warning_is_the_reports_not_the_processs(tmp_path: Path, db: Database) -> None:
    """Characters missing from one report are not named by the next."""
    org_id = _unit(db, name="普通公司", address="")
    first = table.table_pdf(db, tmp_path / "a.pdf", "单位", ["名称"], [["🫨"]], [1], today=TODAY)
    second = unit.unit_pdf(db, org_id, tmp_path / "b.pdf", today=TODAY)
    assert first.missing == ("🫨",) and second == pdf.Printed(second.pages)


def test_joiners_and_variation_selectors_are_not_named_as_missing(
    db: Database, tmp_path: Path, no_fallback: None
) -> None:
    """An emoji's variation selector or a family's zero-width joiners draw nothing: a
    clerk is told of the emoji, not of invisible characters."""
    rows = [["😀\ufe0f 👨\u200d👩\u200d👧"], ["第一行\n第二行"]]
    printed = table.table_pdf(db, tmp_path / "a.pdf", "单位", ["名称"], rows, [1], today=TODAY)
    assert printed.missing == ("😀", "👨", "👩", "👧")
