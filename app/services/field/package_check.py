"""Every record a package brings, checked against the domain before anything is written.
The return package's changes.json (package_merge) and the field database a field
package holds (field_package) both pass through here, and only here.

First the shape: a list of changes, each a record of a known kind with a uuid and its
fields of the right type (a dict where a list belongs, a list of numbers, JSON nested
a hundred thousand deep, a record given twice: refused). Then each value as the form
and the import check it (the vocabulary, dates, scores against the period's scheme,
text lengths: app/domain), then what it refers to (a unit, an instructor, a visit, a
period) and its owner: a return package carries only records of the units its field
package was made for. The first problems are named, record and field, in Chinese.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from app.db.queries import field as fq
from app.db.queries import merge as q
from app.db.queries import records as rq
from app.domain.assessment import Scheme
from app.domain.limits import EXCEL_CELL_CHARS, control_character
from app.domain.validation import FieldIssue
from app.domain.visits import ProblemDraft, VisitDraft, check_move, check_problem, check_visit
from app.domain.vocabulary import CorrectionStatus, OrgClass, ProblemStatus, VisitKind
from app.exchange.packages import PackageError
from app.services.field import field_records
from app.services.field.field_identity import FIELD_SETTING
from app.services.files import json_pieces

ENTITY_LABELS = {
    "visit": "走访",
    "problem": "问题",
    "assessment_score": "评分",
    "correction": "更正建议",
    "problem_event": "整改记录",
}
# the id of a unit (or an instructor) of the package deleted here since: known, what
# becomes of its records is the merge's to say (the domain's checks need one, not which)
GONE = 0
MAX_VERSION = 2**31  # a record saved this often is not a record: an attack or a fault
SHOWN = 5  # problems named in one message
_CHANGE_KEYS = frozenset(
    {"entity", "uuid", "row_version", "base_version", "base", "data", "deleted"}
)

Check = Callable[[Any, "Scope"], str | None]


@dataclass(slots=True)
class Scope:
    """What a package's records may name, in the database they go into."""

    units: dict[str, int]  # the units its records may concern (uuid → id here)
    instructors: dict[str, int]
    visits: set[str]  # the visits there; a package's own new visits are added
    conn: sqlite3.Connection  # the periods and their schemes
    problems: set[str] = field(default_factory=set)  # as visits: a step's problem
    schemes: dict[str, Scheme | None] = field(default_factory=dict)

    def scheme(self, code: str) -> Scheme | None:
        if code not in self.schemes:
            from app.services.assessment.assessments import period_row

            try:
                self.schemes[code] = period_row(self.conn, code)[2]
            except LookupError:
                self.schemes[code] = None
        return self.schemes[code]


class _Issues:
    """The problems found, the first few in words, all counted."""

    def __init__(self, name: str) -> None:
        self.name, self.shown, self.count = name, [], 0

    def add(self, where: str, message: str) -> None:
        self.count += 1
        if len(self.shown) < SHOWN:
            self.shown.append(f"{where}：{message}")

    def raise_any(self) -> None:
        if not self.count:
            return
        more = f"……共{self.count}处" if self.count > SHOWN else ""
        raise PackageError(
            f"“{self.name}”中的记录不能导入，未写入任何内容：{'；'.join(self.shown)}{more}"
        )


def _where(n: int, entity: Any, uid: Any) -> str:
    label = ENTITY_LABELS.get(entity, "记录") if isinstance(entity, str) else "记录"
    short = uid[:8] if isinstance(uid, str) else ""
    return f"第{n}条（{label}{' ' + short if short else ''}）"


def _field(key: str) -> str:
    return f"“{field_records.FIELD_LABELS.get(key) or _shown(key)}”"


# -- the value of one field -------------------------------------------------------


def _text(limit: int) -> Check:
    def check(value: Any, _scope: Scope) -> str | None:
        if not isinstance(value, str):
            return "应为文字"
        if len(value) > limit:
            return f"最多{limit}个字，这里有{len(value)}个字"
        return control_character(value)  # a NUL or another control: as every text is held

    return check


