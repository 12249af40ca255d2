"""Park-wide settings: the park and committee names, first-run state, rounding, the
worklist's optional rules."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.db.database import Database
from app.db.queries import registry as q
from app.db.queries.park import OWN_PARK_SQL
from app.domain.rates import Rounding
from app.domain.validation import FieldIssue, ValidationError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass(frozen=True, slots=True)
class ParkInfo:
    park_name: str
    committee_name: str
    county: bool = False  # a county database: the name is the county's
    uuid: str = ""  # the park's identity: its quarterly workbooks carry it to the county

    @property
    def configured(self) -> bool:
        return bool(self.park_name)


def get_park(db: Database) -> ParkInfo:
    # plain sqlite3: read at start-up before SQLAlchemy is loaded
    with db.read_connection() as conn:
        row = conn.execute(OWN_PARK_SQL).fetchone()
    return ParkInfo(row[0], row[1], row[2] == "county", row[3]) if row else ParkInfo("", "")


def set_park(db: Database, park_name: str, committee_name: str) -> None:
    park_name, committee_name = park_name.strip(), committee_name.strip()
    if not park_name:
        raise ValidationError([FieldIssue("park_name", "园区名称不能为空", "name_missing")])
    with db.session() as s:
        write_park(s, park_name, committee_name)


def write_park(s: Session, park_name: str, committee_name: str) -> None:
    """Inside an open transaction (the demo park writes its names with its rows). The
    database's own row is renamed, never a second one made."""
    from sqlalchemy import select

    from app.db.models import Park

    own = s.scalars(
        select(Park).order_by((Park.level == "county").desc(), Park.id).limit(1)
    ).first()
    if own is None:
        s.add(Park(name=park_name, reporting_unit=committee_name, level="park"))
    else:
        own.name, own.reporting_unit = park_name, committee_name


def cluster_choices(db: Database) -> list[tuple[int, str]]:
    with db.read_connection() as conn:
        return list(conn.execute(q.CLUSTER_CHOICES_SQL))


def get_rounding(db: Database) -> Rounding:
    """How percentages are rounded for this park (half up unless set to cut off)."""
    with db.read_connection() as conn:
        row = conn.execute(q.SETTING_SQL, ("rounding",)).fetchone()
    return Rounding(row[0]) if row and row[0] in Rounding._value2member_map_ else Rounding.HALF_UP


def set_rounding(db: Database, rounding: Rounding) -> None:
    write_setting(db, "rounding", rounding.value)


def read_setting(db: Database, key: str) -> str | None:
    with db.read_connection() as conn:
        row = conn.execute(q.SETTING_SQL, (key,)).fetchone()
    return row[0] if row else None


def write_setting(db: Database, key: str, value: str) -> None:
    from app.db.models import Setting

    with db.session() as s:
        row = s.get(Setting, key)
        if row is None:
            s.add(Setting(key=key, value=value))
        else:
            row.value = value


# the worklist rule "C and D units without a pairing" (on unless the park turns it off)
UNPAIRED_RULE = "worklist_unpaired"


def unpaired_rule_on(conn: sqlite3.Connection) -> bool:
    """Read within the worklist's own connection (one snapshot for all its rules)."""
    row = conn.execute(q.SETTING_SQL, (UNPAIRED_RULE,)).fetchone()
    return row is None or row[0] != "0"


def get_unpaired_rule(db: Database) -> bool:
    with db.read_connection() as conn:
        return unpaired_rule_on(conn)


def set_unpaired_rule(db: Database, on: bool) -> None:
    write_setting(db, UNPAIRED_RULE, "1" if on else "0")


# the worklist rule "units not visited for longer than N days" (0 turns it off)
NOT_VISITED_SETTING = "worklist_not_visited_days"


def not_visited_days(conn: sqlite3.Connection) -> int:
    from app.domain.visits import NOT_VISITED_DAYS

    row = conn.execute(q.SETTING_SQL, (NOT_VISITED_SETTING,)).fetchone()
    return int(row[0]) if row and row[0].isdigit() else NOT_VISITED_DAYS


def get_not_visited_days(db: Database) -> int:
    with db.read_connection() as conn:
        return not_visited_days(conn)


def set_not_visited_days(db: Database, days: int) -> None:
    write_setting(db, NOT_VISITED_SETTING, str(max(0, days)))
