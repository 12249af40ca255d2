"""Instructor suggestions for the units nobody reaches, and accepting them: the
clerk takes all or some, and only then are assignments made (one undoable change)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from app.db.bulk import new_uuids
from app.db.database import Database
from app.db.models import Assignment
from app.db.queries import grouping as q
from app.domain.assignment_plan import Helper, Suggestion, Unit, plan_assignments
from app.domain.validation import FieldIssue, ValidationError
from app.domain.vocabulary import AssignmentRole
from app.services.files.audit import Change
from app.services.workbooks.bulk_writes import insert_logged, next_id
from app.services.workbooks.import_apply import ASSIGNMENT_COLUMNS


def _helpers(conn: object, params: dict[str, str]) -> list[Helper]:
    helpers = {
        hid: Helper(hid, name, 0, capacity)
        for hid, name, capacity in conn.execute(q.HELPERS_SQL)  # type: ignore[attr-defined]
    }
    for hid, zone, building, code in conn.execute(q.LOOKED_AFTER_SQL, params):  # type: ignore[attr-defined]
        h = helpers[hid]
        h.load += 1
        h.classes[code or ""] += 1
        if zone:
            h.zones[zone] += 1
        if building:
            h.buildings[building] += 1
    return list(helpers.values())


def suggest_assignments(db: Database, today: date | None = None) -> list[Suggestion]:
    """A suggestion for every unit in the base without work coverage (the instructor
    None where nobody has room left), grouped by zone and building."""
    params = {"today": (today or date.today()).isoformat()}
    with db.read_connection() as conn:
        units = [Unit(*row) for row in conn.execute(q.UNREACHED_SQL, params)]
        helpers = _helpers(conn, params)
    return plan_assignments(units, helpers)


def apply_suggestions(
    db: Database, picks: Sequence[tuple[int, int]], today: date | None = None
) -> int:
    """Assign each (organization id, instructor id) from today, as one undoable change;
    refused, with nothing written, if it would put anyone over their capacity
    (the registry may have changed since the suggestions were made)."""
    today = today or date.today()
    params = {"today": today.isoformat()}
    adding = Counter(inst for _org, inst in picks)
    with db.session() as s:
        conn = s.connection().connection.driver_connection
        over = [
            FieldIssue(
                "instructor",
                f"{h.name}将联系{h.load + adding[h.id]}个单位，超过上限{h.capacity}个",
                "over_capacity",
            )
            for h in _helpers(conn, params)
            if adding[h.id] and h.capacity is not None and h.load + adding[h.id] > h.capacity
        ]
        if over:
            raise ValidationError(over)
        change = Change(s, f"按推荐安排指导员联系{len(picks)}个单位")
        first, uuids = next_id(s, Assignment.__table__), new_uuids()
        rows = [
            (
                first + n,
                next(uuids),
                inst,
                org,
                AssignmentRole.GUIDE.value,
                params["today"],
                None,
                "",
            )
            for n, (org, inst) in enumerate(picks)
        ]
        insert_logged(s, change, Assignment.__table__, [*ASSIGNMENT_COLUMNS], rows)
    return len(rows)
