"""The year's stars of the party organizations (星级党组织): each rated once from its
units' annual totals (app/domain/party_org_stars.py), its stars against the year
before (升星/降星) and its history year by year, the counts of 五/四/三星级党组织 by
kind, and the 示范点 among them.

Computed, not stored: a year's stars follow from its yearly period, whose scores,
class and scheme are frozen once published (migration 0017's triggers), and that
period already travels whole (field packages carry it, database merges bring it), so
every copy computes the same stars with nothing new to carry or to keep in step.
The units are the ones each organization covers today.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from app.db.database import Database
from app.db.queries import party_org_stars as q
from app.domain.assessment import period_is_year
from app.domain.party_org_stars import Rating, rate, star_change, stars_of
from app.domain.vocabulary import (
    DemoSiteLevel,
    Formation,
    OrgKind,
    PartyOrgKind,
    StarChange,
)
from app.services.assessment.assessment_results import (
    PeriodRanking,
    RankRow,
    period_note,
    rank_period,
)
from app.services.assessment.periods import period_codes
from app.services.field.field_office import field_view as view_of

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class StarUnit:
    """One unit of a party organization in the year: its annual total and veto."""

    uscc: str | None
    name: str
    total: Decimal | None  # None: not scored yet
    veto: str


@dataclass(slots=True)
class PartyOrgStars:
    id: int
    uuid: str
    name: str
    kind: PartyOrgKind
    formation: Formation
    demo_site: DemoSiteLevel
    demo_site_year: int | None
    rating: Rating
    units: list[StarUnit]
    year: int
    history: dict[int, int] = field(default_factory=dict)  # year → stars, years rated in full

    @property
    def stars(self) -> int:
        return self.rating.stars

    @property
    def total(self) -> Decimal | None:
        return self.rating.total

    @property
    def previous(self) -> int | None:
        """The stars of the last year before this one it was rated in, else None."""
        earlier = [y for y in self.history if y < self.year]
        return self.history[max(earlier)] if earlier else None

    @property
    def change(self) -> StarChange | None:
        """升星/降星/持平/首次评定; None while it is not rated in full this year."""
        if self.rating.mean is None:
            return None
        return star_change(self.stars, self.previous)


@dataclass(slots=True)
class YearStars:
    year: int
    party_orgs: list[PartyOrgStars]
    bands: tuple[int, ...]  # the scheme's star levels, highest first
    # the 示范点 per level, over every party organization (rated this year or not)
    demo_sites: dict[DemoSiteLevel, int] = field(default_factory=dict)
    note: str = ""  # on a laptop: whose results these are

    @property
    def counts(self) -> dict[int, int]:
        """星级党组织 per star level (every level of the bands, 0 included)."""
        return _count(self.party_orgs, self.bands)

    @property
    def counts_by_kind(self) -> dict[PartyOrgKind, dict[int, int]]:
        kinds = {p.kind for p in self.party_orgs}
        return {
            k: _count([p for p in self.party_orgs if p.kind is k], self.bands)
            for k in PartyOrgKind
            if k in kinds
        }


def _count(rows: list[PartyOrgStars], bands: tuple[int, ...]) -> dict[int, int]:
    out = dict.fromkeys(bands, 0)
    for p in rows:
        if p.stars:
            out[p.stars] = out.get(p.stars, 0) + 1
    return out


@dataclass(frozen=True, slots=True)
class _Org:
    id: int
    uuid: str
    name: str
    formation: Formation
    demo_site: DemoSiteLevel
    demo_site_year: int | None


def year_stars(db: Database, year: int) -> YearStars:
    """Every party organization with a unit in ``year``'s yearly period, rated once,
    with its history over the yearly periods up to ``year`` (LookupError: no period)."""
    years = sorted(int(c) for c in period_codes(db) if period_is_year(c) and int(c) <= year)
    if year not in years:
        raise LookupError(f"没有考核期{year}")
    return _every_year(db, years)[year]


def every_year_stars(db: Database) -> dict[int, YearStars]:
    """Each yearly period's stars (the 星级评定 tab's years), every year ranked once."""
    return _every_year(db, sorted(int(c) for c in period_codes(db) if period_is_year(c)))


def _every_year(db: Database, years: list[int]) -> dict[int, YearStars]:
    orgs, covered = _registry(db)
    rated = {y: _rate_year(db, y, covered) for y in years}
    # the years each was rated in full (a year with a unit unscored is no rating)
    history: dict[int, dict[int, int]] = {}
    for y, (ratings, _bands) in rated.items():
        for po_id, (rating, _units) in ratings.items():
            if rating.mean is not None:
                history.setdefault(po_id, {})[y] = rating.stars
    demo = {level: 0 for level in DemoSiteLevel if level is not DemoSiteLevel.NONE}
    for org in orgs:
        if org.demo_site is not DemoSiteLevel.NONE:
            demo[org.demo_site] += 1
    out = {}
    for year in years:
        ratings, bands = rated[year]
        rows = [
            _row(org, covered[org.id], *ratings[org.id], year, history.get(org.id, {}))
            for org in orgs
            if org.id in ratings  # an organization with no unit in the year: not rated
        ]
        rows.sort(key=lambda p: (-p.stars, -(p.total or Decimal(-1)), p.name))
        out[year] = YearStars(year, rows, bands, dict(demo), period_note(db, str(year)))
    return out


def _row(
    org: _Org,
    covered: list[tuple[int, OrgKind]],
    rating: Rating,
    units: list[StarUnit],
    year: int,
    history: dict[int, int],
) -> PartyOrgStars:
    kind = _kind_of({k for _u, k in covered})
    until = {y: n for y, n in history.items() if y <= year}
    return PartyOrgStars(
        org.id,
        org.uuid,
        org.name,
        kind,
        org.formation,
        org.demo_site,
        org.demo_site_year,
        rating,
        units,
        year,
        until,
    )


def year_star_counts(
    db: Database, year: int, ranking: PeriodRanking | None = None
) -> dict[int, int]:
    """星级党组织 per star level in ``year`` (what 总览 and a field package carry): every
    party organization rated as ``year_stars`` rates it, counted without making its
    rating (``stars_of``). ``ranking``: the year's, when the caller has it already."""
    units_of = _whole(db, _unit_ids(db))
    if ranking is None or ranking.code != str(year):
        ranking = rank_period(db, str(year))
    scheme = ranking.scheme
    # each ranked unit's (total, veto): an organization's units are looked up, not rows
    results = {r.unit_id: (r.total, r.veto) for c in ranking.classes.values() for r in c.rows}
    out = dict.fromkeys((b.stars for b in scheme.star_bands), 0)
    for units in units_of.values():
        mine = [results[u] for u in units if u in results]
        if mine:
            totals, vetoes = zip(*mine, strict=True)
            stars = stars_of(scheme, totals, vetoes)
            if stars:
                out[stars] = out.get(stars, 0) + 1
    return out


