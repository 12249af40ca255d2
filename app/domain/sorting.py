"""Names in the order people expect: numbers by their value, so 第2联合支部
comes before 第10联合支部 (as text, "1" sorts before "2" whatever follows)."""

from __future__ import annotations

import re

_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[str | int, ...]:
    """A sort key: the text's runs of digits as numbers. Text without digits is a
    1-tuple, which compares with the others as the full split would."""
    parts = _DIGITS.split(text)
    if len(parts) == 1:
        return (text,)
    return tuple(int(p) if i % 2 else p for i, p in enumerate(parts))
