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
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import uuid4

from app.db.database import Database
from app.domain.assessment import Scheme, parse_score, veto_from_text
from app.exchange.importer import file_hash
from app.exchange.plans import RowError
from app.exchange.score_sheet import BONUS, NAME, USCC, VETO, ScoreRow, read_score_sheet
from app.services.assessments import period_row, total_tenths

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
    scores: dict[str, str]
    bonus: str
    veto: str
    note: str


def _units(conn: Any) -> tuple[dict[str, tuple[int, str | None]], dict[str, list[int]], dict]:
    by_code: dict[str, tuple[int, str | None]] = {}
    by_name: dict[str, list[int]] = {}
    classes: dict[int, str | None] = {}
    for oid, uscc, name, cls in conn.execute(
        "SELECT id, uscc, name, class_code FROM organization WHERE status = 'active'"
    ):
        if uscc:
            by_code[uscc] = (oid, cls)
        by_name.setdefault(name, []).append(oid)
        classes[oid] = cls
    return by_code, by_name, classes


def preview_scores(db: Database, path: Path, period: str) -> ScorePreview:
    """What importing ``path`` into ``period`` would do; nothing is written."""
    with db.read_connection() as conn:
        period_id, published, scheme = period_row(conn, period)
        by_code, by_name, classes = _units(conn)
        stored = {
            oid: _Stored(sid, json.loads(scores), bonus, veto, note)
            for sid, oid, scores, bonus, veto, note in conn.execute(
                "SELECT id, organization_id, scores, bonus, veto, note FROM assessment_score"
                " WHERE period_id = ?",
                (period_id,),
            )
        }
    sheet = read_score_sheet(path, scheme)
    errors: list[RowError] = []
    if published:
        errors.append(
            RowError(
                sheet.header_row,
                "",
                period.upper(),
                "period_published",
                f"{period.upper()}已发布，需先重新打开才能导入",
            )
        )
    matcher = _Matcher(sheet.headers, by_code, by_name)
    plans = [_plan(row, scheme, sheet.headers, matcher, stored, errors) for row in sheet.rows]
    for plan in plans:
        if plan.status != "bad":
            plan.class_code = classes.get(plan.unit_id)  # type: ignore[arg-type]
    matcher.mark_duplicates(plans, errors)
    if published:
        for plan in plans:
            plan.status = "bad"
    errors.sort(key=lambda e: e.row)
    return ScorePreview(path, period.upper(), sheet.sheet, plans, errors, file_hash(path))


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
                why = f"台账中没有统一社会信用代码为{row.uscc}的在册组织"
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
        for plan in plans:
            if plan.unit_id is not None:
                self.seen.setdefault(plan.unit_id, []).append(plan)
        for same in self.seen.values():
            if len(same) < 2:
                continue
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


def _plan(
    row: ScoreRow,
    scheme: Scheme,
    headers: dict[str, str],
    matcher: _Matcher,
    stored: dict[int, _Stored],
    errors: list[RowError],
) -> ScorePlan:
    unit_id, problem = matcher.unit(row)
    plan = ScorePlan(row.row, unit_id, row.name, "bad", row.uscc)
    found = [problem] if problem else []
    before = stored.get(unit_id) if unit_id is not None else None
    plan.scores = dict(before.scores) if before else {}
    for indicator in scheme.indicators:
        cell = row.cells.get(indicator.name, "")
        value, issue = parse_score(cell, indicator.maximum, indicator.name)
        if issue is not None:
            found.append(
                RowError(row.row, headers[indicator.name], str(cell), issue.code, issue.message)
            )
        elif value is not None:
            plan.scores[indicator.name] = str(value)
    bonus, issue = parse_score(row.bonus, scheme.bonus_cap, "bonus")
    if issue is not None:
        found.append(RowError(row.row, headers[BONUS], str(row.bonus), issue.code, issue.message))
    plan.bonus = str(bonus) if bonus is not None else (before.bonus if before else "0")
    veto = veto_from_text(row.veto, scheme) if row.veto else (before.veto if before else "")
    if veto is None:
        message = f"“{row.veto}”不是本方案的否决项（填是/否或{'、'.join(scheme.vetoes)}）"
        found.append(RowError(row.row, headers[VETO], row.veto, "veto_unknown", message))
    plan.veto = veto or ""
    plan.note = row.note or (before.note if before else "")
    if found:
        errors.extend(found)
        return plan
    plan.total = total_tenths(scheme, plan.scores, Decimal(plan.bonus))
    if before is None and _nothing_entered(row):
        plan.status = "unchanged"  # listed to be scored, left blank: nothing to keep
    elif before is None:
        plan.status = "new"
    elif (plan.scores, plan.bonus, plan.veto, plan.note) == (
        before.scores,
        before.bonus,
        before.veto,
        before.note,
    ):
        plan.status = "unchanged"
    else:
        plan.status = "changed"
    return plan


def _nothing_entered(row: ScoreRow) -> bool:
    return not any(row.cells.values()) and row.bonus in (None, "") and not row.veto and not row.note


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
    from app.db.backup import take_backup
    from app.db.models import AssessmentScore, ImportLog
    from app.services.audit import Change
    from app.services.bulk_writes import bulk_insert, bulk_update

    new = [p for p in preview.plans if p.status == "new"]
    changed = [p for p in preview.plans if p.status == "changed"]
    if new or changed:
        take_backup(db.path, "import")
    with db.session() as s:
        conn = s.connection().connection.driver_connection
        period_id, published, _scheme = period_row(conn, preview.period)
        if published:  # published since the preview was made
            raise ValueError(f"{preview.period}已发布，需先重新打开才能导入")
        change = Change(s, f"导入《{preview.path.name}》（{preview.period}考核评分）")
        now = datetime.now()
        values = [_values(p, change.actor, now) for p in new]
        for v, plan in zip(values, new, strict=True):
            v.update(period_id=period_id, organization_id=plan.unit_id, uuid=str(uuid4()))
        bulk_insert(s, change, AssessmentScore, values)
        if progress is not None:
            progress(len(new), len(new) + len(changed))
        ids = dict(
            conn.execute(
                "SELECT organization_id, id FROM assessment_score WHERE period_id = ?",
                (period_id,),
            )
        )
        updates = [{**_values(p, change.actor, now), "id": ids[p.unit_id]} for p in changed]
        bulk_update(s, change, AssessmentScore, updates)
        s.add(
            ImportLog(
                file_name=preview.path.name,
                file_hash=preview.file_hash,
                sheet=preview.sheet,
                data_rows=len(preview.plans),
                good_rows=preview.good_rows,
                bad_rows=preview.count("bad"),
                created=len(new),
                updated=len(changed),
                unchanged=preview.count("unchanged"),
                change_id=change.id,
            )
        )
    return ScoreImportResult(
        len(new), len(changed), preview.count("unchanged"), preview.count("bad"), change.id
    )


def _values(plan: ScorePlan, actor: str, now: datetime) -> dict[str, Any]:
    return {
        "class_code": plan.class_code,
        "scores": json.dumps(plan.scores, ensure_ascii=False, sort_keys=True),
        "bonus": plan.bonus,
        "total_tenths": plan.total,
        "veto": plan.veto,
        "note": plan.note,
        "entered_by": actor,
        "updated_at": now,
    }
