"""The registry columns a workbook may carry, and the names they go by: the
first name of each field is the program's own template header, the others what
upper levels' and other offices' sheets call it (both from the organization's
field table, app/domain/org_fields.py), and how a header is matched to one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from app.domain.org_fields import ORGANIZATION_FIELDS, ValueKind


@dataclass(frozen=True)
class Field:
    key: str
    headers: tuple[str, ...]  # the template header first
    kind: ValueKind

    @property
    def template_header(self) -> str:
        return self.headers[0]


# from the organization's field table (app/domain/org_fields.py): its label is the
# template's header, its synonyms what other sheets call it
FIELDS: tuple[Field, ...] = tuple(
    Field(f.field_key, (f.label, *f.synonyms), f.kind) for f in ORGANIZATION_FIELDS
)
BY_KEY = {f.key: f for f in FIELDS}
NOT_FIELDS = frozenset({"序号", "编号", "序"})  # running numbers, never a field

_UNIT = re.compile(r"[(（][^()（）]{1,3}[)）]$")
_SPACES = re.compile(r"\s+")


def clean_header(text: object) -> str:
    """NFKC, no spaces or line breaks, no leading required-field star."""
    value = unicodedata.normalize("NFKC", str(text or ""))
    value = _SPACES.sub("", value)
    return value.lstrip("*＊")


_LOOKUP: dict[str, str] = {}
for _f in FIELDS:
    for _h in _f.headers:
        _LOOKUP.setdefault(clean_header(_h), _f.key)


def match_header(text: object) -> str | None:
    """The field a header names; the full text is tried before a trailing unit
    such as (人) is dropped, so 党员数（正式） is not mistaken for 党员数."""
    value = clean_header(text)
    if not value or value in NOT_FIELDS:
        return None
    if value in _LOOKUP:
        return _LOOKUP[value]
    stripped = _UNIT.sub("", value)
    return _LOOKUP.get(stripped)
