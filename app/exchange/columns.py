"""The mapped cells of a sheet turned into row values, a column at a time.

The hot part of an import (340,000 cells for 10,000 rows): a column of a kind
with few distinct values (yes/no, kind, formation, counts, dates) is normalised
once per distinct cell and mapped in C; text columns are stripped in one
comprehension; the rest (names, credit codes) cell by cell. Rows come back as
the per-row reading did: the values in column order, the problems in column
order, a bad credit code as the sheet has it.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, NamedTuple

from app.domain.limits import (
    CONTROL_CHARACTER,
    ORGANIZATION,
    TextLimit,
    control_character,
    control_message,
    reason_code,
    too_long_message,
)
from app.exchange.fields import BY_KEY, ValueKind
from app.exchange.layout import Layout
from app.exchange.normalize import NAME_SEPARATORS, NORMALIZERS, CellProblem, cell_text, is_blank
from app.exchange.odd_cells import CellMark

Progress = Callable[[int, int], None]

# Value kinds with few distinct cell values: each distinct cell is normalised once
CACHED_KINDS = frozenset(
    {
        ValueKind.ORG_KIND,
        ValueKind.YES_NO,
        ValueKind.SCALE,
        ValueKind.FORMATION,
        ValueKind.CLASS,
        ValueKind.STATUS,
        ValueKind.SOCIAL_SUBTYPE,
        ValueKind.NO_ORG_REASON,
        ValueKind.COUNT,
        ValueKind.DATE,
    }
)


class _Skip:
    """A blank cell: no value for the row."""


SKIP = _Skip()


@dataclass(frozen=True, slots=True)
class CellError:
    """A cell that could not be read: the reason code, the message, the cell as written."""

    reason: str
    message: str
    shown: str


class ColumnReader(NamedTuple):
    index: int
    header: str
    field: str
    kind: ValueKind
    normalize: Callable[[object], Any]
    # credit codes exactly as the registry holds them: read as they are (see below)
    known: Container[object] = frozenset()


class RowCells(NamedTuple):
    values: dict[str, Any]
    errors: list[tuple[str, CellError]]  # (column header, error), in column order
    bad_code: str  # a credit code that could not be read, as written; else ""


def column_readers(layout: Layout, known_codes: dict[str, int]) -> list[ColumnReader]:
    out = []
    for col in layout.columns:
        if not col.field:
            continue
        kind = BY_KEY[col.field].kind
        known = known_codes if kind is ValueKind.USCC else frozenset()
        out.append(ColumnReader(col.index, col.header, col.field, kind, NORMALIZERS[kind], known))
    return out


def _one(normalize: Callable[[object], Any], raw: object) -> Any:
    """A cell's value, SKIP for a blank, a CellError for a problem."""
    if raw.__class__ is str:  # most cells: no need for is_blank's checks
        if not raw.strip():  # type: ignore[attr-defined]
            return SKIP
    elif is_blank(raw):
        return SKIP
    try:
        return normalize(raw)
    except CellProblem as problem:
        return CellError(problem.reason, problem.message, cell_text(raw))


def _text(raw: object) -> Any:
    if raw.__class__ is str:
        return raw.strip() or SKIP  # type: ignore[attr-defined]
    return SKIP if raw is None else cell_text(raw)


def _column(reader: ColumnReader, cells: Sequence[object]) -> list[Any]:
    kind, normalize = reader.kind, reader.normalize
    if kind is ValueKind.TEXT or kind is ValueKind.NAME:
        # a name is text that must be there: a blank one is said missing by read_rows
        return [
            (c.strip() or SKIP) if c.__class__ is str else _text(c)  # type: ignore[attr-defined]
            for c in cells
        ]
    if kind is ValueKind.USCC:
        # a code exactly as the registry holds it is not checked again (every way into
        # the registry checked it): a re-import of the park's own registry checks only
        # the codes that are new or written differently
        known = reader.known
        return [c if c in known else _one(normalize, c) for c in cells]
    if kind is ValueKind.NAMES:
        split = NAME_SEPARATORS.split
        return [
            (list(filter(None, split(c))) if c.strip() else SKIP)  # type: ignore[attr-defined]
            if c.__class__ is str
            else _one(normalize, c)
            for c in cells
        ]
    if kind in CACHED_KINDS:
        distinct = set(cells)
        classes = {c.__class__ for c in distinct}
        # True, 1 and 1.0 are one key to a dict but not one value to a count
        if not (bool in classes and (int in classes or float in classes)):
            table = {raw: _one(normalize, raw) for raw in distinct}
            return list(map(table.__getitem__, cells))
    return [_one(normalize, c) for c in cells]


