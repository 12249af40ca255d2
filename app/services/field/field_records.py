"""The records that travel between the clerk's database and an instructor's laptop
(visits, problems, scores, corrections), written as portable data: every reference
by uuid (a unit, an instructor, a visit) or by code (a period), never by a row id,
which differs between the two databases. One home for reading them from a database
and for writing them into one; field packages, return packages and the merge use it.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from app.db.queries import records as q

# parents first: a problem before the steps of its history (problem_event)
ENTITIES = ("visit", "problem", "problem_event", "assessment_score", "correction")
# written by whoever changed the record last: not compared, not a conflict; and the
# identities of a record's link rows (a visit's instructors and attachments, a problem's
# units: [table, what it links…, uuid]), so a link travels as itself and every copy
# holds it under one uuid — what it links is compared (instructors, attachments, units)
META = ("row_version", "changed_by", "links")

# fields that hold together: a conflict on one settles them all from the side chosen
# (a status taken from one side and a verifier's note from the other would make a
# rectification 已整改 with a verification)
GROUPS = {
    "problem": (("status", "verified_on", "verify_note"),),
    # who entered the scores goes with them (on a laptop: the instructor; here: the clerk)
    "assessment_score": (("scores", "bonus", "veto", "note", "entered_by"),),
}
# fields that are not a question of their own: each goes with its group's choice, and
# when nothing else in the group conflicts this copy's value stays
FOLLOWERS = {"assessment_score": frozenset({"entered_by"})}


@dataclass(slots=True)
class Record:
    entity: str
    uuid: str
    row_version: int
    data: dict[str, Any]


def read(conn: sqlite3.Connection, entity: str, where: str = "", args: tuple = ()) -> list[Record]:
    """The entity's records (all, or those ``where`` selects, on its alias)."""
    sql = q.records_sql(q.RECORDS[entity], where)
    return [
        Record(entity, uuid, version, json.loads(data))
        for uuid, version, data in conn.execute(sql, args)
    ]


def read_all(conn: sqlite3.Connection) -> dict[tuple[str, str], Record]:
    return {(r.entity, r.uuid): r for e in ENTITIES for r in read(conn, e)}


def compared(data: dict[str, Any]) -> dict[str, Any]:
    """The fields a merge compares (who changed it last is not one)."""
    return {k: v for k, v in data.items() if k not in META}


class MissingReference(LookupError):
    """A record names a unit, an instructor, a visit or a period this database lacks."""


