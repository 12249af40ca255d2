"""Import a registry workbook, the preview half: read → find the header →
normalise → validate → compare with the registry → a plan for every row.
Writes nothing; ``services/workbooks/import_apply.py`` writes a preview in one
transaction after a backup. Reads no database either: what it compares against comes
from the service (an ImportSource, import_source.py), whose reads overlap the parse.

The steps live in modules of their own: reader.py (the file), layout.py (the
header), columns.py and normalize.py (the cells), registry_diff.py (matching
and differences), party_org_checks.py (the party organizations named), and
plans.py (what the preview says).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from app.domain.validation import FOUNDED_IN_FUTURE, founded_in_future
from app.domain.vocabulary import CodeConflictChoice
from app.exchange import odd_cells
from app.exchange.columns import RowCells, column_readers, read_rows
from app.exchange.import_source import ImportSource
from app.exchange.layout import Layout, find_layout, is_result_list
from app.exchange.own_sheets import OwnSheets, ambiguous_rows, read_own_sheets
from app.exchange.party_org_checks import (
    check_instructor_names,
    check_party_orgs,
    collect_new_links,
)
from app.exchange.plans import ImportPreview, RowError, RowPlan
from app.exchange.reader import Sheet, Workbook, WorkbookError, open_workbook
from app.exchange.registry_diff import (
    RegistryView,
    code_conflict,
    conflict_error,
    existing_id,
    load_registry,
    plan_against_registry,
    settle_conflict,
)
from app.gc_pause import collector_paused

Progress = Callable[[int, int], None]


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# -- choosing the sheet ------------------------------------------------------


def pick_sheet(wb: Workbook, wanted: str | None) -> tuple[Sheet, Layout]:
    """The registry sheet: the one named, or the visible one whose header fits best.
    Every reading of a registry passes here (the import, a county's submission)."""
    wb.refuse_yearly()
    if wanted is not None:
        sheet = wb.sheet(wb.index_of(wanted))
        layout = find_layout(sheet)
        if layout is None:
            raise WorkbookError(f"工作表“{wanted}”里找不到登记表的表头（至少要有组织名称一列）")
        if is_result_list(layout):
            raise WorkbookError(
                f"工作表“{wanted}”是考核结果（有名次、总分），不是登记表：其中的分类是考核时的"
                "分类，不能导入或汇总。请改用登记表，或季度报送的“组织名录”"
            )
        return sheet, layout
    best: tuple[int, Sheet, Layout] | None = None
    for index in wb.visible_indexes():  # a hidden sheet only when named
        sheet = wb.sheet(index)
        layout = find_layout(sheet)
        if layout is None or is_result_list(layout):  # a ranking is never the registry
            continue
        score = len(layout.fields) * 10_000 + len(layout.data_rows)
        if best is None or score > best[0]:
            best = (score, sheet, layout)
    if best is None:
        raise WorkbookError(
            f"“{wb.path.name}”的各工作表中都找不到登记表的表头（需要有“组织名称”或“单位名称”等列）"
            + wb.hidden_note()
        )
    return best[1], best[2]


# -- the preview ------------------------------------------------------------------


@collector_paused()
def preview_import(
    source: ImportSource,
    path: Path,
    sheet: str | None = None,
    mapping: dict[str, str | None] | None = None,
    blank_clears: bool = False,
    progress: Progress | None = None,
    settled: Mapping[int, CodeConflictChoice] | None = None,
    ahead: ReadAhead | None = None,
) -> ImportPreview:
    """What importing ``path`` into the park ``source`` reads would do, row by row.
    Writes nothing.

    ``settled`` says, by the row's number, how the clerk decided a code conflict
    (a row named like a registered organization with another credit code);
    conflicts not in it are left out of the import. ``ahead``: the file already
    being read (``ReadAhead``), used when it is this file and sheet as they are now."""
    path = Path(path)
    wb, chosen, layout, registry = _read_with_registry(source, path, sheet, ahead)
    digest = file_hash(path)
    _apply_mapping(layout, source.mapping(layout.signature) if mapping is None else mapping)
    if "name" not in layout.fields:
        raise WorkbookError(f"工作表“{chosen.name}”没有对应“组织名称”的列，无法导入")
    own = read_own_sheets(wb)
    own_errors = _ambiguous_people(own, registry) if own is not None else []
    if own is not None:
        # assignments come with their dates from the 联系分工 sheet instead
        for col in layout.columns:
            if col.field == "instructor":
                col.field = None
    found = odd_cells.worth_locating(chosen, lambda: _may_hold_errors(chosen, layout))
    marks = odd_cells.locate(wb, chosen) if found else {}
    mapped = [c.index for c in layout.columns if c.field]
    marks = {**marks, **odd_cells.merged(chosen, layout.data_rows, mapped)}
    preview = ImportPreview(
        path=path,
        file_hash=digest,
        sheet=chosen.name,
        sheet_names=wb.sheet_names,
        layout=layout,
        rows=[],
        blank_clears=blank_clears,
        already_imported=source.imported_at(digest),
        own_sheets=own,
        own_errors=own_errors,
    )
    cells = read_rows(
        chosen.rows, layout.data_rows, column_readers(layout, registry.by_uscc), marks, progress
    )
    preview.rows = _row_plans(chosen, layout, cells, registry)
    _compare(preview, registry, settled or {})
    if progress is not None:
        progress(len(layout.data_rows), len(layout.data_rows))
    return preview


def _ambiguous_people(own: OwnSheets, registry: RegistryView) -> list[RowError]:
    """The rows of the 指导员 and 联系分工 sheets that cannot say which instructor they
    mean: left out, each said with its sheet and row."""
    return [
        RowError(row, "指导员", name, "instructor_ambiguous", f"工作表“{sheet}”：{why}")
        for sheet, row, name, why in ambiguous_rows(own, registry.people)
    ]


def _read_with_registry(
    source: ImportSource, path: Path, sheet: str | None, ahead: ReadAhead | None
) -> tuple[Workbook, Sheet, Layout, RegistryView]:
    """The workbook, its registry sheet and layout, and the registry: calamine parses
    the sheet without holding the GIL (0.2 s for 10,000 rows), meanwhile this thread
    has ``source`` read what does not depend on the sheet. It starts when the sheet's
    size is checked: the check holds the GIL too, and both taking turns delayed the parse."""
    if ahead is None or not ahead.fits(path, sheet):
        ahead = ReadAhead(path, sheet)
    ahead.parsing.wait()
    registry = load_registry(source, _rows_at_most(path))
    wb, chosen, layout = ahead.result()  # first: it says what is wrong with the file
    return wb, chosen, layout, registry


class ReadAhead:
    """A workbook read (``read_and_pick``) in a thread of its own from now on: the
    command line has the sheet parsed while the database opens (calamine lets go of the
    GIL; loading SQLAlchemy and checking the database do not need the file). The file's
    size and time are noted: a file changed since (saved again while the database's lock
    was awaited) is read again by the preview, not taken as it was."""

    def __init__(self, path: Path, sheet: str | None) -> None:
        self.path, self.sheet = Path(path), sheet
        self._version = _version(self.path)
        self.parsing = threading.Event()  # set as the parse begins, or the read ends
        self._found: tuple[Workbook, Sheet, Layout] | None = None
        self._error: BaseException | None = None
        # not a daemon: a command ending early (its database refused) waits for the parse
        self._thread = threading.Thread(target=self._read, name="workbook")
        self._thread.start()

    def _read(self) -> None:
        try:
            self._found = read_and_pick(self.path, self.sheet, self.parsing.set)
        except BaseException as exc:  # handed to whoever asks for the result
            self._error = exc

    def fits(self, path: Path, sheet: str | None) -> bool:
        """Whether this is the read of ``path``'s ``sheet``, the file unchanged since."""
        return self.path == Path(path) and self.sheet == sheet and self._version == _version(path)

    def result(self) -> tuple[Workbook, Sheet, Layout]:
        """The workbook, its registry sheet and layout; what went wrong reading it, raised."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._found is not None
        return self._found


def _version(path: Path) -> tuple[int, int] | None:
    """The file's size and last change, to tell it saved again (None: not there)."""
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def _apply_mapping(layout: Layout, mapping: dict[str, str | None]) -> None:
    """The columns as the clerk matched them (or as remembered for these headers)."""
    for col in layout.columns:
        if col.letter in mapping:
            col.field = mapping[col.letter] or None


def _row_plans(
    sheet: Sheet, layout: Layout, cells: list[RowCells], registry: RegistryView
) -> list[RowPlan]:
    """A plan per data row: its values, its problems, the organization it matches."""
    seen_codes: dict[str, int] = {}
    plans = []
    today = date.today()
    for r, (values, errors, bad_code) in zip(layout.data_rows, cells, strict=True):
        problems = [RowError(r + 1, header, e.shown, e.reason, e.message) for header, e in errors]
        code = values.get("uscc", "")
        plan = RowPlan(
            row=r + 1,
            status="bad",
            name=values.get("name", ""),
            uscc=code or bad_code,
            values=values,
            raw=sheet.rows[r],
        )
        if code and not problems:
            problems += _duplicate_code(r + 1, code, seen_codes, layout)
        if not problems and "kind" not in values:
            problems += _kind_from_code(r + 1, values, registry)
        if founded_in_future(values.get("founded"), today):
            header = layout.fields["founded"].header
            shown = values["founded"].isoformat()
            problems.append(RowError(r + 1, header, shown, "date_future", FOUNDED_IN_FUTURE))
        plan.errors = problems
        if not problems:
            plan.org_id = existing_id(registry, values)
            if plan.org_id is not None:
                _mark_code_conflict(plan, registry, layout)
        plans.append(plan)
    return plans


def _duplicate_code(row: int, code: str, seen: dict[str, int], layout: Layout) -> list[RowError]:
    """The first row with a credit code wins; a later one is bad."""
    if code not in seen:
        seen[code] = row
        return []
    message = f"统一社会信用代码与第{seen[code]}行重复（以第一行为准）"
    return [RowError(row, layout.fields["uscc"].header, code, "uscc_duplicate", message)]


def _kind_from_code(row: int, values: dict[str, Any], registry: RegistryView) -> list[RowError]:
    """No kind column: the credit code says it, or the registered organization has one."""
    from app.domain.uscc import kind_from_code

    code = values.get("uscc", "")
    implied = kind_from_code(code) if code else None
    if implied is not None:
        values["kind"] = implied
        return []
    if existing_id(registry, values):
        return []
    return [RowError(row, "组织类型", "", "kind_unknown", "没有组织类型，也无法从信用代码判断")]


def _compare(
    preview: ImportPreview, registry: RegistryView, settled: Mapping[int, CodeConflictChoice]
) -> None:
    """Each good row against the registry (conflicts as the clerk settled them), then
    the party organizations named and what the import creates."""
    registry.fetch([p.org_id for p in preview.rows if p.org_id is not None])
    for plan in preview.rows:
        if not plan.errors:
            plan_against_registry(plan, registry, preview.blank_clears)
        elif plan.conflict is not None and plan.row in settled:
            settle_conflict(plan, registry, settled[plan.row], preview.blank_clears)
    check_party_orgs(preview, registry)
    check_instructor_names(preview, registry)
    collect_new_links(preview, registry)


def _mark_code_conflict(plan: RowPlan, registry: RegistryView, layout: Layout) -> None:
    assert plan.org_id is not None
    conflict = code_conflict(registry, plan.values, plan.org_id)
    if conflict is None:
        return
    plan.conflict, plan.org_id, plan.status = conflict, None, "conflict"
    plan.errors = [conflict_error(plan, layout.fields["uscc"].header)]


def read_and_pick(
    path: Path, wanted: str | None, parsing: Callable[[], None] = lambda: None
) -> tuple[Workbook, Sheet, Layout]:
    """The workbook, its registry sheet and layout; ``parsing`` is called as the first
    sheet's parse begins, or when this ends without one (a file refused)."""
    try:
        wb = open_workbook(path)
        wb.parsing = parsing
        chosen, layout = pick_sheet(wb, wanted)
    finally:
        parsing()
    return wb, chosen, layout


# bytes of an xlsx per registry row, at least (30 columns compress to ~200 bytes)
_BYTES_PER_ROW = 100


def _rows_at_most(path: Path) -> int:
    """The most registry rows the file can hold, by its size: a sheet that may match
    most organizations has their whole rows read with the registry, in one scan."""
    try:
        return path.stat().st_size // _BYTES_PER_ROW
    except OSError:
        return 0


def _may_hold_errors(sheet: Sheet, layout: Layout) -> bool:
    """Only worth a second look at the file when a mapped cell came back empty."""
    cols = [c.index for c in layout.columns if c.field]
    for r in layout.data_rows:
        row = sheet.rows[r]
        if any(c < len(row) and row[c] == "" for c in cols):
            return True
    return False
