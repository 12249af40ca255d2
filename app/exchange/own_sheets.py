"""ParkDesk's own quarterly workbook carries more than the registry: its
党组织, 指导员 and 联系分工 sheets are read back too, so an export imported into
an empty database comes back whole. Recognised by the hidden _parkdesk sheet."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from app.domain.limits import control_character
from app.domain.record_fields import INSTRUCTOR_FIELDS, PARTY_ORG_FIELDS, Cell, RecordField
from app.domain.terms import default_term_years
from app.domain.vocabulary import (
    AssignmentRole,
    ClusterRecordKind,
    OrgClass,
    PartyOrgLevel,
    parse_yes_no,
)
from app.exchange.normalize import cell_text, norm_date
from app.exchange.reader import Workbook, WorkbookError
from app.exchange.records import (
    CLUSTER_RECORD_SHEET,
    CLUSTER_SHEET,
    INSTRUCTOR_ID_HEADER,
    PAIRING_SHEET,
    VISIT_SHEET,
    AssignmentColumn,
    ClusterColumn,
    ClusterRecordColumn,
    PairingColumn,
    VisitColumn,
)


@dataclass
class OwnSheets:
    party_orgs: list[dict[str, Any]] = field(default_factory=list)
    instructors: list[dict[str, Any]] = field(default_factory=list)
    assignments: list[dict[str, Any]] = field(default_factory=list)
    pairings: list[dict[str, Any]] = field(default_factory=list)
    clusters: list[dict[str, Any]] = field(default_factory=list)  # year formed, notes
    cluster_records: list[dict[str, Any]] = field(default_factory=list)
    visit_rows: list[dict[str, Any]] = field(default_factory=list)  # 走访整改, row by row
    # how many rows of 指导员 give each name, as read (before any row is left out)
    instructor_names: Counter[str] = field(default_factory=Counter)

    def alone(self, name: str) -> bool:
        """Whether one row at most of 指导员 gives this name."""
        return self.instructor_names[name] <= 1


def _text(value: object) -> str:
    return "" if value is None else cell_text(value)


def _day(value: object) -> date | None:
    if value is None or _text(value) == "":
        return None
    return norm_date(value)


def _int(value: object) -> int | None:
    text = _text(value)
    if not text:
        return None
    try:
        return int(float(text))
    except ValueError:
        raise ValueError(f"“{text}”不是整数") from None


class _Row(dict[str, object]):
    """A sheet row by header; remembers the column read last, for the error message."""

    last = ""
    dirty = False  # a control character somewhere in the row: its cells are looked at

    def get(self, key: str, default: object = None) -> object:  # type: ignore[override]
        self.last = key
        value = super().get(key, default)
        # a control character (a NUL…) is refused here as in every text that comes in
        problem = control_character(value) if self.dirty and isinstance(value, str) else None
        if problem is not None:
            raise ValueError(problem)
        return value


def _row(headers: list[str], cells: Sequence[object]) -> _Row:
    """A row by header; the whole row searched once for a control character (half a
    million cell-by-cell searches were a tenth of a registry import)."""
    row = _Row(zip(headers, cells, strict=False))
    row.dirty = control_character("\n".join(c for c in cells if isinstance(c, str))) is not None
    return row


def _table(wb: Workbook, name: str) -> list[tuple[int, _Row]]:
    """Rows of a ParkDesk table sheet (title row, header row, data) keyed by header,
    with the row's number as Excel shows it."""
    if name not in wb.sheet_names:
        return []
    rows = wb.sheet(wb.sheet_names.index(name)).rows
    if len(rows) < 2:
        return []
    headers = [_text(h) for h in rows[1]]
    return [
        (n, _row(headers, row))
        for n, row in enumerate(rows[2:], start=3)
        if any(_text(v) for v in row)
    ]


