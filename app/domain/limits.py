"""How long each text field may be, checked alike in the forms, the import and
the command line (a name of 100,000 characters is a mistake, and a value past
Excel's cell limit could not be exported whole)."""

from __future__ import annotations

from dataclasses import dataclass

# the most characters Excel keeps in one cell
EXCEL_CELL_CHARS = 32_767


@dataclass(frozen=True, slots=True)
class TextLimit:
    label: str
    chars: int


ORGANIZATION = {
    "name": TextLimit("组织名称", 200),
    "industry": TextLimit("行业类别", 100),
    "legal_rep": TextLimit("法定代表人", 100),
    "investor": TextLimit("出资人", 100),
    "address": TextLimit("地址", 300),
    "zone": TextLimit("所在片区", 100),
    "building": TextLimit("楼宇", 100),
    "contact": TextLimit("联系人", 100),
    "phone": TextLimit("联系电话", 50),
    "base_reason": TextLimit("纳入说明", 200),
    "notes": TextLimit("备注", 2000),
    # names of the records a registry row links to
    "party_org": TextLimit("所属党组织", 200),
    "cluster": TextLimit("编组", 200),
    "instructor": TextLimit("党建指导员", 100),
}
PARTY_ORGANIZATION = {
    "name": TextLimit("党组织名称", 200),
    "secretary": TextLimit("书记", 100),
    "secretary_phone": TextLimit("书记电话", 50),
    "postponement_approval": TextLimit("延期批准", 200),
    "venue": TextLimit("活动场所", 200),
    "notes": TextLimit("备注", 2000),
}
INSTRUCTOR = {
    "name": TextLimit("姓名", 100),
    "unit": TextLimit("单位", 200),
    "phone": TextLimit("电话", 50),
    "notes": TextLimit("备注", 2000),
}


def too_long_message(limit: TextLimit, length: int) -> str:
    return f"{limit.label}最多{limit.chars}个字，这里有{length}个字"


def reason_code(field: str) -> str:
    """The reason code of a value too long: ``name_too_long``, ``address_too_long``…"""
    return f"{field}_too_long"
