"""Write the quarterly submission (季度报送) and the blank import template, from
plain data (the use case, which reads the registry and keeps what was
submitted, is app/services/workbooks/submissions.py).

XlsxWriter: it writes 10,000 organizations in a fraction of openpyxl's time
(bench/bench_exchange.py) and does all a clerk expects of the file: frozen
header, widths that fit Chinese text, real dates, codes as text, drop-down
lists, landscape print with repeated header rows fitted to the page width,
and a hidden sheet by which ParkDesk recognises its own files. Every text cell
is written as a string, so a name such as “=HYPERLINK(…)” never becomes a
formula in the file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from app import __version__
from app.db.migrate import SCHEMA_HEAD
from app.domain.figure_parts import FORMATION_PARTS, RATE_PARTS
from app.domain.limits import EXCEL_CELL_CHARS
from app.domain.quarters import Quarter
from app.domain.vocabulary import NO_UNITS, Formation, OrgClass, PartyOrgKind, PartyOrgLevel
from app.exchange.reader import META_SHEET
from app.exchange.records import (
    ASSIGNMENT_HEADERS,
    CLUSTER_HEADERS,
    CLUSTER_RECORD_HEADERS,
    CLUSTER_RECORD_SHEET,
    CLUSTER_SHEET,
    INSTRUCTOR_HEADERS,
    INSTRUCTOR_ID_HEADER,
    PAIRING_HEADERS,
    PAIRING_SHEET,
    PARTY_ORG_HEADERS,
    REGISTRY_COLUMNS,
    VISIT_HEADERS,
    VISIT_SHEET,
)
from app.exchange.saving import saving

ASSESSMENT_SHEET = "半年考核"
REGISTRY_SHEET = "组织名录"
Progress = Callable[[int, int], None]


class Formats:
    def __init__(self, wb: Any) -> None:
        base = {"font_name": "宋体", "font_size": 10, "valign": "vcenter"}
        self.title = wb.add_format({**base, "bold": True, "font_size": 14})
        self.header = wb.add_format(
            {
                **base,
                "bold": True,
                "bg_color": "#DDEBF7",
                "border": 1,
                "text_wrap": True,
                "align": "center",
            }
        )
        # data cells carry a style only where it means something: text that must stay
        # text when retyped (codes, phones) and dates; the table lines are the printed
        # gridlines. A style on every cell made XlsxWriter a third slower (10,000 rows).
        self.kept_text = wb.add_format({**base, "num_format": "@"})
        self.day = wb.add_format({**base, "num_format": "yyyy-mm-dd"})
        self.text = wb.add_format({**base, "border": 1, "num_format": "@"})
        # a rate as every view shows it (84.62): a number with its two decimals, so an
        # upper level's formulas read it; "—" (nothing to divide by) stays text
        self.rate = wb.add_format({**base, "border": 1, "num_format": "0.00", "align": "right"})
        self.number = wb.add_format({**base, "border": 1, "num_format": "0"})
        self.decimal = wb.add_format({**base, "border": 1, "num_format": "General"})
        self.date = wb.add_format({**base, "border": 1, "num_format": "yyyy-mm-dd"})
        self.plain = wb.add_format(base)
        # the cover's values, over three columns: long names wrap inside the border
        self.wrapped = wb.add_format({**base, "border": 1, "text_wrap": True, "num_format": "@"})
        self.day_left = wb.add_format(
            {**base, "border": 1, "num_format": "yyyy-mm-dd", "align": "left"}
        )
        self.note = wb.add_format({**base, "font_color": "#555555", "text_wrap": True})


def _write(ws: Any, r: int, c: int, value: Any, f: Formats) -> None:
    if value.__class__ is str:  # most cells: no isinstance chain for them
        ws.write_string(r, c, value, f.text)  # never a formula
        return
    if value is None:
        return  # an empty cell: nothing to write (and nothing for Excel to read)
    if isinstance(value, bool):
        ws.write_string(r, c, "是" if value else "否", f.text)
    elif isinstance(value, int | float):
        ws.write_number(r, c, value, f.number)
    elif isinstance(value, Decimal):  # 87.5 stays 87.5 (f.number would show 88)
        ws.write_number(r, c, float(value), f.decimal)
    elif isinstance(value, datetime):
        ws.write_datetime(r, c, value, f.date)
    elif isinstance(value, date):
        ws.write_datetime(r, c, datetime(value.year, value.month, value.day), f.date)
    else:
        ws.write_string(r, c, str(value), f.text)  # never a formula


class ValueTooLong(ValueError):
    """A value longer than an Excel cell holds: the export stops rather than cut it."""

    def __init__(
        self,
        sheet: str,
        row: int,
        headers: Sequence[tuple[str, int]],
        values: Sequence[Any],
        at: int,
    ) -> None:
        names = [v for (h, _w), v in zip(headers, values, strict=False) if h in _RECORD_NAMES and v]
        record = f"“{str(names[0])[:40]}”" if names and names[0] is not values[at] else ""
        super().__init__(
            f"无法完整导出：工作表“{sheet}”第{row}行{record}的“{headers[at][0]}”有"
            f"{len(values[at])}个字，超过 Excel 一个单元格最多能放的{EXCEL_CELL_CHARS}个字。"
            "没有写出文件：请先在 ParkDesk 中把这一项改短。"
        )

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        # back from the process that wrote the workbook (app/apart.py) with its words
        return _value_too_long, (str(self),)


def _value_too_long(message: str) -> ValueTooLong:
    exc = ValueTooLong.__new__(ValueTooLong)
    ValueError.__init__(exc, message)
    return exc


# the columns that name a row's record, for the message above
_RECORD_NAMES = frozenset({"组织名称", "党组织名称", "姓名", "统一社会信用代码"})


def new_workbook(path: Path) -> Any:
    import xlsxwriter

    return xlsxwriter.Workbook(
        str(path),
        {
            # text is written as text: never a formula, a number or a link
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            # unstyled cells in the same face as the styled ones
            "default_format_properties": {"font_name": "宋体", "font_size": 10},
        },
    )


def _stays_text(header: str) -> bool:
    """Columns whose text must stay text when a clerk retypes a cell (a code or a
    phone number would become a number and lose its leading zero)."""
    return "代码" in header or "电话" in header


def display_width(text: str) -> int:
    """Excel column units: a Chinese character takes two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _fitted_widths(headers: Sequence[tuple[str, int]], rows: Sequence[Sequence[Any]]) -> list[int]:
    """Wide enough for nine in ten cells of each column, never wider than 50.

    Measured on an even sample of at most 500 rows: enough to size a column."""
    step = max(1, len(rows) // 500)
    sample = rows[::step]
    widths = []
    for c, (header, minimum) in enumerate(headers):
        cells = sorted(
            display_width(v if isinstance(v, str) else str(v))
            for row in sample
            if (v := row[c]) is not None and not isinstance(v, date)
        )
        typical = cells[int(len(cells) * 0.9)] if cells else 0
        widths.append(min(50, max(min(minimum, 12), typical + 2, display_width(header) // 2 + 3)))
    return widths


def table_sheet(
    wb: Any,
    f: Formats,
    name: str,
    title: str,
    headers: Sequence[tuple[str, int]],
    rows: Sequence[Sequence[Any]],
    choices: dict[int, Sequence[str]] | None = None,
    paper: int = 9,
) -> Any:
    ws = wb.add_worksheet(name)
    ws.write_string(0, 0, title, f.title)
    ws.set_row(1, 30)
    widths = _fitted_widths(headers, rows)
    for c, ((header, _w), width) in enumerate(zip(headers, widths, strict=True)):
        ws.write_string(1, c, header, f.header)
        ws.set_column(c, c, width)
    kept = [f.kept_text if _stays_text(h) else None for h, _w in headers]
    write_string, write_number, day = ws.write_string, ws.write_number, f.day
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row):
            cls = value.__class__
            if cls is str:
                if len(value) > EXCEL_CELL_CHARS:  # Excel would keep only the start
                    raise ValueTooLong(name, r + 1, headers, row, c)
                write_string(r, c, value, kept[c])  # never a formula
            elif value is None:
                continue
            elif cls is bool:
                write_string(r, c, "是" if value else "否", kept[c])
            elif cls is int or cls is float:
                write_number(r, c, value)
            elif cls is Decimal:  # a total or an amount: a number at the precision shown
                write_number(r, c, float(value))
            elif cls is date:
                ws.write_datetime(r, c, datetime(value.year, value.month, value.day), day)
            else:
                _write(ws, r, c, value, f)
    ws.hide_gridlines(0)  # shown and printed: the table's lines
    last = max(len(rows) + 1, 2)
    ws.freeze_panes(2, 1)
    ws.autofilter(1, 0, last, len(headers) - 1)
    for c, options in (choices or {}).items():
        ws.data_validation(
            2,
            c,
            max(last, 1000),
            c,
            {
                "validate": "list",
                "source": list(options),
                "error_type": "warning",
                "error_title": "请从列表中选择",
                "error_message": "该列请填写列表中的值",
            },
        )
    _print_setup(ws, paper, widths)
    return ws


# Printing: the cells' 10 pt must print at 8 pt or more, so a sheet is never shrunk
# below 80 %. A sheet that fits one page wide at that scale is fitted to it; a wider
# one (the 34 columns of 组织名录) prints at 80 % over several pages across, with the
# name column and the header rows repeated on each (measured with LibreOffice).
MIN_PRINT_SCALE = 0.8
_PRINTABLE_MM = {9: 297 - 2 * 10.2, 8: 420 - 2 * 10.2}  # landscape, 0.4" margins
_MM_PER_WIDTH, _MM_PER_COLUMN = 1.85, 1.3  # one unit of width (a "0"), a column's padding


def _hide_identity(ws: Any, headers: Sequence[tuple[str, int]]) -> None:
    """The identity column is for reading the workbook back, not for the reader."""
    c = [h for h, _w in headers].index(INSTRUCTOR_ID_HEADER)
    ws.set_column(c, c, None, None, {"hidden": True})


def _print_setup(ws: Any, paper: int, widths: Sequence[int]) -> None:
    ws.set_landscape()
    ws.set_paper(paper)  # 9 = A4, 8 = A3
    ws.repeat_rows(0, 1)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&C第 &P 页，共 &N 页")
    needed = sum(w * _MM_PER_WIDTH + _MM_PER_COLUMN for w in widths)
    if _PRINTABLE_MM[paper] / max(needed, 1) >= MIN_PRINT_SCALE:
        ws.fit_to_pages(1, 0)
    else:
        ws.set_print_scale(int(MIN_PRINT_SCALE * 100))
        ws.repeat_columns(0, 0)  # the name on every page across
        ws.print_across()  # a band of rows across all its pages, then the next band


def _registry_rows(records: list[dict[str, Any]]) -> list[list[Any]]:
    return [[rec.get(col.key) for col in REGISTRY_COLUMNS] for rec in records]


def _registry_headers() -> list[tuple[str, int]]:
    return [(c.header, c.width) for c in REGISTRY_COLUMNS]


def _registry_choices() -> dict[int, Sequence[str]]:
    return {i: c.choices for i, c in enumerate(REGISTRY_COLUMNS) if c.choices}


def _cover(
    wb: Any,
    f: Formats,
    park: str,
    committee: str,
    quarter: Quarter,
    today: date,
    figures: dict[str, Any],
) -> None:
    info = [
        ("报送单位", committee or park),
        ("所属季度", quarter.label),
        ("报送日期", today),
        ("生成程序", f"ParkDesk {__version__}"),
    ]
    title = f"{park}两新组织党建工作季度报送"
    figures_sheet(wb, f, "封面汇总", title, info, figures)


def figures_sheet(
    wb: Any,
    f: Formats,
    name: str,
    title: str,
    info: Sequence[tuple[str, Any]],
    figures: dict[str, Any],
) -> None:
    """The figures (figures_of's shape) under a title and the lines saying what they are:
    the quarterly workbook's 封面汇总, the yearly workbook's 年度数字."""
    ws = wb.add_worksheet(name)
    ws.set_column(0, 0, 30)
    ws.set_column(1, 4, 14)  # E: the party organizations by kind's 合计
    ws.write_string(0, 0, title, f.title)
    for r, (k, v) in enumerate(info, start=2):
        ws.write_string(r, 0, k, f.header)
        # the value over B:D, so a committee's long name stays inside its cell's border
        if isinstance(v, date):
            ws.merge_range(r, 1, r, 3, "", f.day_left)
            ws.write_datetime(r, 1, datetime(v.year, v.month, v.day), f.day_left)
        else:
            ws.merge_range(r, 1, r, 3, str(v), f.wrapped)
            if display_width(str(v)) > 40:  # two lines
                ws.set_row(r, 30)
    r = len(info) + 3  # a blank row under the lines of what the figures are
    for c, h in enumerate(("指标", "非公企业", "社会组织", "合计")):
        ws.write_string(r, c, h, f.header)
    for label, key in COVER_ROWS:
        r += 1
        ws.write_string(r, 0, label, f.text)
        for c, kind in enumerate(("enterprise", "social", "total"), start=1):
            ws.write_number(r, c, figures[kind][key], f.number)
    for label, key in RATE_ROWS:
        r += 1
        ws.write_string(r, 0, label, f.text)
        for c, kind in enumerate(("enterprise", "social", "total"), start=1):
            _write_rate(ws, r, c, figures[kind][key], f)  # as shown: 84.62
    r += 2
    ws.write_string(r, 0, "党组织（个）", f.header)
    for c, part in enumerate(FORMATION_PARTS, start=1):
        ws.write_string(r, c, part.label, f.header)
    for level in PartyOrgLevel:
        r += 1
        ws.write_string(r, 0, level.label, f.text)
        for c, formation in enumerate((Formation.OWN, Formation.JOINT, Formation.ATTACHED), 1):
            ws.write_number(
                r, c, figures["party_orgs"].get(f"{level.value}/{formation.value}", 0), f.number
            )
    r = _cover_by_kind(ws, f, r + 2, figures)
    r = _cover_classes(ws, f, r + 2, figures.get("classes", {}))
    r += 2
    ws.write_string(r, 0, "在岗指导员（人）", f.text)
    ws.write_number(r, 1, figures["instructors_active"], f.number)
    ws.write_string(
        r + 2,
        0,
        f"说明：以上为纳入统计基数的组织；比率为百分数，保留两位小数（{figures['rounding']}）。",
        f.note,
    )
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 1)


def _cover_by_kind(ws: Any, f: Any, r: int, figures: dict[str, Any]) -> int:
    """Party organizations (not units) by kind and formation, a joint branch of both
    kinds on its own row; then the 党员活动室 figure. The last row written."""
    ws.write_string(r, 0, "党组织按类型（个）", f.header)
    for c, part in enumerate(FORMATION_PARTS, start=1):
        ws.write_string(r, c, part.label, f.header)
    ws.write_string(r, len(FORMATION_PARTS) + 1, "合计", f.header)
    by_kind = figures.get("party_orgs_by_kind", {})
    rows = (
        *((k.value, k.label) for k in PartyOrgKind),
        ("none", NO_UNITS),
        ("total", "合计"),
    )
    for key, label in rows:
        r += 1
        ws.write_string(r, 0, label, f.text)
        counts = by_kind.get(key, {})
        for c, part in enumerate(FORMATION_PARTS, start=1):
            ws.write_number(r, c, counts.get(part.key, 0), f.number)
        ws.write_number(r, len(FORMATION_PARTS) + 1, counts.get("total", 0), f.number)
    rooms = figures.get("activity_rooms", {})
    r += 2
    ws.write_string(r, 0, "单独组建党组织的非公企业（个）", f.text)
    ws.write_number(r, 1, rooms.get("base", 0), f.number)
    r += 1
    ws.write_string(r, 0, "其中建有党员活动室（个）", f.text)
    ws.write_number(r, 1, rooms.get("with_room", 0), f.number)
    r += 1
    ws.write_string(r, 0, "党员活动室建设率（%）", f.text)
    _write_rate(ws, r, 1, rooms.get("rate", "—"), f)  # as shown, like the rates above
    return r


def _write_rate(ws: Any, r: int, c: int, shown: str, f: Formats) -> None:
    """A rate as the views show it ("84.62", already rounded by the park's rule) as the
    number it reads: 0.00 shows the same two decimals. "—" has no number."""
    if shown == "—":
        ws.write_string(r, c, shown, f.text)
    else:
        ws.write_number(r, c, float(Decimal(shown)), f.rate)


def _cover_classes(ws: Any, f: Any, r: int, classes: dict[str, dict[str, int]]) -> int:
    """分类 A–E and 未分类 by kind; the last row written."""
    ws.write_string(r, 0, "分类（个）", f.header)
    for c, h in enumerate(("非公企业", "社会组织", "合计"), start=1):
        ws.write_string(r, c, h, f.header)
    codes = {c.value for c in OrgClass}
    for key, counts in classes.items():
        r += 1
        ws.write_string(r, 0, OrgClass(key).label if key in codes else key, f.text)
        for c, kind in enumerate(("enterprise", "social", "total"), start=1):
            ws.write_number(r, c, counts[kind], f.number)
    return r


COVER_ROWS = (
    ("纳入统计的组织（个）", "in_base"),
    ("单独组建党组织（个）", "own"),
    ("联合组建覆盖（个）", "joint"),
    ("挂靠组建覆盖（个）", "attached"),
    ("党组织覆盖合计（个）", "covered"),
    ("未建党组织（个）", "none"),
    ("正式党员（人）", "formal_members"),
    ("预备党员（人）", "probationary_members"),
    ("入党积极分子（人）", "activists"),
    ("出资人是党员的组织（个）", "investor_members"),
    ("3名以上正式党员的组织（个）", "three_plus"),
    ("其中应建未建（个）", "three_plus_without_own"),
    ("党的工作覆盖（个）", "work_covered"),
)
RATE_ROWS = tuple((f"{part.label}（%）", part.key) for part in RATE_PARTS)


def write_meta(wb: Any, values: dict[str, str]) -> None:
    ws = wb.add_worksheet(META_SHEET)
    for r, (k, v) in enumerate(values.items()):
        ws.write_string(r, 0, k)
        ws.write_string(r, 1, v)
    ws.hide()


def snapshot(records: list[dict[str, Any]]) -> dict[str, Any]:
    """What was submitted, compactly: the column keys once, then a list of values per
    organization (by uuid). Dicts per row made the JSON twice as long to write and read."""
    keys = [c.key for c in REGISTRY_COLUMNS]
    return {
        "columns": keys,
        "rows": {
            rec["_uuid"]: [v.isoformat() if isinstance(v, date) else v for v in map(rec.get, keys)]
            for rec in records
        },
    }


def _snapshot_rows(data: dict[str, Any]) -> dict[str, list[Any]]:
    """A kept snapshot's rows in today's column order (older snapshots held a dict per
    organization; a column added since reads as empty)."""
    keys = [c.key for c in REGISTRY_COLUMNS]
    if "columns" not in data or "rows" not in data:
        return {uuid: [rec.get(k) for k in keys] for uuid, rec in data.items()}
    if data["columns"] == keys:
        return data["rows"]
    at = {k: i for i, k in enumerate(data["columns"])}
    return {
        uuid: [row[at[k]] if k in at else None for k in keys] for uuid, row in data["rows"].items()
    }


def _shown(value: Any) -> Any:
    """A value on the changes sheet: a count of 0 is 0, only nothing is 空."""
    return "空" if value is None or value == "" else value


def changes_since(previous: dict[str, Any] | None, now: dict[str, Any]) -> list[list[Any]]:
    if previous is None:
        return []
    columns = list(REGISTRY_COLUMNS)
    at = {c.key: i for i, c in enumerate(columns)}
    name, uscc, status, status_date = (at[k] for k in ("name", "uscc", "status", "status_date"))
    before = _snapshot_rows(previous)
    rows: list[list[Any]] = []
    for uuid, rec in _snapshot_rows(now).items():
        old = before.get(uuid)
        if old is None:
            rows.append(["新增", rec[name], rec[uscc], None])
            continue
        if rec == old:  # most organizations: one comparison in C
            continue
        if rec[status] != old[status] and rec[status] in ("注销", "迁出"):
            rows.append([rec[status], rec[name], rec[uscc], rec[status_date]])
            continue
        diffs = [
            f"{c.header}：{_shown(old[i])} → {_shown(rec[i])}"
            for i, c in enumerate(columns)
            if rec[i] != old[i]
        ]
        rows.append(["变更", rec[name], rec[uscc], "；".join(diffs)])
    now_rows = now["rows"]
    for uuid, old in before.items():
        if uuid not in now_rows:
            rows.append(["删除", old[name], old[uscc], None])
    order = {"新增": 0, "注销": 1, "迁出": 2, "变更": 3, "删除": 4}
    rows.sort(key=lambda r: (order[r[0]], r[1]))
    return rows


@dataclass
class QuarterContent:
    """Everything the quarterly workbook shows, as plain data (app/services/
    submissions.py gathers it from the registry)."""

    park_name: str
    committee_name: str
    quarter: Quarter
    today: date
    figures: dict[str, Any]  # figures_of's shape: counts, and rates as shown
    records: list[dict[str, Any]]  # the registry, REGISTRY_COLUMNS' keys
    party_orgs: list[list[Any]]
    instructors: list[list[Any]]
    assignments: list[list[Any]]
    pairings: list[list[Any]]
    clusters: list[list[Any]]
    cluster_records: list[list[Any]]
    previous_quarter: str | None  # the submission compared with; None the first time
    changes: list[list[Any]]
    # the half-year assessment closed by this quarter: (period, headers, rows), or None
    assessment: tuple[str, Sequence[tuple[str, int]], list[list[Any]]] | None = None
    visits: list[list[Any]] | None = None  # the 走访整改 sheet (records.VISIT_HEADERS)
    park_uuid: str = ""  # the park's identity: a county knows the park by it


def write_quarter(path: Path, c: QuarterContent, progress: Progress | None = None) -> None:
    """The submission workbook at ``path``: a cover, the registry, party
    organizations, instructors, assignments, changes and ParkDesk's own sheet."""
    with saving(path) as tmp:
        write_workbook(tmp, c, progress)


def write_workbook(tmp: Path, c: QuarterContent, progress: Progress | None = None) -> None:
    """write_quarter's workbook at ``tmp``, a path the caller's ``saving`` gave."""
    wb = new_workbook(tmp)
    f = Formats(wb)
    _cover(wb, f, c.park_name, c.committee_name, c.quarter, c.today, c.figures)
    if progress:
        progress(1, 6)
    title = f"{c.park_name}两新组织名录（{c.quarter.label}，截至{c.today:%Y-%m-%d}）"
    rows = _registry_rows(c.records)
    headers, choices = _registry_headers(), _registry_choices()
    table_sheet(wb, f, REGISTRY_SHEET, title, headers, rows, choices, paper=8)  # A3
    if progress:
        progress(3, 6)
    label = c.quarter.label
    table_sheet(wb, f, "党组织", f"{c.park_name}党组织（{label}）", PARTY_ORG_HEADERS, c.party_orgs)
    people = table_sheet(
        wb, f, "指导员", f"党建指导员（{label}）", INSTRUCTOR_HEADERS, c.instructors
    )
    links = table_sheet(
        wb, f, "联系分工", f"指导员联系分工（{label}）", ASSIGNMENT_HEADERS, c.assignments
    )
    for ws, headers in ((people, INSTRUCTOR_HEADERS), (links, ASSIGNMENT_HEADERS)):
        _hide_identity(ws, headers)
    table_sheet(
        wb,
        f,
        CLUSTER_SHEET,
        f"{c.park_name}编组共建（{c.quarter.year}年）",
        CLUSTER_HEADERS,
        c.clusters,
    )
    table_sheet(
        wb,
        f,
        CLUSTER_RECORD_SHEET,
        f"{c.park_name}编组记录（{c.quarter.year}年）",
        CLUSTER_RECORD_HEADERS,
        c.cluster_records,
    )
    table_sheet(
        wb, f, PAIRING_SHEET, f"{c.park_name}结对帮带（{label}）", PAIRING_HEADERS, c.pairings
    )
    if c.visits is not None:
        title = f"{c.park_name}走访整改（{label}）"
        table_sheet(wb, f, VISIT_SHEET, title, VISIT_HEADERS, c.visits)
    if c.assessment is not None:
        code, headers, rows = c.assessment
        title = f"{c.park_name}{code}半年考核结果（分类排名）"
        table_sheet(wb, f, ASSESSMENT_SHEET, title, headers, rows)
    since = (
        f"较{c.previous_quarter}报送的变化"
        if c.previous_quarter
        else "较上次报送的变化（本次为首次报送）"
    )
    table_sheet(wb, f, "变化情况", since, CHANGE_HEADERS, c.changes)
    write_meta(wb, _meta_values(c))
    wb.close()
    if progress:
        progress(5, 6)


CHANGE_HEADERS = (("变化", 8), ("组织名称", 34), ("统一社会信用代码", 22), ("内容", 80))


def _meta_values(c: QuarterContent) -> dict[str, str]:
    return {
        "program": "ParkDesk",
        "version": __version__,
        "schema": SCHEMA_HEAD,
        "kind": "quarterly",
        "park": c.park_name,
        "park_uuid": c.park_uuid,
        "committee": c.committee_name,
        "quarter": c.quarter.code,
        "exported_at": datetime.now().isoformat(timespec="seconds"),
    }


TEMPLATE_NOTES = (
    "填表说明",
    "1. 每个组织填一行；组织名称必填，统一社会信用代码填18位（可暂缺）。",
    "2. 组织类型填“非公企业”或“社会组织”；"
    "社会组织可在“社会组织类别”中写明社会团体、民办非企业单位或基金会。",
    "3. 党员数填整数；日期写成 2019-03-15 或 2019年3月。",
    "4. 组建方式填单独组建、联合组建、挂靠组建或未建；已建党组织的请在“所属党组织”写全称，"
    "联合组建的各单位写同一个名称。",
    "5. 是/否列填“是”或“否”；分类填A–E；状态填在册、注销或迁出。",
    "6. 填好后在 ParkDesk 的“数据交换”页导入，导入前会先预览每一行的结果。",
)


def notes_sheet(wb: Any, f: Formats, lines: Sequence[str]) -> None:
    """A template's 填表说明 sheet: the title line, then one instruction a line."""
    notes = wb.add_worksheet("填表说明")
    notes.set_column(0, 0, 100)
    for r, line in enumerate(lines):
        notes.write_string(r, 0, line, f.title if r == 0 else f.note)


def export_template(path: Path) -> Path:
    with saving(path) as tmp:
        _write_template(tmp)
    return path


def _write_template(tmp: Path) -> None:
    wb = new_workbook(tmp)
    f = Formats(wb)
    ws = table_sheet(
        wb,
        f,
        REGISTRY_SHEET,
        "两新组织登记表（导入模板）",
        _registry_headers(),
        [],
        _registry_choices(),
    )
    ws.write_comment(1, 0, "必填")
    notes_sheet(wb, f, TEMPLATE_NOTES)
    write_meta(
        wb,
        {"program": "ParkDesk", "version": __version__, "schema": SCHEMA_HEAD, "kind": "template"},
    )
    wb.close()


def write_table(
    path: Path, title: str, headers: Sequence[tuple[str, int]], rows: Sequence[Sequence[Any]]
) -> Path:
    """One styled sheet (a list behind a figure, the gap worklist), written as the submission is."""
    with saving(path) as tmp:
        wb = new_workbook(tmp)
        table_sheet(wb, Formats(wb), title[:31].replace("/", "、"), title, headers, rows)
        wb.close()
    return path
