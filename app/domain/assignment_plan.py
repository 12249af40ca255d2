"""Suggesting instructors for the units nobody reaches (党的工作未覆盖), so that
work coverage can reach 100 % without putting anyone over capacity.

Suixi (002): "每位党工委班子成员联系指导7个不同类型的党组织". So each person's units
are spread across classes: the units taken are dealt round-robin over their classes
(one D, one E, one D, ...), and each goes to the instructor with room whose units are
fewest of its class; the same building, then the same zone, then the least loaded
break ties. When the places run short, the units closest to forming an organization
are kept (D, then unclassified, then E; more formal members, then more activists,
first) and each one left says why. Every suggestion says why. Nothing is assigned
here: the clerk accepts.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import zip_longest

# an instructor whose 上限 is not recorded is taken to look after this many units
# when suggesting (Suixi: about 7 each; a little room above that)
ASSUMED_CAPACITY = 10
# when nobody shares the unit's building or zone, the choice is among this many of
# the least loaded (so that 10,000 units do not each look at every instructor)
LEAST_LOADED_CHOICES = 8


# how close a unit without its own organization is to forming one, by class: D 孵化类
# (has members or potential) first, E 其他类 last, the unclassified between them
_CLASS_READINESS = {"D": 0, "E": 2}
_OTHER_READINESS = 1


def capacity_limit(capacity: int | None) -> int:
    """The units an instructor looks after at most: their own 上限, else the assumed one."""
    return capacity if capacity is not None else ASSUMED_CAPACITY


def over_capacity_text(load: int, capacity: int | None) -> str:
    """Why an instructor is flagged as over capacity (a set one or the assumed one),
    empty when they are not."""
    if load <= capacity_limit(capacity):
        return ""
    if capacity is None:
        return f"联系{load}个单位，未设上限，超过按{ASSUMED_CAPACITY}个计的上限"
    return f"联系{load}个单位，上限{capacity}个"


@dataclass(frozen=True, slots=True)
class Unit:
    id: int
    uscc: str | None
    name: str
    zone: str
    building: str
    class_code: str | None
    formal_members: int | None = None
    activists: int | None = None

    @property
    def class_text(self) -> str:
        return f"{self.class_code}类" if self.class_code else "未分类"

    @property
    def facts(self) -> str:
        return (
            f"本单位{self.class_text}，正式党员{self.formal_members or 0}名、"
            f"入党积极分子{self.activists or 0}名"
        )


def readiness_key(unit: Unit) -> tuple[int, int, int, str, int]:
    """The order in which units are kept when places run short: the closest to forming
    an organization first (D before E, more formal members, then more activists)."""
    rank = _CLASS_READINESS.get(unit.class_code or "", _OTHER_READINESS)
    return (rank, -(unit.formal_members or 0), -(unit.activists or 0), unit.name, unit.id)


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
    # the capacity or the assumed one, set once: read for every unit of 10,000
    limit: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.limit = capacity_limit(self.capacity)

    @property
    def free(self) -> int:
        return self.limit - self.load


@dataclass(frozen=True, slots=True)
class Suggestion:
    unit: Unit
    helper_id: int | None  # None: nobody has room left
    helper_name: str
    reason: str


def _pick(candidates: Iterable[tuple[int, Helper]], unit: Unit) -> Helper | None:
    """The candidate whose units are fewest of this class; then the nearest (0 same
    building, 1 same zone, 2 elsewhere), the least loaded, the name."""
    code = unit.class_code or ""
    best, best_key = None, None
    for near, h in candidates:
        if h.free <= 0:
            continue
        key = (h.classes[code], near, h.load / h.limit, h.name)
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
        taken: set[int] = set()  # by id: comparing Helpers compares their counters
        while self._heap and len(out) < n:
            ratio, hid = heapq.heappop(self._heap)
            h = self._by_id[hid]
            if h.free > 0 and ratio == h.load / h.limit and hid not in taken:
                out.append(h)
                taken.add(hid)
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
    """Among the least loaded of the same building, of the same zone and of everyone,
    the one whose units are fewest of this unit's class (nearer ones breaking ties)."""
    candidates: list[tuple[int, Helper]] = []
    if unit.building and unit.building in by_building:
        candidates += [(0, h) for h in by_building[unit.building].first(LEAST_LOADED_CHOICES)]
    if unit.zone and unit.zone in by_zone:
        candidates += [(1, h) for h in by_zone[unit.zone].first(LEAST_LOADED_CHOICES)]
    candidates += [(2, h) for h in everyone.first(LEAST_LOADED_CHOICES)]
    chosen = _pick(candidates, unit)
    if chosen is None:
        return None, ""
    if unit.building and chosen.buildings[unit.building]:
        return chosen, f"已联系同一楼宇（{unit.building}）的单位"
    if unit.zone and chosen.zones[unit.zone]:
        return chosen, f"已联系同一片区（{unit.zone}）的单位"
    return chosen, "联系单位较少"


def _dealt(units: list[Unit]) -> list[Unit]:
    """The units round-robin over their classes (each class in readiness order), so
    that the instructors' units come mixed, not six of one class first."""
    by_class: dict[str, list[Unit]] = {}
    for unit in units:  # already in readiness order: the classes come D, others, E
        by_class.setdefault(unit.class_code or "", []).append(unit)
    rounds = zip_longest(*by_class.values())
    return [unit for one_round in rounds for unit in one_round if unit is not None]


def _left_reason(unit: Unit, places: int) -> str:
    """Why a unit got nobody: the places ran short, and which units were kept first."""
    kept = (
        f"在岗指导员的{places}个空余名额已先安排更接近建立党组织的单位"
        "（D类在前、E类在后，正式党员、入党积极分子多的在前）"
        if places
        else "在岗指导员的联系单位都已满额"
    )
    return f"名额不足：{kept}；{unit.facts}；需增加指导员或调整上限"


def plan_assignments(units: list[Unit], helpers: list[Helper]) -> list[Suggestion]:
    """One suggestion per unit, in the units' order. The places there are (each
    instructor's room) go to the units closest to forming an organization; those are
    dealt over their classes, loads counted as it goes, so that nobody is suggested
    past their capacity and each person's units are of mixed classes."""
    places = sum(max(h.free, 0) for h in helpers)
    ranked = sorted(units, key=readiness_key)
    by_building, by_zone, everyone = _pools(helpers)
    out: dict[int, Suggestion] = {}
    for unit in ranked[places:]:
        out[unit.id] = Suggestion(unit, None, "", _left_reason(unit, places))
    for unit in _dealt(ranked[:places]):
        chosen, where = _choose(unit, by_building, by_zone, everyone)
        if chosen is None:  # not reached: every place counted has a taker
            out[unit.id] = Suggestion(unit, None, "", _left_reason(unit, places))
            continue
        out[unit.id] = Suggestion(unit, chosen.id, chosen.name, _reason(chosen, unit, where))
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
    return [out[unit.id] for unit in units]
