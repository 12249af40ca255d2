"""Read the registry tables for the pages and the command line, fast.

Plain sqlite3 (no SQLAlchemy): this is what the first screen shows, and it
runs before SQLAlchemy is imported; SQLAlchemy's row handling would also cost
about 3× a bare SELECT over 50,000 rows (bench/bench_registry.py).
"""

from __future__ import annotations

import heapq
import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.db.database import Database
from app.db.queries import registry as q
from app.domain.rules import Warning_, organization_warnings, party_org_warnings
from app.domain.sorting import natural_key
from app.domain.vocabulary import Formation, OrgKind, OrgStatus, PartyOrgLevel

_FORMATIONS = Formation.by_value()
_KINDS = OrgKind.by_value()


@dataclass(slots=True)
class OrgRow:
    """One line of the registry table (plain data for the window and the CLI)."""

    id: int
    uuid: str
    uscc: str
    name: str
    kind: OrgKind
    industry: str
    employees: int | None
    formal_members: int | None
    probationary_members: int | None
    activists: int | None
    formation: Formation
    party_org_id: int | None
    party_org: str
    in_base: bool
    status: OrgStatus
    status_date: date | None
    class_code: str | None
    cluster: str
    zone: str
    contact: str
    phone: str
    address: str
    instructors: str
    warnings: list[Warning_]
    search_text: str
    # the row's place in name order (numbers by value): sorting by name on the GUI
    # thread then compares integers; the natural keys are compared here, in a worker
    name_rank: int = 0

    @property
    def warning_text(self) -> str:
        return "、".join(w.label for w in self.warnings)


# plain dict look-ups: calling the enum class per row costs a third of a 50k load
_STATUSES = {m.value: m for m in OrgStatus}
_LEVELS = {m.value: m for m in PartyOrgLevel}


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def party_org_warning_map(
    conn: sqlite3.Connection, today: date, ids: list[int] | None = None
) -> dict[int, list[Warning_]]:
    """The rule warnings of every party organization (or of those of ``ids``), by id."""
    counts = dict(conn.execute(q.party_org_units_sql(ids)))
    out: dict[int, list[Warning_]] = {}
    for po_id, level, formation, last, term, postponed in conn.execute(q.party_org_terms_sql(ids)):
        out[po_id] = party_org_warnings(
            _LEVELS[level],
            _FORMATIONS[formation],
            counts.get(po_id, 0),
            _day(last),
            term,
            _day(postponed),
            today,
        )
    return out


def active_instructor_names(
    conn: sqlite3.Connection, today: date, ids: list[int] | None = None
) -> dict[int, str]:
    """Organization id → the names of the on-duty instructors assigned to it today (for
    every organization, or those of ``ids``)."""
    out: dict[int, list[str]] = {}
    for org_id, name in conn.execute(q.active_instructors_sql(ids), {"today": today.isoformat()}):
        out.setdefault(org_id, []).append(name)
    return {k: "、".join(v) for k, v in out.items()}


def list_organizations(db: Database, today: date | None = None) -> list[OrgRow]:
    """Every organization with its party organization, warnings and search text."""
    today = today or date.today()
    with db.read_connection() as conn:
        rows = _read_rows(conn, today, None)
    rank_by_name(rows)
    return rows


# the rows the window shows first: a screenful on the tallest screens
FIRST_SCREEN_ROWS = 100


@dataclass(frozen=True, slots=True)
class FirstRows:
    """The registry's first rows in name order, as the window shows them first, and how
    many there are in all (the rest follow from a second read)."""

    rows: list[OrgRow]
    total: int

    @property
    def complete(self) -> bool:
        return len(self.rows) == self.total


def first_organizations(db: Database, count: int, today: date | None = None) -> FirstRows:
    """The ``count`` organizations first in name order (natural order, numbers by value;
    ties by id, as ``rank_by_name`` orders them), each with its ``name_rank`` as in the
    whole list: a screenful read in a few milliseconds where the whole registry takes
    0.15 s at 10,000."""
    today = today or date.today()
    with db.read_connection() as conn:
        names = conn.execute(q.NAMES_SQL).fetchall()
        first = heapq.nsmallest(count, ((natural_key(n), i) for n, i in names))
        ranks = {oid: rank for rank, (_key, oid) in enumerate(first)}
        rows = _read_rows(conn, today, list(ranks)) if ranks else []
    for row in rows:
        row.name_rank = ranks[row.id]
    return FirstRows(rows, len(names))


def first_screen(db: Database) -> FirstRows:
    """What the registry page shows first, read as the database opens."""
    return first_organizations(db, FIRST_SCREEN_ROWS)


def _read_rows(conn: sqlite3.Connection, today: date, ids: list[int] | None) -> list[OrgRow]:
    """The registry rows of ``ids`` (every organization for None), in id order."""
    instructors = active_instructor_names(conn, today, ids)
    org_sql = q.org_rows_sql(ids)
    if ids is None:
        po_warn = party_org_warning_map(conn, today)
        found = conn.execute(org_sql)
    else:
        found = conn.execute(org_sql).fetchall()
        po_warn = party_org_warning_map(conn, today, sorted({r[11] for r in found if r[11]}))
    rows: list[OrgRow] = []
    append = rows.append
    for r in found:
        formation = _FORMATIONS[r[10]]
        party_org_id = r[11]
        code = r[2] or ""
        append(
            OrgRow(
                id=r[0],
                uuid=r[1],
                uscc=code,
                name=r[3],
                kind=_KINDS[r[4]],
                industry=r[5],
                employees=r[6],
                formal_members=r[7],
                probationary_members=r[8],
                activists=r[9],
                formation=formation,
                party_org_id=party_org_id,
                party_org=r[12] or "",
                in_base=bool(r[13]),
                status=_STATUSES[r[14]],
                status_date=_day(r[15]),
                class_code=r[16],
                cluster=r[17] or "",
                zone=r[18],
                contact=r[19],
                phone=r[20],
                address=r[21],
                instructors=instructors.get(r[0], ""),
                warnings=organization_warnings(
                    r[7],
                    formation,
                    party_org_id is not None,
                    po_warn.get(party_org_id) if party_org_id else None,
                ),
                search_text=f"{r[3]}\n{code}\n{r[19]}\n{r[20]}\n{r[21]}".casefold(),
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class UnitChoice:
    """A unit as a picker offers it: what a dialog needs, not a registry row (a dialog
    opens on the GUI thread; the whole registry with its warnings takes 0.6 s at 50,000)."""

    id: int
    name: str
    uscc: str | None
    in_base: bool


def unit_choices(db: Database) -> list[UnitChoice]:
    """Every organization's id, name, credit code and whether it is in the base."""
    with db.read_connection() as conn:
        return [
            UnitChoice(oid, name, code, bool(in_base))
            for oid, name, code, in_base in conn.execute(q.UNIT_CHOICES_SQL)
        ]


def names_by_uuid(db: Database) -> dict[str, str]:
    """Every organization's name by its UUID (what a package names its units by)."""
    with db.read_connection() as conn:
        return dict(conn.execute(q.NAMES_BY_UUID_SQL))


def rank_by_name(rows: list[Any]) -> None:
    """Give each row its ``name_rank``: its place when sorted by the name's natural key."""
    keys = [natural_key(r.name) for r in rows]
    for rank, i in enumerate(sorted(range(len(rows)), key=keys.__getitem__)):
        rows[i].name_rank = rank
