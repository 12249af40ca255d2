from fractions import Fraction

import pytest

from app.domain.rates import Rounding, percent_text, rate


def test_luzhai_half_up_and_cut_off() -> None:
    covered = rate(55, 65)
    assert covered == Fraction(11, 13)
    assert percent_text(covered) == "84.62"
    assert percent_text(covered, Rounding.TRUNCATE) == "84.61"


@pytest.mark.parametrize(
    ("part", "whole", "half_up", "cut"),
    [
        (1, 8, "12.50", "12.50"),
        (1, 3, "33.33", "33.33"),
        (2, 3, "66.67", "66.66"),
        (1, 200, "0.50", "0.50"),
        (1, 800, "0.13", "0.12"),  # 0.125: half up goes up, cutting off does not
        (65, 65, "100.00", "100.00"),
        (0, 65, "0.00", "0.00"),
    ],
)
def test_rounding_edges(part: int, whole: int, half_up: str, cut: str) -> None:
    assert percent_text(rate(part, whole)) == half_up
    assert percent_text(rate(part, whole), Rounding.TRUNCATE) == cut


def test_nothing_to_divide_by() -> None:
    assert rate(0, 0) is None
    assert percent_text(None) == "—"
