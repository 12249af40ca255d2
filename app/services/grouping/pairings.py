"""结对帮带 as use cases: start a pairing, record what was done, end it with its
outcome, list them with "class at start → class now" and their warnings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.database import Database
from app.db.models import Organization, Pairing, PairingEntry
from app.db.queries import grouping as q
from app.domain.pairing import (
    PairingFacts,
    check_pairing,
    direction_text,
    is_active,
    pairing_warnings,
)
from app.domain.validation import FieldIssue, ValidationError
from app.domain.vocabulary import Formation, OrgClass, class_of
from app.services.files.audit import Change, snapshot
from app.services.registry.records import get_record


@dataclass(slots=True)
class PairingDraft:
    helper_id: int | None = None
    helped_id: int | None = None
    started_on: date | None = None
    goal: str = ""
    ended_on: date | None = None
    outcome: str = ""


@dataclass(frozen=True, slots=True)
class Side:
    """One unit of a pairing as the list shows it."""

    id: int
    uscc: str | None
    name: str
    class_at_start: OrgClass | None
    class_now: OrgClass | None


@dataclass(slots=True)
class PairingRow:
    id: int
    uuid: str
    helper: Side
    helped: Side
    started_on: date
    ended_on: date | None
    goal: str
    outcome: str
    active: bool
    warnings: list[str]
    entries: int
    search_text: str = ""
    name: str = ""  # "helper → helped", for lists that name a row

    @property
    def direction(self) -> str:
        return direction_text(self.helper.class_now, self.helped.class_now)

    @property
    def warning_text(self) -> str:
        return "；".join(self.warnings)


@dataclass(frozen=True, slots=True)
class EntryRow:
    id: int
    done_on: date
    text: str


def _issues(s: Session, draft: PairingDraft, pairing_id: int | None) -> list[FieldIssue]:
    issues = []
    if draft.helper_id is None:
        issues.append(FieldIssue("helper", "请选择帮带单位", "helper_missing"))
    if draft.helped_id is None:
        issues.append(FieldIssue("helped", "请选择被帮带单位", "helped_missing"))
    if issues:
        return issues
    helper = get_record(s, Organization, draft.helper_id)  # type: ignore[arg-type]
    facts = PairingFacts(
        draft.helper_id,  # type: ignore[arg-type]
        draft.helped_id,  # type: ignore[arg-type]
        Formation(helper.formation),
        draft.started_on,
        draft.ended_on,
    )
    issues = check_pairing(facts)
    clash = s.scalar(
        select(Pairing.id).where(
            Pairing.helper_id == draft.helper_id,
            Pairing.helped_id == draft.helped_id,
            Pairing.ended_on.is_(None),
            Pairing.id != (pairing_id or -1),
        )
    )
    if clash is not None and draft.ended_on is None:
        issues.append(FieldIssue("helped", "这两个单位已在结对中", "pair_duplicate"))
    return issues


def _set(p: Pairing, draft: PairingDraft) -> None:
    p.helper_id = draft.helper_id  # type: ignore[assignment]
    p.helped_id = draft.helped_id  # type: ignore[assignment]
    p.started_on = draft.started_on  # type: ignore[assignment]
    p.ended_on = draft.ended_on
    p.goal = draft.goal.strip()
    p.outcome = draft.outcome.strip()
    p.updated_at = datetime.now()


def create_pairing(db: Database, draft: PairingDraft) -> int:
    """Start a pairing; the two units' classes now are kept as its starting point."""
    with db.session() as s:
        issues = _issues(s, draft, None)
        if issues:
            raise ValidationError(issues)
        p = Pairing()
        _set(p, draft)
        helper = get_record(s, Organization, p.helper_id)
        helped = get_record(s, Organization, p.helped_id)
        p.helper_class_at_start = helper.class_code
        p.helped_class_at_start = helped.class_code
        s.add(p)
        Change(s, f"结对帮带：“{helper.name}”帮带“{helped.name}”").created(p)
        return p.id


def update_pairing(db: Database, pairing_id: int, draft: PairingDraft) -> None:
    with db.session() as s:
        p = get_record(s, Pairing, pairing_id)
        issues = _issues(s, draft, pairing_id)
        if issues:
            raise ValidationError(issues)
        before = snapshot(p)
        _set(p, draft)
        Change(s, "修改结对帮带").updated(p, before)


