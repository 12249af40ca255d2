"""The fields of a party organization and of an instructor, each described once:
its key, the Chinese label the workbook, the form's limits and the history use,
what its cells hold, how wide its column is and how long its text may be.

The quarterly workbook's 党组织 and 指导员 sheets are these tables in this order
(derived fields, such as the next election, are shown but never read back); the
import of ParkDesk's own workbook reads the stored ones by the same labels.
The organization's richer table, with import synonyms, is ``org_fields.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.domain.vocabulary import (
    DemoSiteLevel,
    Formation,
    InstructorRole,
    LabeledEnum,
    PartyOrgLevel,
)


class Cell(StrEnum):
    """What a field's cells hold."""

    TEXT = "text"
    COUNT = "count"
    DATE = "date"
    YES_NO = "yes_no"
    CHOICE = "choice"  # a member of the field's vocabulary, shown by its label
    LINK = "link"  # the name of another record of the same kind (the parent)


@dataclass(frozen=True, slots=True)
class RecordField:
    key: str  # the record's attribute (for a link: the name shown; the column is key_id)
    label: str
    width: int  # in the workbook, in Excel character units
    cell: Cell = Cell.TEXT
    vocabulary: type[LabeledEnum] | None = None
    chars: int | None = None  # the longest text it may hold
    stored: bool = True  # False: derived from other records, shown but never read back
    blank: Any = None  # what a blank cell of ParkDesk's own workbook reads as

    @property
    def column(self) -> str:
        """The table's column: ``parent_id`` for the link ``parent``."""
        return f"{self.key}_id" if self.cell is Cell.LINK else self.key


def _choice(
    key: str, label: str, width: int, vocabulary: type[LabeledEnum], blank: LabeledEnum
) -> RecordField:
    return RecordField(key, label, width, Cell.CHOICE, vocabulary, blank=blank)


def _derived(key: str, label: str, width: int, cell: Cell = Cell.TEXT) -> RecordField:
    return RecordField(key, label, width, cell, stored=False)


PARTY_ORG_FIELDS: tuple[RecordField, ...] = (
    RecordField("name", "党组织名称", 34, chars=200),
    _choice("level", "层级", 8, PartyOrgLevel, PartyOrgLevel.BRANCH),
    _choice("formation", "组建方式", 10, Formation, Formation.OWN),
    RecordField("secretary", "书记", 9, chars=100),
    RecordField("secretary_phone", "书记电话", 14, chars=50),
    RecordField("founded", "成立日期", 12, Cell.DATE),
    RecordField("last_election", "本届选举日期", 12, Cell.DATE),
    RecordField("term_years", "任期（年）", 8, Cell.COUNT),
    _derived("next_election", "应换届日期", 12, Cell.DATE),
    RecordField("postponed_until", "经批准延期至", 12, Cell.DATE),
    RecordField("postponement_approval", "延期批准", 20, chars=200),
    RecordField("parent", "上级党组织", 30, Cell.LINK),
    RecordField("venue", "活动场所", 16, chars=200),
    RecordField("dual_managed", "市级以上双重管理", 10, Cell.YES_NO, blank=False),
    _choice("demo_site", "示范点", 10, DemoSiteLevel, DemoSiteLevel.NONE),
    RecordField("demo_site_year", "示范点年度", 9, Cell.COUNT),
    _derived("units", "覆盖单位数", 8, Cell.COUNT),
    _derived("unit_names", "覆盖的单位", 50),
    _derived("formal_members", "正式党员数", 9, Cell.COUNT),
    _derived("probationary_members", "预备党员数", 9, Cell.COUNT),
    RecordField("notes", "备注", 20, chars=2000),
)

INSTRUCTOR_FIELDS: tuple[RecordField, ...] = (
    RecordField("name", "姓名", 10, chars=100),
    _choice("role", "身份", 12, InstructorRole, InstructorRole.INSTRUCTOR),
    RecordField("unit", "所在单位", 22, chars=200),
    RecordField("phone", "电话", 14, chars=50),
    RecordField("active", "是否在岗", 8, Cell.YES_NO, blank=True),
    RecordField("capacity", "联系单位上限", 10, Cell.COUNT),
    _derived("organizations", "联系单位数", 10, Cell.COUNT),
    RecordField("notes", "备注", 20, chars=2000),
)


def stored_columns(fields: tuple[RecordField, ...]) -> tuple[str, ...]:
    """The table columns a record's stored fields fill, in the table's order."""
    return tuple(f.column for f in fields if f.stored)
