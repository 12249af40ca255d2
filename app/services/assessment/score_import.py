"""Importing a score workbook into a period, as the registry is imported: a preview
(each row new, changed, unchanged or bad, with the reason and where), then every
good row applied in one transaction after a backup, logged so that it can be undone
from the import log. The same file twice changes nothing.

Units are matched by credit code, then by name; a credit code ParkDesk does not know
is an error even when the name matches (an identity is never taken from a name). A
blank cell leaves what is stored: an instructor's sheet filled in part loses nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import Any

from app.db.bulk import new_uuids, stamp_text
from app.db.database import Database
from app.db.models import AssessmentScore, ImportLog
from app.db.queries import assessment as q
from app.domain.assessment import Scheme, parse_score, veto_from_text
from app.domain.uscc import odd_character
from app.exchange.importer import file_hash
from app.exchange.plans import RowError
from app.exchange.reader import WorkbookError
from app.exchange.score_sheet import (
    BONUS,
    NAME,
    USCC,
    VETO,
    ScoreRow,
    ScoreSheet,
    cell_text,
    read_score_sheet,
)
from app.gc_pause import collector_paused
from app.services.assessment.assessments import period_row
from app.services.assessment.published import frozen_message, refuse_if_published
from app.services.files.audit import Change
from app.services.workbooks.bulk_writes import insert_logged, next_id

Progress = Callable[[int, int], None]


@dataclass(slots=True)
class ScorePlan:
    row: int
    unit_id: int | None
    name: str
    status: str  # new | changed | unchanged | bad
    uscc: str = ""
    scores: dict[str, str] = field(default_factory=dict)
    bonus: str = "0"
    veto: str = ""
    note: str = ""
    class_code: str | None = None
    total: int | None = None  # tenths
    score_id: int | None = None  # the stored row a changed plan updates
    scores_json: str = ""  # ``scores`` as stored (as assessments._write stores them)


@dataclass(slots=True)
class ScorePreview:
    path: Path
    period: str
    sheet: str
    plans: list[ScorePlan]
    errors: list[RowError]
    file_hash: str

    def count(self, status: str) -> int:
        return sum(1 for p in self.plans if p.status == status)

    @property
    def good_rows(self) -> int:
        return len(self.plans) - self.count("bad")

    def as_report(self) -> dict[str, Any]:
        """The contract of ``assess import --json``."""
        return {
            "data_rows": len(self.plans),
            "good_rows": self.good_rows,
            "created": self.count("new"),
            "updated": self.count("changed"),
            "unchanged": self.count("unchanged"),
            "errors": [e.as_dict() for e in self.errors],
        }


@dataclass(slots=True)
class _Stored:
    id: int
    text: str  # the scores as stored (JSON): decoded only when a row needs them
    bonus: str
    veto: str
    note: str
    total: int | None  # tenths, as stored
    _scores: dict[str, str] | None = None

    @property
    def scores(self) -> dict[str, str]:
        if self._scores is None:
            self._scores = json.loads(self.text)
        return self._scores


# a sheet with more rows than this reads the register and the period whole: one
# scan costs less than thousands of index lookups (10,000 rows: 9 ms against 22 ms)
WHOLE_READ_ROWS = 2_000


def _units(
    conn: Any, rows: list[ScoreRow], early: _Whole | None
) -> tuple[dict[str, tuple[int, str | None]], dict[str, list[int]], dict[int, str | None]]:
    """The units on the register the sheet names: by code, and by name for the rows
    without one."""
    codes = {r.uscc for r in rows if r.uscc}
    names = {r.name for r in rows if not r.uscc and r.name}
    by_code: dict[str, tuple[int, str | None]] = {}
    by_name: dict[str, list[int]] = {}
    classes: dict[int, str | None] = {}
    if early is not None:
        found = early.register
    else:
        found = _register(conn, codes, names, len(rows) > WHOLE_READ_ROWS)
    for oid, uscc, name, cls in found:
        if uscc in codes:
            by_code[uscc] = (oid, cls)
            classes[oid] = cls
        if name in names:
            by_name.setdefault(name, []).append(oid)
            classes[oid] = cls
    return by_code, by_name, classes


def _register(conn: Any, codes: set[str], names: set[str], whole: bool) -> list[Any]:
    if whole:
        return conn.execute(q.REGISTER).fetchall()
    return [
        *conn.execute(q.REGISTER_BY_USCC, (json.dumps(sorted(codes)),)),
        *conn.execute(q.REGISTER_BY_NAME, (json.dumps(sorted(names)),)),
    ]


def _stored(conn: Any, period_id: int, ids: list[int], early: _Whole | None) -> dict[int, _Stored]:
    """What the period holds already for these units."""
    if early is not None:
        found = early.stored
    elif len(ids) > WHOLE_READ_ROWS:
        found = conn.execute(q.PERIOD_SCORES, (period_id,))
    else:
        found = conn.execute(q.PERIOD_SCORES_OF, (period_id, json.dumps(ids)))
    wanted = set(ids)
    return {
        oid: _Stored(sid, scores, bonus, veto, note, total)
        for sid, oid, scores, bonus, veto, note, total in found
        if oid in wanted
    }


def preview_scores(db: Database, path: Path, period: str, sheet: str | None = None) -> ScorePreview:
    """What importing ``path`` (its ``sheet``, else the first visible score sheet) into
    ``period`` would do; nothing is written."""
    with collector_paused():  # tens of thousands of containers, no cycles (gc_pause.py)
        return _preview(db, path, period, sheet)


def _same_period(sheet: ScoreSheet, period: str, path: Path) -> None:
    """A workbook that names another period is refused: its scores belong there."""
    wanted = period.strip().upper()
    if sheet.period is not None and sheet.period != wanted:
        raise WorkbookError(
            f"《{path.name}》是{sheet.period}的评分表（{sheet.period_source}），"
            f"不能导入到{wanted}：请选择考核期{sheet.period}，或换用{wanted}的评分表"
        )


def _period(db: Database, period: str) -> tuple[int | None, bool, Scheme]:
    """(id, published, scheme) of the period; a period not opened yet has no id and
    the scheme the park's settings give its kind (applying opens it: a preview, or a
    file refused, opens nothing)."""
    from app.domain.assessment import PRESETS, period_issue, scheme_from_json
    from app.domain.validation import FieldIssue, ValidationError
    from app.services.assessment.assessment_settings import get_settings

    issue = period_issue(period)
    if issue is not None:
        raise ValidationError([issue])
    name = get_settings(db).scheme_for(period.strip().upper())
    with db.read_connection() as conn:
        try:
            return period_row(conn, period)
        except LookupError:
            pass
        newest = conn.execute(q.NEWEST_SCHEME, (name,)).fetchone()
    if newest is not None:
        return None, False, scheme_from_json(name, newest[0], newest[1])
    preset = next((p for p in PRESETS if p.name == name), None)
    if preset is None:
        raise ValidationError([FieldIssue("scheme", f"没有考核方案“{name}”", "scheme_unknown")])
    return None, False, preset


def _preview(db: Database, path: Path, period: str, wanted: str | None) -> ScorePreview:
    period_id, published, scheme = _period(db, period)
    sheet, early, digest = _read_alongside(db, path, scheme, wanted, period_id)
    _same_period(sheet, period, path)
    with db.read_connection() as conn:
        by_code, by_name, classes = _units(conn, sheet.rows, early)
        stored = _stored(conn, period_id, list(classes), early) if period_id is not None else {}
    errors: list[RowError] = []
    if published:
        errors.append(
            RowError(
                sheet.header_row,
                "",
                period.upper(),
                "period_published",
                frozen_message(period),
            )
        )
    for name in sheet.missing:  # said once, at the header: the column's scores stay as stored
        errors.append(
            RowError(
                sheet.header_row,
                name,
                "",
                "indicator_missing",
                f"表中没有“{name}”列：该项分数不会导入，已有的分数保持不变",
            )
        )
    matcher = _Matcher(sheet.headers, by_code, by_name)
    check = _Checker(scheme, sheet.headers)
    plans = [_plan(row, check, matcher, stored, errors) for row in sheet.rows]
    for plan in plans:
        if plan.status != "bad":
            plan.class_code = classes.get(plan.unit_id)  # type: ignore[arg-type]
    matcher.mark_duplicates(plans, errors)
    if published:
        for plan in plans:
            plan.status = "bad"
    errors.sort(key=lambda e: e.row)
    return ScorePreview(path, period.upper(), sheet.sheet, plans, errors, digest)


# an xlsx row of a score sheet takes this many bytes at least (a credit code, a name
# and seven numbers compress to about 60): a smaller file cannot hold a big sheet
_BYTES_PER_ROW = 30


@dataclass(slots=True)
class _Whole:
    """The register and the period's scores read whole (a big sheet names most units)."""

    register: list[Any]
    stored: list[Any]