def _read_fields(row: _Row, fields: tuple[RecordField, ...]) -> dict[str, Any]:
    """A record's stored fields from its row, by the labels the export wrote; a
    link (the parent) as ``_parent``, resolved by name once all are read."""
    values: dict[str, Any] = {}
    for f in fields:
        cell = row.get(f.label)
        if not f.stored:
            continue
        if f.cell is Cell.LINK:
            values[f"_{f.key}"] = _text(cell)
        elif f.cell is Cell.DATE:
            values[f.key] = _day(cell)
        elif f.cell is Cell.COUNT:
            values[f.key] = _int(cell)
        elif f.cell is Cell.YES_NO:
            answer = parse_yes_no(_text(cell))
            values[f.key] = f.blank if answer is None else answer
        elif f.vocabulary is not None:
            values[f.key] = (f.vocabulary.from_text(_text(cell)) or f.blank).value
        else:
            values[f.key] = _text(cell)
    return values


def _class_letter(value: object) -> str | None:
    member = OrgClass.from_text(_text(value))
    return member.value if member is not None else None


def _entries(value: object) -> list[tuple[date, str]]:
    """帮带记录: one "YYYY-MM-DD what was done" a line (lines of another shape are left)."""
    out = []
    for line in _text(value).splitlines():
        day, _sep, text = line.strip().partition(" ")
        try:
            out.append((date.fromisoformat(day), text.strip()))
        except ValueError:
            continue
    return out


_MONEY = (ClusterRecordKind.DUES_RETURNED, ClusterRecordKind.SPENDING)


def _fen(value: object) -> int | None:
    """A sheet's yuan as fen, exactly (1200.5 → 120050)."""
    text = _text(value).replace(",", "")
    if not text:
        return None
    try:
        return int((Decimal(text) * 100).to_integral_value())
    except ArithmeticError:
        raise ValueError(f"“{text}”不是金额") from None


def _cluster_record(row: _Row) -> dict[str, Any] | None:
    kind = ClusterRecordKind.from_text(_text(row.get(ClusterRecordColumn.KIND)))
    cluster, year = (
        _text(row.get(ClusterRecordColumn.CLUSTER)),
        _int(row.get(ClusterRecordColumn.YEAR)),
    )
    if kind is None or not cluster or year is None:
        return None
    amount = (
        _fen(row.get(ClusterRecordColumn.AMOUNT))
        if kind in _MONEY
        else _int(row.get(ClusterRecordColumn.AMOUNT))
    )
    return {
        "cluster": cluster,
        "year": year,
        "kind": kind.value,
        "dated": _day(row.get(ClusterRecordColumn.DATED)),
        "unit": _text(row.get(ClusterRecordColumn.UNIT)),
        "uscc": _text(row.get(ClusterRecordColumn.USCC)),
        "amount": amount,
        "second_amount": _int(row.get(ClusterRecordColumn.SECOND_AMOUNT)),
        "title": _text(row.get(ClusterRecordColumn.TITLE)),
        "award": _text(row.get(ClusterRecordColumn.AWARD)),
        "text": _text(row.get(ClusterRecordColumn.TEXT)),
        "score": _text(row.get(ClusterRecordColumn.SCORE)),
        "honoured": _text(row.get(ClusterRecordColumn.HONOURED)) == "是",
    }


def _pairing(row: _Row) -> dict[str, Any] | None:
    """A pairing, or None for a row without both units and a start."""
    p = {
        "helper": _text(row.get(PairingColumn.HELPER)),
        "helper_uscc": _text(row.get(PairingColumn.HELPER_USCC)),
        "helped": _text(row.get(PairingColumn.HELPED)),
        "helped_uscc": _text(row.get(PairingColumn.HELPED_USCC)),
        "helper_class_at_start": _class_letter(row.get(PairingColumn.HELPER_CLASS_AT_START)),
        "helped_class_at_start": _class_letter(row.get(PairingColumn.HELPED_CLASS_AT_START)),
        "started_on": _day(row.get(PairingColumn.STARTED_ON)),
        "ended_on": _day(row.get(PairingColumn.ENDED_ON)),
        "goal": _text(row.get(PairingColumn.GOAL)),
        "outcome": _text(row.get(PairingColumn.OUTCOME)),
        "entries": _entries(row.get(PairingColumn.ENTRIES)),
    }
    return p if p["helper"] and p["helped"] and p["started_on"] else None


