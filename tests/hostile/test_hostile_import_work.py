"""A registry import's work kept in proportion (issue 23): the registry read while the
sheet is parsed, not while its size is checked; names, credit codes and instructors'
names read a column at a time; the range entries of rows created written without the
ORM; a changed organization's UPDATE setting only what changes. Each counted here, so
a slip back fails a test, not only a bench; the rows imported stay the same."""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path

import pytest

from app.db.database import Database
from app.exchange import columns, importer, reader
from app.exchange.records import REGISTRY_COLUMNS
from app.services.workbooks.import_apply import apply_import
from app.services.workbooks.imports import preview_import
from app.services.workbooks.registry_read import registry_records
from tests.conftest import write_xlsx


def _own_registry(db: Database, tmp_path: Path, name: str = "名录.xlsx") -> tuple[Path, int]:
    rows = [[rec.get(c.key) for c in REGISTRY_COLUMNS] for rec in registry_records(db)]
    book = write_xlsx(tmp_path / name, [[c.header for c in REGISTRY_COLUMNS], *rows])
    return book, len(rows)


def test_the_registry_is_read_once_the_sheet_is_checked(
    demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the size check holds the GIL (the sheet's XML looked through in Python) and so does
    # reading the registry: taking turns they delayed the parse that follows the check
    book, _n = _own_registry(demo_db, tmp_path)
    order: list[str] = []
    real_check, real_load = reader._check_size, importer.load_registry

    def slow_check(*args: object) -> bool | None:
        time.sleep(0.2)
        order.append("checked")
        return real_check(*args)  # type: ignore[arg-type]

    def load(*args: object) -> object:
        order.append("registry")
        return real_load(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(reader, "_check_size", slow_check)
    monkeypatch.setattr(importer, "load_registry", load)
    preview = preview_import(demo_db, book)
    assert order == ["checked", "registry"]
    assert preview.count("unchanged") == len(preview.rows) > 0


def test_a_refused_file_does_not_leave_the_registry_waiting(db: Database, tmp_path: Path) -> None:
    # the registry waits for the sheet's check: a file refused before any sheet is
    # checked still ends the wait, with the file's own message
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"PK\x03\x04 not a zip at all")
    with pytest.raises(reader.WorkbookError, match="损坏"):
        preview_import(db, bad)


def test_names_codes_and_instructors_are_read_a_column_at_a_time(
    demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a cell read on its own costs a call or three: the park's own registry back reads
    # its names, registered codes and instructors' names without one each
    book, n = _own_registry(demo_db, tmp_path)
    records = registry_records(demo_db)
    names_and_codes = {r["name"] for r in records} | {r["uscc"] for r in records if r["uscc"]}
    instructors = {r["instructor"] for r in records if r["instructor"]}
    calls: list[object] = []
    real = columns._one

    def counted(normalize: object, raw: object) -> object:
        calls.append(raw)
        return real(normalize, raw)  # type: ignore[arg-type]

    monkeypatch.setattr(columns, "_one", counted)
    preview = preview_import(demo_db, book)
    assert preview.count("unchanged") == n
    # only the distinct values of the few-valued columns (kinds, yes/no, counts, dates)
    assert not names_and_codes & set(calls)
    assert instructors and not instructors & set(calls)


def test_a_column_read_at_once_says_what_a_cell_said(tmp_path: Path, db: Database) -> None:
    # blank, spaced and separator-only cells, a code written with spaces, a number for a
    # name: as each cell said before, row by row
    from app.domain.uscc import make_valid

    code = make_valid("91340000MA2N0001A")
    rows = [
        ["组织名称", "统一社会信用代码", "组织类型", "党建指导员"],
        ["  甲公司 ", code, "非公企业", " 张三、李四 ，王五 "],
        ["乙公司", f" {code[:4]} {code[4:]}", "非公企业", "、"],
        ["   ", "", "非公企业", "   "],
        [2024, "", "社会团体", 12],
    ]
    preview = preview_import(db, write_xlsx(tmp_path / "杂.xlsx", rows))
    first, second, blank, number = preview.rows
    assert first.values["name"] == "甲公司"
    assert first.values["instructor"] == ["张三", "李四", "王五"]
    assert second.values.get("instructor") == []
    assert [e.reason for e in second.errors] == ["uscc_duplicate"]
    assert [e.reason for e in blank.errors] == ["name_missing"]
    assert "instructor" not in blank.values
    assert number.values["name"] == "2024" and number.values["instructor"] == ["12"]


def test_rows_created_are_logged_without_an_orm_object_each_table(
    demo_db: Database, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # one range entry per table of rows created, written as it is: through the ORM each
    # was a flush of its own (a few milliseconds, five or six an import)
    from app.db import models
    from app.db.database import open_database
    from app.services.workbooks import imports

    book, n = _own_registry(demo_db, tmp_path)
    empty = open_database(tmp_path / "空" / "parkdesk.sqlite3")
    made: list[object] = []
    real_init = models.AuditEntry.__init__

    def counted(self: object, **kwargs: object) -> None:
        made.append(kwargs.get("entity"))
        real_init(self, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(models.AuditEntry, "__init__", counted)
    try:
        result = apply_import(empty, preview_import(empty, book))
        assert result.created == n and made == []
        with empty.read_connection() as conn:
            ranges = conn.execute(
                "SELECT entity, entity_id, last_entity_id, entity_uuid, before, after, undone"
                " FROM audit_entry WHERE change_id = ? ORDER BY id",
                (result.change_id,),
            ).fetchall()
        assert ("organization", 1, n, "", None, None, 0) in ranges
        imports.undo_import(empty, imports.list_logs(empty)[0].id)
        with empty.read_connection() as conn:
            assert conn.execute("SELECT count(*) FROM organization").fetchone() == (0,)
    finally:
        empty.dispose()


def test_a_changed_organization_is_updated_in_what_changes(
    demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a tenth of the rows back with one more member each: one narrow UPDATE for all of
    # them, not every column the sheet gives (thirteen statements, one per set of blanks)
    rows = [[rec.get(c.key) for c in REGISTRY_COLUMNS] for rec in registry_records(demo_db)]
    at = [c.key for c in REGISTRY_COLUMNS].index("formal_members")
    for row in rows[::10]:
        row[at] = (row[at] or 0) + 1
    book = write_xlsx(tmp_path / "改.xlsx", [[c.header for c in REGISTRY_COLUMNS], *rows])
    preview = preview_import(demo_db, book)
    assert preview.count("changed") == len(rows[::10])
    seen: list[str] = []
    real_connect = sqlite3.dbapi2.connect  # as SQLAlchemy's dialect calls it

    def traced(*args: object, **kwargs: object) -> sqlite3.Connection:
        conn = real_connect(*args, **kwargs)  # type: ignore[arg-type]
        conn.set_trace_callback(seen.append)
        return conn

    demo_db.dispose()  # the next session opens a traced connection
    monkeypatch.setattr(sqlite3.dbapi2, "connect", traced)
    result = apply_import(demo_db, preview)
    # (the trace gives each statement with its values in place)
    updates = {
        tuple(re.findall(r"(\w+) = ", s.split(" WHERE ")[0]))
        for s in seen
        if s.startswith("UPDATE organization SET")
    }
    assert updates == {("formal_members", "updated_at")}
    assert result.updated == len(rows[::10])
    with demo_db.read_connection() as conn:
        logged = conn.execute(
            "SELECT count(*) FROM audit_entry WHERE change_id = ? AND action = 'update'"
            " AND json_extract(after, '$.formal_members') IS NOT NULL",
            (result.change_id,),
        ).fetchone()
    assert logged == (len(rows[::10]),)
