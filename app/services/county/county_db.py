"""Making a county database, and telling a county database from a park's."""

from __future__ import annotations

import re

from app.db.database import Database
from app.db.queries.park import OWN_PARK_SQL
from app.domain.validation import FieldIssue, ValidationError
from app.domain.vocabulary import ParkLevel

EMPTY = "这个数据库是空的，还不是区县汇总库：请先用 county init --name 区县名称 建立汇总库"
NOT_A_COUNTY = (
    "这是园区数据库，不是区县汇总库：请用 county init --name 区县名称 在新的数据库文件中建立汇总库"
)
A_COUNTY = "这是区县汇总库，只汇总各园区的报送：园区台账请在园区自己的数据库中维护"


NAME_MAX = 200  # park.name's length
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def name_problem(name: str) -> str | None:
    """What makes ``name`` unfit for a park or county row (its lists, its workbooks)."""
    if _CONTROL.search(name):
        return "含有控制字符（换行、制表符等）"
    if len(name) > NAME_MAX:
        return f"有{len(name)}个字，超过{NAME_MAX}个字"
    return None


def is_county(db: Database) -> bool:
    with db.read_connection() as conn:
        row = conn.execute(OWN_PARK_SQL).fetchone()
    return bool(row) and row[2] == ParkLevel.COUNTY.value


def require_county(db: Database) -> None:
    if not is_county(db):
        raise ValueError(EMPTY if _empty(db) else NOT_A_COUNTY)


def _empty(db: Database) -> bool:
    """No park named and no unit: a database just made, neither a park's nor a county's."""
    from app.db.queries.county import parks_and_units

    with db.session() as s:
        return not any(s.execute(parks_and_units()).one())


def refuse_county(db: Database) -> None:
    """For what only a park database does (its registry import, the demo park)."""
    if is_county(db):
        raise ValueError(A_COUNTY)


def init_county(db: Database, name: str, reporting_unit: str = "") -> None:
    """Make this (empty) database the county ``name``'s. A park database with a
    registry, or one already a county's, is refused."""
    from sqlalchemy import func, select

    from app.db.models import Organization, Park

    name = name.strip()
    if not name:
        raise ValidationError([FieldIssue("name", "区县名称不能为空", "name_missing")])
    for field, label, value in (("name", "区县名称", name), ("unit", "汇总单位", reporting_unit)):
        problem = name_problem(value.strip())
        if problem:
            raise ValidationError([FieldIssue(field, f"{label}{problem}", "name_invalid")])
    with db.session() as s:
        own = s.scalars(select(Park).order_by(Park.id).limit(1)).first()
        if own is not None and own.level == ParkLevel.COUNTY.value:
            raise ValueError(f"这已是“{own.name}”的区县汇总库")
        named = own is not None and bool(own.name)
        if named or s.scalar(select(func.count()).select_from(Organization)):
            park = own.name if own is not None and own.name else "一个园区"
            raise ValueError(
                f"这是“{park}”的园区数据库，不能改作区县汇总库：请为区县另建一个数据库文件"
            )
        if own is None:
            own = Park()
            s.add(own)
        # a new database's unnamed park row (migration 0025) becomes the county's
        own.name, own.reporting_unit = name, reporting_unit.strip()
        own.level = ParkLevel.COUNTY.value