def _date(value: Any, _scope: Scope) -> str | None:
    if value is None:
        return None
    try:
        ok = isinstance(value, str) and date.fromisoformat(value).isoformat() == value
    except ValueError:
        ok = False
    return None if ok else f"“{_shown(value)}”不是日期（应写成2026-11-20）"


def _day_given(value: Any, scope: Scope) -> str | None:
    return "缺少日期" if value is None else _date(value, scope)


def _choice(values: Iterable[str], labels: Iterable[str]) -> Check:
    allowed, words = frozenset(values), "、".join(labels)

    def check(value: Any, _scope: Scope) -> str | None:
        if isinstance(value, str) and value in allowed:
            return None
        return f"“{_shown(value)}”不是可用的值（{words}）"

    return check


def _yes_no(value: Any, _scope: Scope) -> str | None:
    return None if isinstance(value, bool) else "应为是或否"


def _unit(value: Any, scope: Scope) -> str | None:
    if not _is_uuid(value):
        return f"“{_shown(value)}”不是单位的编号"
    return None if value in scope.units else "单位不在这个包的单位中"


def _units(value: Any, scope: Scope) -> str | None:
    if not isinstance(value, list) or not value:
        return "应为至少一个单位的列表"
    if len(set(map(str, value))) != len(value):
        return "同一单位列了两次"
    return next((m for m in (_unit(u, scope) for u in value) if m), None)


def _instructors(value: Any, scope: Scope) -> str | None:
    if not isinstance(value, list) or not all(_is_uuid(u) for u in value):
        return "应为指导员编号的列表"
    if len(set(value)) != len(value):
        return "同一指导员列了两次"
    missing = [u for u in value if u not in scope.instructors]
    return f"本数据库中没有编号为{missing[0][:8]}的指导员" if missing else None


def _visit(value: Any, scope: Scope) -> str | None:
    if value is None:
        return None
    if not _is_uuid(value):
        return f"“{_shown(value)}”不是走访的编号"
    return None if value in scope.visits else "所属的走访不在本数据库中，也不在包中"


def _problem(value: Any, scope: Scope) -> str | None:
    if not _is_uuid(value):
        return f"“{_shown(value)}”不是问题的编号"
    return None if value in scope.problems else "所属的问题不在本数据库中，也不在包中"


def _status_or_none(value: Any, scope: Scope) -> str | None:
    return None if value == "" else _STATUSES(value, scope)


def _attachments(value: Any, _scope: Scope) -> str | None:
    if not isinstance(value, list):
        return "应为附件的列表"
    for item in value:
        if not (
            isinstance(item, list) and len(item) == 2 and all(isinstance(x, str) for x in item)
        ):
            return "每个附件应为文件名和保存名"
        name, stored = item
        if not name or len(name) > 300 or not stored_name_ok(stored):
            return f"附件“{_shown(name)}”的文件名不可用"
    return None


# a link row's parts after its table: what it links (an instructor, a unit; an
# attachment's name and stored name), then its own uuid
_LINK_PARTS = {"visit_instructor": 2, "visit_attachment": 3, "problem_unit": 2}


def _links(*tables: str) -> Check:
    """The uuids of a record's link rows: [table, what it links…, uuid] each, every uuid
    once; what they link is checked with the field that lists it."""

    def check(value: Any, _scope: Scope) -> str | None:
        if not isinstance(value, list):
            return "应为关联记录的列表"
        for link in value:
            if not (
                isinstance(link, list)
                and link
                and link[0] in tables
                and len(link) == _LINK_PARTS[link[0]] + 1
                and all(isinstance(x, str) for x in link)
                and _is_uuid(link[-1])
            ):
                return "每个关联记录应为种类、所关联的对象和编号"
        if len({link[-1] for link in value}) != len(value):
            return "同一关联记录编号出现了两次"
        return None

    return check