def end_pairing(db: Database, pairing_id: int, ended_on: date, outcome: str) -> None:
    """结束: the end date and what came of it."""
    draft = get_draft(db, pairing_id)
    if not outcome.strip():
        raise ValidationError([FieldIssue("outcome", "请写明帮带成效", "outcome_missing")])
    if draft.ended_on is not None:  # its end and outcome stay as recorded
        message = f"这个结对已于{draft.ended_on.isoformat()}结束"
        raise ValidationError([FieldIssue("ended_on", message, "already_ended")])
    draft.ended_on, draft.outcome = ended_on, outcome
    update_pairing(db, pairing_id, draft)


def get_draft(db: Database, pairing_id: int) -> PairingDraft:
    with db.reading() as s:
        p = get_record(s, Pairing, pairing_id)
        return PairingDraft(p.helper_id, p.helped_id, p.started_on, p.goal, p.ended_on, p.outcome)


def delete_pairing(db: Database, pairing_id: int) -> None:
    """For a pairing entered by mistake; its entries go with it (undoable)."""
    with db.session() as s:
        p = get_record(s, Pairing, pairing_id)
        change = Change(s, "删除误录的结对帮带")
        for entry in s.scalars(select(PairingEntry).where(PairingEntry.pairing_id == p.id)):
            change.deleted(entry)
        change.deleted(p)


def add_entry(db: Database, pairing_id: int, done_on: date | None, text: str) -> int:
    """记录帮带情况: what was done, and when."""
    issues = []
    if done_on is None:
        issues.append(FieldIssue("done_on", "请填写日期", "date_missing"))
    if not text.strip():
        issues.append(FieldIssue("text", "请写明做了什么", "text_missing"))
    with db.session() as s:
        p = get_record(s, Pairing, pairing_id)
        if done_on is not None and done_on < p.started_on:
            message = f"日期早于结对开始日期{p.started_on:%Y-%m-%d}"
            issues.append(FieldIssue("done_on", message, "before_start"))
        if issues:
            raise ValidationError(issues)
        entry = PairingEntry(pairing_id=p.id, done_on=done_on, text=text.strip())
        s.add(entry)
        Change(s, "记录结对帮带情况").created(entry)
        return entry.id


def entries(db: Database, pairing_id: int) -> list[EntryRow]:
    with db.reading() as s:
        rows = s.scalars(
            select(PairingEntry)
            .where(PairingEntry.pairing_id == pairing_id)
            .order_by(PairingEntry.done_on.desc(), PairingEntry.id.desc())
        )
        return [EntryRow(e.id, e.done_on, e.text) for e in rows]


def all_entries(db: Database) -> dict[int, list[EntryRow]]:
    """Every pairing's entries by pairing, the oldest first (the workbook's order)."""
    out: dict[int, list[EntryRow]] = {}
    with db.read_connection() as conn:
        for eid, pid, done_on, text in conn.execute(q.ALL_ENTRIES_SQL):
            out.setdefault(pid, []).append(EntryRow(eid, date.fromisoformat(done_on), text))
    return out


def list_pairings(
    db: Database, today: date | None = None, unit_id: int | None = None
) -> list[PairingRow]:
    """Every pairing (or those of one unit, helping or helped), the newest first, active
    ones with their direction's warnings."""
    today = today or date.today()
    out: list[PairingRow] = []
    sql = q.pairing_list_sql(unit_id is not None)
    with db.read_connection() as conn:
        for r in conn.execute(sql, {"unit": unit_id}):
            started, ended = date.fromisoformat(r[2]), date.fromisoformat(r[3]) if r[3] else None
            helper = Side(r[8], r[9], r[10], class_of(r[6]), class_of(r[11]))
            helped = Side(r[12], r[13], r[14], class_of(r[7]), class_of(r[15]))
            active = is_active(started, ended, today)
            row = PairingRow(
                r[0],
                r[1],
                helper,
                helped,
                started,
                ended,
                r[4],
                r[5],
                active,
                pairing_warnings(helper.class_now, helped.class_now) if active else [],
                r[16],
            )
            row.name = f"{helper.name} → {helped.name}"
            row.search_text = (
                f"{helper.name}\n{helped.name}\n{helper.uscc or ''}\n{helped.uscc or ''}".casefold()
            )
            out.append(row)
    return out


@dataclass(frozen=True, slots=True)
class PairingOf:
    """A pairing as a unit's class history needs it: who helped, from when to when."""

    helper: str
    started_on: date
    ended_on: date | None

    def covers(self, day: date) -> bool:
        return self.started_on <= day and (self.ended_on is None or day <= self.ended_on)


def pairings_helping(db: Database, org_id: int) -> list[PairingOf]:
    with db.read_connection() as conn:
        return [
            PairingOf(name, date.fromisoformat(start), date.fromisoformat(end) if end else None)
            for name, start, end in conn.execute(q.PAIRINGS_HELPING_SQL, (org_id,))
        ]