def _registry(db: Database) -> tuple[list[_Org], dict[int, list[tuple[int, OrgKind]]]]:
    """The party organizations, and the units each covers (its id and kind, by id)."""
    kinds = {k.value: k for k in OrgKind}  # a dict's lookup: 29,000 Enum calls cost 20 ms
    with db.read_connection() as conn:
        orgs = [_org(*row) for row in conn.execute(q.PARTY_ORGS)]
        covered: dict[int, list[tuple[int, OrgKind]]] = {}
        for unit_id, po_id, kind in conn.execute(q.COVERED_UNITS):
            covered.setdefault(po_id, []).append((unit_id, kinds[kind]))
    return orgs, _whole(db, covered)


def _unit_ids(db: Database) -> dict[int, list[int]]:
    """The units each party organization covers, their ids alone (the counts')."""
    covered: dict[int, list[int]] = {}
    with db.read_connection() as conn:
        for po_id, unit_id in conn.execute(q.UNIT_IDS_BY_PARTY_ORG):
            covered.setdefault(po_id, []).append(unit_id)
    return covered


def _whole(db: Database, covered: dict[int, list[T]]) -> dict[int, list[T]]:
    """On a laptop, only the organizations whose units all travelled: a joint branch's
    mean over the few units a package holds would be another rating than the office's."""
    field_view = view_of(db)
    if field_view is None:
        return covered
    sizes = field_view.party_units
    return {p: u for p, u in covered.items() if len(u) >= sizes.get(p, len(u) + 1)}


def _org(
    po_id: int, uuid: str, name: str, formation: str, demo: str, demo_year: int | None
) -> _Org:
    return _Org(po_id, uuid, name, Formation(formation), DemoSiteLevel(demo or "none"), demo_year)


def _kind_of(kinds: set[OrgKind]) -> PartyOrgKind:
    if kinds == {OrgKind.ENTERPRISE}:
        return PartyOrgKind.ENTERPRISE
    if kinds == {OrgKind.SOCIAL}:
        return PartyOrgKind.SOCIAL
    return PartyOrgKind.MIXED


def _rate_year(
    db: Database, year: int, covered: Mapping[int, list[tuple[int, OrgKind]]]
) -> tuple[dict[int, tuple[Rating, list[StarUnit]]], tuple[int, ...]]:
    """Each party organization's rating in ``year`` (the units listed in the year's
    ranking: on the register, or scored), and the scheme's star levels."""
    ranking = rank_period(db, str(year))
    rows: dict[int, RankRow] = {r.unit_id: r for c in ranking.classes.values() for r in c.rows}
    out = {}
    for po_id, units in covered.items():
        mine = [rows[u] for u, _k in units if u in rows]
        if not mine:
            continue
        rating = rate(ranking.scheme, [r.total for r in mine], [r.veto for r in mine])
        out[po_id] = (rating, [StarUnit(r.uscc, r.name, r.total, r.veto) for r in mine])
    return out, tuple(b.stars for b in ranking.scheme.star_bands)
