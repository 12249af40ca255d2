"""The score workbook of a period: the template instructors fill offline (units by
class, one column per indicator with its maximum and a data validation, 加分, 否决,
备注) and the reading of it — or of any sheet written by hand with those headers,
in any order, under a title row or not."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from app import __version__
from app.domain import uscc
from app.domain.assessment import Scheme, decimal_text
from app.exchange import odd_cells
from app.exchange.export import (
    Formats,
    new_workbook,
    notes_sheet,
    table_sheet,
    write_meta,
)
from app.exchange.fields import clean_header
from app.exchange.layout import NOTES_MARK, SCAN_ROWS, column_letter
from app.exchange.odd_cells import CellMark
from app.exchange.reader import Sheet, Workbook, WorkbookError, open_workbook
from app.exchange.saving import saving

SCORE_SHEET = "考核评分"
USCC, NAME, CLASS, BONUS, VETO, NOTE = "uscc", "name", "class", "bonus", "veto", "note"
FIXED_HEADERS = {
    USCC: ("统一社会信用代码", "信用代码", "社会信用代码"),
    NAME: ("组织名称", "单位名称", "企业名称", "名称"),
    CLASS: ("分类", "类别", "分类等次"),
    VETO: ("否决", "一票否决", "否决项"),
    NOTE: ("备注", "说明"),
}
# "组织设置（15分）", "特色工作加分(≤5分)": the maximum in brackets may follow a name
_POINTS = re.compile(r"[(（][^()（）]*分[)）]$")


def _key(header: object) -> str:
    return _POINTS.sub("", clean_header(header))


def column_keys(scheme: Scheme) -> dict[str, str]:
    """Header (cleaned) → what the column holds: a fixed key or an indicator's name."""
    keys = {_key(h): k for k, names in FIXED_HEADERS.items() for h in names}
    keys[_key(scheme.bonus_name)] = BONUS
    keys["加分"] = BONUS
    keys.update({_key(i.name): i.name for i in scheme.indicators})
    return keys


def template_headers(scheme: Scheme) -> list[tuple[str, int]]:
    return [
        ("统一社会信用代码", 22),
        ("组织名称", 34),
        ("分类", 8),
        *((f"{i.name}（{decimal_text(i.maximum)}分）", 12) for i in scheme.indicators),
        (f"{scheme.bonus_name}（≤{decimal_text(scheme.bonus_cap)}分）", 14),
        ("否决", 12),
        ("备注", 30),
    ]


TEMPLATE_NOTES = (
    "填表说明",
    "1. 每个组织一行，按统一社会信用代码（没有时按组织名称）对应到台账中的组织；请不要改动这两列。",
    "2. 各项得分填0到该项满分之间的数，最多一位小数（如 14.5）；特色工作加分不超过上限。",
    "3. 否决：没有填“否”或留空；有填“是”或否决项名称。未按期换届由程序按换届规则自动判定。",
    "4. 留空的单元格不会改动 ParkDesk 中已有的分数。",
    "5. 填好后在 ParkDesk 的“考核”页导入，导入前会先预览每一行的结果。",
)


def write_template(
    path: Path, period: str, scheme: Scheme, rows: Sequence[Sequence[object]]
) -> Path:
    """The sheet to fill: ``rows`` as template_headers (scores already entered included,
    so a returned sheet can be sent out again)."""
    headers = template_headers(scheme)
    with saving(path) as tmp:
        wb = new_workbook(tmp)
        f = Formats(wb)
        title = f"{period}考核评分表（{scheme.name}第{scheme.version}版）"
        ws = table_sheet(
            wb, f, SCORE_SHEET, title, headers, rows, {len(headers) - 2: _vetoes(scheme)}
        )
        last = max(len(rows) + 1, 1000)
        limits = [i.maximum for i in scheme.indicators] + [scheme.bonus_cap]
        for c, maximum in enumerate(limits, start=3):
            ws.data_validation(
                2,
                c,
                last,
                c,
                {
                    "validate": "decimal",
                    "criteria": "between",
                    "minimum": 0,
                    "maximum": float(maximum),
                    "error_title": "分数超出范围",
                    "error_message": f"请填写0到{decimal_text(maximum)}之间的分数",
                },
            )
        notes_sheet(wb, f, TEMPLATE_NOTES)
        write_meta(
            wb,
            {
                "program": "ParkDesk",
                "version": __version__,
                "kind": "assessment_template",
                "period": period,
                "scheme": f"{scheme.name}#{scheme.version}",
            },
        )
        wb.close()
    return path


