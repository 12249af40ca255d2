"""The registry as rows of cells, in the words the workbooks use.

One function turns the database into the export's values, so the quarterly
workbook, the submission snapshot and the "changes since" sheet agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.db.database import Database
from app.db.rule_sql import ASSIGNMENT_IN_FORCE
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


def registry_records(db: Database) -> list[dict[str, Any]]:
    """Every organization, in registry order (by name), as export cells plus its uuid."""
    keys = [c.key for c in REGISTRY_COLUMNS if c.key not in ("party_org", "instructor", "cluster")]
    with db.read_connection() as conn:
        po = dict(conn.execute("SELECT id, name FROM party_organization"))
        clusters = dict(conn.execute("SELECT id, name FROM cluster"))
        instructors: dict[int, list[str]] = {}
        for org_id, name in conn.execute(
            "SELECT a.organization_id, i.name FROM assignment a JOIN instructor i"
            f" ON i.id = a.instructor_id WHERE {ASSIGNMENT_IN_FORCE}"
            " ORDER BY i.name",
            {"today": date.today().isoformat()},
        ):
            instructors.setdefault(org_id, []).append(name)
        cols = ", ".join(["id", "uuid", "party_org_id", "cluster_id", *keys])
        out = []
        for row in conn.execute(f"SELECT {cols} FROM organization ORDER BY id"):
            org_id, uuid, po_id, cluster_id, *values = row
            record: dict[str, Any] = {"_uuid": uuid}
            for key, value in zip(keys, values, strict=True):
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
CLUSTER_HEADERS = (
    ("编组名称", 20),
    ("组建年份", 8),
    ("组长单位", 30),
    ("组长单位信用代码", 22),
    ("成员单位数", 8),
    ("成员单位", 50),
    ("党费返还（元）", 12),
    ("组长单位支出（元）", 12),
    ("经费结余（元）", 12),
    ("发展党员指标（名）", 10),
    ("已分配（名）", 10),
    ("已发展（名）", 10),
    ("评优名额（个）", 10),
    ("已推荐（个）", 10),
    ("预警", 30),
    ("备注", 20),
)

# every record of the clusters' years, so that ParkDesk's own workbook brings them back
CLUSTER_RECORD_SHEET = "编组记录"
CLUSTER_RECORD_HEADERS = (
    ("编组名称", 20),
    ("年度", 8),
    ("类别", 12),
    ("日期", 12),
    ("成员单位", 30),
    ("成员单位信用代码", 22),
    ("数额", 10),  # yuan for money, else members or places
    ("第二数额", 10),  # recruited; rank
    ("名称", 20),  # purpose, award, person nominated
    ("所属奖项", 20),  # the award a nomination is for
    ("内容", 40),
    ("得分", 8),
    ("获表彰", 8),
)

# 结对帮带: both units with their classes when it began and now; the entries one a line
PAIRING_SHEET = "结对帮带"
PAIRING_HEADERS = (
    ("帮带单位", 30),
    ("帮带单位信用代码", 22),
    ("帮带单位开始时分类", 10),
    ("帮带单位现分类", 10),
    ("被帮带单位", 30),
    ("被帮带单位信用代码", 22),
    ("被帮带单位开始时分类", 10),
    ("被帮带单位现分类", 10),
    ("帮带方向", 14),
    ("开始日期", 12),
    ("结束日期", 12),
    ("帮带目标", 30),
    ("帮带成效", 30),
    ("帮带记录", 44),
)
# 走访整改: the quarter's visits, one line per problem found (a visit without one on a
# line of its own), then the problems from before still open or closed in the quarter
VISIT_SHEET = "走访整改"
VISIT_HEADERS = (
    ("走访日期", 12),
    ("单位", 30),
    ("统一社会信用代码", 22),
    ("走访方式", 12),
    ("指导员", 12),
    ("走访内容", 36),
    ("发现问题", 30),
    ("问题性质", 8),
    ("整改要求", 30),
    ("责任人", 10),
    ("整改期限", 12),
    ("整改状态", 8),
    ("核验日期", 12),
    ("核验意见", 24),
    ("问题编号", 38),
    # what a read-back needs: every unit of a problem (a credit code, or the name of a
    # unit without one), and the visit's own number
    ("问题涉及单位", 40),
    ("走访编号", 38),
)
ASSIGNMENT_HEADERS = (
    ("指导员", 10),
    ("联系单位", 34),
    ("统一社会信用代码", 22),
    ("联系方式", 10),
    ("开始日期", 12),
    ("结束日期", 12),
    (INSTRUCTOR_ID_HEADER, 38),
)