def _version(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < MAX_VERSION


def _period(value: Any, scope: Scope) -> str | None:
    if not isinstance(value, str) or len(value) > 20 or value != value.strip().upper():
        return f"“{_shown(value)}”不是考核期代码"
    return None if scope.scheme(value) is not None else f"本数据库中没有考核期{value}"


def _class(value: Any, _scope: Scope) -> str | None:
    if value is None or (isinstance(value, str) and value in OrgClass.by_value()):
        return None
    return f"“{_shown(value)}”不是分类（{'、'.join(OrgClass.by_value())}）"


def _decimal_text(value: Any, _scope: Scope) -> str | None:
    if not isinstance(value, str) or len(value) > 10:
        return "应为写成文字的分数"
    try:
        Decimal(value or "0")
    except InvalidOperation:
        return f"“{_shown(value)}”不是分数"
    return None


def _scores(value: Any, _scope: Scope) -> str | None:
    try:
        scores = json.loads(value) if isinstance(value, str) and len(value) <= 100_000 else None
    except (ValueError, RecursionError):
        scores = None
    if not isinstance(scores, dict) or not all(
        isinstance(k, str) and isinstance(v, str | int | float) and not isinstance(v, bool)
        for k, v in scores.items()
    ):
        return "应为各指标的得分"
    return None


_ANY_TEXT = _text(EXCEL_CELL_CHARS)
_STATUSES = _choice(ProblemStatus.by_value(), ProblemStatus.labels())
# each kind's fields: key → (required, check); a field not listed is refused
FIELDS: dict[str, dict[str, tuple[bool, Check]]] = {
    "visit": {
        "org": (True, _unit),
        "visited_on": (True, _day_given),
        "kind": (True, _choice(VisitKind.by_value(), VisitKind.labels())),
        "content": (False, _ANY_TEXT),
        "people_met": (False, _ANY_TEXT),
        "changed_by": (False, _text(100)),
        "instructors": (False, _instructors),
        "attachments": (False, _attachments),
        "links": (False, _links("visit_instructor", "visit_attachment")),
    },
    "problem": {
        "visit": (False, _visit),
        "text": (True, _ANY_TEXT),
        "common": (False, _yes_no),
        "rectification": (False, _ANY_TEXT),
        "responsible": (False, _text(100)),
        "deadline": (False, _date),
        "status": (False, _STATUSES),
        "raised_on": (True, _day_given),
        "verified_on": (False, _date),
        "verify_note": (False, _ANY_TEXT),
        "source": (False, _text(40)),
        "changed_by": (False, _text(100)),
        "units": (True, _units),
        "links": (False, _links("problem_unit")),
    },
    "problem_event": {
        "problem": (True, _problem),
        "from": (False, _status_or_none),
        "to": (True, _STATUSES),
        "note": (False, _ANY_TEXT),
        "on": (True, _day_given),
        "at": (False, _text(40)),
        "changed_by": (False, _text(100)),
    },
    "assessment_score": {
        "period": (True, _period),
        "org": (True, _unit),
        "class_code": (False, _class),
        "scores": (False, _scores),
        "bonus": (False, _decimal_text),
        "veto": (False, _text(100)),
        "note": (False, _ANY_TEXT),
        "entered_by": (False, _text(100)),
        "changed_by": (False, _text(100)),
    },
    "correction": {
        "org": (True, _unit),
        "field": (True, _text(40)),
        "value": (False, _ANY_TEXT),
        "note": (False, _ANY_TEXT),
        "status": (False, _choice(CorrectionStatus.by_value(), CorrectionStatus.labels())),
        "changed_by": (False, _text(100)),
    },
}


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _is_uuid(value: Any) -> bool:
    """A uuid as ParkDesk writes one (lower-case, hyphenated)."""
    return isinstance(value, str) and _UUID.fullmatch(value) is not None


def stored_name_ok(stored: Any) -> bool:
    """A kept file's name as attachments.keep_file makes it: its sha256 and the
    original file's suffix, a bare name (never a path out of the folder)."""
    if not isinstance(stored, str) or len(stored) > 100:
        return False
    digest, dot, suffix = stored.partition(".")
    hex_ok = len(digest) == 64 and all(c in "0123456789abcdef" for c in digest)
    clean = not any(c in suffix for c in "./\\:\0") and suffix.isprintable()
    return hex_ok and (not dot or (0 < len(suffix) <= 20 and clean))


def _shown(value: Any) -> str:
    """A value as a message quotes it (never a whole nested structure)."""
    if isinstance(value, str):
        return value[:40] + ("…" if len(value) > 40 else "")
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "空"}[value]
    if isinstance(value, int | float):
        return str(value)[:40]
    return "列表" if isinstance(value, list) else "一组键值"