def _vetoes(scheme: Scheme) -> list[str]:
    return ["否", "是", *scheme.vetoes]


@dataclass(slots=True)
class ScoreRow:
    """One data row as the sheet has it (cells as read, not yet checked)."""

    row: int  # as Excel numbers rows
    uscc: str
    name: str
    cells: dict[str, object] = field(default_factory=dict)  # indicator name → cell as read
    bonus: object = None
    veto: str = ""
    note: str = ""
    # cells not taken as read (a formula error or without its value, a merged cell),
    # by what the column holds: each is a problem of the row
    marks: dict[str, CellMark] = field(default_factory=dict)


@dataclass(slots=True)
class ScoreSheet:
    sheet: str
    header_row: int
    headers: dict[str, str]  # key (USCC, an indicator's name…) → the header as the sheet has it
    rows: list[ScoreRow]
    # the period the workbook says it is for (its hidden identity sheet, else its
    # title), and where it says so; None when it does not say
    period: str | None = None
    period_source: str = ""
    missing: list[str] = field(default_factory=list)  # the scheme's indicators without a column


def cell_text(value: object) -> str:
    """A cell as text: 15.0 → "15", full-width "１５" → "15" (NFKC only where needed)."""
    cls = value.__class__
    if cls is str:
        text = value.strip()  # type: ignore[union-attr]
        return text if text.isascii() else unicodedata.normalize("NFKC", text).strip()
    if value is None:
        return ""
    if cls is float:
        return str(int(value)) if value.is_integer() else repr(value)  # type: ignore[union-attr]
    return unicodedata.normalize("NFKC", str(value)).strip()


def _blank(value: object) -> bool:
    return value is None or value == "" or (value.__class__ is str and not value.strip())  # type: ignore[union-attr]


def _notes_start(value: object) -> bool:
    """The template's notes under the table ("填表说明…") end the rows."""
    return value.__class__ is str and value.lstrip().startswith(NOTES_MARK)  # type: ignore[union-attr]


def _header_row(rows: list[list[object]], keys: dict[str, str], scheme: Scheme) -> int | None:
    indicators = {i.name for i in scheme.indicators}
    for r, row in enumerate(rows[:SCAN_ROWS]):
        found = {keys.get(_key(v)) for v in row if v not in (None, "")}
        if (USCC in found or NAME in found) and found & indicators:
            return r
    return None


def read_score_sheet(path: Path, scheme: Scheme, sheet: str | None = None) -> ScoreSheet:
    """The sheet named, else the first visible sheet with an organization column and an
    indicator column: its rows, and the period the workbook says it is for."""
    wb: Workbook = open_workbook(path)
    keys = column_keys(scheme)
    for index in [wb.index_of(sheet)] if sheet is not None else wb.visible_indexes():
        rows = wb.sheet(index).rows
        at = _header_row(rows, keys, scheme)
        if at is not None:
            read = _read(wb.sheet(index), at, keys, scheme, wb)
            read.period, read.period_source = _stated_period(wb, rows[:at])
            return read
    where = f"工作表“{sheet}”" if sheet is not None else f"“{path.name}”"
    raise WorkbookError(
        f"{where}中没有找到考核评分表：表头应有“组织名称”或“统一社会信用代码”，"
        f"以及{scheme.name}的指标（如“{scheme.indicators[0].name}”）"
        + ("" if sheet is not None else wb.hidden_note())
    )


_HALF = re.compile(r"(\d{4})\s*(?:H\s*([12])|年?度?\s*([上下])半年)", re.IGNORECASE)
_YEAR = re.compile(r"(\d{4})\s*年度")


def _stated_period(wb: Workbook, above: list[list[object]]) -> tuple[str | None, str]:
    """The period the workbook names: its hidden identity sheet (a ParkDesk template),
    else a title above the header (2026H2…, 2026年下半年…, 2026年度…)."""
    meta = wb.meta()
    if meta.get("kind") == "assessment_template" and meta.get("period"):
        return meta["period"].upper(), "评分表的识别信息"
    for row in above:
        for value in row:
            text = cell_text(value)
            half = _HALF.search(text)
            if half:
                part = half.group(2) or ("1" if half.group(3) == "上" else "2")
                return f"{half.group(1)}H{part}", f"标题“{text}”"
            year = _YEAR.search(text)
            if year:
                return year.group(1), f"标题“{text}”"
    return None, ""


