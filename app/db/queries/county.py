"""The county's queries, written in SQLAlchemy Core over the models' tables: its parks,
their submissions in force, the figures counted from the submitted units (by the rules'
expressions, as a park's own figures are), the duplicates across parks. SQLAlchemy
compiles each once per dialect and keeps it in its statement cache: the same statements
run on SQLite and on a PostgreSQL server (issue 26). Nothing here is SQLite's alone.

The services run them on a Core connection (``Database.session()``); a county's reads
return at most a few thousand rows, where Core's row handling costs nothing worth a
bare cursor (bench/bench_county.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, case, func, select

from app.db.models import CountySubmission, CountyUnit, Park
from app.db.rule_sql import should_set_up_of, three_plus_of
from app.domain.vocabulary import Formation, ParkLevel

park = Park.__table__
sub = CountySubmission.__table__
unit = CountyUnit.__table__

# a park's submission of a quarter in force: the newest, not replaced
IN_FORCE = sub.c.replaced_by.is_(None)


def _count_if(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


def parks() -> Select[Any]:
    return (
        select(park.c.id, park.c.name, park.c.reporting_unit, park.c.source_uuid)
        .where(park.c.level == ParkLevel.PARK.value)
        .order_by(park.c.name)
    )


def submissions() -> Select[Any]:
    """Every submission in force, by park and quarter (oldest first)."""
    return (
        select(
            sub.c.id,
            sub.c.park_id,
            sub.c.quarter,
            sub.c.source,
            sub.c.file_name,
            sub.c.imported_at,
            sub.c.exported_at,
            sub.c.units,
            sub.c.assessment_period,
            sub.c.excellent,
        )
        .where(IN_FORCE)
        .order_by(sub.c.park_id, sub.c.quarter)
    )


def figures(ids: list[int]) -> Select[Any]:
    """The figures of the submissions ``ids`` by submission, kind and formation; the last
    column: units without a party organization that an on-duty instructor reaches (the
    park's own work coverage rule)."""
    o = unit.c
    return (
        select(
            o.submission_id,
            o.kind,
            o.formation,
            func.count(),
            func.sum(func.coalesce(o.formal_members, 0)),
            func.sum(func.coalesce(o.probationary_members, 0)),
            func.sum(func.coalesce(o.activists, 0)),
            _count_if(o.investor_is_member.is_(True)),
            _count_if(three_plus_of(o.formal_members)),
            _count_if(should_set_up_of(o.formal_members, o.formation)),
            _count_if(and_(o.formation == Formation.NONE.value, o.looked_after.is_(True))),
        )
        .where(o.in_base.is_(True), o.submission_id.in_(ids))
        .group_by(o.submission_id, o.kind, o.formation)
    )


def classes(ids: list[int]) -> Select[Any]:
    o = unit.c
    return (
        select(o.submission_id, o.class_code, o.kind, func.count())
        .where(o.in_base.is_(True), o.submission_id.in_(ids))
        .group_by(o.submission_id, o.class_code, o.kind)
    )


def party_orgs(ids: list[int]) -> Select[Any]:
    """Party organizations (not units) by formation: a joint one once, by its name."""
    o = unit.c
    return (
        select(o.submission_id, o.formation, func.count(o.party_org.distinct()))
        .where(
            o.formation != Formation.NONE.value,
            o.party_org != "",
            o.submission_id.in_(ids),
        )
        .group_by(o.submission_id, o.formation)
    )


def units(ids: list[int]) -> Select[Any]:
    """The units of the submissions ``ids`` with their park, in name order."""
    o = unit.c
    return (
        select(
            o.id,
            park.c.name,
            sub.c.quarter,
            o.name,
            o.uscc,
            o.kind,
            o.formation,
            o.party_org,
            o.in_base,
            o.formal_members,
            o.probationary_members,
            o.activists,
            o.looked_after,
            o.class_code,
            o.sheet_row,
        )
        .join(sub, sub.c.id == o.submission_id)
        .join(park, park.c.id == sub.c.park_id)
        .where(o.submission_id.in_(ids))
        .order_by(o.name, park.c.name)
    )


def _across_parks(ids: list[int], key: Any, other: Any, different_other: bool) -> Select[Any]:
    """Units of ``ids`` whose ``key`` is reported by two or more parks (and, with
    ``different_other``, with different ``other`` values): key, other, park."""
    u = unit.alias("u")
    t = sub.alias("t")
    having = func.count(t.c.park_id.distinct()) > 1
    if different_other:
        having = and_(having, func.count(u.c[other.key].distinct()) > 1)
    repeated = (
        select(u.c[key.key])
        .join(t, t.c.id == u.c.submission_id)
        .where(u.c.submission_id.in_(ids), u.c.uscc != "")
        .group_by(u.c[key.key])
        .having(having)
    )
    return (
        select(key, other, park.c.name)
        .join(sub, sub.c.id == unit.c.submission_id)
        .join(park, park.c.id == sub.c.park_id)
        .where(unit.c.submission_id.in_(ids), unit.c.uscc != "", key.in_(repeated))
        .order_by(key, park.c.name)
    )


def same_code(ids: list[int]) -> Select[Any]:
    """One credit code reported by units of two or more parks: code, name, park."""
    return _across_parks(ids, unit.c.uscc, unit.c.name, False)


def same_name(ids: list[int]) -> Select[Any]:
    """One name with different credit codes in two or more parks: name, code, park."""
    return _across_parks(ids, unit.c.name, unit.c.uscc, True)


def unit_facts(submission_id: int) -> Select[Any]:
    """A submission's units as a diff compares them."""
    o = unit.c
    return select(
        o.uscc,
        o.name,
        o.kind,
        o.formation,
        o.party_org,
        o.in_base,
        o.formal_members,
        o.probationary_members,
        o.activists,
        o.investor_is_member,
        o.looked_after,
        o.class_code,
    ).where(o.submission_id == submission_id)


def park_by_source(source_uuid: str) -> Select[Any]:
    return select(park.c.id, park.c.name).where(park.c.source_uuid == source_uuid)


def park_by_name(name: str) -> Select[Any]:
    return select(park.c.id, park.c.source_uuid, park.c.level).where(park.c.name == name)


def parks_and_units() -> Select[Any]:
    """Is this database empty (neither a park's nor a county's)? Its parks, its units."""
    from app.db.models import Organization

    org = Organization.__table__
    return select(
        # a new database's park row is unnamed until its first run (migration 0025)
        select(func.count()).select_from(park).where(park.c.name != "").scalar_subquery(),
        select(func.count()).select_from(org).scalar_subquery(),
    )


def park_names() -> Select[Any]:
    """Every park and the county's own row: names are compared by park_key (spaces, widths)."""
    return select(park.c.id, park.c.source_uuid, park.c.level, park.c.name)


def same_file_elsewhere(file_hash: str, park_id: int) -> Select[Any]:
    """The file in force as another park's submission (park_id: the park it matched, or -1)."""
    return (
        select(park.c.name, sub.c.quarter)
        .join(park, park.c.id == sub.c.park_id)
        .where(sub.c.file_hash == file_hash, sub.c.park_id != park_id, IN_FORCE)
    )


def latest_quarter(park_id: int) -> Select[Any]:
    """A park's newest quarter in force (codes sort as quarters: 2026Q4 > 2026Q3)."""
    return select(func.max(sub.c.quarter)).where(sub.c.park_id == park_id, IN_FORCE)


def current_submission(park_id: int, quarter: str) -> Select[Any]:
    """The submission of a park's quarter in force."""
    return select(sub.c.id, sub.c.file_hash, sub.c.imported_at).where(
        sub.c.park_id == park_id, sub.c.quarter == quarter, IN_FORCE
    )


# the units' columns in the order the import writes them (a bulk executemany)
UNIT_COLUMNS = tuple(c.name for c in unit.columns)
