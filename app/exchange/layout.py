"""Find the registry in a sheet: the header row(s), the column → field map,
and where the data stops (blank rows are skipped; 填表说明 ends the data)."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.exchange.fields import clean_header, match_header
from app.exchange.reader import Sheet

SCAN_ROWS = 40  # the header is looked for in the first rows only
NOTES_MARK = "填表说明"
# a ParkDesk result list (a half-year's ranking or its awards, on their own, in the
# quarterly or the yearly workbook): 名次 beside 总分. Its 分类 is the class a unit was
# ranked in, not the registry's: read as a registry, it would move units back
RESULT_MARKS = frozenset({"名次", "总分"})


@dataclass
class Column:
    index: int
    letter: str
    header: str  # as the sheet shows it (the lower cell of a two-row header)
    field: str | None  # None: ignored


@dataclass
class Layout:
    sheet: str
    header_rows: list[int]  # 1-based, as Excel shows them
    columns: list[Column]
    data_rows: list[int] = field(default_factory=list)  # 0-based indexes into sheet.rows
    notes_row: int | None = None  # 1-based row where 填表说明 starts

    @property
    def fields(self) -> dict[str, Column]:
        return {c.field: c for c in self.columns if c.field}

    @property
    def signature(self) -> str:
        """The headers, joined: a later file with the same headers reuses the mapping."""
        return "|".join(clean_header(c.header) for c in self.columns)


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _row_fields(row: list[object]) -> dict[int, str]:
    out = {}
    for i, value in enumerate(row):
        if isinstance(value, str):
            key = match_header(value)
            if key is not None:
                out[i] = key
    return out


def _take_group_row_above(
    sheet: Sheet, top: int, header_rows: list[int], mapped: dict[int, str], labels: dict[int, str]
) -> None:
    """The fields' row may sit under a row of group names (基本信息, 党组织情况 merged
    across their fields), with the other headers merged down over both rows: that
    row belongs to the header too, and a header merged down from it names its
    column (备注 over two rows has its text in the upper cell only)."""
    above = top - 1
    across = [
        (c0, c1) for (r0, c0), (r1, c1) in sheet.merged if r0 == above and r1 == above and c1 > c0
    ]
    down = [c0 for (r0, c0), (r1, _c1) in sheet.merged if r0 == above and r1 >= top]
    row = sheet.rows[above]
    texts = [_text(v) for v in row if _text(v)]
    # group names are short labels, two or more of them (a title or a 填报单位 line is not)
    if len(texts) < 2 or any(len(t) > 12 or "：" in t or ":" in t for t in texts):
        return
    if not any(mapped.get(c) for c0, c1 in across for c in range(c0, c1 + 1)):
        return
    header_rows.insert(0, above)
    taken = set(mapped.values())
    for c in down:
        text = _text(row[c]) if c < len(row) else ""
        key = match_header(text) if text else None
        if c not in mapped and text:
            labels[c] = text
            if key is not None and key not in taken:
                mapped[c] = key
                taken.add(key)


def find_layout(sheet: Sheet) -> Layout | None:
    """None when no row looks like a registry header (no name column)."""
    best: tuple[int, int] | None = None  # (score, row index)
    for r, row in enumerate(sheet.rows[:SCAN_ROWS]):
        found = _row_fields(row)
        keys = set(found.values())
        if "name" not in keys:
            continue
        score = len(keys)
        if best is None or score > best[0]:
            best = (score, r)
    if best is None:
        return None
    top = best[1]
    upper = sheet.rows[top]
    upper_fields = _row_fields(upper)
    header_rows = [top]
    mapped = dict(upper_fields)
    labels = {i: _text(v) for i, v in enumerate(upper)}
    # a two-row header: a group cell (merged across columns, not a field itself)
    # with the fields in the row below
    if top + 1 < len(sheet.rows):
        lower = sheet.rows[top + 1]
        lower_fields = _row_fields(lower)
        grouped = {
            c
            for (r0, c0), (r1, c1) in sheet.merged
            if r0 == top and r1 == top and c1 > c0
            for c in range(c0, c1 + 1)
        }
        spans_down = {c0 for (r0, c0), (r1, _c1) in sheet.merged if r0 == top and r1 >= top + 1}
        new_below = {c: k for c, k in lower_fields.items() if c not in upper_fields}
        if new_below and (grouped & set(new_below) or spans_down):
            header_rows.append(top + 1)
            for c, key in new_below.items():
                mapped[c] = key
                labels[c] = _text(lower[c])
    if len(header_rows) == 1 and top > 0:
        _take_group_row_above(sheet, top, header_rows, mapped, labels)
    first = header_rows[0]
    width = max(len(upper), max((len(r) for r in sheet.rows[first : top + 2]), default=0))
    columns = []
    seen: set[str] = set()
    for i in range(width):
        key = mapped.get(i)
        if key in seen:
            key = None  # the first column of a field wins
        if key:
            seen.add(key)
        header = labels.get(i, "")
        if not header and key is None:
            continue
        columns.append(Column(i, column_letter(i), header, key))
    layout = Layout(sheet.name, [r + 1 for r in header_rows], columns)
    for r in range(header_rows[-1] + 1, len(sheet.rows)):
        # the row's first text (the cell is read once): none, a blank row; the notes
        # mark, the end of the data
        first = next(filter(None, map(_text, sheet.rows[r])), "")
        if first.startswith(NOTES_MARK):
            layout.notes_row = r + 1
            break
        if first:
            layout.data_rows.append(r)
    return layout


def is_result_list(layout: Layout) -> bool:
    """The sheet is a ranking (RESULT_MARKS in its header), not a registry."""
    return {clean_header(c.header) for c in layout.columns} >= RESULT_MARKS