# -- one record -------------------------------------------------------------------

_ISSUE_FIELDS = {"note": "verify_note", "on": "verified_on"}  # check_move's names


def _flat(value: Any) -> bool:
    """A field's value as a record holds it: a scalar, or a list of texts or of pairs."""
    if value is None or isinstance(value, str | int | float | bool):
        return True
    return isinstance(value, list) and all(
        isinstance(x, str) or (isinstance(x, list) and all(isinstance(y, str) for y in x))
        for x in value
    )


def _change_issue(change: Any) -> str | None:
    """What is wrong with one change's envelope (kind, uuid, versions, base, data)."""
    if not isinstance(change, dict):
        return "应为一条记录（键值），这里是" + _shown(change)
    extra = sorted(map(str, set(change) - _CHANGE_KEYS))
    if extra:
        return f"有未知的项“{_shown(extra[0])}”"
    if change.get("entity") not in FIELDS:
        return f"“{_shown(change.get('entity'))}”不是可导入的记录种类"
    if not _is_uuid(change.get("uuid")):
        return "记录编号（uuid）不可用"
    if not (_version(change.get("row_version")) and _version(change.get("base_version"))):
        return "版本号不可用"
    deleted, base = change.get("deleted", False), change.get("base")
    if not isinstance(deleted, bool):
        return "删除标记应为是或否"
    if base is not None and not (
        isinstance(base, dict)
        and set(base) <= FIELDS[change["entity"]].keys()
        and all(_flat(v) for v in base.values())
    ):
        return "原记录（base）的内容不可用"
    if deleted and base is None:
        return "删除的记录缺少原记录（base）"
    if deleted:
        return "删除的记录不应带有内容（data）" if "data" in change else None
    return None if isinstance(change.get("data"), dict) else "缺少记录内容（data）"


def _field_issues(entity: str, data: dict[str, Any], scope: Scope) -> list[tuple[str, str]]:
    fields = FIELDS[entity]
    found = [(str(k), "不是这种记录的字段") for k in data if k not in fields]
    for key, (required, check) in fields.items():
        if key not in data:
            if required:
                found.append((key, "缺少这一项"))
            continue
        message = check(data[key], scope)
        if message:
            found.append((key, message))
    return found


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _domain_issues(entity: str, d: dict[str, Any], scope: Scope) -> list[FieldIssue]:
    """The form's and the import's own checks, on a record whose fields each passed."""
    if entity == "visit":
        instructors = [scope.instructors[u] for u in d.get("instructors", [])]
        draft = VisitDraft(
            scope.units[d["org"]],
            _day(d["visited_on"]),
            VisitKind(d["kind"]),
            instructors,
            d.get("content", ""),
            d.get("people_met", ""),
        )
        return check_visit(draft, date.today())
    if entity == "problem":
        units = [scope.units[u] for u in d["units"]]
        draft_p = ProblemDraft(
            d["text"],
            bool(d.get("common")),
            d.get("rectification", ""),
            d.get("responsible", ""),
            _day(d.get("deadline")),
            units,
        )
        status = ProblemStatus(d.get("status", "open"))
        raised = date.fromisoformat(d["raised_on"])
        on = _day(d.get("verified_on"))
        moved = check_move(status, d.get("verify_note", ""), on, raised, date.today())
        return check_problem(draft_p, raised) + moved
    if entity == "problem_event":  # its problem's raising day is the merge's to know
        to, on = ProblemStatus(d["to"]), date.fromisoformat(d["on"])
        return check_move(to, d.get("note", ""), on, date.min, date.today())
    if entity == "assessment_score":
        return _score_issues(d, scope)
    if not str(d["field"]).strip() or not (d.get("value", "").strip() or d.get("note", "").strip()):
        return [FieldIssue("value", "请写明要更正的项目和正确的内容", "required")]
    return []


