"""app/db/dialect.py: each SQLite form does what its function says, run on SQLite; each
PostgreSQL form says none of SQLite's own words (issue 24: the queries write SQLite's
constructs through these functions only)."""

from __future__ import annotations

import inspect
import sqlite3
from pathlib import Path

import pytest

from app.db import dialect
from tests.test_architecture import _SQLITE_ONLY


@pytest.fixture
def conn() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    yield conn
    conn.close()


def test_insert_or_replace_keeps_one_row_per_key_the_newest(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT UNIQUE, v TEXT)")
    sql = dialect.insert_or_replace("t", ("k", "v"), ("k",))
    conn.execute(sql, ("a", "old"))
    conn.execute(sql, ("a", "new"))
    conn.execute(sql, ("b", "x"))
    assert conn.execute("SELECT k, v FROM t ORDER BY k").fetchall() == [("a", "new"), ("b", "x")]


def test_insert_or_ignore_leaves_the_row_there(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TEMP TABLE scope (id INTEGER PRIMARY KEY, note TEXT)")
    sql = dialect.insert_or_ignore("temp.scope", "VALUES (?, ?)")
    conn.executemany(sql, [(1, "first"), (1, "again"), (2, "other")])
    assert conn.execute("SELECT * FROM scope ORDER BY id").fetchall() == [
        (1, "first"),
        (2, "other"),
    ]


@pytest.mark.parametrize(
    ("text", "part", "held"),
    [("a%b", "%", True), ("ab", "%", False), ("x_y", "_", True), ("xy", "_", False)],
)
def test_contains_takes_the_part_literally(
    conn: sqlite3.Connection, text: str, part: str, held: bool
) -> None:
    (got,) = conn.execute(f"SELECT {dialect.contains('?', '?')}", (text, part)).fetchone()
    assert bool(got) is held


def test_json_member_of_json_text_only(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE ledger (summary TEXT)")
    conn.executemany(
        "INSERT INTO ledger VALUES (?)",
        [('{"field_database": "A"}',), ('{"field_database": "B"}',), ("not json",)],
    )
    where = f"{dialect.is_json('summary')} AND {dialect.json_member('summary', 'field_database')}"
    rows = conn.execute(f"SELECT summary FROM ledger WHERE {where} = ?", ("A",)).fetchall()
    assert rows == [('{"field_database": "A"}',)]


def test_json_list_of_arrays_and_json_in_the_subquerys_order(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE a (g INTEGER, name TEXT)")
    conn.executemany("INSERT INTO a VALUES (?, ?)", [(1, "b"), (1, "a"), (1, "c")])
    pairs = dialect.json_list(dialect.json_array("name, g"), "name")
    links = dialect.json_list(dialect.as_json("l"), "name")
    (got,) = conn.execute(
        f"SELECT {pairs} FROM (SELECT name, g FROM a WHERE g = ? ORDER BY name)", (1,)
    ).fetchone()
    assert got == '[["a",1],["b",1],["c",1]]'
    (got,) = conn.execute(
        f"SELECT {links} FROM (SELECT {dialect.json_array('name')} AS l, name FROM a"
        " ORDER BY name DESC)"
    ).fetchone()
    assert got == '[["c"],["b"],["a"]]'  # arrays nested, not strings
    (empty,) = conn.execute(
        f"SELECT {dialect.json_list('name', 'name')} FROM a WHERE g = 2"
    ).fetchone()
    assert empty == "[]"


@pytest.mark.parametrize(
    ("elected", "years", "postponed", "due"),
    [
        ("2021-03-31", 5, None, "2026-03-31"),
        ("2021-03-31", 3, "2024-09-30", "2024-09-30"),
        ("2024-02-29", 3, "2026-01-01", "2027-03-01"),  # no 29 February in 2027
    ],
)
def test_dates_a_term_falls_due(
    conn: sqlite3.Connection, elected: str, years: int, postponed: str | None, due: str
) -> None:
    later = dialect.later_date(dialect.years_after("?", "?"), "?")
    (got,) = conn.execute(f"SELECT {later}", (elected, years, postponed)).fetchone()
    assert got == due
    (margin,) = conn.execute(f"SELECT {dialect.days_after('?', 5)}", ("2026-12-29",)).fetchone()
    assert margin == "2027-01-03"


def test_same_as_takes_null_as_equal_to_null(conn: sqlite3.Connection) -> None:
    same = dialect.same_as("?", "?")
    got = [
        conn.execute(f"SELECT {same}", pair).fetchone()[0]
        for pair in [(None, None), ("A", "A"), ("A", None), ("A", "B")]
    ]
    assert got == [1, 1, 0, 0]


def test_indexed_by_reads_through_the_named_index(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE s (id INTEGER PRIMARY KEY, period INTEGER, total INTEGER)")
    conn.execute("CREATE INDEX ix_s_ranking ON s (period, total)")
    plan = conn.execute(
        f"EXPLAIN QUERY PLAN SELECT total FROM {dialect.indexed_by('s x', 'ix_s_ranking')}"
        " WHERE x.period = 1"
    ).fetchall()
    assert any("ix_s_ranking" in row[-1] for row in plan)
    with pytest.raises(sqlite3.OperationalError, match="no such index"):
        conn.execute(f"SELECT 1 FROM {dialect.indexed_by('s', 'ix_gone')}")


def test_attach_copies_the_schema_tables_before_indexes(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "office.sqlite3")
    try:
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("CREATE INDEX ix_t_name ON t (name)")
        conn.execute("CREATE TABLE u (id INTEGER PRIMARY KEY)")
        conn.execute(dialect.attach("field"), (str(tmp_path / "field.sqlite3"),))
        schema = conn.execute(dialect.created_schema("main")).fetchall()
        assert [t for t, _n, _s in schema] == ["table", "table", "index"]
        conn.execute("CREATE TABLE field.t (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO field.t VALUES (1, 'x')")
        conn.commit()
        conn.execute(dialect.detach("field"))
        with pytest.raises(sqlite3.OperationalError):
            conn.execute("SELECT * FROM field.t")
    finally:
        conn.close()
    field = sqlite3.connect(tmp_path / "field.sqlite3")
    try:
        assert field.execute("SELECT * FROM t").fetchall() == [(1, "x")]
    finally:
        field.close()


def test_one_file_leaves_no_write_ahead_log(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "db.sqlite3")
    try:
        conn.execute(dialect.CONNECTION_PRAGMAS[1])  # WAL, as every connection sets
        conn.execute("CREATE TABLE t (x)")
        (mode,) = conn.execute(dialect.ONE_FILE).fetchone()
    finally:
        conn.close()
    assert mode == "delete"
    assert not (tmp_path / "db.sqlite3-wal").exists()


def _postgresql_forms() -> list[tuple[str, str]]:
    """Each function's PostgreSQL form, called with placeholders for its arguments."""
    out = []
    for name, fn in inspect.getmembers(dialect, inspect.isfunction):
        params = inspect.signature(fn).parameters
        if "dialect" not in params:
            continue  # SQLite's alone (the field file's ATTACH): its portable way in the docstring
        args = {
            p: ("a", "b") if "tuple" in str(params[p].annotation) else "x"
            for p in params
            if p != "dialect"
        }
        out.append((name, fn(**args, dialect=dialect.POSTGRESQL)))
    return out


def test_postgresql_forms_say_none_of_sqlites_words() -> None:
    forms = _postgresql_forms()
    assert len(forms) >= 19  # every function with two forms is asked
    assert [(name, sql) for name, sql in forms if _SQLITE_ONLY.search(sql)] == []
    assert [(name, sql) for name, sql in forms if "?" in sql] == []  # psycopg's %s
