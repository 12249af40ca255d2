"""How long each text field may be, checked alike in the forms, the import and
the command line (a name of 100,000 characters is a mistake, and a value past
Excel's cell limit could not be exported whole)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.domain.org_fields import ORGANIZATION_FIELDS
from app.domain.record_fields import INSTRUCTOR_FIELDS, PARTY_ORG_FIELDS, RecordField

# the most characters Excel keeps in one cell
EXCEL_CELL_CHARS = 32_767


@dataclass(frozen=True, slots=True)
class TextLimit:
    label: str
    chars: int


def _limits(fields: tuple[RecordField, ...]) -> dict[str, TextLimit]:
    return {f.key: TextLimit(f.label, f.chars) for f in fields if f.chars}


# from the organization's field table (its texts, and the names it links to)
ORGANIZATION = {f.key: TextLimit(f.label, f.chars) for f in ORGANIZATION_FIELDS if f.chars}
PARTY_ORGANIZATION = _limits(PARTY_ORG_FIELDS)
INSTRUCTOR = _limits(INSTRUCTOR_FIELDS)
# what is written on a visit (in the window or on a laptop, arriving in a package):
# long texts kept whole in one cell of an exported workbook, short ones as their
# columns hold them
VISIT = {
    "content": TextLimit("走访内容", EXCEL_CELL_CHARS),
    "people_met": TextLimit("见到的人", EXCEL_CELL_CHARS),
}
PROBLEM = {
    "text": TextLimit("问题", EXCEL_CELL_CHARS),
    "rectification": TextLimit("整改要求", EXCEL_CELL_CHARS),
    "responsible": TextLimit("责任人", 100),
}


def too_long_message(limit: TextLimit, length: int) -> str:
    return f"{limit.label}最多{limit.chars}个字，这里有{length}个字"


def reason_code(field: str) -> str:
    """The reason code of a value too long: ``name_too_long``, ``address_too_long``…"""
    return f"{field}_too_long"


# C0 control characters and DEL, bar tab, newline and carriage return (a text's own):
# no one types them; a NUL cuts the text short wherever C code reads it, and neither a
# workbook nor a PDF can hold them. Checked wherever text comes in (forms, the command
# line, the registry import, packages), as the length is.
CONTROL_CHARACTER = "control_character"  # its reason code in a form, an import, a package
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def control_character(text: str) -> str | None:
    """What is wrong with a text holding a control character, naming the first and
    where it is; None for a text without one."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    return f"第{found.start() + 1}个字是控制字符（U+{ord(found.group()):04X}），文字中不能有"


def control_message(label: str, text: str) -> str | None:
    """A field's control character said with the field's name."""
    problem = control_character(text)
    return None if problem is None else f"{label}有误：{problem}"
