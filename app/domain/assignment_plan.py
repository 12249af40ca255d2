"""Suggesting instructors for the units nobody reaches (党的工作未覆盖), so that
work coverage can reach 100 % without putting anyone over capacity.

Each unit goes to an on-duty instructor with free capacity, preferring one who
already looks after units in the same building, then the same zone, and among
those the one whose units are least of the unit's class (Suixi: each committee
member liaises with about 7 organizations of different classes), then the least
loaded. Every suggestion says why. Nothing is assigned here: the clerk accepts.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

# an instructor whose 上限 is not recorded is taken to look after this many units
# when suggesting (Suixi: about 7 each; a little room above that)
ASSUMED_CAPACITY = 10
# when nobody shares the unit's building or zone, the choice is among this many of
# the least loaded (so that 10,000 units do not each look at every instructor)
LEAST_LOADED_CHOICES = 8


@dataclass(frozen=True, slots=True)
class Unit:
    id: int
    uscc: str | None
    name: str
    zone: str
    building: str
    class_code: str | None


@dataclass(slots=True)
class Helper:
    """An on-duty instructor as the plan sees them: load, capacity, where and what."""

    id: int
    name: str
    load: int
    capacity: int | None
    zones: Counter[str] = field(default_factory=Counter)
    buildings: Counter[str] = field(default_factory=Counter)
    classes: Counter[str] = field(default_factory=Counter)

    @property
    def limit(self) -> int:
        return self.capacity if self.capacity is not None else ASSUMED_CAPACITY

    @property
    def free(self) -> int:
        return self.limit - self.load


@dataclass(frozen=True, slots=True)
class Suggestion:
    unit: Unit
    helper_id: int | None  # None: nobody has room left
    helper_name: str
    reason: str


def _pick(candidates: Iterable[Helper], unit: Unit) -> Helper | None:
    """The candidate whose units are least of this class, then the least loaded."""
    code = unit.class_code or ""
    best, best_key = None, None
    for h in candidates:
        if h.free <= 0:
            continue
        key = (h.classes[code], h.load / h.limit, h.name)
        if best_key is None or key < best_key:
            best, best_key = h, key
    return best


def _reason(h: Helper, unit: Unit, where: str) -> str:
    mix = "、".join(f"{c or '未分类'}类{n}个" for c, n in sorted(h.classes.items()) if n)
    room = f"现联系{h.load}个，上限{h.limit}个" + (
        "" if h.capacity is not None else f"（未设上限，按{ASSUMED_CAPACITY}个计）"
    )
    return "；".join(part for part in (where, room, f"已联系{mix}" if mix else "") if part)


class _Pool:
    """Instructors by how full they are (a heap; entries made stale by a new load are
    skipped on the way), so that each unit looks at a few, not at all of them."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int]] = []
        self._by_id: dict[int, Helper] = {}

    def __contains__(self, h: Helper) -> bool:
        return h.id in self._by_id

    def add(self, h: Helper) -> None:
        self._by_id[h.id] = h
        self.touched(h)

    def touched(self, h: Helper) -> None:
        if h.free > 0:
            heapq.heappush(self._heap, (h.load / h.limit, h.id))

    def first(self, n: int) -> list[Helper]:
        """The ``n`` least loaded with room left."""
        out: list[Helper] = []
        while self._heap and len(out) < n:
            ratio, hid = heapq.heappop(self._heap)
            h = self._by_id[hid]
            if h.free > 0 and ratio == h.load / h.limit and h not in out:
                out.append(h)
        for h in out:
            self.touched(h)
        return out


def _pools(helpers: list[Helper]) -> tuple[dict[str, _Pool], dict[str, _Pool], _Pool]:
    """The instructors by the buildings and zones of their units, and all of them."""
    by_building: dict[str, _Pool] = {}
    by_zone: dict[str, _Pool] = {}
    everyone = _Pool()
    for h in helpers:
        everyone.add(h)
        for b in h.buildings:
            by_building.setdefault(b, _Pool()).add(h)
        for z in h.zones:
            by_zone.setdefault(z, _Pool()).add(h)
    return by_building, by_zone, everyone


def _choose(
    unit: Unit, by_building: dict[str, _Pool], by_zone: dict[str, _Pool], everyone: _Pool
) -> tuple[Helper | None, str]:
    """Same building, else same zone, else anyone: among the least loaded there, the
    one whose units are least of this unit's class."""
    if unit.building and unit.building in by_building:
        chosen = _pick(by_building[unit.building].first(LEAST_LOADED_CHOICES), unit)
        if chosen is not None:
            return chosen, f"已联系同一楼宇（{unit.building}）的单位"
    if unit.zone and unit.zone in by_zone:
        chosen = _pick(by_zone[unit.zone].first(LEAST_LOADED_CHOICES), unit)
        if chosen is not None:
            return chosen, f"已联系同一片区（{unit.zone}）的单位"
    return _pick(everyone.first(LEAST_LOADED_CHOICES), unit), "联系单位较少"


def plan_assignments(units: list[Unit], helpers: list[Helper]) -> list[Suggestion]:
    """One suggestion per unit, in the units' order; loads are counted as it goes,
    so that no instructor is suggested past their capacity."""
    by_building, by_zone, everyone = _pools(helpers)
    out = []
    for unit in units:
        chosen, where = _choose(unit, by_building, by_zone, everyone)
        if chosen is None:
            out.append(
                Suggestion(unit, None, "", "在岗指导员的联系单位都已满额，需增加指导员或调整上限")
            )
            continue
        out.append(Suggestion(unit, chosen.id, chosen.name, _reason(chosen, unit, where)))
        chosen.load += 1
        chosen.classes[unit.class_code or ""] += 1
        pools = [everyone]
        for key, index, seen in (
            (unit.building, by_building, chosen.buildings),
            (unit.zone, by_zone, chosen.zones),
        ):
            if key:
                seen[key] += 1
                pool = index.setdefault(key, _Pool())
                if chosen not in pool:
                    pool.add(chosen)
                pools.append(pool)
        for pool in pools:
            pool.touched(chosen)
    return out
