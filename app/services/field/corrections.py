"""Corrections to the registry suggested in the field: the field database's registry is
read-only (db/field_guard.py), so an instructor who finds a wrong phone number or a
new secretary writes a correction; it travels back in the return package and the
clerk adopts it — the unit's field set to the value proposed, checked as the form checks
it, in one change with the correction's answer (撤销 takes both back) — or dismisses it.
The clerk sees the value the registry holds now beside the one proposed, and whether the
office changed that field after the correction was written."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from app.db.database import Database
from app.db.models import Correction, Organization
from app.db.queries import field as q
from app.domain.org_fields import ROW_FIELDS
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
    written_at: str = ""
    key: str | None = None  # the unit's field it names (None: not one a correction can set)
    current: str = ""  # the value the registry holds now, as the form shows it
    meanwhile: str = ""  # the office's change of that field since it was written, said

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


# a correction sets one of the unit's own fields; a link (party organization, instructor,
# cluster) or a field set by its own procedure (class, status) is edited where it lives
SETTABLE = frozenset(ROW_FIELDS) - {"class_code", "status", "status_date", "in_base"}


def field_key(field: str) -> str | None:
    """The unit's field a correction names (its label or another sheet's name for it)."""
    from app.exchange.fields import match_header

    key = match_header(field)
    return key if key in SETTABLE else None


def shown(key: str, value: Any) -> str:
    """A stored value of the unit's field ``key`` as the form shows it."""
    from app.domain.org_fields import BY_KEY, VOCABULARY, ValueKind

    if value is None or value == "":
        return ""
    kind = BY_KEY[key].kind
    if kind is ValueKind.YES_NO:
        return "是" if value else "否"
    enum = VOCABULARY.get(kind)
    if enum is not None and value in enum._value2member_map_:
        return enum(value).label
    return str(value)


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
    """Open ones first, then the newest; each open one with the registry's value now and
    the office's change of that field since the correction was written."""
    from app.services.files.audit import history

    with db.read_connection() as conn:
        rows = conn.execute(q.CORRECTIONS).fetchall()
        out = []
        for *fixed, written in rows:
            row = CorrectionRow(*fixed, written_at=str(written))
            key = field_key(row.field)
            if key is not None:
                current = conn.execute(q.ORGANIZATION_FIELD.format(key=key), (row.org_id,))
                value = current.fetchone()
                row = replace(row, key=key, current=shown(key, value[0] if value else None))
            out.append(row)
    return [_meanwhile(db, r, history) if r.key and r.status == "open" else r for r in out]


def _meanwhile(db: Database, row: CorrectionRow, history: Any) -> CorrectionRow:
    """The office's latest change of the field after the correction was written."""
    written = datetime.fromisoformat(row.written_at)
    for item in history(db, "organization", row.org_id):
        if item.undone or item.action != "update" or item.at <= written:
            continue
        for key, _old, new in item.changes:
            if key == row.key:
                when = str(item.at)[:16]
                said = shown(key, new) or "（空）"
                return replace(row, meanwhile=f"办公室已于{when}改为“{said}”")
    return row


@dataclass(frozen=True, slots=True)
class Adopted:
    applied: bool  # the unit's field was set (False: a field edited where it lives)
    message: str


def adopt(db: Database, correction_id: int, today: date | None = None) -> Adopted:
    """采纳: the unit's field set to the value proposed (read as a cell of that column is
    read, checked as the form checks it) and the correction answered, in one change. A
    correction naming no field of the unit's own is answered and the clerk told where."""
    from app.exchange.fields import BY_KEY
    from app.exchange.normalize import NORMALIZERS, CellProblem
    from app.services.registry.organizations import draft_in, update_in

    with db.session() as s:
        row = get_record(s, Correction, correction_id)
        if row.status != "open":
            raise ValidationError([FieldIssue("status", "这条更正已处理过", "settled")])
        org = get_record(s, Organization, row.organization_id)
        key = field_key(row.field)
        change = Change(s, f"采纳更正：“{org.name}”的{row.field}")
        _answer(row, change, accepted=True)
        if key is None:
            return Adopted(False, f"已采纳。“{row.field}”请在组织台账中修改：{row.value}")
        kind = BY_KEY[key].kind
        try:
            value = NORMALIZERS[kind](row.value) if row.value.strip() else None
        except CellProblem as problem:
            raise ValidationError([FieldIssue(key, problem.message, problem.reason)]) from None
        draft = draft_in(org)
        if key == "kind":
            draft.kind, draft.social_subtype = value  # type: ignore[misc]
        else:
            setattr(
                draft, key, "" if value is None and isinstance(getattr(draft, key), str) else value
            )
        update_in(s, change, org, draft, today)
        return Adopted(True, f"已采纳：“{org.name}”的{row.field}已改为“{row.value}”")


def settle(db: Database, correction_id: int, accepted: bool) -> None:
    """The clerk's answer alone (采纳 with the unit changed is ``adopt``)."""
    with db.session() as s:
        row = get_record(s, Correction, correction_id)
        change = Change(s, f"{'采纳' if accepted else '不采纳'}更正：{row.field}")
        _answer(row, change, accepted)


def _answer(row: Correction, change: Change, accepted: bool) -> None:
    before = snapshot(row)
    row.status = "accepted" if accepted else "dismissed"
    row.row_version += 1
    row.changed_by = change.actor
    change.updated(row, before)
