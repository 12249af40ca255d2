"""Issue 23 (speed): a field package of 200 units out of 50,000 took 1.3 s, most of it
the year's 星级党组织 counted for ``office.json``: the year's period ranked a second
time, and every party organization of the park rated with Fractions. The counts stay
the park's (the laptop's 总览 shows the office's figures, test_hostile_field_results):
each period is ranked once, and the stars counted from the sum against the band."""

from __future__ import annotations

import json
import random
import zipfile
from collections import Counter
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from app.db.database import Database
from app.domain.assessment import FIVE_STARS
from app.domain.party_org_stars import rate, stars_of
from app.services.assessment import assessment_results, party_org_stars
from app.services.field import field_office_make, field_package

YEAR = 2025  # the demo park's published year


def _package(office: Database, path: Path) -> dict:
    with office.read_connection() as conn:
        codes = [c for (c,) in conn.execute("SELECT uscc FROM organization LIMIT 20")]
    field_package.make_field_package(office, path, usccs=codes)
    return json.loads(zipfile.ZipFile(path).read("office.json"))


def test_a_package_ranks_each_published_period_once(
    demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ranked: Counter[str] = Counter()
    original = assessment_results.rank_period

    def counting(db: Database, code: str) -> assessment_results.PeriodRanking:
        ranked[code] += 1
        return original(db, code)

    monkeypatch.setattr(field_office_make, "rank_period", counting)
    monkeypatch.setattr(party_org_stars, "rank_period", counting)
    carried = _package(demo_db, tmp_path / "pkg.pdfield")
    assert str(YEAR) in carried["periods"] and len(carried["periods"]) >= 2
    assert ranked == Counter(dict.fromkeys(carried["periods"], 1))


def test_the_package_carries_the_parks_stars_as_each_organization_is_rated(
    demo_db: Database, tmp_path: Path
) -> None:
    """The counts equal the whole park's rating, organization by organization (``rate``,
    the exact mean), not the package's few organizations."""
    carried = _package(demo_db, tmp_path / "pkg.pdfield")["periods"][str(YEAR)]["stars"]
    rated = party_org_stars.year_stars(demo_db, YEAR)
    expected = {str(stars): n for stars, n in rated.counts.items() if n}
    assert expected and carried == expected
    assert sum(expected.values()) > 3  # more than the package's organizations could hold
    assert party_org_stars.year_star_counts(demo_db, YEAR) == rated.counts


def _exact(totals: list[Decimal | None], vetoes: list[str]) -> int:
    """The rule by hand: the exact mean against the bands, none with a veto or a gap."""
    if not totals or any(vetoes) or any(t is None for t in totals):
        return 0
    mean = sum(Fraction(t) for t in totals if t is not None) / len(totals)
    return next((b.stars for b in FIVE_STARS.star_bands if mean >= b.at_least), 0)


@pytest.mark.parametrize(
    ("totals", "vetoes", "stars"),
    [
        (["89.9", "90", "90.1"], ["", "", ""], 5),  # the mean exactly on the band
        (["89.9", "90"], ["", ""], 4),  # 89.95
        (["90.05", "89.95"], ["", ""], 5),
        (["79.9"], [""], 3),
        (["80"], [""], 4),
        (["100", "100"], ["严重违纪违法", ""], 0),
        (["100", None], ["", ""], 0),
        ([], [], 0),
    ],
)
def test_the_stars_counted_are_the_exact_means(
    totals: list[str | None], vetoes: list[str], stars: int
) -> None:
    values = [None if t is None else Decimal(t) for t in totals]
    assert stars_of(FIVE_STARS, values, vetoes) == _exact(values, vetoes) == stars
    assert stars_of(FIVE_STARS, values, vetoes) == rate(FIVE_STARS, values, vetoes).stars


def test_the_stars_counted_agree_with_the_exact_mean_on_many_organizations() -> None:
    draw = random.Random(23)
    for _ in range(3000):
        n = draw.randint(1, 7)
        values: list[Decimal | None] = [Decimal(draw.randint(650, 1000)) / 10 for _ in range(n)]
        vetoes = ["未按期换届" if draw.random() < 0.05 else "" for _ in range(n)]
        assert stars_of(FIVE_STARS, values, vetoes) == _exact(values, vetoes)