def _columns(
    sheet: str, header: list[object], keys: dict[str, str], scheme: Scheme
) -> tuple[dict[int, str], dict[str, str], list[str]]:
    """Column index → what it holds, key → the header as written, and the indicators
    without a column. A score column given twice is refused: which one counts cannot
    be told (of two name or note columns, the first counts)."""
    columns: dict[int, str] = {}
    headers: dict[str, str] = {}
    for c, value in enumerate(header):
        key = keys.get(_key(value))
        if key is None:
            continue
        if key in headers:
            if key in FIXED_HEADERS:
                continue
            first = next(col for col, k in columns.items() if k == key)
            raise WorkbookError(
                f"工作表“{sheet}”中“{headers[key]}”列出现了两次（{column_letter(first)}列和"
                f"{column_letter(c)}列），无法判断以哪一列为准：请删去其中一列后再导入"
            )
        columns[c] = key
        headers[key] = str(value).strip() or column_letter(c)
    missing = [i.name for i in scheme.indicators if i.name not in headers]
    return columns, headers, missing


def _any_empty(rows: list[list[object]], at: int, columns: list[int]) -> bool:
    if not columns:
        return False
    width = max(columns) + 1
    pick = itemgetter(*columns) if len(columns) > 1 else (lambda row: (row[columns[0]],))
    return any(len(row) < width or "" in pick(row) for row in rows[at + 1 :])


def _read(sheet: Sheet, at: int, keys: dict[str, str], scheme: Scheme, wb: Workbook) -> ScoreSheet:
    rows = sheet.rows
    columns, headers, missing = _columns(sheet.name, rows[at], keys, scheme)
    # an error or a formula without its value reads as an empty cell: the file is
    # looked at again only when it can hold one (an xlsx without a formula, or a
    # sheet with every score filled in, costs nothing more; otherwise ~30 ms)
    scores = [c for c, k in columns.items() if k not in FIXED_HEADERS]  # with the bonus
    worth = odd_cells.worth_locating(sheet, lambda: _any_empty(rows, at, scores))
    found = odd_cells.locate(wb, sheet) if worth else {}
    marks = {**found, **odd_cells.merged(sheet, range(at + 1, len(rows)), columns)}
    marked: dict[int, dict[str, CellMark]] = {}
    for (r, c), mark in marks.items():
        if c in columns and r > at:
            marked.setdefault(r, {})[columns[c]] = mark
    fixed = {k: c for c, k in columns.items() if k in FIXED_HEADERS or k == BONUS}
    scored = [(c, k) for c, k in columns.items() if c not in fixed.values()]
    width = max(max(columns, default=-1) + 1, 2)
    out = []
    # the loop runs once per row of a 10,000-row sheet: what it looks up is looked up
    # here, once (each column's index, the scores' columns as one itemgetter)
    uscc_at, name_at, bonus_at, veto_at, note_at = (
        fixed.get(k) for k in (USCC, NAME, BONUS, VETO, NOTE)
    )
    score_keys = [k for _c, k in scored]
    score_cells = itemgetter(*(c for c, _k in scored)) if len(scored) > 1 else None
    for r in range(at + 1, len(rows)):
        cells = rows[r]
        if len(cells) < width:
            cells = [*cells, *([None] * (width - len(cells)))]
        first, second = cells[0], cells[1]
        if (first.__class__ is str and _notes_start(first)) or (
            second.__class__ is str and _notes_start(second)
        ):
            break
        # a named row is not blank (the usual case); otherwise every column is looked at
        name_cell = cells[name_at] if name_at is not None else None
        named = name_cell.__class__ is str and name_cell.strip()  # type: ignore[union-attr]
        if (
            not named
            and _blank(name_cell)
            and all(_blank(cells[c]) for c in columns)
            and r not in marked
        ):
            continue
        if score_cells is not None:
            values = dict(zip(score_keys, score_cells(cells), strict=True))
        else:
            values = {k: cells[c] for c, k in scored}
        out.append(
            ScoreRow(
                r + 1,
                # as every code is read: spaces and invisible characters pasted in removed
                uscc.normalize(cell_text(cells[uscc_at])) if uscc_at is not None else "",
                cell_text(name_cell) if name_at is not None else "",
                # scores as the cells hold them (numbers, or text): parse_score reads both
                values,
                cells[bonus_at] if bonus_at is not None else None,
                cell_text(cells[veto_at]) if veto_at is not None else "",
                cell_text(cells[note_at]) if note_at is not None else "",
                marked.get(r, {}),
            )
        )
    return ScoreSheet(sheet.name, at + 1, headers, out, missing=missing)
