"""What every printed report shares: A4 (landscape for wide registers), the Chinese
font shipped with the program embedded, the park's name, the report's title and the
date at the top of every page, "第 n 页 / 共 m 页" at the bottom, and tables whose
header row is repeated on every page. Every text passes through the report's
Typesetter (fonts.py), which draws each character in a font that has it and names the
characters none has: ``build`` returns them with the page count. A row taller than a
page splits across pages (splitInRow), so a 6,000-character visit prints whole.

reportlab rather than Qt's QPdfWriter: the reports are made by app/ (Qt-free), so the
command line makes the very files the window does; LongTable repeats a header row and
splits long tables across pages, which formal A4 registers need.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, TableStyle

from app.exchange.saving import saving
from app.services.reports import fonts
from app.services.reports.fonts import Typesetter

FONT = fonts.PRIMARY
BODY_PT = 9  # the smallest text a report prints (the issue: at least 9 pt)
MARGIN = 12 * mm
TALL_ROW = 300  # points: a row taller than this may split across pages, measured there


def register_font() -> str:
    """The shipped CJK font, registered once; reportlab embeds the glyphs a PDF uses."""
    return fonts.primary_font().fontName


@dataclass(frozen=True, slots=True)
class Printed:
    """A report written: its pages, and the characters no font on this machine has
    (each printed as a blank, so the clerk is told which)."""

    pages: int
    missing: tuple[str, ...] = ()
    warning: str = ""  # “以下字符没有字体可以显示：…”, or ""


@dataclass(frozen=True, slots=True)
class Styles:
    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    cell: ParagraphStyle
    head_cell: ParagraphStyle
    typesetter: Typesetter  # one per report: the fonts of its text, what none has


def styles() -> Styles:
    """The styles of one report, with its own Typesetter."""
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
        typesetter=Typesetter(),
    )


def paragraph(s: Styles, text: str, style: ParagraphStyle) -> Paragraph:
    """Plain text as a paragraph, each character in a font that has it."""
    return Paragraph(s.typesetter.markup(text), style)


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


def draw_text(
    c: canvas.Canvas,
    typesetter: Typesetter,
    x: float,
    y: float,
    text: str,
    size: float,
    anchor: str,
) -> None:
    """One line on the canvas, run by run in the fonts that have its characters;
    ``anchor``: "start", "middle" or "end" at ``x``."""
    runs = typesetter.runs(text)
    width = sum(pdfmetrics.stringWidth(part, font, size) for font, part in runs)
    x -= {"start": 0, "middle": width / 2, "end": width}[anchor]
    for font, part in runs:
        c.setFont(font, size)
        c.drawString(x, y, part)
        x += pdfmetrics.stringWidth(part, font, size)


def _numbered(page: Page, typesetter: Typesetter) -> type[canvas.Canvas]:
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
            self.setFillColor(colors.HexColor("#444444"))
            top = height - MARGIN + 3 * mm
            draw_text(self, typesetter, MARGIN, top, page.park, 8.5, "start")
            draw_text(self, typesetter, width / 2, top, page.title, 8.5, "middle")
            draw_text(self, typesetter, width - MARGIN, top, chinese_date(page.on), 8.5, "end")
            self.setFont(FONT, 8.5)
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


def build(
    path: Path,
    page: Page,
    story: list[Any],
    s: Styles,
    progress: Callable[[int, int], None] | None = None,
) -> Printed:
    """Write the report; its pages and the characters no font has. ``progress(page, 0)``
    hears each page begun (how many there will be is known only at the end); what it
    raises (Cancelled) stops the report, and nothing is left under its name."""
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
        typesetter = s.typesetter
        if progress is not None:
            doc.setProgressCallBack(lambda kind, value: _told(progress, kind, value))
        doc.build(story, canvasmaker=_numbered(page, typesetter))
    return Printed(doc.page, tuple(typesetter.missing), typesetter.warning())


def _told(progress: Callable[[int, int], None], kind: str, value: int) -> None:
    """reportlab's progress calls: each page begun is said (a long table is one flowable
    over hundreds of pages: the flowables' count would stand still)."""
    if kind == "PAGE":
        progress(value, 0)


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
    longer ones (and those needing a fallback font) are Paragraphs, which wrap and cost
    twenty times as much to lay out: a 10,000-unit register takes a few seconds, not
    half a minute."""
    right = ParagraphStyle("right", parent=s.cell, alignment=2)
    warn = ParagraphStyle("warn", parent=s.cell, textColor=colors.HexColor("#b00020"))
    room = [w - 6 for w in widths]  # the cell's padding, 3 pt each side
    measure = pdfmetrics.stringWidth
    plain = s.typesetter.is_plain

    def cell(text: str, column: int) -> Paragraph | str:
        if "\n" not in text and plain(text) and measure(text, FONT, BODY_PT) <= room[column]:
            return text
        style = right if column in numeric else warn if column in red else s.cell
        return paragraph(s, text, style)

    data: list[list[Any]] = [[paragraph(s, h, s.head_cell) for h in headers]]
    data += [[cell(str(v), c) for c, v in enumerate(row)] for row in rows]
    # each row's height given, measured once: reportlab otherwise measures every row
    # left again at each page it breaks (a 400-page register: most of the time)
    heights = _heights(data, room)
    grid = LongTable(
        data,
        colWidths=list(widths),
        repeatRows=1,
        rowHeights=heights,
        splitInRow=_split_in_row(heights),
    )
    cells = [
        ("FONTNAME", (0, 1), (-1, -1), FONT),
        ("FONTSIZE", (0, 1), (-1, -1), BODY_PT),
        ("LEADING", (0, 1), (-1, -1), BODY_PT * 1.35),
        *[("ALIGN", (c, 1), (c, -1), "RIGHT") for c in numeric],
        *[("TEXTCOLOR", (c, 1), (c, -1), colors.HexColor("#b00020")) for c in red],
    ]
    grid.setStyle(
        TableStyle(
            [
                *cells,
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


def _heights(data: list[list[Any]], room: Sequence[float]) -> list[float | None]:
    """Each row's height; None for a row too tall to be sure of fitting a page: reportlab
    measures it where it falls and splits it there (a given height would cut its text)."""
    line = BODY_PT * 1.35
    out: list[float | None] = []
    for row in data:
        tallest = line
        for column, value in enumerate(row):
            if isinstance(value, Paragraph):
                tallest = max(tallest, value.wrap(room[column], 10_000)[1])
        out.append(tallest + 4 if tallest + 4 <= TALL_ROW else None)  # 2 pt above and below
    return out


def _split_in_row(heights: Sequence[float | None]) -> int:
    """reportlab's splitInRow: on (1 pt) only for a table holding a row too tall for a
    page; other tables keep their rows whole, moving a row to the next page instead."""
    return 1 if None in heights else 0


def fields(
    s: Styles, pairs: Sequence[tuple[str, str]], width: float, red: Iterable[int] = ()
) -> LongTable:
    """Label and value, two columns: a record's fields (``red``: rows to mark, overdue)."""
    warn = ParagraphStyle("warn", parent=s.cell, textColor=colors.HexColor("#b00020"))
    marked = set(red)
    rows = [
        [paragraph(s, k, s.cell), paragraph(s, v or "—", warn if n in marked else s.cell)]
        for n, (k, v) in enumerate(pairs)
    ]
    widths = [width * 0.28, width * 0.72]
    # a value longer than a page (a 6,000-character visit) splits across pages
    split = _split_in_row(_heights(rows, [w - 12 for w in widths]))  # 6 pt padding a side
    grid = LongTable(rows, colWidths=widths, splitInRow=split)
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
