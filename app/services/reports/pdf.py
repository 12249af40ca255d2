"""What every printed report shares: A4 (landscape for wide registers), the Chinese
font shipped with the program embedded, the park's name, the report's title and the
date at the top of every page, "第 n 页 / 共 m 页" at the bottom, and tables whose
header row is repeated on every page.

reportlab rather than Qt's QPdfWriter: the reports are made by app/ (Qt-free), so the
command line makes the very files the window does; LongTable repeats a header row and
splits long tables across pages, which formal A4 registers need.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, TableStyle

from app.exchange.saving import saving
from app.services.resources import CJK_FONT

FONT = "ParkDeskCJK"
FONT_FILE = CJK_FONT
BODY_PT = 9  # the smallest text a report prints (the issue: at least 9 pt)
MARGIN = 12 * mm


def register_font() -> str:
    """The shipped CJK font, registered once; reportlab embeds the glyphs a PDF uses."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE), subfontIndex=0))
    return FONT


@dataclass(frozen=True, slots=True)
class Styles:
    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    cell: ParagraphStyle
    head_cell: ParagraphStyle


def styles() -> Styles:
    font = register_font()

    def style(name: str, size: float, **kw: Any) -> ParagraphStyle:
        # wordWrap CJK: a line may break between any two Chinese characters
        return ParagraphStyle(
            name, fontName=font, fontSize=size, leading=size * 1.35, wordWrap="CJK", **kw
        )

    return Styles(
        title=style("title", 15, spaceAfter=4 * mm),
        heading=style("heading", 11.5, spaceBefore=4 * mm, spaceAfter=2 * mm),
        body=style("body", BODY_PT + 1, spaceAfter=1.5 * mm),
        cell=style("cell", BODY_PT),
        head_cell=style("head", BODY_PT, textColor=colors.white),
    )


@dataclass(frozen=True, slots=True)
class Page:
    """What the header of every page says."""

    park: str
    title: str
    on: date
    wide: bool = True  # A4 landscape

    @property
    def size(self) -> tuple[float, float]:
        return landscape(A4) if self.wide else A4


def _numbered(page: Page) -> type[canvas.Canvas]:
    """A canvas that knows the page count once the document is laid out, for
    "第 n 页 / 共 m 页" (reportlab draws a page before it knows how many follow)."""

    class Numbered(canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._furniture(number, total)
                super().showPage()
            super().save()

        def _furniture(self, number: int, total: int) -> None:
            width, height = page.size
            self.setFont(FONT, 8.5)
            self.setFillColor(colors.HexColor("#444444"))
            self.drawString(MARGIN, height - MARGIN + 3 * mm, page.park)
            self.drawCentredString(width / 2, height - MARGIN + 3 * mm, page.title)
            self.drawRightString(width - MARGIN, height - MARGIN + 3 * mm, chinese_date(page.on))
            self.setStrokeColor(colors.HexColor("#999999"))
            self.line(
                MARGIN, height - MARGIN + 1.5 * mm, width - MARGIN, height - MARGIN + 1.5 * mm
            )
            self.drawCentredString(width / 2, MARGIN - 6 * mm, f"第 {number} 页 / 共 {total} 页")

    return Numbered


def chinese_date(on: date) -> str:
    """2026年12月02日, built by hand: Windows' strftime cannot take Chinese in its format
    under a code page without it (seen under Wine: 'locale' codec can't encode)."""
    return f"{on.year}年{on.month:02d}月{on.day:02d}日"


def build(path: Path, page: Page, story: list[Any]) -> int:
    """Write the report; the number of pages."""
    register_font()
    # the output guard first; a report cut short (a full disk) is never left under
    # its name, nor its partial file beside it
    with saving(path) as partial:
        doc = SimpleDocTemplate(
            str(partial),
            pagesize=page.size,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + 4 * mm,
            bottomMargin=MARGIN + 2 * mm,
            title=page.title,
            author=page.park,
            creator="ParkDesk",
        )
        doc.build(story, canvasmaker=_numbered(page))
    return doc.page


def content_width(page: Page) -> float:
    return page.size[0] - 2 * MARGIN


def table(
    s: Styles,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    numeric: Sequence[int] = (),
    red: Sequence[int] = (),
) -> LongTable:
    """A table whose header row repeats on every page, its cells wrapping Chinese text.

    A cell whose text fits its column is a plain string (drawn in one call); only the
    longer ones are Paragraphs, which wrap and cost twenty times as much to lay out:
    a 10,000-unit register takes a few seconds, not half a minute."""
    right = ParagraphStyle("right", parent=s.cell, alignment=2)
    warn = ParagraphStyle("warn", parent=s.cell, textColor=colors.HexColor("#b00020"))
    room = [w - 6 for w in widths]  # the cell's padding, 3 pt each side
    measure = pdfmetrics.stringWidth

    def cell(text: str, column: int) -> Paragraph | str:
        if "\n" not in text and measure(text, FONT, BODY_PT) <= room[column]:
            return text
        style = right if column in numeric else warn if column in red else s.cell
        return Paragraph(escaped(text), style)

    data: list[list[Any]] = [[Paragraph(escaped(h), s.head_cell) for h in headers]]
    data += [[cell(str(v), c) for c, v in enumerate(row)] for row in rows]
    # each row's height given, measured once: reportlab otherwise measures every row
    # left again at each page it breaks (a 400-page register: most of the time)
    grid = LongTable(data, colWidths=list(widths), repeatRows=1, rowHeights=_heights(data, room))
    plain = [
        ("FONTNAME", (0, 1), (-1, -1), FONT),
        ("FONTSIZE", (0, 1), (-1, -1), BODY_PT),
        ("LEADING", (0, 1), (-1, -1), BODY_PT * 1.35),
        *[("ALIGN", (c, 1), (c, -1), "RIGHT") for c in numeric],
        *[("TEXTCOLOR", (c, 1), (c, -1), colors.HexColor("#b00020")) for c in red],
    ]
    grid.setStyle(
        TableStyle(
            [
                *plain,
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#3b5b8c")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#8a8a8a")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f1f4f9")]),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return grid


def _heights(data: list[list[Any]], room: Sequence[float]) -> list[float]:
    line = BODY_PT * 1.35
    out = []
    for row in data:
        tallest = line
        for column, value in enumerate(row):
            if isinstance(value, Paragraph):
                tallest = max(tallest, value.wrap(room[column], 10_000)[1])
        out.append(tallest + 4)  # 2 pt above and below
    return out


def fields(
    s: Styles, pairs: Sequence[tuple[str, str]], width: float, red: Iterable[int] = ()
) -> LongTable:
    """Label and value, two columns: a record's fields (``red``: rows to mark, overdue)."""
    warn = ParagraphStyle("warn", parent=s.cell, textColor=colors.HexColor("#b00020"))
    marked = set(red)
    rows = [
        [
            Paragraph(escaped(k), s.cell),
            Paragraph(escaped(v or "—"), warn if n in marked else s.cell),
        ]
        for n, (k, v) in enumerate(pairs)
    ]
    grid = LongTable(rows, colWidths=[width * 0.28, width * 0.72])
    grid.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#b0b0b0")),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eef1f6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return grid


def escaped(text: str) -> str:
    """Paragraph reads a little markup: a unit named "A&B <分公司>" prints as written."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
