"""Visits and rectifications: what an instructor saw, the problems found (共性 shared
by several units, 个性 one unit's), and each rectification's way to 已核验.

A rectification is closed only when verified, with the verifier's note and date;
reopening clears them (both audited by the service). It is overdue when its deadline
has passed and it is not yet rectified (待整改 or 整改中).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from app.domain.limits import CONTROL_CHARACTER, PROBLEM, VISIT, control_message
from app.domain.quarters import FIRST_YEAR
from app.domain.validation import FieldIssue, check_lengths
from app.domain.vocabulary import ProblemStatus, VisitKind

NOT_VISITED_DAYS = 180  # the worklist's default: a unit no one has visited for longer
STILL_OPEN = frozenset({ProblemStatus.OPEN, ProblemStatus.IN_PROGRESS})
# no visit of a 两新 party-building instructor predates the quarters any park submits
# (quarters.FIRST_YEAR): 1900-01-01 is a typing slip or a spreadsheet's zero date
EARLIEST_VISIT = date(FIRST_YEAR, 1, 1)


@dataclass(slots=True)
class ProblemDraft:
    text: str
    common: bool = False  # 共性: one problem linked to each unit sharing it
    rectification: str = ""  # what is asked
    responsible: str = ""
    deadline: date | None = None
    unit_ids: list[int] = field(default_factory=list)


@dataclass(slots=True)
class VisitDraft:
    org_id: int | None
    visited_on: date | None
    kind: VisitKind = VisitKind.VISIT
    instructor_ids: list[int] = field(default_factory=list)
    content: str = ""
    people_met: str = ""
    problems: list[ProblemDraft] = field(default_factory=list)
    attachments: list[Path] = field(default_factory=list)  # photos, scans: copied in on save


def check_problem(draft: ProblemDraft, raised_on: date, where: str = "") -> list[FieldIssue]:
    issues = [
        FieldIssue(f"{where}{i.field}", i.message, i.code) for i in check_lengths(draft, PROBLEM)
    ]
    if not draft.text.strip():
        issues.append(FieldIssue(f"{where}text", "请填写发现的问题", "required"))
    if draft.deadline is not None and draft.deadline < raised_on:
        message = f"整改期限{draft.deadline.isoformat()}早于发现问题的日期{raised_on.isoformat()}"
        issues.append(FieldIssue(f"{where}deadline", message, "deadline_before_visit"))
    if not draft.unit_ids:
        issues.append(FieldIssue(f"{where}units", "问题须关联至少一个单位", "required"))
    elif not draft.common and len(draft.unit_ids) > 1:
        message = "个性问题只属于一个单位；几个单位共有的问题请标为共性问题"
        issues.append(FieldIssue(f"{where}units", message, "individual_many_units"))
    return issues


def check_visit(draft: VisitDraft, today: date) -> list[FieldIssue]:
    issues = check_lengths(draft, VISIT)
    if draft.org_id is None:
        issues.append(FieldIssue("org", "请选择走访的单位", "required"))
    if draft.visited_on is None:
        issues.append(FieldIssue("visited_on", "请填写走访日期", "required"))
    elif draft.visited_on > today:
        issues.append(FieldIssue("visited_on", "走访日期不能晚于今天", "date_in_future"))
    elif draft.visited_on < EARLIEST_VISIT:
        message = (
            f"走访日期{draft.visited_on.isoformat()}早于{EARLIEST_VISIT.isoformat()}，请检查日期"
        )
        issues.append(FieldIssue("visited_on", message, "date_too_early"))
    if not draft.instructor_ids:
        issues.append(FieldIssue("instructors", "请选择走访的指导员", "required"))
    for n, problem in enumerate(draft.problems):
        issues += check_problem(problem, draft.visited_on or today, f"problems.{n}.")
    return issues


def check_move(
    to: ProblemStatus, note: str, on: date | None, raised_on: date, today: date
) -> list[FieldIssue]:
    """已核验 needs the verifier's note and the date it was verified. The date of any
    move (kept in the problem's history) lies between the day the problem was raised
    and today: a verification dated 2099, or before the problem existed, is refused."""
    issues = []
    what = "核验日期" if to is ProblemStatus.VERIFIED else "日期"
    control = control_message("说明", note)
    if control is not None:
        issues.append(FieldIssue("note", control, CONTROL_CHARACTER))
    if to is ProblemStatus.VERIFIED:
        if not note.strip():
            issues.append(FieldIssue("note", "核验须填写核验意见", "verify_note_missing"))
        if on is None:
            issues.append(FieldIssue("on", "核验须填写核验日期", "verify_date_missing"))
    if on is not None and on > today:
        message = f"{what}{on.isoformat()}晚于今天（{today.isoformat()}）"
        issues.append(FieldIssue("on", message, "date_in_future"))
    elif on is not None and on < raised_on:
        message = f"{what}{on.isoformat()}早于发现问题的日期{raised_on.isoformat()}"
        issues.append(FieldIssue("on", message, "date_before_raised"))
    return issues


def is_overdue(status: ProblemStatus, deadline: date | None, today: date) -> bool:
    return deadline is not None and deadline < today and status in STILL_OPEN


def days_to_close(raised_on: date, verified_on: date | None) -> int | None:
    return None if verified_on is None else (verified_on - raised_on).days


_STEP = {s: n for n, s in enumerate(ProblemStatus)}


def urgency(status: ProblemStatus, deadline: date | None) -> tuple[int, date]:
    """The order problems are chased in: not yet started first, each by its deadline
    (none last); the lists and the page sort by it."""
    return (_STEP[status], deadline or date.max)
