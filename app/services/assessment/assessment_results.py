"""What a period's scores come to: the ranking within each class (同类同考) with 优秀
and the subsidy, the units still to be scored, and what the two halves of a year
propose for the class review (the year's stars are the party organizations':
party_org_stars.py; 总览's headline: headline.py).

Totals are read as stored whole tenths (assessment_score.total_tenths), so 50,000
units are ranked without reading a single score's JSON; the ranking rule itself is
the domain's (competition_ranks, is_excellent), the same the reference uses.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from app.db.database import Database
from app.db.queries import assessment as q
from app.domain.assessment import (
    AS_PUBLISHED_BEFORE_THE_LINE,
    EXCELLENT_RANK,
    TERM_VETO,
    ClassRanking,
    ExcellenceRule,
    HalfOutcome,
    RankCounter,
    Scheme,
    from_tenths,
    halves_of,
    period_order,
    review_move,
    rule_of,
)
from app.domain.classes import ClassProposal
from app.domain.vocabulary import ResultBasis, class_of
from app.gc_pause import collector_paused
from app.services.assessment.assessment_settings import AssessmentSettings, get_settings
from app.services.assessment.periods import period_codes, period_row, period_rule
from app.services.assessment.term_rule import frozen_vetoes
from app.services.assessment.term_rule import term_vetoes as _term_vetoes
from app.services.field.field_office import Carried, CarriedPeriod, FieldView, view


class RankRow(NamedTuple):
    """One unit in a period's ranking (a tuple: 50,000 are made per ranking)."""

    unit_id: int
    uscc: str | None
    name: str
    class_code: str | None
    total: Decimal | None  # None: a score is missing (未完成评分)
    rank: int | None  # None: vetoed or not complete
    excellent: bool
    veto: str  # the veto that applies (entered, or 未按期换届 from the term rule)
    subsidy: Decimal


@dataclass(slots=True)
class ClassResult(ClassRanking):
    """One class as the domain ranks it (ranked, vetoed, unscored; the tie at third),
    its rows RankRow, with the 以奖代补 of its 优秀 units. On a laptop showing the
    office's results, whether the office's tie crossed third place (its rows are only
    the package's, where the tie may not show)."""

    office_tie: bool | None = None

    @property
    def subsidy(self) -> Decimal:
        return sum((r.subsidy for r in self.ranked), Decimal(0))

    @property
    def tie_crosses_the_line(self) -> bool:
        if self.office_tie is not None:
            return self.office_tie
        return len(self.excellent) > EXCELLENT_RANK


@dataclass(slots=True)
class PeriodRanking:
    code: str
    scheme: Scheme
    published: bool
    classes: dict[str | None, ClassResult]
    # what the ranking stands for: the park; on a laptop, the office's published
    # results (office: the park's totals as published) or only the package's units
    basis: ResultBasis = ResultBasis.PARK
    note: str = ""
    office: CarriedPeriod | None = None
    # who is 优秀 (the pass line) and whether 未分类 units are ranked
    rule: ExcellenceRule = AS_PUBLISHED_BEFORE_THE_LINE

    @property
    def unclassified(self) -> list[RankRow]:
        """The units without a class, not ranked under the rule: 须先分类."""
        result = self.classes.get(None)
        return [] if result is None or self.rule.ranks(None) else result.rows

    @property
    def ranked_classes(self) -> list[ClassResult]:
        """The classes ranked (A to E; 未分类 too in a period published before the line),
        what the ranking lists show before the units listed apart as 须先分类."""
        return [c for c in self.ordered if self.rule.ranks(c.class_code)]

    def remarks(self, result: ClassResult) -> list[str]:
        """The 说明 of the class's rows, in their order (the domain's remark)."""
        return result.remarks(self.rule)

    @property
    def ordered(self) -> list[ClassResult]:
        """A to E, then 未分类."""
        return sorted(self.classes.values(), key=lambda c: (c.class_code is None, c.class_code))

    @property
    def subsidy(self) -> Decimal:
        """The 以奖代补 of the units listed (on a laptop: the package's)."""
        return sum((c.subsidy for c in self.classes.values()), Decimal(0))

    @property
    def scored(self) -> int:
        """The units listed with a total (on a laptop: the package's)."""
        return sum(len(c.ranked) + len(c.unranked) + len(c.vetoed) for c in self.classes.values())

    def unit(self, unit_id: int) -> RankRow | None:
        return next(
            (r for c in self.classes.values() for r in c.rows if r.unit_id == unit_id), None
        )


