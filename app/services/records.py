"""What every record's use case does first: find the record the window or the
command line names, or say in Chinese that it is not there (deleted meanwhile)."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from app.db.models import Instructor, Organization, PartyOrganization

Record = TypeVar("Record", Organization, PartyOrganization, Instructor)

_WHAT = {Organization: "组织", PartyOrganization: "党组织", Instructor: "指导员"}


def get_record(s: Session, model: type[Record], record_id: int) -> Record:
    """The record, or LookupError naming what is missing."""
    record = s.get(model, record_id)
    if record is None:
        raise LookupError(f"{_WHAT[model]}不存在（编号{record_id}）")
    return record
