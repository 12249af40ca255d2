"""统一社会信用代码 (GB 32100-2015): normalising, checking, reading the kind.

python-stdnum's ``stdnum.cn.uscc`` is the reference for the check: the tests
hold ``check`` to its ``is_valid`` and ``calc_check_digit`` on thousands of
codes. The check character is worked out here from a table instead, because
stdnum cleans the text again on every call (60 ms of a 10,000-row import,
against 7 ms here). This module adds the clerk-facing parts: tolerant
normalisation and a Chinese message naming the expected check character.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from operator import getitem

from app.domain.vocabulary import OrgKind, SocialSubtype

_SPACES = re.compile(r"\s+")


def normalize(text: str | None) -> str:
    """Upper-case, full-width folded to half-width (NFKC), all spaces removed."""
    if text is None:
        return ""
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(text))).upper()


# GB 32100's alphabet (no I, O, Z, S, V) and the weights of the first 17 characters
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# per position: character -> its value times the weight
_TERMS = tuple({ch: value * w for value, ch in enumerate(_ALPHABET)} for w in _WEIGHTS)


def check_character(first17: str) -> str:
    """The check character for 17 characters of the alphabet (31 minus the
    weighted sum, modulo 31, as GB 32100 says)."""
    return _ALPHABET[-sum(map(getitem, _TERMS, first17)) % 31]


@dataclass(frozen=True, slots=True)
class UsccProblem:
    code: str  # "length" | "format" | "check_char"
    message: str


# what stdnum's validate() checks before the check character, as one pattern:
# 18 characters, the first 8 digits, the rest from GB 32100's alphabet
_SHAPE = re.compile(r"^\d{8}[0-9A-HJ-NPQRTUWXY]{10}$")


def check(code: str) -> UsccProblem | None:
    """None when ``code`` (already normalised) is a valid credit code."""
    if len(code) != 18:
        return UsccProblem("length", f"统一社会信用代码应为18位，这里是{len(code)}位")
    if not _SHAPE.match(code):
        return UsccProblem(
            "format",
            "统一社会信用代码格式不对：前8位应为数字，其余为数字或大写字母（不含I、O、Z、S、V）",
        )
    expected = check_character(code)
    if code[-1] != expected:
        return UsccProblem(
            "check_char",
            f"统一社会信用代码校验位错误：末位是“{code[-1]}”，按前17位应为“{expected}”",
        )
    return None


def kind_from_code(code: str) -> OrgKind | None:
    """The kind the registering authority implies: 9 market regulator, 5 civil affairs."""
    if code.startswith("9"):
        return OrgKind.ENTERPRISE
    if code.startswith("5"):
        return OrgKind.SOCIAL
    return None


def social_subtype_from_code(code: str) -> SocialSubtype | None:
    return {
        "51": SocialSubtype.ASSOCIATION,
        "52": SocialSubtype.PRIVATE_NON_ENTERPRISE,
        "53": SocialSubtype.FOUNDATION,
    }.get(code[:2])


def make_valid(prefix17: str) -> str:
    """Complete 17 characters with their check character (demo data, tests)."""
    return prefix17 + check_character(prefix17)