def rank_period(
    db: Database, code: str, settings: AssessmentSettings | None = None
) -> PeriodRanking:
    """同类同考 for one period, every unit on the register included (unscored ones too)."""
    settings = settings or get_settings(db)
    code = code.strip().upper()
    # 50,000 rows made at once: no collection walks them while they are (gc_pause.py)
    with collector_paused(), db.read_connection() as conn:
        period_id, published, scheme = period_row(conn, code)
        field = view(conn)
        if field is not None and field.basis(code, published) is ResultBasis.OFFICE:
            return _carried_ranking(conn, code, scheme, field)
        settings = _as_published(conn, period_id, published, settings)
        rule = period_rule(conn, period_id, published, scheme)
        frozen = frozen_vetoes(conn, period_id, published)
        overdue = _term_vetoes(conn, scheme, code) if frozen is None else set()
        rows = conn.execute(q.RANKING_UNITS, {"published": published, "period": period_id})
        if frozen is not None:  # the term rule's vetoes as published
            rows = (
                (*row[:5], row[5] or (TERM_VETO if row[0] in frozen else ""), row[6])
                for row in rows
            )
        if field is not None:  # ranked here: among the package's own units only
            rows = (r for r in list(rows) if field.in_scope(r[0]))
        awards = field is None  # 优秀 and 以奖代补 are the park's, never a package's
        ranking = PeriodRanking(
            code.upper(), scheme, published, _ranked(rows, overdue, settings, rule, awards)
        )
        ranking.rule = rule
        if field is not None:
            ranking.basis = ResultBasis.PACKAGE
            ranking.note = field.note(ResultBasis.PACKAGE)
        return ranking


def _carried_ranking(conn, code: str, scheme: Scheme, field: FieldView) -> PeriodRanking:  # type: ignore[no-untyped-def]
    """A published period on a laptop: each unit's rank, 优秀 and 以奖代补 as the office
    published them (ranked over the whole park), never ranked again over the package."""
    period = field.periods[code]
    out: dict[str | None, ClassResult] = {}
    for oid, uscc, name in conn.execute(q.UNITS_BY_ID):
        c = period.results.get(oid)
        if c is None:
            continue
        result = out.get(c.class_code)
        if result is None:
            result = out[c.class_code] = ClassResult(
                c.class_code, office_tie=c.class_code in period.ties
            )
        row = RankRow(
            oid, uscc, name, c.class_code, c.total, c.rank, c.excellent, c.veto, c.subsidy
        )
        kind = (
            result.unscored
            if c.total is None
            else result.vetoed
            if c.veto
            else result.ranked
            if c.rank is not None
            else result.unranked
        )
        kind.append(row)
    for result in out.values():
        result.ranked.sort(key=lambda r: (r.rank, -r.total, r.unit_id))  # type: ignore[operator]
        result.vetoed.sort(key=lambda r: (-r.total, r.unit_id))  # type: ignore[operator]
    note = field.note(ResultBasis.OFFICE)
    # the office's ranks and 优秀 as carried; its 未分类 units are those it did not rank
    unranked = any(
        c.class_code is None and c.total is not None and not c.veto and c.rank is None
        for c in period.results.values()
    )
    rule = rule_of(scheme) if unranked else AS_PUBLISHED_BEFORE_THE_LINE
    return PeriodRanking(code, scheme, True, out, ResultBasis.OFFICE, note, period, rule)


