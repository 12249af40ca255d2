"""分类管理 as use cases: a unit's class history, the yearly review (proposals the
clerk accepts, all or some), and the one place a class is changed and recorded."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.bulk import new_uuids, stamp_text, written_columns
from app.db.database import Database
from app.db.models import ClassChange, Organization
from app.db.queries import grouping as q
from app.domain.classes import ClassProposal, UnitFacts, check_review_year, propose_class
from app.domain.sorting import natural_key
from app.domain.vocabulary import ClassBasis, Formation, OrgClass, OrgKind, class_of
from app.gc_pause import collector_paused
from app.services.files.audit import Change, snapshot
from app.services.grouping.pairings import PairingOf, pairings_helping
from app.services.registry.records import get_record
from app.services.workbooks.bulk_writes import insert_logged, next_id

_FORMATIONS = Formation.by_value()
_KINDS = OrgKind.by_value()
_CLASSES = OrgClass.by_value()


@dataclass(frozen=True, slots=True)
class ClassHistoryItem:
    on: date
    from_class: OrgClass | None
    to_class: OrgClass | None
    reason: str
    basis: ClassBasis
    basis_ref: str
    actor: str
    during_pairing: str = ""  # the helper, when the change came while the unit was paired

    @property
    def basis_text(self) -> str:
        """年度复核（2026） — the basis with what it refers to."""
        return f"{self.basis.label}（{self.basis_ref}）" if self.basis_ref else self.basis.label


@dataclass(slots=True)
class ReviewRow:
    """One unit of the yearly review: its class now and what the facts propose."""

    id: int  # the organization's
    uscc: str | None
    name: str
    kind: OrgKind
    formation: Formation
    current: OrgClass | None
    proposal: ClassProposal | None
    name_rank: int  # as the registry's rows (org_list.rank_by_name)
    search_text: str  # what the page's search looks in, folded once


@dataclass(frozen=True, slots=True)
class ClassDecision:
    """What the clerk accepted (or typed) for one unit."""

    org_id: int
    to: OrgClass
    reason: str


def class_history(db: Database, org_id: int) -> list[ClassHistoryItem]:
    """Every change of the unit's class, newest first."""
    with db.reading() as s:
        get_record(s, Organization, org_id)
        rows = s.scalars(
            select(ClassChange)
            .where(ClassChange.organization_id == org_id)
            .order_by(ClassChange.changed_on.desc(), ClassChange.id.desc())
        ).all()
        found = list(rows)
    helpers = pairings_helping(db, org_id)
    return [
        ClassHistoryItem(
            r.changed_on,
            class_of(r.from_class),
            class_of(r.to_class),
            r.reason,
            ClassBasis(r.basis),
            r.basis_ref,
            r.actor,
            "、".join(p.helper for p in helpers if p.covers(r.changed_on)),
        )
        for r in found
    ]


@dataclass(frozen=True, slots=True)
class YearMove:
    """One unit's change of class in a year, as its history lists it."""

    org_id: int
    uscc: str | None
    name: str
    item: ClassHistoryItem


def year_moves(db: Database, year: int) -> list[YearMove]:
    """The year's class changes of every unit, oldest first (its review's too when
    confirmed the next year), each with the helper when it came during a pairing."""
    with db.read_connection() as conn:
        helping: dict[int, list[PairingOf]] = {}
        for helped, name, start, end in conn.execute(q.PAIRINGS_HELPED_SQL):
            on = date.fromisoformat
            helping.setdefault(helped, []).append(
                PairingOf(name, on(start), on(end) if end else None)
            )
        args = {"first": f"{year}-01-01", "last": f"{year}-12-31", "year": str(year)}
        found = conn.execute(q.YEAR_CLASS_MOVES_SQL, args).fetchall()
    out = []
    for oid, uscc, name, on, was, to, reason, basis, ref, actor in found:
        day = date.fromisoformat(on)
        helpers = "、".join(p.helper for p in helping.get(oid, ()) if p.covers(day))
        item = ClassHistoryItem(
            day, class_of(was), class_of(to), reason, ClassBasis(basis), ref, actor, helpers
        )
        out.append(YearMove(oid, uscc, name, item))
    return out


def review_rows(db: Database, year: int | None = None) -> list[ReviewRow]:
    """Every unit on the register (closed and moved-out ones excepted), by name,
    with the class the facts propose where the recorded one contradicts them, or
    else, reviewing ``year``, what the year's two half-year assessments propose."""
    return _review(db, q.review_units_sql(), year)


def proposals(
    db: Database, year: int | None = None, ranked: Mapping[str, Any] | None = None
) -> list[ReviewRow]:
    """The review's units that have a proposal (the yearly review's worklist).
    ``ranked``: the year's halves ranked already, by period (the yearly workbook's)."""
    assessed = _assessed(db, year, ranked)
    rows = _review(db, q.review_units_sql(True, assessed), year, assessed)
    return [r for r in rows if r.proposal is not None]


def _assessed(
    db: Database, year: int | None, ranked: Mapping[str, Any] | None = None
) -> dict[int, ClassProposal]:
    if year is None:
        return {}
    check_review_year(year, date.today())
    from app.services.assessment.assessment_results import review_proposals

    return review_proposals(db, year, ranked)


