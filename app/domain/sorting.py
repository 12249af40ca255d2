"""Names in the order people expect: numbers by their value, so 第2联合支部
comes before 第10联合支部 (as text, "1" sorts before "2" whatever follows)."""

from __future__ import annotations

import re

_DIGITS = re.compile(r"\d+")
_WIDTH = 20  # numbers up to twenty digits keep their order


def _padded(match: re.Match[str]) -> str:
    return match.group().rjust(_WIDTH, "0")


def natural_key(text: str) -> str:
    """A sort key that is still a string (compared in C, as fast as the text):
    each run of digits padded with zeros to one width; text without digits is
    its own key."""
    if _DIGITS.search(text) is None:
        return text
    return _DIGITS.sub(_padded, text)