def _read_alongside(
    db: Database, path: Path, scheme: Scheme, wanted: str | None, period_id: int | None
) -> tuple[ScoreSheet, _Whole | None, str]:
    """The sheet, read by calamine in a thread of its own (it parses without holding the
    GIL); meanwhile this thread reads what does not depend on it: for a file that may
    hold a big sheet, the register and the period whole."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="workbook") as pool:
        reading = pool.submit(read_score_sheet, path, scheme, wanted)
        early = None
        try:
            big = path.stat().st_size // _BYTES_PER_ROW > WHOLE_READ_ROWS
        except OSError:
            big = False  # the reading says what is wrong with the file
        if big:
            with db.read_connection() as conn:
                early = _Whole(
                    conn.execute(q.REGISTER).fetchall(),
                    conn.execute(q.PERIOD_SCORES, (period_id,)).fetchall()
                    if period_id is not None
                    else [],
                )
        sheet = reading.result()  # first: it says what is wrong with the file
    return sheet, early, file_hash(path)


class _Matcher:
    """Credit code first, then name (unique among the units on the register)."""

    def __init__(
        self,
        headers: dict[str, str],
        by_code: dict[str, tuple[int, str | None]],
        by_name: dict[str, list[int]],
    ) -> None:
        self.headers, self.by_code, self.by_name = headers, by_code, by_name
        self.seen: dict[int, list[ScorePlan]] = {}

    def unit(self, row: ScoreRow) -> tuple[int | None, RowError | None]:
        if row.uscc:
            found = self.by_code.get(row.uscc)
            if found is None:
                odd = odd_character(row.uscc)
                why = (
                    f"统一社会信用代码有误：{odd}"
                    if odd
                    else (f"台账中没有统一社会信用代码为{row.uscc}的在册组织")
                )
                return None, RowError(row.row, self.headers[USCC], row.uscc, "org_unknown", why)
            return found[0], None
        ids = self.by_name.get(row.name, [])
        if len(ids) == 1:
            return ids[0], None
        column = self.headers.get(NAME, "组织名称")
        if not ids:
            why = f"台账中没有名为“{row.name}”的在册组织" if row.name else "没有组织名称或信用代码"
        else:
            why = f"台账中有{len(ids)}个名为“{row.name}”的组织，请填写统一社会信用代码"
        return None, RowError(row.row, column, row.name, "org_unknown", why)

    def mark_duplicates(self, plans: list[ScorePlan], errors: list[RowError]) -> None:
        """A unit on two rows: neither is taken (which one is right is the clerk's call)."""
        counts = Counter(p.unit_id for p in plans if p.unit_id is not None)
        twice = {unit for unit, n in counts.items() if n > 1}
        for plan in plans:
            if plan.unit_id in twice:
                self.seen.setdefault(plan.unit_id, []).append(plan)
        for same in self.seen.values():
            rows = "、".join(str(p.row) for p in same)
            for plan in same:
                if plan.status != "bad":
                    plan.status = "bad"
                    column = self.headers[USCC] if plan.uscc else self.headers.get(NAME, "")
                    errors.append(
                        RowError(
                            plan.row,
                            column,
                            plan.uscc or plan.name,
                            "uscc_duplicate",
                            f"同一组织出现在第{rows}行，均未导入",
                        )
                    )


# a blank indicator cell as a column's memo holds it: what parse_score makes of it
# (no score, no issue), told apart by identity, as the cell is looked up anyway
_BLANK: tuple[str | None, Any] = (None, None)


class _Checker:
    """The scheme's checks of a cell, each distinct cell text checked once (a sheet of
    10,000 rows holds a few hundred different scores)."""

    def __init__(self, scheme: Scheme, headers: dict[str, str]) -> None:
        self.scheme, self.headers = scheme, headers
        self.indicators = [(i.name, i.maximum) for i in scheme.indicators]
        # each indicator with its cells checked so far, by the cell as read; a blank
        # cell (None, "") is known from the start, as itself (_BLANK: _plan tells it)
        self.columns: list[tuple[str, Decimal, dict[object, tuple[str | None, Any]]]] = [
            (name, maximum, {None: _BLANK, "": _BLANK}) for name, maximum in self.indicators
        ]
        self._bonus: dict[object, tuple[str | None, Any]] = {}
        self._vetoes: dict[str, str | None] = {}
        self._tenths: dict[str, int] = {}
        # the names in json.dumps(sort_keys=True)'s order, each one's JSON once: a row's
        # scores are then one template filled in
        names = sorted(name for name, _maximum in self.indicators)
        self._names = frozenset(names)
        self._pick: Callable[[dict[str, str]], tuple[str, ...]] = (
            itemgetter(*names) if len(names) > 1 else lambda d: tuple(d[n] for n in names)
        )
        keys = (json.dumps(n, ensure_ascii=False).replace("%", "%%") for n in names)
        self._template = "{" + ", ".join(f'{key}: "%s"' for key in keys) + "}"

    def encode(self, scores: dict[str, str]) -> str:
        """``json.dumps(scores, ensure_ascii=False, sort_keys=True)``, as scores are
        stored, a few times faster: the names are the scheme's and each value is a
        checked score ("14.5"), which JSON writes as it is."""
        if len(scores) != len(self._names) or not scores.keys() <= self._names:
            return json.dumps(scores, ensure_ascii=False, sort_keys=True)
        return self._template % self._pick(scores)

    def totalled(self, scores: dict[str, str], bonus: str) -> tuple[int | None, str]:
        """``(total(scores, bonus), encode(scores))`` of a checked row, its scores picked
        once and summed in C (10,000 rows: the two, each picking them, took a third of the
        plans' time)."""
        if len(scores) != len(self._names) or not scores.keys() <= self._names:
            return self.total(scores, bonus), self.encode(scores)
        texts = self._pick(scores)
        tenths = self._tenths
        try:
            total = sum(map(tenths.__getitem__, texts), tenths[bonus])
        except KeyError:  # a score not met before: its tenths kept from now on
            for text in (*texts, bonus):
                if text not in tenths:
                    tenths[text] = int(Decimal(text) * 10)
            total = sum(map(tenths.__getitem__, texts), tenths[bonus])
        return total, self._template % texts

    def total(self, scores: dict[str, str], bonus: str) -> int | None:
        """assessments.total_tenths for a row, with each distinct score's tenths kept."""
        try:
            texts = self._pick(scores)
        except KeyError:
            return None  # an indicator without a score: no total
        tenths = self._tenths
        total = 0
        for text in (*texts, bonus):
            value = tenths.get(text)
            if value is None:
                value = tenths[text] = int(Decimal(text) * 10)
            total += value
        return total

    def score(
        self, cell: object, name: str, maximum: Decimal, seen: dict[object, Any]
    ) -> tuple[str | None, Any]:
        """The score as stored text ("14.5"), or None when blank; or the issue."""
        found = seen.get(cell)
        if found is None:
            # a number cell as the sheet shows it (16.0 → "16"): the message quotes it;
            # text as NFKC reads it: full-width １３．５ typed by a Chinese input method is 13.5
            typed = cell_text(cell) if cell.__class__ in (float, str) else cell
            value, issue = parse_score(typed, maximum, name, self.scheme.bonus_name)
            found = seen[cell] = (None if value is None else str(value), issue)
        return found

    def bonus(self, cell: object) -> tuple[str | None, Any]:
        return self.score(cell, "bonus", self.scheme.bonus_cap, self._bonus)

    def veto(self, text: str) -> str | None:
        """The veto a typed cell names (veto_from_text), each distinct text once."""
        if text not in self._vetoes:
            self._vetoes[text] = veto_from_text(text, self.scheme)
        return self._vetoes[text]


def _plan(
    row: ScoreRow,
    check: _Checker,
    matcher: _Matcher,
    stored: dict[int, _Stored],
    errors: list[RowError],
) -> ScorePlan:
    scheme, headers = check.scheme, check.headers
    unit_id, problem = matcher.unit(row)
    plan = ScorePlan(row.row, unit_id, row.name, "bad", row.uscc)
    found = [problem] if problem else []
    for key, mark in row.marks.items():  # a formula error or without its value, a merged cell
        found.append(RowError(row.row, headers[key], mark.shown, mark.reason, mark.message))
    before = stored.get(unit_id) if unit_id is not None else None
    plan.score_id = before.id if before else None
    cells, scores, blank = row.cells, plan.scores, False
    for name, maximum, seen in check.columns:
        cell = cells.get(name)
        found_cell = seen.get(cell)
        if found_cell is _BLANK:
            blank = True
            continue
        value, issue = found_cell or check.score(cell, name, maximum, seen)
        if issue is not None:
            found.append(
                RowError(row.row, headers[name], cell_text(cell), issue.code, issue.message)
            )
        elif value is not None:
            scores[name] = value
    if blank and before is not None:  # a blank cell leaves what is stored
        plan.scores = {**before.scores, **scores}
    bonus, issue = check.bonus(row.bonus)
    if issue is not None:
        found.append(
            RowError(row.row, headers[BONUS], cell_text(row.bonus), issue.code, issue.message)
        )
    plan.bonus = bonus if bonus is not None else (before.bonus if before else "0")
    veto = check.veto(row.veto) if row.veto else (before.veto if before else "")
    if veto is None:
        message = f"“{row.veto}”不是本方案的否决项（填是/否或{'、'.join(scheme.vetoes)}）"
        found.append(RowError(row.row, headers[VETO], row.veto, "veto_unknown", message))
    plan.veto = veto or ""
    plan.note = row.note or (before.note if before else "")
    if found:
        errors.extend(found)
        return plan
    plan.total, plan.scores_json = check.totalled(plan.scores, plan.bonus)
    # a row with a score has something entered: only a row without one is looked at again
    if before is None and not plan.scores and _nothing_entered(row):
        plan.status = "unchanged"  # listed to be scored, left blank: nothing to keep
    elif before is None:
        plan.status = "new"
    elif _same(plan, before):
        plan.status = "unchanged"
    else:
        plan.status = "changed"
    return plan


def _same(plan: ScorePlan, before: _Stored) -> bool:
    """Equal as numbers ("1" stored, "1.0" read is no change), veto and note as text."""
    if (plan.veto, plan.note) != (before.veto, before.note):
        return False
    if plan.scores_json == before.text and plan.bonus == before.bonus:
        return True  # the usual case: the same text
    if before.total is not None and plan.total != before.total:
        return False  # another total: changed, without decoding what is stored
    if plan.scores.keys() != before.scores.keys() or Decimal(plan.bonus) != Decimal(before.bonus):
        return False
    return all(Decimal(v) == Decimal(before.scores[k]) for k, v in plan.scores.items())


def _nothing_entered(row: ScoreRow) -> bool:
    return (
        all(cell_text(v) == "" for v in (*row.cells.values(), row.bonus))
        and not row.veto
        and not row.note
    )


@dataclass(frozen=True, slots=True)
class ScoreImportResult:
    created: int
    updated: int
    unchanged: int
    bad: int
    change_id: str


def apply_scores(
    db: Database, preview: ScorePreview, progress: Progress | None = None
) -> ScoreImportResult:
    """Write every good row in one transaction, after a backup when anything changes;
    logged (import_log) so that the import log can undo it."""
    from concurrent.futures import ThreadPoolExecutor

    from app.db.backup import take_backup
    from app.services.assessment.assessments import ensure_period

    new = [p for p in preview.plans if p.status == "new"]
    changed = [p for p in preview.plans if p.status == "changed"]
    ensure_period(db, preview.period)  # opened now if this file is its first scores
    with (
        collector_paused(),
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="backup") as pool,
        db.session() as s,
    ):
        # the backup is copied while the rows are written, as the registry import does:
        # its own read transaction cannot see these writes, nothing commits before it ends
        backing_up = pool.submit(take_backup, db.path, "import") if new or changed else None
        conn = s.connection().connection.driver_connection
        period_id, published, _scheme = period_row(conn, preview.period)
        refuse_if_published(published, preview.period)  # published since the preview
        change = Change(s, f"导入《{preview.path.name}》（{preview.period}考核评分）")
        stamp = stamp_text(datetime.now())
        _insert(s, change, period_id, new, stamp)
        if progress is not None:
            progress(len(new), len(new) + len(changed))
        _update(s, change, changed, stamp)
        s.add(_log(preview, change.id, len(new), len(changed)))
        if backing_up is not None:
            backing_up.result()  # a failed backup rolls the import back
    return ScoreImportResult(
        len(new), len(changed), preview.count("unchanged"), preview.count("bad"), change.id
    )


