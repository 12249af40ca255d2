"""Park-wide settings: the park and committee names, first-run state."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.database import Database
from app.db.models import Cluster, Setting
from app.domain.validation import FieldIssue, ValidationError


@dataclass(frozen=True, slots=True)
class ParkInfo:
    park_name: str
    committee_name: str

    @property
    def configured(self) -> bool:
        return bool(self.park_name)


def get_park(db: Database) -> ParkInfo:
    with db.reading() as s:
        values = dict(s.execute(select(Setting.key, Setting.value)).all())
    return ParkInfo(values.get("park_name", ""), values.get("committee_name", ""))


def set_park(db: Database, park_name: str, committee_name: str) -> None:
    park_name, committee_name = park_name.strip(), committee_name.strip()
    if not park_name:
        raise ValidationError([FieldIssue("park_name", "园区名称不能为空", "name_missing")])
    with db.session() as s:
        write_park(s, park_name, committee_name)


def write_park(s: Session, park_name: str, committee_name: str) -> None:
    """Inside an open transaction (the demo park writes its names with its rows)."""
    for key, value in (("park_name", park_name), ("committee_name", committee_name)):
        row = s.get(Setting, key)
        if row is None:
            s.add(Setting(key=key, value=value))
        else:
            row.value = value


def cluster_choices(db: Database) -> list[tuple[int, str]]:
    with db.reading() as s:
        return [
            (r.id, r.name)
            for r in s.execute(select(Cluster.id, Cluster.name).order_by(Cluster.name))
        ]