def _as_published(
    conn: sqlite3.Connection, period_id: int, published: bool, settings: AssessmentSettings
) -> AssessmentSettings:
    """A published period pays the 以奖代补 it had on publishing, whatever the settings
    say now (assessment_period.subsidy; none stored: the settings')."""
    if not published:
        return settings
    (stored,) = conn.execute(q.PERIOD_SUBSIDY, (period_id,)).fetchone()
    if stored is None:
        return settings
    amounts = {k: Decimal(v) for k, v in json.loads(stored).items()}
    return dataclasses.replace(settings, subsidy=amounts)


def _ranked(
    rows: Iterable[tuple],
    overdue: set[int],
    settings: AssessmentSettings,
    rule: ExcellenceRule,
    awards: bool = True,
) -> dict[str | None, ClassResult]:
    """Rows class by class, best first (the query sorts them): each class's ranking
    made in one pass, the domain's rule (RankCounter: 1, 2, 2, 4; ExcellenceRule: the
    pass line, 未分类 not ranked) counting as they come."""
    out: dict[str | None, ClassResult] = {}
    points: dict[int, Decimal] = {}  # tenths → Decimal, made once per distinct total
    none = Decimal(0)
    row_of = RankRow._make  # tuple.__new__: a third of NamedTuple's own constructor
    current: object = object()  # the class being read (rows come class by class)
    for oid, uscc, name, cls, total, veto, party_org in rows:
        if cls != current:
            current = cls
            result = out[cls] = ClassResult(cls)
            counter = RankCounter()
            amount = settings.subsidy_for(cls)
            unscored, vetoed, ranked = result.unscored, result.vetoed, result.ranked
            ranks = rule.ranks(cls)
        if not veto and party_org in overdue:
            veto = TERM_VETO
        if total is None:
            unscored.append(row_of((oid, uscc, name, cls, None, None, False, veto, none)))
            continue
        exact = points.get(total)
        if exact is None:
            exact = points[total] = from_tenths(total)
        if veto:
            vetoed.append(row_of((oid, uscc, name, cls, exact, None, False, veto, none)))
            continue
        if not ranks:  # 未分类: 须先分类
            result.unranked.append(row_of((oid, uscc, name, cls, exact, None, False, "", none)))
            continue
        rank = counter.rank(total)
        excellent = awards and rule.excellent(rank, exact)
        ranked.append(
            row_of(
                (oid, uscc, name, cls, exact, rank, excellent, "", amount if excellent else none)
            )
        )
    return out


def period_note(db: Database, code: str) -> str:
    """What a period's results stand for on this database: "" for the park's own; on a
    laptop 办公室已发布 (with the date) or 仅本包单位 (as rank_period decides)."""
    with db.read_connection() as conn:
        _pid, published, _scheme = period_row(conn, code)
        field = view(conn)
    return "" if field is None else field.note(field.basis(code.strip().upper(), published))


def _outcomes(ranking: PeriodRanking) -> dict[int, HalfOutcome]:
    return {
        r.unit_id: HalfOutcome(r.excellent, bool(r.veto) and r.total is not None, r.total)
        for c in ranking.classes.values()
        for r in (*c.ranked, *c.unranked, *c.vetoed)
    }


def review_proposals(
    db: Database, year: int, ranked: Mapping[str, PeriodRanking] | None = None
) -> dict[int, ClassProposal]:
    """What the two halves of ``year`` propose for each unit's class (proposals only:
    the clerk confirms them in the yearly review). Halves not opened count as absent.
    ``ranked``: halves the caller has ranked already (the yearly workbook's)."""
    settings = get_settings(db)
    opened = set(period_codes(db))
    ranked = ranked or {}

    def ranking(code: str) -> PeriodRanking:
        return ranked[code] if code in ranked else rank_period(db, code, settings)

    first, second = (_outcomes(ranking(code)) if code in opened else {} for code in halves_of(year))
    if not first and not second:
        return {}
    with db.read_connection() as conn:
        classes = dict(conn.execute(q.ACTIVE_CLASSES))
    out = {}
    for unit_id in first.keys() | second.keys():
        if unit_id not in classes:
            continue
        move = review_move(
            classes[unit_id], first.get(unit_id), second.get(unit_id), settings.review
        )
        if move is not None:
            to = class_of(move[0])
            assert to is not None
            out[unit_id] = ClassProposal(to, f"{year}年{move[1]}")
    return out