# the columns an import writes, in this order after the row's own (id, uuid, unit…)
_WRITTEN = (
    "class_code",
    "scores",
    "bonus",
    "total_tenths",
    "veto",
    "note",
    "entered_by",
    "updated_at",
)


def _written(plan: ScorePlan, actor: str, stamp: str) -> tuple[Any, ...]:
    scores = plan.scores_json or json.dumps(plan.scores, ensure_ascii=False, sort_keys=True)
    return (plan.class_code, scores, plan.bonus, plan.total, plan.veto, plan.note, actor, stamp)


def _insert(s: Any, change: Change, period_id: int, new: list[ScorePlan], stamp: str) -> None:
    """The new rows in one statement, logged as one range of ids."""
    if not new:
        return
    table = AssessmentScore.__table__
    first = next_id(s, table)
    names = ["id", "uuid", "period_id", "organization_id", "changed_by", *_WRITTEN]
    uuids = new_uuids()  # ten thousand in a few ms (uuid4 one by one: ~30 ms)
    rows = [
        (
            first + i,
            next(uuids),
            period_id,
            p.unit_id,
            change.actor,
            *_written(p, change.actor, stamp),
        )
        for i, p in enumerate(new)
    ]
    insert_logged(s, change, table, names, rows)


def _update(s: Any, change: Change, changed: list[ScorePlan], stamp: str) -> None:
    """The changed rows in one statement; their audit entries (before and after) are
    made by SQLite, which copies 10,000 rows' values faster than Python encodes them."""
    if not changed:
        return
    table = AssessmentScore.__table__
    ids = [p.score_id for p in changed]
    logged = change.updates_in_sql(table, (*_WRITTEN, "changed_by", "row_version"), ids)  # type: ignore[arg-type]
    # a changed row is a new version (field packages tell conflicts by it)
    s.connection().connection.driver_connection.executemany(
        q.update_scores((*_WRITTEN, "changed_by")),
        [(*_written(p, change.actor, stamp), change.actor, p.score_id) for p in changed],
    )
    logged()


def _log(preview: ScorePreview, change_id: str, created: int, updated: int) -> ImportLog:
    return ImportLog(
        file_name=preview.path.name,
        file_hash=preview.file_hash,
        sheet=preview.sheet,
        data_rows=len(preview.plans),
        good_rows=preview.good_rows,
        bad_rows=preview.count("bad"),
        created=created,
        updated=updated,
        unchanged=preview.count("unchanged"),
        change_id=change_id,
    )
