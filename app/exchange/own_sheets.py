"""ParkDesk's own quarterly workbook carries more than the registry: its
党组织, 指导员 and 联系分工 sheets are read back too, so an export imported into
an empty database comes back whole. Recognised by the hidden _parkdesk sheet."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.domain.terms import default_term_years
from app.domain.vocabulary import AssignmentRole, Formation, InstructorRole, PartyOrgLevel
from app.exchange.normalize import cell_text, norm_date
from app.exchange.reader import Workbook

META_SHEET = "_parkdesk"


@dataclass
class OwnSheets:
    party_orgs: list[dict[str, Any]] = field(default_factory=list)
    instructors: list[dict[str, Any]] = field(default_factory=list)
    assignments: list[dict[str, Any]] = field(default_factory=list)


def _text(value: object) -> str:
    return "" if value is None else cell_text(value)


def _day(value: object) -> date | None:
    if value is None or _text(value) == "":
        return None
    return norm_date(value)


def _int(value: object) -> int | None:
    text = _text(value)
    return int(float(text)) if text else None


def _table(wb: Workbook, name: str) -> list[dict[str, object]]:
    """Rows of a ParkDesk table sheet (title row, header row, data) keyed by header."""
    if name not in wb.sheet_names:
        return []
    rows = wb.sheet(wb.sheet_names.index(name)).rows
    if len(rows) < 2:
        return []
    headers = [_text(h) for h in rows[1]]
    return [dict(zip(headers, row, strict=False)) for row in rows[2:] if any(_text(v) for v in row)]


def read_own_sheets(wb: Workbook) -> OwnSheets | None:
    if META_SHEET not in wb.sheet_names:
        return None
    meta = {
        _text(r[0]): _text(r[1])
        for r in wb.sheet(wb.sheet_names.index(META_SHEET)).rows
        if len(r) >= 2
    }
    if meta.get("program") != "ParkDesk" or meta.get("kind") != "quarterly":
        return None
    own = OwnSheets()
    for row in _table(wb, "党组织"):
        name = _text(row.get("党组织名称"))
        if not name:
            continue
        level = PartyOrgLevel.from_text(_text(row.get("层级"))) or PartyOrgLevel.BRANCH
        own.party_orgs.append(
            {
                "name": name,
                "level": level.value,
                "formation": (
                    Formation.from_text(_text(row.get("组建方式"))) or Formation.OWN
                ).value,
                "secretary": _text(row.get("书记")),
                "secretary_phone": _text(row.get("书记电话")),
                "founded": _day(row.get("成立日期")),
                "last_election": _day(row.get("本届选举日期")),
                "term_years": _int(row.get("任期（年）")) or default_term_years(level),  # type: ignore[arg-type]
                "postponed_until": _day(row.get("经批准延期至")),
                "postponement_approval": _text(row.get("延期批准")),
                "venue": _text(row.get("活动场所")),
                "notes": _text(row.get("备注")),
                "_parent": _text(row.get("上级党组织")),
            }
        )
    for row in _table(wb, "指导员"):
        name = _text(row.get("姓名"))
        if not name:
            continue
        own.instructors.append(
            {
                "name": name,
                "role": (
                    InstructorRole.from_text(_text(row.get("身份"))) or InstructorRole.INSTRUCTOR
                ).value,
                "unit": _text(row.get("所在单位")),
                "phone": _text(row.get("电话")),
                "active": _text(row.get("是否在岗")) != "否",
                "capacity": _int(row.get("联系单位上限")),
                "notes": _text(row.get("备注")),
            }
        )
    for row in _table(wb, "联系分工"):
        own.assignments.append(
            {
                "instructor": _text(row.get("指导员")),
                "organization": _text(row.get("联系单位")),
                "uscc": _text(row.get("统一社会信用代码")),
                "role": (
                    AssignmentRole.from_text(_text(row.get("联系方式"))) or AssignmentRole.GUIDE
                ).value,
                "started_on": _day(row.get("开始日期")),
                "ended_on": _day(row.get("结束日期")),
            }
        )
    return own
