"""Terms of office and when a party organization must hold its next election.

Branches and general branches serve 3 years, grassroots committees 5 (the
2018 opinion on grassroots organizations' terms). An approved postponement
moves the due date (Election Rules 2020, art. 3).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.domain.vocabulary import PartyOrgLevel

DUE_SOON_DAYS = 90
# the terms of office in years: branches and general branches, grassroots committees
BRANCH_TERM_YEARS = 3
COMMITTEE_TERM_YEARS = 5
TERM_YEARS = (BRANCH_TERM_YEARS, COMMITTEE_TERM_YEARS)
TERM_INVALID = "任期应为" + "年或".join(map(str, TERM_YEARS)) + "年"


def default_term_years(level: PartyOrgLevel) -> int:
    return COMMITTEE_TERM_YEARS if level is PartyOrgLevel.COMMITTEE else BRANCH_TERM_YEARS


def add_years(day: date, years: int) -> date:
    """Same day ``years`` later; 29 February becomes 28 February."""
    year = day.year + years
    last = calendar.monthrange(year, day.month)[1]
    return day.replace(year=year, day=min(day.day, last))


class ElectionState(StrEnum):
    UNKNOWN = "unknown"  # no election date recorded
    OK = "ok"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


@dataclass(frozen=True, slots=True)
class ElectionStatus:
    state: ElectionState
    due: date | None
    postponed: bool

    @property
    def label(self) -> str:
        if self.state is ElectionState.OVERDUE:
            return f"逾期未换届（应于{self.due.isoformat()}）"  # isoformat: strftime is slow
        if self.state is ElectionState.DUE_SOON:
            return f"即将换届（{self.due.isoformat()}）"
        return ""


def election_status(
    last_election: date | None,
    term_years: int,
    postponed_until: date | None,
    today: date,
    due_soon_days: int | None = None,
) -> ElectionStatus:
    """Overdue once the due date has passed; due soon within ``due_soon_days``.

    The due day itself still counts as on time: the election may be held that day.
    """
    if last_election is None:
        return ElectionStatus(ElectionState.UNKNOWN, None, False)
    due = add_years(last_election, term_years)
    postponed = postponed_until is not None and postponed_until > due
    if postponed:
        assert postponed_until is not None
        due = postponed_until
    days_left = (due - today).days
    if due_soon_days is None:
        due_soon_days = DUE_SOON_DAYS  # read now: the rule's number lives in one place
    if days_left < 0:
        state = ElectionState.OVERDUE
    elif days_left <= due_soon_days:
        state = ElectionState.DUE_SOON
    else:
        state = ElectionState.OK
    return ElectionStatus(state, due, postponed)
