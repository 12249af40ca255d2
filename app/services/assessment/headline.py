"""What 总览 shows of the assessments: the latest published half-year (scored, 优秀 per
class, 以奖代补) and year (星级党组织 per star level: stars belong to party
organizations); on a laptop, the park's figures as the office carried them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.db.database import Database
from app.domain.vocabulary import ResultBasis
from app.services.assessment.assessment_results import rank_period
from app.services.assessment.party_org_stars import year_star_counts
from app.services.field.field_office import FieldView, view


@dataclass(frozen=True, slots=True)
class Headline:
    """What 总览 shows of the assessments: the latest published half-year and year."""

    period: str | None
    scored: int
    excellent: dict[str | None, int]  # class → 优秀 units
    subsidy: Decimal
    year: int | None
    stars: dict[int, int]
    note: str = ""  # on a laptop: the office's figures, as of when it made the package


def headline(db: Database) -> Headline:
    from app.domain.assessment import period_is_year
    from app.services.assessment.periods import published_codes

    done = published_codes(db)
    half = next((c for c in done if not period_is_year(c)), None)
    year = next((int(c) for c in done if period_is_year(c)), None)
    with db.read_connection() as conn:
        field = view(conn)
    if field is not None:
        return _office_headline(field, half, year)
    scored, excellent, subsidy = 0, {}, Decimal(0)
    if half is not None:
        ranking = rank_period(db, half)
        scored, subsidy = ranking.scored, ranking.subsidy
        excellent = {c.class_code: len(c.excellent) for c in ranking.ordered}
    stars = year_star_counts(db, year) if year is not None else {}
    return Headline(half, scored, excellent, subsidy, year, stars)


def _office_headline(field: FieldView, half: str | None, year: int | None) -> Headline:
    """The park's published figures as the office carried them (a laptop's own units
    would make a park of a few units); a period it did not carry shows nothing."""
    half = half if half in field.periods else None
    year = year if year is not None and str(year) in field.periods else None
    p = field.periods.get(half or "")
    stars = field.periods[str(year)].stars if year is not None else {}
    note = field.note(ResultBasis.OFFICE)
    if p is None:
        return Headline(None, 0, {}, Decimal(0), year, stars, note)
    return Headline(half, p.scored, dict(p.excellent), p.subsidy, year, stars, note)
