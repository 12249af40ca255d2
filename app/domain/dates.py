"""Dates as clerks write them: 2019-03-15, 2019/3/15, 2019.3.15, 2019年3月15日,
and month-only forms (2019.3, 2019年3月) taken as the first of the month."""

from __future__ import annotations

import re
import unicodedata
from datetime import date


class DateError(ValueError):
    """A text that is not a date, with a Chinese message saying why."""


_FULL = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date(text: str) -> date | None:
    """None for blank text; DateError for text that is not a real date."""
    value = unicodedata.normalize("NFKC", text).strip()
    if not value:
        return None
    match = _FULL.match(value) or _COMPACT.match(value)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _MONTH.match(value)
        if not match:
            raise DateError(f"“{text}”不是日期，请写成 2019-03-15 这样的格式")
        year, month, day = int(match.group(1)), int(match.group(2)), 1
    if not 1 <= month <= 12:
        raise DateError(f"日期不存在：没有{month}月")
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(f"日期不存在：{year}年{month}月没有{day}日") from None


def format_date(value: date | None) -> str:
    return "" if value is None else value.isoformat()