def _score_issues(d: dict[str, Any], scope: Scope) -> list[FieldIssue]:
    # the grid's own check (services/assessment/assessments.py), against the period's scheme here
    from app.services.assessment.assessments import ScoreEntry, checked_scores

    scheme = scope.scheme(d["period"])
    assert scheme is not None  # _period passed
    scores = json.loads(d.get("scores") or "{}")
    known = {i.name for i in scheme.indicators}
    issues = [
        FieldIssue("scores", f"“{_shown(k)}”不是{scheme.name}的指标", "indicator_unknown")
        for k in scores
        if k not in known
    ]
    entry = ScoreEntry(scores, d.get("bonus", ""), d.get("veto", ""), d.get("note", ""))
    return issues + checked_scores(scheme, entry)[2]


def _check_record(where: str, change: dict[str, Any], scope: Scope, issues: _Issues) -> None:
    entity, data = change["entity"], change.get("data")
    if data is None:
        return
    found = _field_issues(entity, data, scope)
    for key, message in found:
        issues.add(where, f"{_field(key)}{message}")
    if found:
        return
    for issue in _domain_issues(entity, data, scope):
        key = _ISSUE_FIELDS.get(issue.field, issue.field)
        label = field_records.FIELD_LABELS.get(key, "")
        issues.add(where, f"{'“' + label + '”' if label else ''}{issue.message}")


# -- a package's records ----------------------------------------------------------


def load_changes(raw: bytes, name: str) -> list[Any]:
    """A return package's changes.json as JSON: a list, or PackageError."""
    try:
        # item by item: one json.loads over 5,000 changes held the GIL, and the window
        changes = json_pieces.loads(raw, depth=1)
    except RecursionError as exc:
        raise PackageError(f"“{name}”的改动清单嵌套过深，不是ParkDesk写出的内容，已拒绝") from exc
    except ValueError as exc:  # UnicodeDecodeError is one
        raise PackageError(f"“{name}”的改动清单不是可读的JSON") from exc
    if not isinstance(changes, list):
        raise PackageError(f"“{name}”的改动清单应为记录的列表，这里是{_shown(changes)}")
    return changes


def check_changes(changes: list[Any], scope: Scope, name: str) -> dict[str, str]:
    """Every change checked, in its shape, its values and its references; PackageError
    naming the first problems. Returns where each record is (uuid → "第n条（走访 …）")."""
    issues, seen, good = _Issues(name), set(), []
    for n, change in enumerate(changes, 1):
        d = change if isinstance(change, dict) else {}
        where = _where(n, d.get("entity"), d.get("uuid"))
        problem = _change_issue(change)
        if problem is None and (d["entity"], d["uuid"]) in seen:
            problem = "同一条记录出现了两次"
        if problem is not None:
            issues.add(where, problem)
            continue
        seen.add((d["entity"], d["uuid"]))
        good.append((where, d))
    # a problem may be raised on a visit the package brings, not on one it deletes
    visits = {c["uuid"]: "data" in c for _w, c in good if c["entity"] == "visit"}
    scope.visits = (scope.visits | {u for u, kept in visits.items() if kept}) - {
        u for u, kept in visits.items() if not kept
    }
    scope.problems |= {c["uuid"] for _w, c in good if c["entity"] == "problem" and "data" in c}
    for where, change in good:
        _check_record(where, change, scope, issues)
    _scores_twice(good, issues)
    issues.raise_any()
    return {c["uuid"]: where for where, c in good}


