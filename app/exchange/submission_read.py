"""A park's quarterly submission as a county reads it (no database): the park and the
quarter it names, and for each unit what the figures count.

Two kinds of file: ParkDesk's own quarterly workbook (its hidden identity sheet names
the park, the park's uuid and the quarter; its 组织名录 sheet is the registry, its
半年考核 sheet the published half-year) and any registry sheet from a park that does not
use ParkDesk, read as the registry import reads one (the caller names the park and the
quarter). A unit's work coverage is read from the 党建指导员 column: ParkDesk writes the
on-duty instructors in force there, the same that its own work coverage counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from app.domain.assessment import EXCELLENT_LABEL
from app.domain.quarters import Quarter
from app.domain.uscc import kind_from_code
from app.domain.vocabulary import Formation, OrgKind, OrgStatus, SubmissionSource
from app.exchange.columns import column_readers, read_rows
from app.exchange.importer import file_hash, pick_sheet
from app.exchange.normalize import cell_text
from app.exchange.plans import RowError
from app.exchange.reader import WorkbookError, open_workbook

REGISTRY_SHEET = "组织名录"
ASSESSMENT_SHEET = "半年考核"
_PERIOD = re.compile(r"(\d{4}H[12])")
# the registry columns a county's figures read (the rest of the sheet is not read)
COUNTED = frozenset(
    {
        "name",
        "uscc",
        "kind",
        "formation",
        "party_org",
        "in_base",
        "status",
        "formal_members",
        "probationary_members",
        "activists",
        "investor_is_member",
        "instructor",
        "class_code",
    }
)


@dataclass(frozen=True, slots=True)
class SubmittedUnit:
    """One unit as the park reported it: what the county's figures count."""

    sheet_row: int
    uscc: str
    name: str
    kind: str
    formation: str
    party_org: str
    in_base: bool
    formal_members: int | None
    probationary_members: int | None
    activists: int | None
    investor_is_member: bool | None
    looked_after: bool
    class_code: str | None


@dataclass
class SubmissionRead:
    path: Path
    file_hash: str
    sheet: str
    source: SubmissionSource
    park: str  # as the file names it (a ParkDesk workbook) or as the caller does
    park_uuid: str | None  # the park's own database row (a ParkDesk workbook only)
    quarter: Quarter
    exported_at: datetime | None
    units: list[SubmittedUnit] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)  # rows left out, each said
    notes: list[str] = field(default_factory=list)  # what was assumed, in Chinese
    reporting_unit: str = ""  # the committee that reports the park (a ParkDesk workbook)
    assessment_period: str = ""
    excellent: int | None = None  # 优秀 in the published half-year the file carries


def read_submission(
    path: Path, park: str | None = None, quarter: Quarter | None = None, today: Any = None
) -> SubmissionRead:
    """Read ``path``. A ParkDesk workbook says its park and quarter; ``park`` or
    ``quarter`` given and different is refused (the file's identity is not renamed).
    A plain sheet needs ``park``; its quarter is ``quarter`` or the current one."""
    path = Path(path)
    wb = open_workbook(path)
    meta = wb.meta()
    own = meta.get("program") == "ParkDesk" and meta.get("kind") == "quarterly"
    if meta.get("program") == "ParkDesk" and meta.get("kind") == "county":
        # its registry is every park's: read as one park's, each unit would count twice
        raise WorkbookError(
            f"《{path.name}》是“{meta.get('county', '')}”的区县汇总表，不是园区的报送，不能汇总"
        )
    if own and REGISTRY_SHEET not in wb.sheet_names:
        raise WorkbookError(
            f"《{path.name}》是 ParkDesk 的季度报送，但缺少“{REGISTRY_SHEET}”表，"
            "文件可能被改动过：请园区重新导出"
        )
    notes: list[str] = []
    # ParkDesk's own workbook: its registry sheet by name, the other eleven left unread
    wanted = REGISTRY_SHEET if own else None
    sheet, layout = pick_sheet(wb, wanted)
    for col in layout.columns:  # only what the county counts is read (half the cells)
        if col.field not in COUNTED:
            col.field = None
    if own:
        named, named_quarter = meta.get("park", ""), meta.get("quarter", "")
        if not named or not named_quarter:
            raise WorkbookError(f"《{path.name}》的识别信息不完整（缺少园区或季度），无法汇总")
        if park is not None and park.strip() != named:
            raise WorkbookError(
                f"《{path.name}》是“{named}”的报送，不是“{park.strip()}”的：报送的园区不改名"
            )
        try:
            file_quarter = Quarter.parse(named_quarter)
        except ValueError:
            raise WorkbookError(
                f"《{path.name}》的识别信息中季度“{named_quarter[:20]}”无效，文件可能被改动过"
            ) from None
        if quarter is not None and quarter != file_quarter:
            raise WorkbookError(
                f"《{path.name}》是{file_quarter.label}的报送，不是{quarter.label}的"
            )
        out = SubmissionRead(
            path,
            file_hash(path),
            sheet.name,
            SubmissionSource.PARKDESK,
            named,
            meta.get("park_uuid") or None,
            file_quarter,
            _when(meta.get("exported_at", "")),
        )
    else:
        if not park or not park.strip():
            raise WorkbookError(
                f"《{path.name}》不是 ParkDesk 的季度报送，请用 --park 指明它是哪个园区的登记表"
            )
        if quarter is None:
            quarter = Quarter.of(today or datetime.now().date())
            notes.append(f"未指明季度，按{quarter.label}汇总")
        out = SubmissionRead(
            path,
            file_hash(path),
            sheet.name,
            SubmissionSource.SHEET,
            park.strip(),
            None,
            quarter,
            None,
        )
    out.notes = notes
    out.reporting_unit = meta.get("committee", "") if own else ""
    _read_units(out, sheet.rows, layout)
    if own and ASSESSMENT_SHEET in wb.sheet_names:
        _read_excellent(out, wb.sheet(wb.sheet_names.index(ASSESSMENT_SHEET)).rows)
    return out


