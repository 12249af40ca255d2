"""Open whatever workbook arrives — safely — and hand back its sheets as rows.

python-calamine reads xlsx, xlsm, xls and ods and is the fastest reader here.
It reads formula *error* values (#DIV/0!, #REF!…) and formulas saved without a
value as empty text: odd_cells.py finds those in the file itself.
Before anything is parsed the file is sniffed, and zip bombs, encrypted
files and oversized sheets are refused with a message saying what is wrong.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_UNZIPPED_BYTES = 600 * 1024 * 1024  # all parts of an xlsx/ods together
MAX_RATIO = 200  # uncompressed / compressed for one large part
MAX_ROWS = 200_000
# a registry is a few dozen columns; a grid past these is refused before it is
# read (the reader allocates the whole rectangle: A1 and XFD20000 alone ask 10 GB)
MAX_COLUMNS = 500
MAX_CELLS = 10_000_000

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
ERROR_VALUES = frozenset({"#DIV/0!", "#REF!", "#VALUE!", "#N/A", "#NAME?", "#NUM!", "#NULL!"})


# the hidden sheet by which ParkDesk knows its own workbooks: key, value rows
META_SHEET = "_parkdesk"
# its kind there for the yearly workbook (年度报表): results to read, never a registry
YEARLY_KIND = "yearly"


class WorkbookError(Exception):
    """The file cannot be read as a workbook; the message says why, in Chinese."""


@dataclass
class Sheet:
    name: str
    index: int
    rows: list[list[object]]  # rows[i] is sheet row i + 1, as Excel numbers rows
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    # whether an xlsx sheet's XML holds a formula or an error value, seen by the size
    # check's pass over it (odd_cells.locate looks closely only then); None: not known
    formulas: bool | None = None


@dataclass
class Workbook:
    path: Path
    format: str  # xlsx | xls | ods
    sheet_names: list[str]
    _book: object = None
    _sheets: dict[int, Sheet] = field(default_factory=dict)
    hidden: frozenset[int] = frozenset()  # sheets hidden (or very hidden) in Excel
    # called when a sheet's size is checked, as calamine's parse (which lets go of the
    # GIL) begins: a caller working in another thread meanwhile starts then and does
    # not slow the check, which holds the GIL (importer._read_with_registry)
    parsing: Callable[[], None] | None = None

    def visible_indexes(self) -> list[int]:
        """The sheets a user sees: an import looks through these only, unless the user
        names a hidden one (a hidden sheet is often a stale draft or ParkDesk's own)."""
        return [i for i in range(len(self.sheet_names)) if i not in self.hidden]

    def hidden_note(self) -> str:
        """For a message saying no sheet fits: the hidden sheets were not looked at
        (ParkDesk's own identity sheet is not worth naming)."""
        names = "、".join(
            self.sheet_names[i] for i in sorted(self.hidden) if self.sheet_names[i] != META_SHEET
        )
        return f"；隐藏的工作表（{names}）不会自动读取，如确需导入请指定工作表名称" if names else ""

    def meta(self) -> dict[str, str]:
        """ParkDesk's identity sheet as key → value (empty: not one of ParkDesk's files)."""
        if META_SHEET not in self.sheet_names:
            return {}
        rows = self.sheet(self.sheet_names.index(META_SHEET)).rows
        # written as text (export.write_meta): read as text
        return {str(r[0]).strip(): str(r[1]).strip() for r in rows if len(r) >= 2}

    def refuse_yearly(self) -> None:
        """A yearly workbook holds the year's results, not the registry: read as one
        (its 考核 sheets have a 组织名称 column), each unit ranked would come in again."""
        meta = self.meta()
        if meta.get("program") != "ParkDesk" or meta.get("kind") != YEARLY_KIND:
            return
        whose = f"“{meta['park']}”的" if meta.get("park") else ""
        year = f"{meta['year']}" if meta.get("year", "").isdigit() else ""
        raise WorkbookError(
            f"《{self.path.name}》是 ParkDesk 导出的{whose}{year}年度报表，只供查阅和上报，"
            "不是登记表，也不是季度报送，不能导入或汇总：请改用登记表或园区的季度报送工作簿"
        )

    def index_of(self, wanted: str) -> int:
        """The sheet the user named (hidden or not), or a message listing the sheets."""
        if wanted not in self.sheet_names:
            names = "、".join(self.sheet_names)
            raise WorkbookError(f"工作簿中没有名为“{wanted}”的工作表（有：{names}）")
        return self.sheet_names.index(wanted)

    def sheet(self, index: int) -> Sheet:
        """Each sheet is read once (choosing the registry sheet looks at them all)."""
        if index not in self._sheets:
            self._sheets[index] = _read_sheet(self, index)
        return self._sheets[index]


def _sniff(path: Path) -> str:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise WorkbookError(f"无法打开文件：{path.name}（{exc.strerror or exc}）") from exc
    if size == 0:
        raise WorkbookError(f"文件是空的：{path.name}")
    if size > MAX_FILE_BYTES:
        raise WorkbookError(f"文件太大（{size // 1024 // 1024} MB），不像是登记表：{path.name}")
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(_ZIP):
        return _zip_kind(path)
    if head == _OLE2:
        data = path.read_bytes()
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise WorkbookError(
                f"文件已加密（设置了打开密码），请在 Excel/WPS 中取消密码后再导入：{path.name}"
            )
        return "xls"
    raise WorkbookError(
        f"“{path.name}”不是 Excel 工作簿（支持 .xlsx、.xlsm、.xls、.ods）。"
        "如果是 CSV 或网页表格，请先在 Excel/WPS 中另存为 .xlsx。"
    )


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            total = sum(i.file_size for i in infos)
            if total > MAX_UNZIPPED_BYTES or any(
                i.file_size > 50 * 1024 * 1024 and i.file_size > MAX_RATIO * max(i.compress_size, 1)
                for i in infos
            ):
                raise WorkbookError(f"文件解压后异常巨大（疑似压缩炸弹），已拒绝：{path.name}")
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "content.xml" in names and "mimetype" in names:
                mimetype = zf.read("mimetype")[:100]
                if b"spreadsheet" in mimetype:
                    return "ods"
    except zipfile.BadZipFile as exc:
        raise WorkbookError(f"文件已损坏或不完整（可能下载或复制时被截断）：{path.name}") from exc
    raise WorkbookError(f"“{path.name}”是压缩文件，但不是 Excel/WPS 工作簿（xlsx/ods）")


def open_workbook(path: Path) -> Workbook:
    kind = _sniff(path)
    if kind == "ods":
        _check_ods_extent(path)
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for damaged files
        text = str(exc).lower()
        if "password" in text or "encrypt" in text:
            raise WorkbookError(
                f"文件已加密（设置了打开密码），请取消密码后再导入：{path.name}"
            ) from exc
        raise WorkbookError(f"无法读取工作簿，文件可能已损坏或不完整：{path.name}") from exc
    return Workbook(path, kind, list(book.sheet_names), book, hidden=_hidden_sheets(book))


def _hidden_sheets(book: object) -> frozenset[int]:
    """The indexes of the sheets Excel does not show (hidden or very hidden)."""
    from python_calamine import SheetVisibleEnum

    meta = book.sheets_metadata  # type: ignore[attr-defined]
    return frozenset(i for i, m in enumerate(meta) if m.visible != SheetVisibleEnum.Visible)


LONG_SHEET_ROWS = 20_000  # above this, cells come row by row (see _read_sheet)


def _read_sheet(wb: Workbook, index: int) -> Sheet:
    name = wb.sheet_names[index]
    formulas = _check_size(wb, index, name)
    if wb.parsing is not None:
        wb.parsing()
    try:
        ws = wb._book.get_sheet_by_index(index)  # type: ignore[attr-defined]
        if ws.height > MAX_ROWS:
            raise WorkbookError(
                f"工作表“{name}”有{ws.height}行，超过一次最多导入的{MAX_ROWS}行，请拆分后分批导入"
            )
        if ws.height > LONG_SHEET_ROWS:
            # row by row: to_python holds the GIL throughout (0.2 s for 50,000 rows),
            # and the window's thread waits; a Python loop lets it in between rows
            # (iter_rows starts each row at the first used column: pad back to column A)
            lead = [""] * (ws.start[1] if ws.start else 0)
            rows = []
            for row in ws.iter_rows():
                rows.append(lead + row if lead else row)
        else:
            rows = ws.to_python(skip_empty_area=False)
        merged = list(ws.merged_cell_ranges or [])
    except WorkbookError:
        raise
    except Exception as exc:
        raise WorkbookError(f"无法读取工作表“{name}”，文件可能已损坏：{wb.path.name}") from exc
    return Sheet(name, index, rows, merged, formulas)


def _check_size(wb: Workbook, index: int, name: str) -> bool | None:
    """Refuse a sheet whose grid is beyond what a registry can be, measured on
    the file before the reader allocates it; for an xlsx, whether its XML holds a
    formula or an error value (the same pass: the XML is inflated once, not again
    to look for those)."""
    # an ODS was measured whole before it was opened; an xls is at most
    # 65,536 × 256 by its format, and its file size is bounded
    if wb.format != "xlsx":
        return None
    rows, cols, cells, formulas = _xlsx_extent(wb.path, index)
    _refuse_extent(name, rows, cols, cells)
    return formulas


def _refuse_extent(name: str, rows: int, cols: int, cells: int) -> None:
    if rows > MAX_ROWS:
        raise WorkbookError(
            f"工作表“{name}”有{rows}行，超过一次最多导入的{MAX_ROWS}行，请拆分后分批导入"
        )
    if cols > MAX_COLUMNS:
        raise WorkbookError(
            f"工作表“{name}”用到了第{cols}列，超过登记表可能有的{MAX_COLUMNS}列："
            "请删去远处的空白或无关单元格后再导入"
        )
    if cells > MAX_CELLS:
        raise WorkbookError(
            f"工作表“{name}”的范围有{rows}行×{cols}列，单元格过多，不像是登记表：请只保留登记表的区域"
        )


# For the fast pass every letter reads "A" and every digit "0": a reference in
# column AAA (703) or beyond, or in row 100,000 or beyond, is then a plain substring
# (bytes.translate and `in` run at memory speed, where a regex over every cell would
# cost more than reading the sheet). A second pass reads A and B as "A", C to Z as
# "C": two letters from C on (column CA, 79, or beyond) are two more substrings. Only a
# chunk holding one is parsed. Every other cell is within column BZ and row 99,999:
# 7.8 million cells at most, within MAX_CELLS.
_SHAPES = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", b"A" * 26 + b"0" * 10)
_FAR = (b'r="AAA', b"A000000", b'"000000')
_WIDE_SHAPES = bytes.maketrans(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", b"AA" + b"C" * 24 + b"0" * 10
)
_WIDE = (b'r="CA0', b'r="CC0')
_FAR_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*?(/?)>')
_FAR_ROW = re.compile(rb'<row\b[^>]*?\br="(\d+)"[^>]*?(/?)>')
_DIMENSION = re.compile(rb'<dimension ref="(?:[A-Z]+\d+:)?[A-Z]+(\d+)"')
# a cell typed as an error, and a formula: what odd_cells.locate looks for closely
ODD_MARKS = (b't="e"', b"<f")


def _xlsx_extent(path: Path, index: int) -> tuple[int, int, int, bool]:
    """The rows, columns and cells of a sheet, measured on its XML, streamed: the
    rows its ``dimension`` states or its last row with something reaches (rows come in
    order), and how far its cells holding something reach (a file may state a small
    dimension and hold a cell at XFD20000). Only a chunk with a reference beyond column
    BZ or row 99,999 is looked at closely; the cells are bounded by the rows times the
    columns found further. And whether the XML holds a formula or an error value
    anywhere."""
    overlap = 256
    with zipfile.ZipFile(path) as zf:
        part = xlsx_sheet_part(zf, index)
        if part is None:
            return 0, 0, 0, False
        with zf.open(part) as fh:
            stated = _DIMENSION.search(fh.read(4096))
        rows = int(stated.group(1)) if stated else 0
        cols = cells = 0
        formulas = False
        tail = b""
        with zf.open(part) as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                data = tail + chunk
                cells += chunk.count(b"</c>")  # cells holding something
                formulas = formulas or any(mark in data for mark in ODD_MARKS)
                shapes = data.translate(_SHAPES)
                wide = data.translate(_WIDE_SHAPES)
                if any(far in shapes for far in _FAR) or any(w in wide for w in _WIDE):
                    far_rows, far_cols = _far_references(data)
                    rows, cols = max(rows, far_rows), max(cols, far_cols)
                rows = max(rows, _last_row(data))
                if rows > MAX_ROWS or cols > MAX_COLUMNS or max(cells, rows * cols) > MAX_CELLS:
                    break  # refused whatever follows
                tail = data[-overlap:]
    return rows, cols, max(cells, rows * cols), formulas


def _last_row(data: bytes) -> int:
    """The number of the last row of ``data`` with something in it (rows come in
    order), 0 when it holds none whole."""
    end = len(data)
    while (at := data.rfind(b"<row", 0, end)) >= 0:
        found = _FAR_ROW.match(data, at)
        if found and not found.group(2):
            return int(found.group(1))
        end = at
    return 0


def _far_references(data: bytes) -> tuple[int, int]:
    """The furthest row and column the non-empty cells and rows of ``data`` reach."""
    rows = cols = 0
    for letters, number, empty in _FAR_CELL.findall(data):
        if not empty:
            rows, cols = max(rows, int(number)), max(cols, col_index(letters) + 1)
    for number, empty in _FAR_ROW.findall(data):
        if not empty:
            rows = max(rows, int(number))
    return rows, cols


def _check_ods_extent(path: Path) -> None:
    """Refuse an ODS any of whose tables reaches too far, counting repetitions (one
    cell repeated 1,000 × 20,000 times is 20 million cells). Before the reader
    opens it: it reads every table at once. Parsed with expat, entity
    declarations refused (no entity bombs)."""
    from xml.parsers import expat

    table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    at = {"name": "", "row": 0, "rows_rep": 1, "col": 0, "rows": 0, "cols": 0, "cells": 0}

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag == f"{table} table":
            at.update(name=attrs.get(f"{table} name", ""), row=0, rows=0, cols=0, cells=0)
        elif tag == f"{table} table-row":
            at["rows_rep"] = int(attrs.get(f"{table} number-rows-repeated", "1"))
            at["col"] = 0
        elif tag in (f"{table} table-cell", f"{table} covered-table-cell"):
            repeat = int(attrs.get(f"{table} number-columns-repeated", "1"))
            if f"{office} value-type" in attrs:  # cells without a value take no room
                at["cols"] = max(at["cols"], at["col"] + repeat)
                at["rows"] = max(at["rows"], at["row"] + at["rows_rep"])
                at["cells"] += repeat * at["rows_rep"]
                _refuse_extent(str(at["name"]), at["rows"], at["cols"], at["cells"])
            at["col"] += repeat

    def end(tag: str) -> None:
        if tag == f"{table} table-row":
            at["row"] += at["rows_rep"]

    def no_entities(*_args: object) -> None:
        raise WorkbookError(f"文件含有实体声明（可能是恶意构造的文件），已拒绝：{path.name}")

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.EntityDeclHandler = no_entities
    parser.StartDoctypeDeclHandler = no_entities
    try:
        with zipfile.ZipFile(path) as zf, zf.open("content.xml") as fh:
            parser.ParseFile(fh)
    except (expat.ExpatError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise WorkbookError(f"无法读取工作簿，文件可能已损坏或不完整：{path.name}") from exc


def xlsx_sheet_part(zf: zipfile.ZipFile, index: int) -> str | None:
    """The zip member holding the index-th sheet, through workbook.xml and its rels."""
    workbook = zf.read("xl/workbook.xml")
    ids = re.findall(rb'<sheet\b[^>]*?r:id="([^"]+)"', workbook)
    if index >= len(ids):
        return None
    rels = zf.read("xl/_rels/workbook.xml.rels")
    for rel in re.findall(rb"<Relationship\b[^>]*>", rels):
        rid = re.search(rb'Id="([^"]+)"', rel)
        target = re.search(rb'Target="([^"]+)"', rel)
        if rid and target and rid.group(1) == ids[index]:
            path = target.group(1).decode()
            path = path.lstrip("/")
            return path if path.startswith("xl/") else f"xl/{path}"
    return None


def col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n - 1
