"""The county's lists: its parks and what each submitted, the units of the
submissions in force (with their park), and the duplicates across parks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from app.db.database import Database
from app.db.queries import county as q
from app.domain.quarters import Quarter
from app.services.county.county_db import require_county

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass(frozen=True, slots=True)
class ParkSubmissions:
    name: str
    reporting_unit: str
    quarters: list[str]  # the quarters submitted, oldest first
    last: str  # the newest quarter submitted
    last_imported_at: str
    sent_current: bool  # submitted the current quarter

    def as_dict(self) -> dict[str, Any]:
        return {
            "park": self.name,
            "reporting_unit": self.reporting_unit,
            "quarters": self.quarters,
            "last": self.last,
            "last_imported_at": self.last_imported_at,
            "sent_current": self.sent_current,
        }


def county_parks(db: Database, today: date | None = None) -> tuple[str, list[ParkSubmissions]]:
    """The current quarter and each park with the quarters it submitted."""
    require_county(db)
    current = Quarter.of(today or date.today()).code
    with db.session() as s:
        parks = list(s.execute(q.parks()))
        subs: dict[int, list[tuple[str, str]]] = {}
        for _sid, pid, quarter, _src, _file, imported, *_rest in s.execute(q.submissions()):
            subs.setdefault(pid, []).append((quarter, str(imported)[:19]))
    out = []
    for pid, name, unit, _uuid in parks:
        quarters = subs.get(pid, [])
        last = quarters[-1] if quarters else ("", "")
        out.append(
            ParkSubmissions(
                name,
                unit,
                [qc for qc, _at in quarters],
                last[0],
                last[1],
                any(qc == current for qc, _at in quarters),
            )
        )
    return current, out


def _in_force(s: Session, quarter: Quarter | None) -> list[int]:
    """Each park's latest submission in force, or its submission of ``quarter``."""
    latest: dict[int, int] = {}
    for sid, pid, quarter_code, *_rest in s.execute(q.submissions()):
        if quarter is None or quarter_code == quarter.code:
            latest[pid] = sid
    return list(latest.values())


@dataclass(frozen=True, slots=True)
class CountyUnitRow:
    id: int
    park: str
    quarter: str
    name: str
    uscc: str
    kind: str
    formation: str
    party_org: str
    in_base: bool
    formal_members: int | None
    probationary_members: int | None
    activists: int | None
    looked_after: bool
    class_code: str | None
    sheet_row: int
    search_text: str = ""  # name, code, party organization and park, for a list's search


def county_units(db: Database, quarter: Quarter | None = None) -> list[CountyUnitRow]:
    """The union registry: every unit of the submissions in force, with its park."""
    require_county(db)
    with db.session() as s:
        ids = _in_force(s, quarter)
        return [
            CountyUnitRow(
                *row[:8],
                bool(row[8]),
                *row[9:12],
                bool(row[12]),
                *row[13:],
                f"{row[3]}\n{row[4]}\n{row[7]}\n{row[1]}".casefold(),
            )
            for row in s.execute(q.units(ids))
        ]


@dataclass(frozen=True, slots=True)
class Duplicate:
    kind: str  # same_code | same_name
    key: str  # the code, or the name
    entries: list[tuple[str, str]]  # (park, name) or (park, code)

    def as_dict(self) -> dict[str, Any]:
        other = "name" if self.kind == "same_code" else "uscc"
        return {
            "kind": self.kind,
            "uscc" if self.kind == "same_code" else "name": self.key,
            "entries": [{"park": park, other: value} for park, value in self.entries],
        }


def county_duplicates(db: Database, quarter: Quarter | None = None) -> list[Duplicate]:
    """A credit code reported by two parks (both names, both parks), and one name with
    different codes in two parks; in the submissions in force."""
    require_county(db)
    out: list[Duplicate] = []
    with db.session() as s:
        ids = _in_force(s, quarter)
        groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for code, name, park in s.execute(q.same_code(ids)):
            groups.setdefault(("same_code", code), []).append((park, name))
        for name, code, park in s.execute(q.same_name(ids)):
            groups.setdefault(("same_name", name), []).append((park, code))
    for (kind, key), entries in groups.items():
        out.append(Duplicate(kind, key, entries))
    return out