def read_own_sheets(wb: Workbook) -> OwnSheets | None:
    meta = wb.meta()
    if meta.get("program") != "ParkDesk" or meta.get("kind") != "quarterly":
        return None
    people = _each(wb, "指导员", _instructor)
    return OwnSheets(
        party_orgs=_each(wb, "党组织", _party_org),
        instructors=people,
        instructor_names=Counter(p["name"] for p in people),
        assignments=_each(wb, "联系分工", _assignment),
        pairings=_each(wb, PAIRING_SHEET, _pairing),
        clusters=_each(wb, CLUSTER_SHEET, _cluster),
        cluster_records=_each(wb, CLUSTER_RECORD_SHEET, _cluster_record),
        visit_rows=_each(wb, VISIT_SHEET, _visit_row),
    )


@dataclass(frozen=True, slots=True)
class People:
    """The instructors on the register, as a read-back matches them: by identity (the
    hidden 指导员编号), else by a name only one of them has."""

    by_uuid: dict[str, int]
    by_name: dict[str, list[int]]

    def find(self, uuid: str, name: str, alone: bool = True) -> int | None:
        """The instructor meant, or None for one not on the register; raises
        ``AmbiguousName`` for a name two of them share and no identity. An identity
        this register does not know (the workbook of another office) falls back to
        the name only when the name is ``alone`` in the workbook: two people of one
        name there are two people here, never one."""
        if uuid in self.by_uuid:
            return self.by_uuid[uuid]
        if uuid and not alone:
            return None
        ids = self.by_name.get(name, [])
        if len(ids) > 1:
            raise AmbiguousName(name, len(ids))
        return ids[0] if ids else None


class AmbiguousName(Exception):
    def __init__(self, name: str, count: int) -> None:
        super().__init__(f"台账中有{count}名指导员叫“{name}”，表中没有指导员编号，无法确定是哪一位")
        self.name, self.count = name, count


def ambiguous_rows(own: OwnSheets, people: People) -> list[tuple[str, int, str, str]]:
    """Rows of 指导员 and 联系分工 naming an instructor that cannot be told apart (a name
    two registered instructors share, or two rows of the sheet share, without an
    identity): (sheet, row, name, why). They are left out of the import, each said."""
    found: list[tuple[str, int, str, str]] = []
    named = Counter(p["name"] for p in own.instructors if not p["uuid"])
    kept = []
    for person in own.instructors:
        why = _ambiguity(people, person["uuid"], person["name"], own.alone(person["name"]))
        if why is None and not person["uuid"] and named[person["name"]] > 1:
            name = person["name"]
            why = f"表中有{named[name]}行指导员叫“{name}”，没有指导员编号，无法区分"
        if why is None:
            kept.append(person)
        else:
            found.append(("指导员", person["_row"], person["name"], why))
    own.instructors = kept
    twice = {n for n, count in named.items() if count > 1}
    kept = []
    for a in own.assignments:
        why = _ambiguity(people, a["instructor_uuid"], a["instructor"], own.alone(a["instructor"]))
        if why is None and not a["instructor_uuid"] and a["instructor"] in twice:
            why = f"表中有多名指导员叫“{a['instructor']}”，没有指导员编号，无法确定是哪一位"
        if why is None:
            kept.append(a)
        else:
            found.append(("联系分工", a["_row"], a["instructor"], why))
    own.assignments = kept
    return found


def _ambiguity(people: People, uuid: str, name: str, alone: bool) -> str | None:
    try:
        people.find(uuid, name, alone)
    except AmbiguousName as exc:
        return str(exc)
    return None


