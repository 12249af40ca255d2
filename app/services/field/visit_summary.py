"""A year's visits and rectification in figures (the yearly workbook's 走访整改): the
visits by kind, the problems raised in the year, those verified (销号) in it and
those overdue at its end, per instructor and in all.

A problem's status at the year's end is read from its history (problem_event), so a
problem closed in the January after still counts as overdue on 31 December. A problem
belongs to the instructors of the visit it was found on; one raised without a visit
(from the worklist, by the office) is counted on a row of its own.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from app.db.database import Database
from app.domain.sorting import natural_key
from app.domain.visits import is_overdue
from app.domain.vocabulary import ProblemStatus, VisitKind
from app.services.field.visits import ProblemRow, list_problems, list_visits

NO_VISIT = "（未经走访提出的问题）"
NOBODY = "（未填写指导员）"


@dataclass(slots=True)
class VisitTally:
    """One instructor's year (or the year's in all, each visit counted once)."""

    who: str
    visits: int = 0
    by_kind: Counter[VisitKind] = field(default_factory=Counter)
    raised: int = 0  # problems found in the year
    common: int = 0  # of which 共性
    closed: int = 0  # verified in the year and still so at its end
    overdue: int = 0  # past their deadline and not rectified at the year's end

    @property
    def empty(self) -> bool:
        return not (self.visits or self.raised or self.closed or self.overdue)


@dataclass(slots=True)
class YearVisits:
    year: int
    as_of: date  # the year's end, or today while the year runs
    people: list[VisitTally]  # by name, only those with something in the year
    no_visit: VisitTally  # the problems raised without a visit
    total: VisitTally


def status_on(p: ProblemRow, day: date) -> ProblemStatus:
    """A problem's status on ``day`` by its history (its status now when it has none)."""
    if not p.history:
        return p.status
    steps = [s for s in p.history if s.on <= day]
    return steps[-1].to if steps else (p.history[0].was or ProblemStatus.OPEN)


def _closed_in(p: ProblemRow, first: date, last: date) -> bool:
    """Verified within the year and not reopened by its end."""
    if not p.history:
        return p.verified_on is not None and first <= p.verified_on <= last
    if status_on(p, last) is not ProblemStatus.VERIFIED:
        return False
    verified = [s.on for s in p.history if s.to is ProblemStatus.VERIFIED and s.on <= last]
    return bool(verified) and verified[-1] >= first


def _count(t: VisitTally, p: ProblemRow, first: date, last: date, as_of: date) -> None:
    if first <= p.raised_on <= last:
        t.raised += 1
        t.common += p.common
    if _closed_in(p, first, as_of):
        t.closed += 1
    if p.raised_on <= as_of and is_overdue(status_on(p, as_of), p.deadline, as_of):
        t.overdue += 1


def year_visits(db: Database, year: int, today: date | None = None) -> YearVisits:
    today = today or date.today()
    first, last = date(year, 1, 1), date(year, 12, 31)
    as_of = min(today, last)
    problems = list_problems(db, today)
    people: dict[str, VisitTally] = {}
    total, no_visit = VisitTally("合计"), VisitTally(NO_VISIT)
    for v in list_visits(db, today, problems):
        tallies = [people.setdefault(n, VisitTally(n)) for n in v.instructors or (NOBODY,)]
        for t in (*tallies, total):
            if first <= v.visited_on <= last:
                t.visits += 1
                t.by_kind[v.kind] += 1
            for p in v.problems:
                _count(t, p, first, last, as_of)
    for p in problems:
        if p.visit_id is None:
            _count(no_visit, p, first, last, as_of)
            _count(total, p, first, last, as_of)
    listed = sorted((t for t in people.values() if not t.empty), key=lambda t: natural_key(t.who))
    return YearVisits(year, as_of, listed, no_visit, total)
