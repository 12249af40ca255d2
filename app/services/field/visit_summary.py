"""A year's visits and rectification in figures (the yearly workbook's 走访整改): the
visits by kind, the problems raised in the year, those verified (销号) in it and
those overdue at its end, per instructor and in all.

A problem's status at the year's end is read from its history (problem_event), so a
problem closed in the January after still counts as overdue on 31 December. A problem
belongs to the instructors of the visit it was found on; one raised without a visit
(from the worklist, by the office) is counted on a row of its own. Only days, kinds and
statuses are read (not the pages' texts): 100,000 visits are counted, not listed.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from app.db.database import Database
from app.db.queries import visits as q
from app.domain.sorting import natural_key
from app.domain.visits import is_overdue
from app.domain.vocabulary import ProblemStatus, VisitKind

NO_VISIT = "（未经走访提出的问题）"
NOBODY = "（未填写指导员）"
_STATUSES = ProblemStatus.by_value()
_KINDS = VisitKind.by_value()


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


@dataclass(slots=True)
class ProblemDays:
    """What the tally reads of a problem: its dates, status and status changes."""

    visit_id: int | None
    common: bool
    deadline: date | None
    status: ProblemStatus
    raised_on: date
    verified_on: date | None
    steps: list[tuple[date, ProblemStatus | None, ProblemStatus]] = field(default_factory=list)

    def status_on(self, day: date) -> ProblemStatus:
        """Its status on ``day`` by its history (its status now when it has none)."""
        if not self.steps:
            return self.status
        before = [to for on, _was, to in self.steps if on <= day]
        return before[-1] if before else (self.steps[0][1] or ProblemStatus.OPEN)

    def closed_in(self, first: date, last: date) -> bool:
        """Verified within [first, last] and not reopened by ``last``."""
        if not self.steps:
            return self.verified_on is not None and first <= self.verified_on <= last
        if self.status_on(last) is not ProblemStatus.VERIFIED:
            return False
        verified = [on for on, _w, to in self.steps if to is ProblemStatus.VERIFIED and on <= last]
        return bool(verified) and verified[-1] >= first


def _count(t: VisitTally, p: ProblemDays, first: date, last: date, as_of: date) -> None:
    if first <= p.raised_on <= last:
        t.raised += 1
        t.common += p.common
    if p.closed_in(first, as_of):
        t.closed += 1
    if p.raised_on <= as_of and is_overdue(p.status_on(as_of), p.deadline, as_of):
        t.overdue += 1


def year_visits(db: Database, year: int, today: date | None = None) -> YearVisits:
    today = today or date.today()
    first, last = date(year, 1, 1), date(year, 12, 31)
    as_of = min(today, last)
    # by the instructor's id (None: a visit with nobody named): two of one name stay two
    people: dict[int | None, VisitTally] = {}
    total, no_visit = VisitTally("合计"), VisitTally(NO_VISIT)
    span = {"first": first.isoformat(), "last": last.isoformat()}
    with db.read_connection() as conn:
        names = dict(conn.execute(q.INSTRUCTOR_NAMES))

        def tally(person: int | None) -> VisitTally:
            found = people.get(person)
            if found is None:  # made once per person, not once per problem
                found = people[person] = VisitTally(NOBODY if person is None else names[person])
            return found

        for kind, n in conn.execute(q.YEAR_VISITS_BY_KIND, span):
            total.visits += n
            total.by_kind[_KINDS[kind]] += n
        for person, kind, n in conn.execute(q.YEAR_VISITS_BY_INSTRUCTOR, span):
            t = tally(person)
            t.visits += n
            t.by_kind[_KINDS[kind]] += n
        who: dict[int, list[int | None]] = {}
        for visit_id, person in conn.execute(q.PROBLEM_VISIT_INSTRUCTORS):
            who.setdefault(visit_id, []).append(person)
        problems = _problems(conn)
    for p in problems:
        if p.visit_id is None:
            mine = [no_visit]
        else:
            mine = [tally(person) for person in who.get(p.visit_id, (None,))]
        for t in (*mine, total):
            _count(t, p, first, last, as_of)
    ordered = sorted(people.items(), key=lambda it: (it[0] is None, natural_key(it[1].who), it[0]))
    listed = [t for _id, t in ordered if not t.empty]
    return YearVisits(year, as_of, listed, no_visit, total)


def _problems(conn: sqlite3.Connection) -> list[ProblemDays]:
    """Every problem's dates and status, with its status changes, oldest first."""
    day = date.fromisoformat
    problems = {
        pid: ProblemDays(
            visit,
            bool(common),
            day(deadline) if deadline else None,
            _STATUSES[status],
            day(raised),
            day(verified) if verified else None,
        )
        for pid, visit, common, deadline, status, raised, verified in conn.execute(q.PROBLEM_DAYS)
    }
    for pid, was, to, on in conn.execute(q.PROBLEM_STEPS):
        problems[pid].steps.append((day(on), _STATUSES.get(was), _STATUSES[to]))
    return list(problems.values())