class Writer:
    """Writes portable records into a database through its sqlite3 connection,
    inside the caller's transaction; references are resolved by uuid."""

    def __init__(self, conn: sqlite3.Connection, actor: str, stamp: str) -> None:
        self.conn, self.actor, self.stamp = conn, actor, stamp

    def _id(self, table: str, column: str, value: Any) -> int | None:
        if value is None:
            return None
        row = self.conn.execute(q.id_by_sql(table, column), (value,)).fetchone()
        if row is None:  # the preview keeps these out (units_gone.py): a last guard, in words
            kind = {"organization": "单位", "instructor": "指导员", "visit": "走访"}.get(
                table, "记录"
            )
            raise MissingReference(
                f"回传包中的记录所指的{kind}在本数据库中已不存在，未写入任何内容"
            )
        return int(row[0])

    def id_of(self, entity: str, uuid: str) -> int | None:
        row = self.conn.execute(q.id_by_sql(entity, "uuid"), (uuid,)).fetchone()
        return None if row is None else int(row[0])

    def write(self, record: Record, version: int) -> int:
        """Insert the record, or update the row with its uuid, to ``record.data``."""
        data = record.data
        ident = self.id_of(record.entity, record.uuid)
        columns = getattr(self, f"_{record.entity}")(data)
        columns |= {"row_version": version, "changed_by": data.get("changed_by") or self.actor}
        if record.entity in ("visit", "problem", "correction"):
            columns["updated_at"] = self.stamp
        if ident is None:
            columns["uuid"] = record.uuid
            if record.entity in ("visit", "problem", "correction"):
                columns["created_at"] = self.stamp
            names = list(columns)
            cur = self.conn.execute(q.insert_sql(record.entity, names), [columns[n] for n in names])
            ident = int(cur.lastrowid or 0)
        else:
            self.conn.execute(
                q.update_by_id_sql(record.entity, list(columns)), [*columns.values(), ident]
            )
        self._links(record.entity, ident, data)
        return ident

    def _visit(self, d: dict[str, Any]) -> dict[str, Any]:
        return {
            "organization_id": self._id("organization", "uuid", d["org"]),
            "visited_on": d["visited_on"],
            "kind": d["kind"],
            "content": d.get("content", ""),
            "people_met": d.get("people_met", ""),
        }

    def _problem(self, d: dict[str, Any]) -> dict[str, Any]:
        return {
            "visit_id": self._id("visit", "uuid", d.get("visit")),
            "text": d["text"],
            "common": 1 if d.get("common") else 0,
            "rectification": d.get("rectification", ""),
            "responsible": d.get("responsible", ""),
            "deadline": d.get("deadline"),
            "status": d.get("status", "open"),
            "raised_on": d["raised_on"],
            "verified_on": d.get("verified_on"),
            "verify_note": d.get("verify_note", ""),
            "source": d.get("source", ""),
        }

    def _problem_event(self, d: dict[str, Any]) -> dict[str, Any]:
        return {
            "problem_id": self._id("problem", "uuid", d["problem"]),
            "from_status": d.get("from") or "",
            "to_status": d["to"],
            "note": d.get("note", ""),
            "happened_on": d["on"],
            "created_at": d.get("at") or self.stamp,  # when it was typed, for the order
        }

    def _assessment_score(self, d: dict[str, Any]) -> dict[str, Any]:
        from app.services.assessment.assessments import period_row, total_tenths

        period_id, _published, scheme = period_row(self.conn, d["period"])
        from decimal import Decimal

        scores = json.loads(d.get("scores") or "{}")
        return {
            "period_id": period_id,
            "organization_id": self._id("organization", "uuid", d["org"]),
            "class_code": d.get("class_code"),
            "scores": d.get("scores") or "{}",
            "bonus": d.get("bonus") or "0",
            "total_tenths": total_tenths(scheme, scores, Decimal(d.get("bonus") or "0")),
            "veto": d.get("veto", ""),
            "note": d.get("note", ""),
            "entered_by": d.get("entered_by", ""),
            "updated_at": self.stamp,
        }

    def _correction(self, d: dict[str, Any]) -> dict[str, Any]:
        return {
            "organization_id": self._id("organization", "uuid", d["org"]),
            "field": d["field"],
            "value": d.get("value", ""),
            "note": d.get("note", ""),
            "status": d.get("status", "open"),
        }

    def _links(self, entity: str, ident: int, d: dict[str, Any]) -> None:
        """A visit's instructors and attachments, a problem's units: set as listed; a
        link made here takes the uuid the record carries for it (``links``)."""
        carried = {(link[0], *link[1:-1]): link[-1] for link in d.get("links", []) if len(link) > 2}
        if entity == "visit":
            self._set_links(
                "visit_instructor",
                "visit_id",
                ident,
                ["instructor_id"],
                {
                    (self._id("instructor", "uuid", u),): carried.get(("visit_instructor", u))
                    for u in d.get("instructors", [])
                },
            )
            self._set_links(
                "visit_attachment",
                "visit_id",
                ident,
                ["name", "stored"],
                {
                    (name, stored): carried.get(("visit_attachment", name, stored))
                    for name, stored in d.get("attachments", [])
                },
            )
        elif entity == "problem":
            self._set_links(
                "problem_unit",
                "problem_id",
                ident,
                ["organization_id"],
                {
                    (self._id("organization", "uuid", u),): carried.get(("problem_unit", u))
                    for u in d.get("units", [])
                },
            )

    def _set_links(
        self, table: str, key: str, ident: int, names: list[str], wanted: dict[tuple, str | None]
    ) -> None:
        """The link rows of ``ident`` made ``wanted`` (what each links → its uuid, if
        carried): a link already here keeps its own uuid, a new one takes the carried
        uuid unless a row here has it (a tampered package), then a uuid of its own."""
        from uuid import uuid4

        have = {
            tuple(r[1:]): r[0]
            for r in self.conn.execute(q.link_rows_sql(table, names, key), (ident,))
        }
        for values, row_id in have.items():
            if values not in wanted:
                self.conn.execute(q.delete_by_id_sql(table), (row_id,))
        for values in sorted(wanted.keys() - have.keys(), key=str):
            uid = wanted[values]
            taken = uid and self.conn.execute(q.uuid_taken_sql(table), (uid,)).fetchone()
            cols = ["uuid", key, *names]
            self.conn.execute(
                q.insert_sql(table, cols),
                (uid if uid and not taken else str(uuid4()), ident, *values),
            )


# each field as the clerk reads it (the merge's conflicts, the preview)
FIELD_LABELS = {
    "*": "整条记录",
    "org": "单位",
    "visited_on": "走访日期",
    "kind": "方式",
    "content": "走访内容",
    "people_met": "见到的人",
    "instructors": "指导员",
    "attachments": "附件",
    "visit": "所属走访",
    "text": "问题",
    "common": "共性问题",
    "rectification": "整改要求",
    "responsible": "责任人",
    "deadline": "整改期限",
    "status": "状态",
    "raised_on": "提出日期",
    "verified_on": "核验日期",
    "verify_note": "核验意见",
    "source": "来源",
    "units": "涉及单位",
    "period": "考核期",
    "class_code": "分类",
    "scores": "各项得分",
    "bonus": "特色工作加分",
    "veto": "否决",
    "note": "备注",
    "entered_by": "录入人",
    "field": "更正项目",
    "value": "更正内容",
    "problem": "所属问题",
    "from": "原状态",
    "to": "新状态",
    "on": "日期",
    "at": "记录时间",
    "links": "关联记录",
    # not a field to choose: each side's latest note beside a status conflict (both kept)
    "status_note": "整改说明（两边都保留）",
}


def value_text(key: str, value: Any) -> str:
    """A field's value as the clerk reads it: statuses and kinds by their Chinese names."""
    from app.domain.vocabulary import ProblemStatus, VisitKind

    if value is None or value == "":
        return "（空）"
    if key in ("status", "from", "to"):
        found = ProblemStatus.by_value().get(value)
        return found.label if found else str(value)
    if key == "kind":
        found_kind = VisitKind.by_value().get(value)
        return found_kind.label if found_kind else str(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return f"{len(value)}项"
    if key == "scores" and isinstance(value, str):
        try:
            return "，".join(f"{k}{v}" for k, v in json.loads(value).items())
        except ValueError:
            return value
    return str(value)