def _review(
    db: Database,
    sql: str,
    year: int | None,
    assessed: dict[int, ClassProposal] | None = None,
) -> list[ReviewRow]:
    if assessed is None:
        assessed = _assessed(db, year)
    # 50,000 rows read and made, no cycles among them (gc_pause.py)
    with collector_paused():
        with db.read_connection() as conn:
            found = conn.execute(sql).fetchall()
        return _rows(found, assessed)


def _rows(found: list[tuple], assessed: dict[int, ClassProposal]) -> list[ReviewRow]:
    """The review's rows by name (org_list.rank_by_name's order: the natural key, ties
    as read), each made once with its rank: 50,000 of them, every step per row counts."""
    keys = [natural_key(row[2]) for row in found]
    rows = []
    for rank, i in enumerate(sorted(range(len(found)), key=keys.__getitem__)):
        oid, code, name, kind, formation, current, formal, prob, activists, may = found[i]
        proposal = None
        if may:  # the facts can contradict only these classes (rule_sql's first cut)
            facts = UnitFacts(current, _FORMATIONS[formation], formal, prob, activists)
            proposal = propose_class(facts)
        rows.append(
            ReviewRow(
                oid,
                code,
                name,
                _KINDS[kind],
                _FORMATIONS[formation],
                _CLASSES[current] if current else None,
                proposal or assessed.get(oid),
                rank,
                f"{name} {code or ''}".casefold(),
            )
        )
    return rows


def set_class(
    change: Change, org: Organization, to: OrgClass | None
) -> tuple[int, str | None, str | None] | None:
    """Set a unit's class, logged for undo; the move to record with
    ``record_class_moves`` (None when the unit already has that class)."""
    before_class = org.class_code
    after_class = to.value if to is not None else None
    if before_class == after_class:
        return None
    before = snapshot(org)
    org.class_code = after_class
    org.updated_at = datetime.now()
    change.updated(org, before)
    return (org.id, before_class, after_class)


def record_class_moves(
    s: Session,
    change: Change,
    moves: Sequence[tuple[int, str | None, str | None]],
    *,
    basis: ClassBasis,
    on: date,
    reason: str = "",
    basis_ref: str = "",
) -> None:
    """The history of classes set by rows written in bulk (an import): one record per
    (organization id, class before, class after) that really moved, logged as a range.
    Made as SQLite stores them, in the table's order (an import moves 10,000 at once)."""
    uuids = new_uuids()
    first = next_id(s, ClassChange.__table__)
    head = (on.isoformat(),)
    tail = (reason, basis.value, basis_ref, change.actor, stamp_text(datetime.now()))
    moved = [(oid, before, after) for oid, before, after in moves if before != after]
    rows = [
        (first + n, next(uuids), oid, *head, before, after, *tail)
        for n, (oid, before, after) in enumerate(moved)
    ]
    insert_logged(s, change, ClassChange.__table__, _CLASS_CHANGE_COLUMNS, rows)


# a class change's columns, in the table's order, as record_class_moves gives them
_CLASS_CHANGE_COLUMNS = written_columns(ClassChange.__table__)


def change_class(
    db: Database,
    org_id: int,
    to: OrgClass | None,
    reason: str,
    today: date | None = None,
    review_year: int | None = None,
) -> bool:
    """A class set by hand with the clerk's reason, one undoable change: 手工调整, or,
    when set while reviewing ``review_year`` (a proposal edited), that year's review."""
    if review_year is not None:  # an edited proposal is a decision of the review
        decision = ClassDecision(org_id, to, reason.strip())  # type: ignore[arg-type]
        return apply_review(db, review_year, [decision], today) == 1
    today = today or date.today()
    with db.session() as s:
        org = get_record(s, Organization, org_id)
        change = Change(s, f"调整“{org.name}”的分类")
        move = set_class(change, org, to)
        if move is not None:
            reason = reason.strip()
            record_class_moves(s, change, [move], basis=ClassBasis.MANUAL, on=today, reason=reason)
    return move is not None


def apply_review(
    db: Database,
    year: int,
    decisions: Sequence[ClassDecision],
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Record the accepted classes with the basis 年度复核 of ``year``, as one
    undoable change; returns how many units changed class."""
    today = today or date.today()
    check_review_year(year, today)
    with db.session() as s:
        change = Change(s, f"{year}年度分类复核")
        by_reason: dict[str, list[tuple[int, str | None, str | None]]] = {}
        for n, decision in enumerate(decisions):
            if progress is not None and n % 100 == 0:
                progress(n, len(decisions))
            move = set_class(change, get_record(s, Organization, decision.org_id), decision.to)
            if move is not None:
                by_reason.setdefault(decision.reason, []).append(move)
        for reason, moves in by_reason.items():
            record_class_moves(
                s,
                change,
                moves,
                basis=ClassBasis.REVIEW,
                basis_ref=str(year),
                on=today,
                reason=reason,
            )
    return sum(len(m) for m in by_reason.values())