def _when(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def _read_units(out: SubmissionRead, rows: list[list[object]], layout: Any) -> None:
    fields = {c.field for c in layout.columns if c.field}
    if "formation" not in fields and "party_org" not in fields:
        out.notes.append("工作表没有“组建方式”一列：各单位按未建党组织计")
    if "instructor" not in fields:
        out.notes.append("工作表没有“党建指导员”一列：未建党组织的单位不计入党的工作覆盖")
    readers = column_readers(layout, {})
    cells = read_rows(rows, layout.data_rows, readers, {})
    seen: dict[str, int] = {}
    for r, (values, errors, _bad) in zip(layout.data_rows, cells, strict=True):
        number = r + 1
        if errors:
            header, error = errors[0]
            out.errors.append(RowError(number, header, error.shown, error.reason, error.message))
            continue
        name = values.get("name", "")
        if not name:
            out.errors.append(RowError(number, "组织名称", "", "name_missing", "组织名称为空"))
            continue
        code = values.get("uscc", "") or ""
        if code and code in seen:
            message = f"统一社会信用代码与第{seen[code]}行重复（以第一行为准）"
            out.errors.append(RowError(number, "统一社会信用代码", code, "uscc_duplicate", message))
            continue
        kind = values.get("kind")
        if isinstance(kind, tuple):
            kind = kind[0]
        kind = kind or (kind_from_code(code) if code else None)
        if kind is None:
            message = "没有组织类型，也无法从信用代码判断"
            out.errors.append(RowError(number, "组织类型", "", "kind_unknown", message))
            continue
        if code:
            seen[code] = number
        out.units.append(_unit(number, code, name, OrgKind(kind), values))


def _unit(
    number: int, code: str, name: str, kind: OrgKind, values: dict[str, Any]
) -> SubmittedUnit:
    formation = values.get("formation") or Formation.NONE
    party_org = "" if formation is Formation.NONE else (values.get("party_org") or "")
    status = values.get("status")
    # the registry import's rule: a unit deregistered or moved out leaves the base
    in_base = bool(values.get("in_base", True)) and status in (None, OrgStatus.ACTIVE)
    return SubmittedUnit(
        sheet_row=number,
        uscc=code,
        name=name,
        kind=kind.value,
        formation=Formation(formation).value,
        party_org=party_org,
        in_base=in_base,
        formal_members=values.get("formal_members"),
        probationary_members=values.get("probationary_members"),
        activists=values.get("activists"),
        investor_is_member=values.get("investor_is_member"),
        looked_after=bool(values.get("instructor")),
        class_code=values.get("class_code"),
    )


def _read_excellent(out: SubmissionRead, rows: list[list[object]]) -> None:
    """The 半年考核 sheet: the period from its title, the 优秀 rows counted."""
    header_at = next(
        (i for i, row in enumerate(rows) if "等次" in [cell_text(c).strip() for c in row]), None
    )
    if header_at is None:
        return
    title = " ".join(cell_text(c) for row in rows[:header_at] for c in row)
    period = _PERIOD.search(title)
    out.assessment_period = period.group(1) if period else ""
    column = [cell_text(c).strip() for c in rows[header_at]].index("等次")
    out.excellent = sum(
        1
        for row in rows[header_at + 1 :]
        if len(row) > column and cell_text(row[column]).strip() == EXCELLENT_LABEL
    )
