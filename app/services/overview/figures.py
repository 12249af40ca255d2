"""The coverage figures, by kind and together, over the organizations in the base.

Counts are integers and rates exact fractions (app/domain/rates.py) until they
are shown, so the window, the command line and the workbook agree to the digit.
One GROUP BY over the registry computes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from app.db.database import Database
from app.db.queries import overview as q
from app.domain.rates import Rounding, percent_text, rate
from app.domain.vocabulary import (
    NO_UNITS,
    UNCLASSIFIED,
    Formation,
    OrgClass,
    OrgKind,
    PartyOrgKind,
    PartyOrgLevel,
)


@dataclass
class KindFigures:
    in_base: int = 0
    own: int = 0
    joint: int = 0
    attached: int = 0
    none: int = 0
    work_covered: int = 0  # covered, or reached by an active instructor or liaison
    formal_members: int = 0
    probationary_members: int = 0
    activists: int = 0
    investor_members: int = 0
    three_plus: int = 0
    three_plus_without_own: int = 0

    @property
    def covered(self) -> int:
        return self.own + self.joint + self.attached

    @property
    def org_coverage_rate(self) -> Fraction | None:
        return rate(self.covered, self.in_base)

    @property
    def own_rate(self) -> Fraction | None:
        return rate(self.own, self.in_base)

    @property
    def work_coverage_rate(self) -> Fraction | None:
        return rate(self.work_covered, self.in_base)


@dataclass
class ActivityRooms:
    """党员活动室 (柳州: 90% of the non-public enterprises with their own party
    organization): those enterprises in the base, and how many record a venue."""

    base: int = 0
    with_room: int = 0

    @property
    def rate(self) -> Fraction | None:
        return rate(self.with_room, self.base)


# a party organization's kind (its units'), in the order the counts are shown; "none":
# it covers no unit
PARTY_ORG_KINDS: tuple[tuple[str, str], ...] = (
    *((k.value, k.label) for k in PartyOrgKind),
    ("none", NO_UNITS),
)
PARTY_ORG_FORMATIONS = (Formation.OWN, Formation.JOINT, Formation.ATTACHED)


@dataclass
class RegistryFigures:
    by_kind: dict[OrgKind, KindFigures] = field(default_factory=dict)
    total: KindFigures = field(default_factory=KindFigures)
    party_orgs: dict[tuple[PartyOrgLevel, Formation], int] = field(default_factory=dict)
    instructors_active: int = 0
    # party organizations (not units) by their kind ("enterprise", "social", "mixed",
    # "none") and formation
    party_orgs_by_kind: dict[tuple[str, Formation], int] = field(default_factory=dict)
    activity_rooms: ActivityRooms = field(default_factory=ActivityRooms)


def empty_figures() -> RegistryFigures:
    return RegistryFigures({k: KindFigures() for k in OrgKind})


def add_counts(
    out: RegistryFigures,
    kind: str,
    formation: str,
    n: int,
    formal: int,
    prob: int,
    act: int,
    inv: int,
    three: int,
    three_no_own: int,
) -> None:
    """One (kind, formation) group of units in the base, as ``q.figures_sql`` sums it:
    a park's registry and a county's submitted units are counted by this one rule."""
    for figures in (out.by_kind[OrgKind(kind)], out.total):
        figures.in_base += n
        setattr(figures, formation, getattr(figures, formation) + n)
        if formation != "none":
            figures.work_covered += n
        figures.formal_members += formal
        figures.probationary_members += prob
        figures.activists += act
        figures.investor_members += inv
        figures.three_plus += three
        figures.three_plus_without_own += three_no_own


def add_reached(out: RegistryFigures, kind: str, reached: int) -> None:
    """Units without a party organization that an on-duty instructor reaches."""
    out.by_kind[OrgKind(kind)].work_covered += reached
    out.total.work_covered += reached


def kind_report(f: KindFigures, rounding: Rounding) -> dict[str, object]:
    """A kind's figures as ``stats --json`` and ``county stats --json`` give them:
    counts as integers, rates as the text every view shows."""
    return {
        "base": f.in_base,
        "covered": f.covered,
        "own": f.own,
        "joint": f.joint,
        "attached": f.attached,
        "none": f.none,
        "work_covered": f.work_covered,
        "org_coverage_rate": percent_text(f.org_coverage_rate, rounding),
        "own_rate": percent_text(f.own_rate, rounding),
        "work_coverage_rate": percent_text(f.work_coverage_rate, rounding),
        "formal_members": f.formal_members,
        "probationary_members": f.probationary_members,
        "activists": f.activists,
        "investor_members": f.investor_members,
        "three_plus": f.three_plus,
        "three_plus_without_own": f.three_plus_without_own,
    }


# the keys of a figures report by kind (stats --json): enterprise, social, total
REPORT_KINDS: tuple[tuple[str, OrgKind | None], ...] = (
    ("enterprise", OrgKind.ENTERPRISE),
    ("social", OrgKind.SOCIAL),
    ("total", None),
)


def figures_report(figures: RegistryFigures, rounding: Rounding) -> dict[str, dict[str, object]]:
    return {
        key: kind_report(figures.total if kind is None else figures.by_kind[kind], rounding)
        for key, kind in REPORT_KINDS
    }


def registry_figures(db: Database, today: date | None = None) -> RegistryFigures:
    today = today or date.today()
    out = empty_figures()
    with db.read_connection() as conn:
        for row in conn.execute(q.figures_sql()):
            add_counts(out, *row)
        for kind, reached in conn.execute(q.REACHED_SQL, {"today": today.isoformat()}):
            add_reached(out, kind, reached)
        add_party_orgs(out, conn.execute(q.PARTY_ORG_FIGURES_SQL))
        out.instructors_active = conn.execute(q.INSTRUCTORS_ACTIVE_SQL).fetchone()[0]
    return out


def add_party_orgs(out: RegistryFigures, rows: Iterable[tuple[str, str, str, int, int]]) -> None:
    """The party organizations by level, by kind, and the 党员活动室, from one grouped
    read (``q.PARTY_ORG_FIGURES_SQL``: level, formation, kind, count, rooms). The rooms'
    base is the figures' own count of own-branch enterprises in the base (a unit whose
    organization is not recorded has no room), so ``add_counts`` comes first."""
    with_room = 0
    for level, formation, kind, n, rooms in rows:
        by_level = (PartyOrgLevel(level), Formation(formation))
        out.party_orgs[by_level] = out.party_orgs.get(by_level, 0) + n
        by_kind = (kind, Formation(formation))
        out.party_orgs_by_kind[by_kind] = out.party_orgs_by_kind.get(by_kind, 0) + n
        with_room += rooms
    out.activity_rooms = ActivityRooms(out.by_kind[OrgKind.ENTERPRISE].own, with_room)


def party_orgs_by_kind_report(figures: RegistryFigures) -> dict[str, dict[str, int]]:
    """Party organizations by kind and formation, with the totals, as ``stats --json``
    and the cover give them: ``{"enterprise": {"own": n, "joint": n, "attached": n,
    "total": n}, "social": …, "mixed": …, "none": …, "total": …}``. A joint branch
    covering units of both kinds is counted once, as "mixed"."""
    out: dict[str, dict[str, int]] = {}
    for key, _label in (*PARTY_ORG_KINDS, ("total", "")):
        row = {
            f.value: (
                sum(n for (_k, fm), n in figures.party_orgs_by_kind.items() if fm is f)
                if key == "total"
                else figures.party_orgs_by_kind.get((key, f), 0)
            )
            for f in PARTY_ORG_FORMATIONS
        }
        out[key] = {**row, "total": sum(row.values())}
    return out


def party_orgs_by_kind_parts(figures: RegistryFigures) -> tuple[int, str]:
    """The party organizations' total and, by kind, "非公企业 n（单独组建 a、联合组建 b、
    挂靠组建 c）；…" as 总览 and its printed page say them (a kind "none" only when one
    covers no unit)."""
    report = party_orgs_by_kind_report(figures)
    parts = []
    for key, label in PARTY_ORG_KINDS:
        row = report[key]
        if key == "none" and not row["total"]:
            continue
        formations = "、".join(
            f"{f.label} {row[f.value]}"
            for f in (Formation.OWN, Formation.JOINT, Formation.ATTACHED)
        )
        parts.append(f"{label} {row['total']}（{formations}）")
    return report["total"]["total"], "；".join(parts)


def activity_rooms_report(figures: RegistryFigures, rounding: Rounding) -> dict[str, object]:
    rooms = figures.activity_rooms
    return {
        "base": rooms.base,
        "with_room": rooms.with_room,
        "rate": percent_text(rooms.rate, rounding),
    }


# -- the list behind each figure ------------------------------------------------

# a figure's Chinese name; its condition on the units is q.measure_condition's
MEASURE_NAMES: dict[str, str] = {
    "base": "纳入统计的组织",
    "covered": "党组织已覆盖",
    "uncovered": "党组织未覆盖",
    "own": "单独组建",
    "work_covered": "党的工作已覆盖",
    "work_uncovered": "党的工作未覆盖",
    "should_set_up": "应建未建",
    "room": "建有党员活动室的单独组建非公企业",
    "no_room": "未登记党员活动室的单独组建非公企业",
    **{f"class_{c.value}": c.label for c in OrgClass},
    f"class_{UNCLASSIFIED}": UNCLASSIFIED,
}


@dataclass(frozen=True, slots=True)
class FigureRow:
    id: int
    name: str
    uscc: str
    kind: OrgKind
    formation: Formation
    formal_members: int | None
    reason: str  # why it has no party organization of its own, as recorded
    instructors: str


def figure_list(
    db: Database, measure: str, kind: OrgKind | None = None, today: date | None = None
) -> list[FigureRow]:
    """The organizations a figure counts (same conditions as registry_figures)."""
    from app.domain.vocabulary import NoPartyOrgReason

    today = today or date.today()
    sql = q.figure_list_sql(q.measure_condition(measure), kind is not None)
    params = {"today": today.isoformat(), "kind": kind.value if kind else None}
    with db.read_connection() as conn:
        return [
            FigureRow(
                oid,
                name,
                code,
                OrgKind(k),
                Formation(f),
                formal,
                NoPartyOrgReason(reason).label if reason else "",
                names,
            )
            for oid, name, code, k, f, formal, reason, names in conn.execute(sql, params)
        ]


# the class rows of the overview and the cover: A–E, then units with no class yet
CLASS_KEYS: tuple[str, ...] = (*(c.value for c in OrgClass), UNCLASSIFIED)


def class_counts(db: Database) -> dict[str, dict[str, int]]:
    """Organizations in the base by class (A–E, 未分类) and kind, with the total:
    ``counts["A"]["enterprise"]``, ``counts["未分类"]["total"]``."""
    out = {key: {"enterprise": 0, "social": 0, "total": 0} for key in CLASS_KEYS}
    with db.read_connection() as conn:
        for code, kind, n in conn.execute(q.CLASS_COUNT_SQL):
            row = out[code or UNCLASSIFIED]
            row[kind] += n
            row["total"] += n
    return out


def submitted_figures(db: Database) -> list[tuple[str, RegistryFigures]]:
    """The figures as each quarter's submission reported them (the newest export
    of each quarter), oldest first: the counts, from which the rates follow."""
    import json
    from dataclasses import fields as dc_fields

    names = {f.name for f in dc_fields(KindFigures)}

    def kind_figures(data: dict[str, object]) -> KindFigures:
        return KindFigures(**{k: v for k, v in data.items() if k in names and isinstance(v, int)})

    with db.read_connection() as conn:
        rows = conn.execute(q.SUBMITTED_FIGURES_SQL).fetchall()
    out = []
    for quarter, text in rows:
        data = json.loads(text)
        out.append(
            (
                quarter,
                RegistryFigures(
                    by_kind={
                        OrgKind.ENTERPRISE: kind_figures(data.get("enterprise", {})),
                        OrgKind.SOCIAL: kind_figures(data.get("social", {})),
                    },
                    total=kind_figures(data.get("total", {})),
                    party_orgs=_party_org_counts(data.get("party_orgs", {})),
                    instructors_active=int(data.get("instructors_active", 0)),
                    party_orgs_by_kind=_by_kind_counts(data.get("party_orgs_by_kind", {})),
                    activity_rooms=_rooms(data.get("activity_rooms", {})),
                ),
            )
        )
    return out


def _party_org_counts(data: dict[str, object]) -> dict[tuple[PartyOrgLevel, Formation], int]:
    """Party organizations by level and formation as a submission keeps them ("branch/own")."""
    levels = {m.value for m in PartyOrgLevel}
    formations = {m.value for m in Formation}
    out: dict[tuple[PartyOrgLevel, Formation], int] = {}
    for key, n in data.items():
        level, _slash, formation = key.partition("/")
        if isinstance(n, int) and level in levels and formation in formations:
            out[(PartyOrgLevel(level), Formation(formation))] = n
    return out


def _by_kind_counts(data: dict[str, object]) -> dict[tuple[str, Formation], int]:
    """Party organizations by kind and formation as a submission keeps them (a quarter
    submitted before they were counted has none)."""
    kinds = {k for k, _label in PARTY_ORG_KINDS}
    out: dict[tuple[str, Formation], int] = {}
    for kind, row in data.items():
        if kind in kinds and isinstance(row, dict):
            for f in PARTY_ORG_FORMATIONS:
                n = row.get(f.value)
                if isinstance(n, int):
                    out[(kind, f)] = n
    return out


def _rooms(data: dict[str, object]) -> ActivityRooms:
    base, with_room = data.get("base"), data.get("with_room")
    if isinstance(base, int) and isinstance(with_room, int):
        return ActivityRooms(base, with_room)
    return ActivityRooms()


# -- what the overview's charts draw (the window's and the printed overview's) --------
KIND_LABELS = (("非公企业", OrgKind.ENTERPRISE), ("社会组织", OrgKind.SOCIAL))


def coverage_series(figures: RegistryFigures) -> dict[str, dict[str, int]]:
    """Per kind: own / joint / attached / not covered."""
    return {
        label: {"own": f.own, "joint": f.joint, "attached": f.attached, "none": f.none}
        for label, f in ((label, figures.by_kind[kind]) for label, kind in KIND_LABELS)
    }


def party_org_series(figures: RegistryFigures) -> dict[str, dict[str, int]]:
    """Per level (党委 / 党总支 / 党支部): own / joint / attached."""
    levels: dict[str, dict[str, int]] = {level.label: {} for level in PartyOrgLevel}
    for (level, formation), n in figures.party_orgs.items():
        levels[level.label][formation.value] = n
    return levels


def member_series(figures: RegistryFigures) -> dict[str, dict[str, int]]:
    """Per kind: formal members, probationary members, activists."""
    return {
        label: {
            "formal": f.formal_members,
            "probationary": f.probationary_members,
            "activists": f.activists,
        }
        for label, f in ((label, figures.by_kind[kind]) for label, kind in KIND_LABELS)
    }


CURRENT = "当前"  # the trend's last point: the registry as it is now


def trend_series(
    history: list[tuple[str, RegistryFigures]], current: RegistryFigures, rounding: Rounding
) -> tuple[list[str], dict[str, list[float]]]:
    """The rates over the submitted quarters, then now, as the charts plot them (each
    point the rate as the park rounds it; a quarter with no base plots 0): the window's
    trend chart and the printed overview draw the same points."""
    from app.domain.figure_parts import RATE_PARTS
    from app.domain.quarters import Quarter

    quarters = [Quarter.parse(q).code for q, _f in history] + [CURRENT]
    snapshots = [f.total for _q, f in history] + [current.total]
    series = {
        part.label: [
            float(percent_text(getattr(t, part.key), rounding)) if t.in_base else 0.0
            for t in snapshots
        ]
        for part in RATE_PARTS
    }
    return quarters, series
