"""Stars belong to party organizations (柳州 "166个党组织升为五星级", 鹿寨 "五星级党组织
7个", 衢州 "对全市1873个两新党组织逐一量化赋分"): each is rated once a year.

ParkDesk's default (DOMAIN.md): an own branch is rated on its unit's annual total; a
joint or attached organization on the mean of its units' annual totals, the mean
compared exactly with the scheme's bands; a unit with no party organization has no
star. A veto on any of its units (or the term rule's 未按期换届 on the organization)
withholds its stars, as a veto withholds a unit's; a unit not yet scored leaves the
organization unrated (未完成评分) rather than rated on the others alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import cast

from app.domain.assessment import Scheme
from app.domain.vocabulary import StarChange

_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Rating:
    """A party organization's year: the mean of its units' totals (exact), and stars."""

    mean: Fraction | None  # None: a unit is not scored yet
    stars: int
    veto: str

    @property
    def total(self) -> Decimal | None:
        """The mean as shown: two decimals, half up (the stars come from the exact mean)."""
        if self.mean is None:
            return None
        exact = Decimal(self.mean.numerator) / Decimal(self.mean.denominator)
        return exact.quantize(_CENT, rounding=ROUND_HALF_UP).normalize()


def rate(scheme: Scheme, totals: Sequence[Decimal | None], vetoes: Sequence[str]) -> Rating:
    """One party organization's rating from its units' annual totals and vetoes."""
    veto = next((v for v in vetoes if v), "")
    if not totals or any(t is None for t in totals):
        return Rating(None, 0, veto)
    mean = sum((Fraction(t) for t in totals if t is not None), Fraction(0)) / len(totals)
    return Rating(mean, stars_of(scheme, totals, vetoes), veto)


def stars_of(scheme: Scheme, totals: Sequence[Decimal | None], vetoes: Sequence[str]) -> int:
    """The stars ``rate`` gives, without making the mean: the mean reaches a band when
    the sum reaches the band times the units (n > 0). Exact in Decimal: the totals are
    tenths of at most a few hundred points, a sum of a park's units some ten digits,
    far inside Decimal's 28 (the counts of 50,000 units: a Fraction each cost a second)."""
    if not totals or any(vetoes) or None in totals:
        return 0
    total = sum(cast("Sequence[Decimal]", totals), Decimal(0))
    n = len(totals)
    for band in scheme.star_bands:
        if total >= band.at_least * n:
            return band.stars
    return 0


def star_change(stars: int, previous: int | None) -> StarChange:
    """升星 / 降星 / 持平 against the year before; 首次评定 when it was not rated then."""
    if previous is None:
        return StarChange.NEW
    if stars > previous:
        return StarChange.UP
    if stars < previous:
        return StarChange.DOWN
    return StarChange.SAME
