"""Corrections to the registry suggested in the field: the field database's registry is
read-only (db/field_guard.py), so an instructor who finds a wrong phone number or a
new secretary writes a correction; it travels back in the return package and the
clerk accepts it (and edits the unit) or dismisses it."""

from __future__ import annotations

from dataclasses import dataclass

from app.db.database import Database
from app.db.models import Correction, Organization
from app.db.queries import field as q
from app.domain.validation import FieldIssue, ValidationError
from app.domain.vocabulary import CorrectionStatus
from app.services.files.audit import Change, snapshot
from app.services.registry.records import get_record

STATUS_LABELS = {s.value: s.label for s in CorrectionStatus}


@dataclass(frozen=True, slots=True)
class CorrectionRow:
    id: int
    uuid: str
    org_id: int
    org_name: str
    field: str
    value: str
    note: str
    status: str
    by: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


def suggest(db: Database, org_id: int, field: str, value: str, note: str = "") -> int:
    """A correction to one field of a unit, as the instructor writes it."""
    if not field.strip() or not (value.strip() or note.strip()):
        raise ValidationError([FieldIssue("value", "请写明要更正的项目和正确的内容", "required")])
    with db.session() as s:
        org = get_record(s, Organization, org_id)
        change = Change(s, f"提出更正：“{org.name}”的{field.strip()}")
        row = Correction(
            organization_id=org.id,
            field=field.strip(),
            value=value.strip(),
            note=note.strip(),
            changed_by=change.actor,
        )
        s.add(row)
        change.created(row)
        return row.id


def list_corrections(db: Database) -> list[CorrectionRow]:
    """Open ones first, then the newest."""
    with db.read_connection() as conn:
        rows = conn.execute(q.CORRECTIONS).fetchall()
    return [CorrectionRow(*r) for r in rows]


def settle(db: Database, correction_id: int, accepted: bool) -> None:
    """The clerk's answer (the unit itself is edited in the registry, as any edit)."""
    with db.session() as s:
        row = get_record(s, Correction, correction_id)
        before = snapshot(row)
        change = Change(s, f"{'采纳' if accepted else '不采纳'}更正：{row.field}")
        row.status = "accepted" if accepted else "dismissed"
        row.row_version += 1
        row.changed_by = change.actor
        change.updated(row, before)