def _mark_too_long(out: list[Any], field: str, limit: TextLimit) -> bool:
    """Values past the field's limit, or holding a control character (a NUL…), become
    problems in place; whether there were any."""
    n = limit.chars
    texts = [v for v in out if v.__class__ is str]
    # names (a list each) only in a column of names
    names = [w for v in out if v.__class__ is list for w in v] if len(texts) < len(out) else []
    if max(map(len, texts), default=0) <= n and max(map(len, names), default=0) <= n:
        # the usual column: nothing too long, measured in C rather than cell by cell
        return _mark_controls(out, limit, texts, names)
    found = False
    for i, v in enumerate(out):
        cls = v.__class__
        if cls is str:
            length = len(v)
        elif cls is list:  # names: each one is held to the limit
            length = max(map(len, v), default=0)
        else:
            continue
        if length > n:
            shown = v if cls is str else "、".join(v)
            out[i] = CellError(
                reason_code(field), too_long_message(limit, length), shown[:50] + "…"
            )
            found = True
    return _mark_controls(out, limit, texts, names) or found


def _mark_controls(out: list[Any], limit: TextLimit, texts: list[str], names: list[str]) -> bool:
    """A text holding a control character becomes a problem in place, as in a form; the
    column's texts and names are searched whole first (almost never has one) so a large
    import pays once."""
    if control_character("\n".join(texts)) is None and (
        not names or control_character("\n".join(names)) is None
    ):
        return False
    for i, v in enumerate(out):
        if v.__class__ not in (str, list):
            continue
        text = v if v.__class__ is str else "、".join(v)
        message = control_message(limit.label, text)
        if message is not None:
            out[i] = CellError(CONTROL_CHARACTER, message, repr(text)[1:-1][:50])
    return True


def read_rows(
    rows: list[list[object]],
    data_rows: list[int],
    readers: list[ColumnReader],
    marks: Mapping[tuple[int, int], CellMark],
    progress: Progress | None = None,
) -> list[RowCells]:
    """Each data row's values and problems (``data_rows`` are 0-based sheet rows);
    a cell in ``marks`` (a formula error, a formula without its value, a merged
    cell: odd_cells.py) is a problem whatever it reads as."""
    width = max((r.index for r in readers), default=-1) + 1
    picked = []
    for r in data_rows:
        row = rows[r]
        picked.append(row if len(row) >= width else [*row, *[""] * (width - len(row))])
    where = {r: i for i, r in enumerate(data_rows)}
    marked: dict[int, list[tuple[int, CellMark]]] = {}
    for (r, c), mark in marks.items():
        if r in where:
            marked.setdefault(c, []).append((where[r], mark))
    keys: list[str] = []
    columns: list[list[Any]] = []
    headers: list[str] = []
    bad_rows: set[int] = set()
    for n, reader in enumerate(readers):
        if progress is not None:
            progress(n * len(data_rows) // len(readers), len(data_rows))
        index = reader.index
        # one column at a time: 34 columns of 50,000 cells held at once made the window's
        # garbage collections walk 1.7 million references
        out = _column(reader, list(map(itemgetter(index), picked)))
        if reader.kind is ValueKind.NAME:
            missing = CellError("name_missing", "组织名称为空", "")
            out = [missing if v is SKIP else v for v in out]
        limit = ORGANIZATION.get(reader.field)
        too_long = limit is not None and _mark_too_long(out, reader.field, limit)
        here = marked.get(index, ())
        for i, mark in here:
            out[i] = CellError(mark.reason, mark.message, mark.shown)
        # text is wrong only when too long; other columns are looked through only if
        # they hold a problem
        if (
            too_long
            or here
            or (reader.kind is not ValueKind.TEXT and CellError in set(map(type, out)))
        ):
            bad_rows.update(i for i, v in enumerate(out) if v.__class__ is CellError)
        if reader.kind is ValueKind.ORG_KIND:
            # (kind, subtype): the subtype goes in a column of its own, right after
            kinds = [v if v.__class__ is not tuple else v[0] for v in out]
            subtypes = [
                v[1].value if v.__class__ is tuple and v[1] is not None else SKIP for v in out
            ]
            keys += ["kind", "social_subtype"]
            columns += [kinds, subtypes]
            headers += [reader.header, reader.header]
            continue
        keys.append("class_code" if reader.kind is ValueKind.CLASS else reader.field)
        columns.append(out)
        headers.append(reader.header)
    if not columns:
        return [RowCells({}, [], "") for _ in data_rows]
    result = []
    for i, cells in enumerate(zip(*columns, strict=True)):
        if i not in bad_rows:
            values = {k: v for k, v in zip(keys, cells, strict=True) if v is not SKIP}
            result.append(RowCells(values, [], ""))
            continue
        values, errors, bad_code = {}, [], ""
        for key, header, v in zip(keys, headers, cells, strict=True):
            if v.__class__ is CellError:
                errors.append((header, v))
                if key == "uscc":
                    bad_code = v.shown  # a bad code is shown as the sheet has it
            elif v is not SKIP:
                values[key] = v
        result.append(RowCells(values, errors, bad_code))
    return result
