"""Instructor suggestions for the units nobody reaches, and accepting them: the
clerk takes all or some, and only then are assignments made (one undoable change)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from app.db import rule_sql
from app.db.bulk import new_uuids
from app.db.database import Database
from app.db.models import Assignment
from app.domain.assignment_plan import Helper, Suggestion, Unit, plan_assignments
from app.domain.validation import FieldIssue, ValidationError
from app.domain.vocabulary import AssignmentRole
from app.services.files.audit import Change
from app.services.workbooks.bulk_writes import insert_logged, next_id
from app.services.workbooks.import_apply import ASSIGNMENT_COLUMNS

# the units the worklist calls 党的工作未覆盖 (the same conditions, from rule_sql)
_UNREACHED = f"""
SELECT o.id, o.uscc, o.name, o.zone, o.building, o.class_code FROM organization o
WHERE +o.in_base = 1 AND o.formation = 'none' AND NOT {rule_sql.REACHED}
ORDER BY o.zone, o.building, o.name
"""
# on-duty instructors, and the units each looks after today
_HELPERS = "SELECT id, name, capacity FROM instructor WHERE active = 1 ORDER BY name"
_LOOKED_AFTER = f"""
SELECT a.instructor_id, o.zone, o.building, o.class_code
FROM assignment a JOIN instructor i ON i.id = a.instructor_id
JOIN organization o ON o.id = a.organization_id
WHERE {rule_sql.LOOKED_AFTER}
"""


def _helpers(conn: object, params: dict[str, str]) -> list[Helper]:
    helpers = {
        hid: Helper(hid, name, 0, capacity)
        for hid, name, capacity in conn.execute(_HELPERS)  # type: ignore[attr-defined]
    }
    for hid, zone, building, code in conn.execute(_LOOKED_AFTER, params):  # type: ignore[attr-defined]
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
        units = [Unit(*row) for row in conn.execute(_UNREACHED, params)]
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