@dataclass(slots=True)
class GridRow:
    """One unit of the entry grid: what is stored for it in the period (text as typed)."""

    unit_id: int
    uscc: str | None
    name: str
    class_code: str | None
    scores: dict[str, str]
    bonus: str
    veto: str
    note: str
    term_veto: bool  # 未按期换届 on the period's last day (from the term rule)
    entered_by: str


@dataclass(slots=True)
class Grid:
    code: str
    scheme: Scheme
    published: bool
    rows: list[GridRow]
    # on a laptop: each unit's (rank, 优秀) as the office published them, which the
    # grid shows instead of ranking its rows (the package's) again; and what it stands for
    fixed: dict[int, tuple[int | None, bool]] | None = None
    note: str = ""
    awards: bool = True  # False on a laptop: a package's ranks make no 优秀
    rule: ExcellenceRule = AS_PUBLISHED_BEFORE_THE_LINE  # the period's (rank_period's)


def grid(db: Database, code: str) -> Grid:
    """Every unit to score in the period, by class then name (the grid's rows)."""

    from app.domain.sorting import natural_key

    with db.read_connection() as conn:
        period_id, published, scheme = period_row(conn, code)
        frozen = frozen_vetoes(conn, period_id, published)
        overdue = _term_vetoes(conn, scheme, code) if frozen is None else set()
        field = view(conn)
        rule = period_rule(conn, period_id, published, scheme)
        found = conn.execute(q.GRID_ROWS, {"published": published, "period": period_id}).fetchall()
    rows = [
        GridRow(
            oid,
            uscc,
            name,
            cls,
            json.loads(scores) if scores else {},
            bonus if bonus and Decimal(bonus) != 0 else "",
            veto or "",
            note or "",
            oid in frozen if frozen is not None else party_org in overdue,
            entered_by or "",
        )
        for oid, uscc, name, cls, scores, bonus, veto, note, party_org, entered_by in found
        if field is None or field.in_scope(oid)
    ]
    rows.sort(key=lambda r: (r.class_code is None, r.class_code or "", natural_key(r.name)))
    out = Grid(code.upper(), scheme, published, rows, rule=rule)
    if field is not None:
        basis = field.basis(out.code, published)
        out.note = field.note(basis)
        out.awards = False
        if basis is ResultBasis.OFFICE:
            carried = field.periods[out.code].results
            out.fixed = {u: (c.rank, c.excellent) for u, c in carried.items()}
    return out


def dimension_averages(data: Grid) -> dict[str | None, dict[str, Decimal]]:
    """Each class's average in each dimension as a percentage of the dimension's
    maximum, over the units scored in full (what a committee compares)."""
    sums: dict[str | None, dict[str, Decimal]] = {}
    counts: dict[str | None, int] = {}
    names = {i.name for i in data.scheme.indicators}
    for row in data.rows:
        if not names <= row.scores.keys():
            continue
        counts[row.class_code] = counts.get(row.class_code, 0) + 1
        into = sums.setdefault(row.class_code, {d.name: Decimal(0) for d in data.scheme.dimensions})
        for d in data.scheme.dimensions:
            into[d.name] += sum((Decimal(row.scores[i.name]) for i in d.indicators), Decimal(0))
    return {
        cls: {
            d.name: values[d.name] * 100 / (d.maximum * counts[cls]) for d in data.scheme.dimensions
        }
        for cls, values in sums.items()
    }


