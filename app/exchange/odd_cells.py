"""Cells whose value the reader cannot take as it reads them, each with the reason
said in Chinese: a formula error (#DIV/0!…), a formula saved without its value
(openpyxl and some programs write formulas without computing them), and a cell
merged across rows or columns of data. python-calamine reads the first two as
empty text and gives a merged value to its first cell only: an import that took
them as they read would keep old values silently, or save a row with a score
missing. Both imports (registry and scores) ask here, one place.

For an xlsx the sheet's XML is searched for the marks (``t="e"``, ``<f``) as plain
bytes, and parsed closely only when one is there.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from app.exchange.layout import column_letter
from app.exchange.normalize import cell_text
from app.exchange.reader import Sheet, Workbook, col_index, xlsx_sheet_part

Cell = tuple[int, int]  # (row index, column index), 0-based


@dataclass(frozen=True, slots=True)
class CellMark:
    """Why a cell's value was not taken: a reason code, the message, the cell as shown."""

    reason: str
    message: str
    shown: str


UNCACHED = CellMark(
    "formula_uncached", "公式没有计算结果，请在 Excel 中打开并保存后再导入", "=公式"
)


def error_mark(text: str) -> CellMark:
    """A cell holding a formula error such as #DIV/0!."""
    shown = text.strip() or "#错误"
    return CellMark("formula_error", f"单元格是错误值 {shown}，请改正公式或填写数值", shown)


def locate(wb: Workbook, sheet: Sheet) -> dict[Cell, CellMark]:
    """The sheet's cells holding a formula error or a formula without its value."""
    if wb.format == "xlsx":
        with zipfile.ZipFile(wb.path) as zf:
            part = xlsx_sheet_part(zf, sheet.index)
            return _xlsx_marks(zf.read(part)) if part is not None else {}
    if wb.format == "ods":
        return {cell: error_mark("") for cell in _ods_errors(wb, sheet.name)}
    return _xls_errors(wb, sheet.index)


# a cell typed as an error, with its body (the value); and a formula cell without a
# value (no <v>, or an empty one): each looked for only when its plain mark is there
_ERROR_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*?\bt="e"[^>]*?(?:/>|>(.*?)</c>)', re.S)
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_UNCACHED_CELL = re.compile(
    rb'<c r="([A-Z]+)(\d+)"[^>]*?>(?:<f\b[^>]*?/>|<f\b[^>]*>([^<]*)</f>)(?:<v\s*/>|<v></v>)?</c>'
)


def _xlsx_marks(data: bytes) -> dict[Cell, CellMark]:
    found: dict[Cell, CellMark] = {}
    if b't="e"' in data:  # a plain search is ten times faster than the pattern
        for col, row, body in _ERROR_CELL.findall(data):
            value = _VALUE.search(body)
            text = value.group(1).decode("utf-8", "replace") if value else ""
            found[(int(row) - 1, col_index(col))] = error_mark(text)
    if b"<f" in data:
        for col, row, formula in _UNCACHED_CELL.findall(data):
            mark = UNCACHED
            if formula:  # shown as Excel shows it in the formula bar
                text = html.unescape(formula.decode("utf-8", "replace"))
                mark = CellMark(UNCACHED.reason, UNCACHED.message, f"={text}"[:50])
            found.setdefault((int(row) - 1, col_index(col)), mark)
    return found


def worth_locating(sheet: Sheet, blank_somewhere: Callable[[], bool]) -> bool:
    """Whether ``locate`` can find anything in ``sheet``: an xlsx sheet was seen whole
    by the reader's size check, which says whether its XML holds a formula or an error
    value at all; in another format such a cell reads as empty, so only a sheet with
    an empty cell where a value belongs (``blank_somewhere``) is worth the look."""
    if sheet.formulas is not None:
        return sheet.formulas
    return blank_somewhere()


def merged(sheet: Sheet, rows: Iterable[int], columns: Collection[int]) -> dict[Cell, CellMark]:
    """The cells of the data (``rows`` × ``columns``) inside a merged range that takes
    in more than one of them, or one that is not its first cell: the value belongs to
    the first cell only, so every such cell is said (a merge over three units' scores
    is not three scores). Merges in the header are the header's business."""
    if not sheet.merged:
        return {}
    wanted = set(rows)
    cols = set(columns)
    found: dict[Cell, CellMark] = {}
    for (r0, c0), (r1, c1) in sheet.merged:
        cells = [
            (r, c) for r in range(r0, r1 + 1) if r in wanted for c in range(c0, c1 + 1) if c in cols
        ]
        if not cells or cells == [(r0, c0)]:
            continue
        where = f"{column_letter(c0)}{r0 + 1}:{column_letter(c1)}{r1 + 1}"
        value = sheet.rows[r0][c0] if c0 < len(sheet.rows[r0]) else ""
        shown = "" if value is None else cell_text(value)
        message = (
            f"合并单元格 {where}：值只属于第{r0 + 1}行{column_letter(c0)}列，"
            "请取消合并，在每一行分别填写"
        )
        for cell in cells:
            found[cell] = CellMark("merged_cell", message, shown)
    return found


def _ods_errors(wb: Workbook, sheet_name: str) -> set[Cell]:
    from defusedxml.ElementTree import iterparse

    table = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    calcext = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
    found: set[Cell] = set()
    in_sheet = False
    row = col = 0
    with zipfile.ZipFile(wb.path) as zf, zf.open("content.xml") as fh:
        for event, el in iterparse(fh, events=("start", "end")):
            tag = el.tag
            if tag == f"{table}table":
                if event == "start":
                    in_sheet = el.get(f"{table}name") == sheet_name
                    row = 0
                elif in_sheet:
                    break
            elif not in_sheet:
                if event == "end":
                    el.clear()
            elif tag == f"{table}table-row":
                if event == "start":
                    col = 0
                else:
                    row += int(el.get(f"{table}number-rows-repeated", "1"))
                    el.clear()
            elif tag in (f"{table}table-cell", f"{table}covered-table-cell") and event == "start":
                repeat = int(el.get(f"{table}number-columns-repeated", "1"))
                if el.get(f"{calcext}value-type") == "error":
                    for k in range(min(repeat, 1000)):
                        found.add((row, col + k))
                col += repeat
    return found


def _xls_errors(wb: Workbook, index: int) -> dict[Cell, CellMark]:
    import xlrd

    try:
        book = xlrd.open_workbook(str(wb.path), on_demand=True)
    except Exception:  # xlrd refuses what calamine accepted: no error cells to add
        return {}
    try:
        sh = book.sheet_by_index(index)
        return {
            (r, c): error_mark(xlrd.error_text_from_code.get(sh.cell_value(r, c), ""))
            for r in range(sh.nrows)
            for c, kind in enumerate(sh.row_types(r))
            if kind == xlrd.XL_CELL_ERROR
        }
    finally:
        book.release_resources()
