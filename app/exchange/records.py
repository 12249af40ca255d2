"""The registry as rows of cells, in the words the workbooks use.

One function turns the registry as read (services/workbooks/registry_read.py) into the
export's values, so the quarterly workbook, the submission snapshot and the "changes
since" sheet agree. Nothing here reads the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from app.domain.org_fields import ORGANIZATION_FIELDS, VOCABULARY, ValueKind
from app.domain.record_fields import INSTRUCTOR_FIELDS, PARTY_ORG_FIELDS, Cell, RecordField
from app.domain.sorting import natural_key
from app.domain.vocabulary import yes_no_label


@dataclass(frozen=True)
class ExportColumn:
    key: str
    header: str
    width: int  # in Excel character units
    kind: str = "text"  # text | count | date
    choices: tuple[str, ...] = ()


def _export_kind(kind: ValueKind) -> str:
    return {ValueKind.COUNT: "count", ValueKind.DATE: "date"}.get(kind, "text")


# the organization's field table (app/domain/org_fields.py) in the workbook's order
REGISTRY_COLUMNS: tuple[ExportColumn, ...] = tuple(
    ExportColumn(f.key, f.label, f.width, _export_kind(f.kind), f.choices)
    for f in ORGANIZATION_FIELDS
)

# stored codes shown as their labels, yes/no as 是/否, dates as dates: by kind
_LABEL = {
    f.key: {m.value: m.label for m in VOCABULARY[f.kind]}
    for f in ORGANIZATION_FIELDS
    if f.kind in VOCABULARY
}
_BOOLS = {f.key for f in ORGANIZATION_FIELDS if f.kind is ValueKind.YES_NO}
_DATES = {f.key for f in ORGANIZATION_FIELDS if f.kind is ValueKind.DATE}


# the organization's stored columns the registry sheet shows as they are (the links
# — party organization, instructors, cluster — come by their names)
STORED_KEYS = tuple(
    c.key for c in REGISTRY_COLUMNS if c.key not in ("party_org", "instructor", "cluster")
)


@dataclass(frozen=True, slots=True)
class RegistryRead:
    """What the registry sheet is made from, as the database gave it: each organization's
    id, uuid, party organization id, cluster id and ``STORED_KEYS`` values, and the names
    its links go by."""

    rows: list[tuple[Any, ...]]
    party_org_names: dict[int, str]
    cluster_names: dict[int, str]
    instructors: dict[int, list[str]]  # organization id → its instructors' names in force


def records_of(read: RegistryRead) -> list[dict[str, Any]]:
    """Every organization, in registry order (by name), as export cells plus its uuid."""
    po, clusters, instructors = read.party_org_names, read.cluster_names, read.instructors
    out = []
    for org_id, uuid, po_id, cluster_id, *values in read.rows:
        record: dict[str, Any] = {"_uuid": uuid}
        for key, value in zip(STORED_KEYS, values, strict=True):
            if value is None or value == "":
                record[key] = None
            elif key in _LABEL:
                record[key] = _LABEL[key][value]
            elif key in _BOOLS:
                record[key] = yes_no_label(bool(value))
            elif key in _DATES:
                record[key] = date.fromisoformat(value)
            else:
                record[key] = value
        record["party_org"] = po.get(po_id)
        record["cluster"] = clusters.get(cluster_id)
        record["instructor"] = "、".join(instructors.get(org_id, [])) or None
        out.append(record)
    out.sort(key=lambda r: natural_key(r["name"]))  # by name, numbers by value; ties by id
    return out


# the 党组织 and 指导员 sheets: their field tables (app/domain/record_fields.py)
PARTY_ORG_HEADERS = tuple((f.label, f.width) for f in PARTY_ORG_FIELDS)
# an instructor's identity (its uuid), in a hidden column of 指导员 and 联系分工: two
# instructors may share a name, and reading the workbook back must not take one for the other
INSTRUCTOR_ID_HEADER = "指导员编号"
INSTRUCTOR_HEADERS = (
    *((f.label, f.width) for f in INSTRUCTOR_FIELDS),
    (INSTRUCTOR_ID_HEADER, 38),
)


def record_cells(fields: tuple[RecordField, ...], value: Callable[[str], Any]) -> list[Any]:
    """A record's row of cells in the workbook's words: a vocabulary member (or its
    stored value) by its label, yes/no as 是/否, an ISO date as a date, empty as blank."""
    cells: list[Any] = []
    for f in fields:
        v = value(f.key)
        if v is None or v == "":
            v = None
        elif f.vocabulary is not None:
            v = f.vocabulary(v).label
        elif f.cell is Cell.YES_NO:
            v = yes_no_label(bool(v))
        elif f.cell is Cell.DATE and isinstance(v, str):
            v = date.fromisoformat(v)
        cells.append(v)
    return cells


# 编组共建: the cluster, its leader and members, the leader's three powers for the year
CLUSTER_SHEET = "编组"


class ClusterColumn(StrEnum):
    """The headers of the 编组 sheet, as the export writes them and ParkDesk reads them back."""

    NAME = "编组名称"
    FORMED_YEAR = "组建年份"
    LEADER = "组长单位"
    LEADER_USCC = "组长单位信用代码"
    MEMBER_COUNT = "成员单位数"
    MEMBERS = "成员单位"
    DUES_RETURNED = "党费返还（元）"
    SPENDING = "组长单位支出（元）"
    BALANCE = "经费结余（元）"
    QUOTA = "发展党员指标（名）"
    ALLOCATED = "已分配（名）"
    RECRUITED = "已发展（名）"
    AWARD_PLACES = "评优名额（个）"
    NOMINATED = "已推荐（个）"
    WARNINGS = "预警"
    NOTES = "备注"


CLUSTER_HEADERS = (
    (ClusterColumn.NAME, 20),
    (ClusterColumn.FORMED_YEAR, 8),
    (ClusterColumn.LEADER, 30),
    (ClusterColumn.LEADER_USCC, 22),
    (ClusterColumn.MEMBER_COUNT, 8),
    (ClusterColumn.MEMBERS, 50),
    (ClusterColumn.DUES_RETURNED, 12),
    (ClusterColumn.SPENDING, 12),
    (ClusterColumn.BALANCE, 12),
    (ClusterColumn.QUOTA, 10),
    (ClusterColumn.ALLOCATED, 10),
    (ClusterColumn.RECRUITED, 10),
    (ClusterColumn.AWARD_PLACES, 10),
    (ClusterColumn.NOMINATED, 10),
    (ClusterColumn.WARNINGS, 30),
    (ClusterColumn.NOTES, 20),
)

# every record of the clusters' years, so that ParkDesk's own workbook brings them back
CLUSTER_RECORD_SHEET = "编组记录"


class ClusterRecordColumn(StrEnum):
    """The headers of the 编组记录 sheet, as the export writes them and ParkDesk reads them back."""

    CLUSTER = "编组名称"
    YEAR = "年度"
    KIND = "类别"
    DATED = "日期"
    UNIT = "成员单位"
    USCC = "成员单位信用代码"
    AMOUNT = "数额"
    SECOND_AMOUNT = "第二数额"
    TITLE = "名称"
    AWARD = "所属奖项"
    TEXT = "内容"
    SCORE = "得分"
    HONOURED = "获表彰"


CLUSTER_RECORD_HEADERS = (
    (ClusterRecordColumn.CLUSTER, 20),
    (ClusterRecordColumn.YEAR, 8),
    (ClusterRecordColumn.KIND, 12),
    (ClusterRecordColumn.DATED, 12),
    (ClusterRecordColumn.UNIT, 30),
    (ClusterRecordColumn.USCC, 22),
    (ClusterRecordColumn.AMOUNT, 10),  # yuan for money, else members or places
    (ClusterRecordColumn.SECOND_AMOUNT, 10),  # recruited; rank
    (ClusterRecordColumn.TITLE, 20),  # purpose, award, person nominated
    (ClusterRecordColumn.AWARD, 20),  # the award a nomination is for
    (ClusterRecordColumn.TEXT, 40),
    (ClusterRecordColumn.SCORE, 8),
    (ClusterRecordColumn.HONOURED, 8),
)

# 结对帮带: both units with their classes when it began and now; the entries one a line
PAIRING_SHEET = "结对帮带"


class PairingColumn(StrEnum):
    """The headers of the 结对帮带 sheet, as the export writes them and ParkDesk reads them back."""

    HELPER = "帮带单位"
    HELPER_USCC = "帮带单位信用代码"
    HELPER_CLASS_AT_START = "帮带单位开始时分类"
    HELPER_CLASS_NOW = "帮带单位现分类"
    HELPED = "被帮带单位"
    HELPED_USCC = "被帮带单位信用代码"
    HELPED_CLASS_AT_START = "被帮带单位开始时分类"
    HELPED_CLASS_NOW = "被帮带单位现分类"
    DIRECTION = "帮带方向"
    STARTED_ON = "开始日期"
    ENDED_ON = "结束日期"
    GOAL = "帮带目标"
    OUTCOME = "帮带成效"
    ENTRIES = "帮带记录"


PAIRING_HEADERS = (
    (PairingColumn.HELPER, 30),
    (PairingColumn.HELPER_USCC, 22),
    (PairingColumn.HELPER_CLASS_AT_START, 10),
    (PairingColumn.HELPER_CLASS_NOW, 10),
    (PairingColumn.HELPED, 30),
    (PairingColumn.HELPED_USCC, 22),
    (PairingColumn.HELPED_CLASS_AT_START, 10),
    (PairingColumn.HELPED_CLASS_NOW, 10),
    (PairingColumn.DIRECTION, 14),
    (PairingColumn.STARTED_ON, 12),
    (PairingColumn.ENDED_ON, 12),
    (PairingColumn.GOAL, 30),
    (PairingColumn.OUTCOME, 30),
    (PairingColumn.ENTRIES, 44),
)
# 走访整改: the quarter's visits, one line per problem found (a visit without one on a
# line of its own), then the problems from before still open or closed in the quarter
VISIT_SHEET = "走访整改"


class VisitColumn(StrEnum):
    """The headers of the 走访整改 sheet, as the export writes them and ParkDesk reads them back."""

    DAY = "走访日期"
    UNIT = "单位"
    USCC = "统一社会信用代码"
    KIND = "走访方式"
    INSTRUCTORS = "指导员"
    CONTENT = "走访内容"
    PROBLEM = "发现问题"
    NATURE = "问题性质"
    RECTIFICATION = "整改要求"
    RESPONSIBLE = "责任人"
    DEADLINE = "整改期限"
    STATUS = "整改状态"
    VERIFIED_ON = "核验日期"
    VERIFY_NOTE = "核验意见"
    PROBLEM_ID = "问题编号"
    PROBLEM_UNITS = "问题涉及单位"
    VISIT_ID = "走访编号"


VISIT_HEADERS = (
    (VisitColumn.DAY, 12),
    (VisitColumn.UNIT, 30),
    (VisitColumn.USCC, 22),
    (VisitColumn.KIND, 12),
    (VisitColumn.INSTRUCTORS, 12),
    (VisitColumn.CONTENT, 36),
    (VisitColumn.PROBLEM, 30),
    (VisitColumn.NATURE, 8),
    (VisitColumn.RECTIFICATION, 30),
    (VisitColumn.RESPONSIBLE, 10),
    (VisitColumn.DEADLINE, 12),
    (VisitColumn.STATUS, 8),
    (VisitColumn.VERIFIED_ON, 12),
    (VisitColumn.VERIFY_NOTE, 24),
    (VisitColumn.PROBLEM_ID, 38),
    # what a read-back needs: every unit of a problem (a credit code, or the name of a
    # unit without one), and the visit's own number
    (VisitColumn.PROBLEM_UNITS, 40),
    (VisitColumn.VISIT_ID, 38),
)


class AssignmentColumn(StrEnum):
    """The headers of the 联系分工 sheet, as the export writes them and ParkDesk reads them back."""

    INSTRUCTOR = "指导员"
    UNIT = "联系单位"
    USCC = "统一社会信用代码"
    ROLE = "联系方式"
    STARTED_ON = "开始日期"
    ENDED_ON = "结束日期"


ASSIGNMENT_HEADERS = (
    (AssignmentColumn.INSTRUCTOR, 10),
    (AssignmentColumn.UNIT, 34),
    (AssignmentColumn.USCC, 22),
    (AssignmentColumn.ROLE, 10),
    (AssignmentColumn.STARTED_ON, 12),
    (AssignmentColumn.ENDED_ON, 12),
    (INSTRUCTOR_ID_HEADER, 38),
)
