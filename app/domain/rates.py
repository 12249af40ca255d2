"""Rates as exact fractions, shown as percentages with two decimals.

Upper levels differ on rounding: half up (Luzhai's 55/65 → 84.62) is the
default; cutting off (84.61, as Luzhai reported it) is a setting.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction


class Rounding(StrEnum):
    HALF_UP = "half_up"
    TRUNCATE = "truncate"

    @property
    def label(self) -> str:
        return "四舍五入" if self is Rounding.HALF_UP else "截断（舍去）"


def rounding_note(rounding: Rounding) -> str:
    """Which rule gave the percentages shown (鹿寨's 84.61 % is a cut, 84.62 % half up),
    said beside the figures in 总览 and by ``stats``."""
    third = "四舍五入" if rounding is Rounding.HALF_UP else "直接舍去（截断）"
    return f"百分数保留两位小数，第三位{third}"


def rate(part: int, whole: int) -> Fraction | None:
    """part / whole exactly; None when there is nothing to divide by."""
    return Fraction(part, whole) if whole else None


def percent_text(value: Fraction | None, rounding: Rounding = Rounding.HALF_UP) -> str:
    """“84.62” for 55/65: the percentage with two decimals, no float on the way."""
    if value is None:
        return "—"
    exact = Decimal(value.numerator * 100) / Decimal(value.denominator)
    mode = ROUND_HALF_UP if rounding is Rounding.HALF_UP else ROUND_DOWN
    # Decimal division is exact enough here: 28 significant digits before rounding
    return str(exact.quantize(Decimal("0.01"), rounding=mode))
