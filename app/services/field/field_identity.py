"""Whether a database is a field database, and what it says of itself (for whom, since
when): the window's banner and the registry page ask this on the first screen, so it
reads with sqlite3 alone and imports nothing heavy (start-up time; bench/)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from app.db.database import Database
from app.db.queries import field as q

FIELD_SETTING = "field_package"  # in a field database: for whom, from where, since when


@dataclass(frozen=True, slots=True)
class FieldInfo:
    """What a field database says of itself (the window's banner)."""

    package_id: str
    park_id: str
    park_name: str
    instructor: str
    made_at: str
    units: int  # the package's own units
    shown: int = 0  # the units the field database holds: those and their pairing partners
    office_id: str = ""  # the park's office database (lineage.py); park_id unless re-made


def field_info(db: Database) -> FieldInfo | None:
    """The field database's own description, or None for the clerk's database."""
    with db.read_connection() as conn:
        row = conn.execute(q.SETTING_VALUE, (FIELD_SETTING,)).fetchone()
        if row is None:
            return None
        shown = conn.execute(q.ORGANIZATION_COUNT).fetchone()[0]
    d = json.loads(row[0])
    return FieldInfo(
        d["package_id"],
        d["park_id"],
        d["park_name"],
        d["instructor"],
        d["made_at"],
        d["units"],
        shown,
        d.get("office_id") or d["park_id"],
    )


def refuse_field(db: Database, what: str) -> None:
    """For what only the park's office makes from its whole registry (the quarterly
    submission, the yearly workbook): a field database holds the package's units and
    the office's park row, so its submission named the park, and a county replaced the
    park's quarter with the instructor's 18 units."""
    info = field_info(db)
    if info is not None:
        raise ValueError(
            f"这是{info.instructor or '指导员'}的外业数据库，只含外业包的{info.shown}个单位，"
            f"不能导出{info.park_name}的{what}：请在园区办公室的数据库中导出"
        )
