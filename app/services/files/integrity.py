"""Whether a database holds only what ParkDesk could have written: SQLite's own check,
every reference present, every stored enumeration known, every date a date, every number
a number, every JSON readable, every status legal.

It reads the file through its own read-only connection (never the program's engine, no
migration, no backup), so it can look at any copy: `check --integrity`, and the test
suite after every test on every database the test left (silent corruption fails the
suite wherever it comes from)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Column, Date, DateTime, Integer

from app.db.models import Base
from app.db.queries import files as q
from app.db.sqlite_file import is_sqlite, open_read_only
from app.domain import vocabulary as v

# Columns that store an enumeration's code (the labels live in vocabulary.py).
_ENUMS: dict[tuple[str, str], frozenset[str]] = {}


def _enum(table: str, column: str, codes: type[v.LabeledEnum] | frozenset[str]) -> None:
    values = codes if isinstance(codes, frozenset) else frozenset(m.value for m in codes)
    _ENUMS[(table, column)] = values


_enum("organization", "kind", v.OrgKind)
_enum("organization", "social_subtype", v.SocialSubtype)
_enum("organization", "scale", v.Scale)
_enum("organization", "status", v.OrgStatus)
_enum("organization", "formation", v.Formation)
_enum("organization", "no_party_org_reason", v.NoPartyOrgReason)
_enum("organization", "class_code", v.OrgClass)
_enum("party_organization", "level", v.PartyOrgLevel)
_enum("party_organization", "formation", v.Formation)
_enum("instructor", "role", v.InstructorRole)
_enum("assignment", "role", v.AssignmentRole)
_enum("class_change", "from_class", v.OrgClass)
_enum("class_change", "to_class", v.OrgClass)
_enum("class_change", "basis", v.ClassBasis)
_enum("pairing", "helper_class_at_start", v.OrgClass)
_enum("pairing", "helped_class_at_start", v.OrgClass)
_enum("cluster_record", "kind", v.ClusterRecordKind)
_enum("fund_payment", "kind", v.FundKind)
_enum("assessment_score", "class_code", v.OrgClass)
_enum("visit", "kind", v.VisitKind)
_enum("problem", "status", v.ProblemStatus)
_enum("problem_event", "to_status", v.ProblemStatus)
# "" for the step that raised the problem
_enum("problem_event", "from_status", frozenset({"", *(m.value for m in v.ProblemStatus)}))
_enum("correction", "status", frozenset({"open", "accepted", "dismissed"}))

# Text columns holding JSON; "" is what a few of them hold before anything is written.
_JSON: dict[tuple[str, str], bool] = {
    ("audit_entry", "before"): False,
    ("audit_entry", "after"): False,
    ("import_mapping", "mapping"): False,
    ("submission", "figures"): False,
    ("submission", "snapshot"): True,  # older exports of a quarter keep none
    ("package_ledger", "summary"): True,
    ("field_base", "data"): False,
    ("assessment_score", "scores"): False,
    ("assessment_scheme", "definition"): False,
}

# at most this many faults of one kind in one column are listed (a file that is
# all wrong is told in a screenful, with the count)
_LISTED = 20


@dataclass(frozen=True)
class Fault:
    """One thing wrong: where (table, row id, column), the value found, and what is wrong."""

    table: str
    row_id: int | None
    column: str
    value: str
    problem: str

    def text(self) -> str:
        where = f"{self.table}" + (f" 第{self.row_id}条" if self.row_id is not None else "")
        column = f" {self.column}" if self.column else ""
        value = f"（{self.value}）" if self.value else ""
        return f"{where}{column}：{self.problem}{value}"


@dataclass(frozen=True)
class IntegrityReport:
    path: Path
    faults: list[Fault]
    # how many of each kind there were in all, when more were found than listed
    counts: dict[str, int]

    @property
    def ok(self) -> bool:
        return not self.faults

    def as_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "database": str(self.path),
            "faults": [asdict(f) for f in self.faults],
            "counts": self.counts,
        }


class NotADatabase(ValueError):
    """The file is not a SQLite database at all."""


def _shown(value: object) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "…"


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(q.table_info_sql(table))}


def _rows(
    conn: sqlite3.Connection, table: str, column: str, where: str, problem: str, *params: object
) -> Iterator[tuple[Fault, int]]:
    """The rows of ``table`` whose ``column`` matches ``where``, as faults, and their count."""
    count = conn.execute(q.count_where_sql(table, where), params).fetchone()[0]
    if not count:
        return
    rowid = "id" if "id" in _columns(conn, table) else "rowid"
    found = conn.execute(q.listed_where_sql(table, rowid, column, where, _LISTED), params)
    for n, (row_id, value) in enumerate(found):
        yield Fault(table, row_id, column, _shown(value), problem), count if n == 0 else 0


def _sqlite_checks(conn: sqlite3.Connection) -> Iterator[tuple[Fault, int]]:
    result = [row[0] for row in conn.execute(q.INTEGRITY_CHECK_SQL)]
    if result != ["ok"]:
        for n, line in enumerate(result[:_LISTED]):
            fault = Fault("", None, "", _shown(line), "SQLite 完整性检查未通过")
            yield fault, len(result) if n == 0 else 0


def _reference_checks(conn: sqlite3.Connection) -> Iterator[tuple[Fault, int]]:
    for table, row_id, parent, _fk in conn.execute(q.FOREIGN_KEY_CHECK_SQL):
        yield Fault(table, row_id, "", parent, "引用的记录不存在"), 1


def _column_rule(table: str, column: Column[Any]) -> tuple[str, str] | None:
    """What a wrong value of ``column`` looks like (an SQL condition), and what is wrong."""
    col, key = f'"{column.name}"', (table, column.name)
    if key in _ENUMS:
        return q.not_a_code(col, _ENUMS[key]), "不是已知的取值"
    if key in _JSON:
        return q.not_json(col, _JSON[key]), "不是可读的 JSON"
    if isinstance(column.type, DateTime):
        return q.not_a_datetime(col), "不是日期时间"
    if isinstance(column.type, Date):
        return q.not_a_date(col), "不是日期"
    if isinstance(column.type, Boolean):
        return q.not_a_boolean(col), "不是是/否"
    if isinstance(column.type, Integer):
        return q.not_an_integer(col), "不是整数"
    if column.name == "uuid":
        return q.not_a_uuid(col), "不是有效的 UUID"
    return None


def _column_checks(conn: sqlite3.Connection, tables: set[str]) -> Iterator[tuple[Fault, int]]:
    for table in Base.metadata.sorted_tables:
        if table.name not in tables:
            continue
        present = _columns(conn, table.name)
        rules = [
            (column.name, *rule)
            for column in table.columns
            if column.name in present and (rule := _column_rule(table.name, column)) is not None
        ]
        if not rules:
            continue
        # one scan of the table asks every rule at once; a table with a wrong value
        # is then asked rule by rule, to say which
        anything = q.any_where_sql(table.name, (where for _c, where, _p in rules))
        if conn.execute(anything).fetchone():
            for name, where, problem in rules:
                yield from _rows(conn, table.name, name, where, problem)


# States the services never leave, each a rule of the domain: the table, the columns it
# needs (a file of an older schema is checked for what it has), the column named, the
# rows that break the rule, and what is wrong.
_STATES: tuple[tuple[str, tuple[str, ...], str, str, str], ...] = (
    (
        "problem",
        ("status", "verified_on", "raised_on"),
        "verified_on",
        q.VERIFIED_WITHOUT_DATE,
        "已核验的问题没有核验日期",
    ),
    (
        "problem",
        ("verified_on", "raised_on"),
        "verified_on",
        q.VERIFIED_BEFORE_RAISED,
        "核验日期早于发现日期",
    ),
    (
        "assignment",
        ("started_on", "ended_on"),
        "ended_on",
        q.ASSIGNMENT_ENDS_BEFORE_START,
        "结束日期早于开始日期",
    ),
    (
        "pairing",
        ("started_on", "ended_on"),
        "ended_on",
        q.PAIRING_ENDS_BEFORE_START,
        "结束日期早于开始日期",
    ),
    (
        "organization",
        ("formal_members", "probationary_members", "activists", "employees"),
        "formal_members",
        q.NEGATIVE_COUNTS,
        "人数为负",
    ),
)


def _status_checks(conn: sqlite3.Connection, tables: set[str]) -> Iterator[tuple[Fault, int]]:
    for table, needs, column, where, problem in _STATES:
        if table in tables and set(needs) <= _columns(conn, table):
            yield from _rows(conn, table, column, where, problem)


def check_file(path: Path) -> IntegrityReport:
    """Every check on the database at ``path``, read-only. NotADatabase for a file that
    is not SQLite; a damaged file is a report of SQLite's own faults, not an error."""
    if not path.is_file() or not is_sqlite(path):
        raise NotADatabase(f"不是 SQLite 数据库文件：{path}")
    conn = open_read_only(path)
    try:
        return _check(conn, path)
    except sqlite3.DatabaseError as exc:
        fault = Fault("", None, "", _shown(str(exc)), "数据库文件无法读取")
        return IntegrityReport(path, [fault], {fault.problem: 1})
    finally:
        conn.close()


def _check(conn: sqlite3.Connection, path: Path) -> IntegrityReport:
    tables = {row[0] for row in conn.execute(q.TABLES_SQL)}
    faults: list[Fault] = []
    counts: dict[str, int] = {}

    def take(found: Iterator[tuple[Fault, int]]) -> None:
        for fault, count in found:
            faults.append(fault)
            if count:
                label = f"{fault.table}.{fault.column}：{fault.problem}".lstrip(".：")
                counts[label] = counts.get(label, 0) + count

    take(_sqlite_checks(conn))
    if not faults:  # a file SQLite finds damaged: its rows are not worth reading
        take(_reference_checks(conn))
        take(_column_checks(conn, tables))
        take(_status_checks(conn, tables))
    return IntegrityReport(path, faults, counts)
