"""Quarters of the submission calendar: 2026Q4, its dates and its Chinese name."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

# the quarters a submission may be made for: none before the parks kept them, none after
# next year (a December export may be prepared for the coming quarter)
FIRST_YEAR = 2000

_QUARTER = re.compile(r"^(\d{4})\s*[Qq第]?\s*([1-4])\s*(季度)?$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = _QUARTER.match(text.strip())
        if not match:
            raise ValueError(f"季度“{text}”的格式不对，请写成 2026Q4")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def code(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def label(self) -> str:
        return f"{self.year}年第{'一二三四'[self.number - 1]}季度"

    @property
    def first_day(self) -> date:
        return date(self.year, self.number * 3 - 2, 1)

    @property
    def last_day(self) -> date:
        month = self.number * 3
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def previous(self) -> Quarter:
        return Quarter(self.year, self.number - 1) if self.number > 1 else Quarter(self.year - 1, 4)


def check_submitted(quarter: Quarter, today: date) -> None:
    """Refuse a quarter no park could submit (1900Q1, 9999Q4): it would be kept among
    the park's submissions and taken as the one the next export compares with."""
    last = today.year + 1
    if not FIRST_YEAR <= quarter.year <= last:
        raise ValueError(f"报送季度{quarter.label}不在{FIRST_YEAR}—{last}年之间，请检查季度")


_YEAR = re.compile(r"^(\d{4})\s*年?$")


def parse_year(text: str) -> int:
    """A year as typed (2026, 2026年); a clear message for anything else ("abc")."""
    match = _YEAR.match(text.strip())
    if not match:
        raise ValueError(f"年度“{text.strip()[:20]}”的格式不对，请写成四位数字，如 2026")
    return int(match.group(1))


def year_years(today: date) -> range:
    """The years a yearly workbook may be made for: from the first a park kept, to this
    one (a year not yet begun has no results; a December export is of this year)."""
    return range(FIRST_YEAR, today.year + 1)


def check_year(year: int, today: date) -> None:
    """Refuse a year no yearly workbook could be of (1899, 9999)."""
    years = year_years(today)
    if year not in years:
        raise ValueError(
            f"年度{year}不在{years.start}—{years.stop - 1}年之间：年度报表只能导出已开始的年度"
        )