def _visit_row(row: _Row) -> dict[str, Any] | None:
    """A row of 走访整改: a visit (with 走访编号), a problem (with 问题编号), or both."""
    from app.domain.vocabulary import ProblemStatus, VisitKind

    visit, problem = _text(row.get(VisitColumn.VISIT_ID)), _text(row.get(VisitColumn.PROBLEM_ID))
    if not visit and not problem:
        return None  # written by hand, or before ParkDesk kept the numbers: nothing to match
    kind = VisitKind.from_text(_text(row.get(VisitColumn.KIND)))
    status_text = _text(row.get(VisitColumn.STATUS))
    status = ProblemStatus.from_text(status_text)
    if problem and status is None:
        raise ValueError(f"“{status_text}”不是整改状态")
    return {
        "day": _day(row.get(VisitColumn.DAY)),
        "unit": _text(row.get(VisitColumn.UNIT)),
        "uscc": _text(row.get(VisitColumn.USCC)),
        "visit": visit,
        "kind": (kind or VisitKind.OTHER).value,
        "instructors": [n for n in _text(row.get(VisitColumn.INSTRUCTORS)).split("、") if n],
        "content": _text(row.get(VisitColumn.CONTENT)),
        "problem": problem,
        "text": _text(row.get(VisitColumn.PROBLEM)),
        "common": _text(row.get(VisitColumn.NATURE)) == "共性",
        "rectification": _text(row.get(VisitColumn.RECTIFICATION)),
        "responsible": _text(row.get(VisitColumn.RESPONSIBLE)),
        "deadline": _day(row.get(VisitColumn.DEADLINE)),
        "status": status.value if status else "open",
        "verified_on": _day(row.get(VisitColumn.VERIFIED_ON)),
        "verify_note": _text(row.get(VisitColumn.VERIFY_NOTE)),
        "units": [u for u in _text(row.get(VisitColumn.PROBLEM_UNITS)).split("、") if u],
    }


def _each(
    wb: Workbook, name: str, convert: Callable[[_Row], dict[str, Any] | None]
) -> list[dict[str, Any]]:
    """A sheet's rows as records; a cell that cannot be read stops the import with
    the sheet, the row and the column in Chinese (nothing is written)."""
    out = []
    for number, row in _table(wb, name):
        try:
            record = convert(row)
        except (ValueError, ArithmeticError) as exc:
            raise WorkbookError(f"工作表“{name}”第{number}行“{row.last}”列：{exc}") from None
        if record is not None:
            record["_row"] = number  # for a message about the row
            out.append(record)
    return out


# the name columns of the 党组织 and 指导员 sheets, as their field tables label them
_PARTY_ORG_NAME = next(f.label for f in PARTY_ORG_FIELDS if f.key == "name")
_INSTRUCTOR_NAME = next(f.label for f in INSTRUCTOR_FIELDS if f.key == "name")


def _party_org(row: _Row) -> dict[str, Any] | None:
    if not _text(row.get(_PARTY_ORG_NAME)):
        return None
    po = _read_fields(row, PARTY_ORG_FIELDS)
    # a blank term is the level's usual one
    po["term_years"] = po["term_years"] or default_term_years(PartyOrgLevel(po["level"]))
    return po


def _instructor(row: _Row) -> dict[str, Any] | None:
    if not _text(row.get(_INSTRUCTOR_NAME)):
        return None
    person = _read_fields(row, INSTRUCTOR_FIELDS)
    person["uuid"] = _text(row.get(INSTRUCTOR_ID_HEADER))  # "" in a workbook without it
    return person


def _cluster(row: _Row) -> dict[str, Any] | None:
    name = _text(row.get(ClusterColumn.NAME))
    if not name:
        return None
    return {
        "name": name,
        "formed_year": _int(row.get(ClusterColumn.FORMED_YEAR)),
        "notes": _text(row.get(ClusterColumn.NOTES)),
    }


def _assignment(row: _Row) -> dict[str, Any]:
    return {
        "instructor": _text(row.get(AssignmentColumn.INSTRUCTOR)),
        "instructor_uuid": _text(row.get(INSTRUCTOR_ID_HEADER)),
        "organization": _text(row.get(AssignmentColumn.UNIT)),
        "uscc": _text(row.get(AssignmentColumn.USCC)),
        "role": (
            AssignmentRole.from_text(_text(row.get(AssignmentColumn.ROLE))) or AssignmentRole.GUIDE
        ).value,
        "started_on": _day(row.get(AssignmentColumn.STARTED_ON)),
        "ended_on": _day(row.get(AssignmentColumn.ENDED_ON)),
    }