@dataclass(frozen=True, slots=True)
class UnitResult:
    """One unit's result in one period, as its page lists them."""

    period: str
    scheme: str
    class_code: str | None
    total: Decimal | None
    rank: int | None
    excellent: bool
    veto: str
    stars: int
    published: bool
    subsidy: Decimal | None = None  # the office's 以奖代补, when it carried the result
    note: str = ""  # on a laptop: 办公室已发布 (date), or 仅本包单位


def unit_results(db: Database, org_id: int) -> list[UnitResult]:
    """The unit's scores over the periods, newest first, each with its rank in its class
    counted as rank_period counts it (the units above it that are complete and not
    vetoed, the term rule's veto included), without ranking the whole park."""
    from app.domain.assessment import scheme_from_json

    out = []
    with db.read_connection() as conn:
        field = view(conn)
        found = conn.execute(q.UNIT_SCORES, (org_id,)).fetchall()
        for pid, code, published, name, version, definition, cls, total, veto, po in found:
            scheme = scheme_from_json(name, version, definition)
            if field is not None and field.basis(code, published) is ResultBasis.OFFICE:
                if (c := field.periods[code].results.get(org_id)) is not None:
                    note = field.note(ResultBasis.OFFICE)
                    out.append(_carried_result(code, name, c, note))
                continue
            if field is not None and not field.in_scope(org_id):
                continue  # a pairing partner: its own units' ranking is at the office
            # the term rule asked only of the party organizations concerned: the unit's
            # own, then those of the units above it (a unit's page opens on the GUI thread)
            frozen = frozen_vetoes(conn, pid, published)  # as published, else read live
            if not veto and (
                org_id in frozen if frozen is not None else _term_vetoes(conn, scheme, code, [po])
            ):
                veto = TERM_VETO
            rule = period_rule(conn, pid, published, scheme)
            rank = None
            if total is not None and not veto and rule.ranks(cls):
                # a published period ranks by the class stored with the score
                above = conn.execute(q.units_above(published), (pid, cls, total)).fetchall()
                if field is not None:  # ranked here: among the package's units only
                    above = [(u, p) for u, p in above if field.in_scope(u)]
                if frozen is not None:
                    rank = 1 + sum(1 for unit, _p in above if unit not in frozen)
                else:
                    overdue = _term_vetoes(conn, scheme, code, [p for _u, p in above])
                    rank = 1 + sum(1 for _u, party_org in above if party_org not in overdue)
            points = from_tenths(total) if total is not None else None
            stars = scheme.stars_for(points) if points is not None and not veto else 0
            note = field.note(ResultBasis.PACKAGE) if field is not None else ""
            excellent = field is None and rule.excellent(rank, points)  # 优秀 is the park's
            out.append(
                UnitResult(
                    code,
                    name,
                    cls,
                    points,
                    rank,
                    excellent,
                    veto,
                    stars,
                    bool(published),
                    note=note,
                )
            )
        if field is not None:
            out += _carried_unscored_here(conn, field, org_id, {r.period for r in out})
    return sorted(out, key=lambda r: period_order(r.period), reverse=True)


def _carried_unscored_here(  # type: ignore[no-untyped-def]
    conn, field: FieldView, org_id: int, listed: set[str]
) -> list[UnitResult]:
    """A pairing partner's published results: the office sent them, its scores not."""
    out = []
    for code, period in field.periods.items():
        c = period.results.get(org_id)
        if c is None or code in listed:
            continue
        (scheme,) = conn.execute(q.PERIOD_SCHEME_NAME, (code,)).fetchone()
        out.append(_carried_result(code, scheme, c, field.note(ResultBasis.OFFICE)))
    return out


def _carried_result(code: str, scheme: str, c: Carried, note: str) -> UnitResult:
    return UnitResult(
        code,
        scheme,
        c.class_code,
        c.total,
        c.rank,
        c.excellent,
        c.veto,
        c.stars,
        True,
        c.subsidy,
        note,
    )