def _scores_twice(good: list[tuple[str, dict[str, Any]]], issues: _Issues) -> None:
    """One unit's scores in a period are one record: two would break the unique key."""
    seen = set()
    for where, c in good:
        data = c.get("data")
        if c["entity"] == "assessment_score" and isinstance(data, dict):
            key = (str(data.get("period")), str(data.get("org")))
            if key in seen:
                issues.add(where, "同一单位同一考核期的评分出现了两次")
            seen.add(key)


def return_scope(
    conn: sqlite3.Connection, manifest: dict[str, Any], name: str, named: dict[str, set[str]]
) -> Scope:
    """What a return package may touch here: the units of the field package it came
    from, as this database recorded them when it made that package; the instructors
    and visits here (or deleted here) of those it ``named``."""
    row = conn.execute(
        q.FIELD_PACKAGE_LEDGER_ROW,
        (str(manifest.get("field_package_id") or ""),),
    ).fetchone()
    instructor = str(manifest.get("instructor") or "")
    if row is not None and instructor != (row[0] or ""):
        raise PackageError(
            f"“{name}”写的指导员“{instructor}”与所依据的外业包"
            f"（为“{row[0] or '指定单位'}”制作）不符，未导入"
        )
    listed = json.loads(row[1] or "{}").get("units") if row is not None else None
    if row is None and not instructor:
        raise PackageError(
            f"“{name}”所依据的外业包不在本数据库的记录中（例如恢复了较早的备份），"
            "它又是为指定单位制作的，无法确认其中的记录属于哪些单位，未导入"
        )
    if row is None:  # its ledger row lost (a restore): the instructor's units, ever
        units = dict(conn.execute(q.INSTRUCTORS_UNITS, (instructor,)))
    elif listed is None:  # a field package made before the ledger listed its units
        units = dict(conn.execute(rq.uuid_ids_sql("organization")))
    else:  # a unit it listed that is gone was deleted here since
        units = dict.fromkeys(listed, GONE) | _here(conn, "organization", listed)
    if listed is None:
        units |= dict.fromkeys(
            _deleted_here(conn, "organization", named["units"] - set(units)), GONE
        )
    visits = set(_here(conn, "visit", named["visits"]))
    visits |= _deleted_here(conn, "visit", named["visits"] - visits)
    instructors = dict(conn.execute(rq.uuid_ids_sql("instructor")))
    gone = _deleted_here(conn, "instructor", named["instructors"] - set(instructors))
    problems = set(_here(conn, "problem", named["problems"]))
    problems |= _deleted_here(conn, "problem", named["problems"] - problems)
    return Scope(units, instructors | dict.fromkeys(gone, GONE), visits, conn, problems=problems)


def _here(conn: sqlite3.Connection, table: str, uuids: Iterable[str]) -> dict[str, int]:
    """Those of ``uuids`` this database has in ``table`` (uuid → id)."""
    return dict(
        conn.execute(
            rq.uuid_ids_of_sql(table),
            (json.dumps(sorted(uuids)),),
        )
    )


def _deleted_here(conn: sqlite3.Connection, entity: str, uuids: set[str]) -> set[str]:
    """Those of ``uuids`` this database had and deleted (its audit log, its tombstones):
    known, and theirs for the merge to keep out (units_gone), not a package's invention."""
    if not uuids:
        return set()
    found = conn.execute(
        q.DELETED_HERE,
        (entity, json.dumps(sorted(uuids))) * 2,
    )
    return {u for (u,) in found}


def _named(changes: list[Any]) -> dict[str, set[str]]:
    """The units and the visits the records of a package name (texts only: the rest is
    refused by the checks)."""
    named: dict[str, set[str]] = {
        "units": set(),
        "visits": set(),
        "instructors": set(),
        "problems": set(),
    }
    for change in changes:
        data = change.get("data") if isinstance(change, dict) else None
        if not isinstance(data, dict):
            continue
        units = data.get("units") if isinstance(data.get("units"), list) else []
        named["units"] |= {u for u in (data.get("org"), *units) if isinstance(u, str)}
        people = data.get("instructors") if isinstance(data.get("instructors"), list) else []
        named["instructors"] |= {u for u in people if isinstance(u, str)}
        if isinstance(data.get("visit"), str):
            named["visits"].add(data["visit"])
        if isinstance(data.get("problem"), str):
            named["problems"].add(data["problem"])
    return named


def checked_changes(
    conn: sqlite3.Connection, manifest: dict[str, Any], raw: bytes, name: str
) -> list[dict[str, Any]]:
    """A return package's changes, each checked here before anything is written: its
    shape and values, what it refers to, and that every record it brings or changes
    here belongs to the units of its field package. PackageError otherwise."""
    changes = load_changes(raw, name)
    scope = return_scope(conn, manifest, name, _named(changes))
    where = check_changes(changes, scope, name)
    issues = _Issues(name)
    # a step of a problem's history belongs to the units of its problem
    steps = {
        c["data"]["problem"]: c["uuid"]
        for c in changes
        if c["entity"] == "problem_event" and "data" in c
    }
    for entity in FIELDS.keys() - {"problem_event"}:
        uuids = [c["uuid"] for c in changes if c["entity"] == entity]
        uuids += list(steps) if entity == "problem" else []
        found = field_records.read(
            conn, entity, rq.uuids_in_json_where(entity), (json.dumps(uuids),)
        )
        for record in found if uuids else ():
            units = record.data.get("units") or [record.data.get("org")]
            if not set(units) & scope.units.keys():
                issues.add(
                    where[record.uuid if record.uuid in where else steps[record.uuid]],
                    "本数据库中的这条记录不属于外业包的单位，不能由它修改或删除",
                )
    _attachments_named(changes, manifest["files"], where, issues)
    issues.raise_any()
    return changes


def _attachments_named(
    changes: list[dict[str, Any]], files: dict[str, str], where: dict[str, str], issues: _Issues
) -> None:
    """Each photo a record names and the package carries is the file its name says:
    the package's sha256 of it (checked against its bytes on opening) is its name."""
    for change in changes:
        data = change.get("data") if change["entity"] == "visit" else None
        for _name, stored in (data or {}).get("attachments", []):
            digest = files.get(f"attachments/{stored}")
            if digest is not None and digest != stored.partition(".")[0]:
                issues.add(where[change["uuid"]], f"附件{stored[:12]}…的内容与其名称不符")


def check_field_database(conn: sqlite3.Connection, name: str) -> None:
    """The field database a field package holds: its description, and every record an
    instructor will work on, checked as a return package's are (against itself)."""
    row = conn.execute(fq.SETTING_VALUE, (FIELD_SETTING,)).fetchone()
    try:
        info = json.loads(row[0]) if row is not None else None
    except (ValueError, RecursionError, TypeError):
        info = None
    texts = ("package_id", "park_id", "park_name", "instructor", "made_at")
    if not (
        isinstance(info, dict)
        and all(isinstance(info.get(k), str) for k in texts)
        and isinstance(info.get("office_id", ""), str)
        and _version(info.get("units"))
    ):
        raise PackageError(f"“{name}”中的数据库不是外业数据库（缺少可读的外业包说明）")
    scope = Scope(
        dict(conn.execute(rq.uuid_ids_sql("organization"))),
        dict(conn.execute(rq.uuid_ids_sql("instructor"))),
        {u for (u,) in conn.execute(rq.uuids_sql("visit"))},
        conn,
        problems={u for (u,) in conn.execute(rq.uuids_sql("problem"))},
    )
    records = field_records.read_all(conn).values()
    changes = [
        {"entity": r.entity, "uuid": r.uuid, "row_version": r.row_version, "base_version": 0}
        | {"data": r.data}
        for r in records
    ]
    check_changes(changes, scope, name)
