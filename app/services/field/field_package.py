"""The field package: what an instructor takes on a laptop without a network, made by
the clerk for an instructor (their units) or for chosen units, and opened there as a
field database.

It is a ParkDesk database holding only those units (with their party organizations,
classes, pairings, scores, visits and problems; the schemes and periods; the
instructors), built by copying rows with SQL into a new file that has the clerk's
schema: a package of 200 units out of 50,000 takes a fraction of a second, where
copying the whole database and deleting the rest would take many. The field database
remembers what each travelling record was (field_base), for the return package.
Beside the database travels ``office.json`` (field_office.py): the published results
as the office ranked them over the whole park, which a laptop cannot work out.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import sqlite3
import tempfile
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from app import os_errors
from app.db.database import Database, open_database
from app.db.migrate import SCHEMA_HEAD
from app.db.queries import field as q
from app.db.queries.files import FOREIGN_KEY_CHECK_SQL
from app.db.queries.park import OWN_PARK_SQL
from app.db.sqlite_file import quick_check_ok
from app.domain import uscc

# SUFFIX and PackageError re-exported: the window names packages through this service
from app.exchange.packages import SUFFIX as SUFFIX
from app.exchange.packages import PackageError as PackageError
from app.exchange.packages import open_package, write_package
from app.output_guard import refuse_protected
from app.services.field import field_office, field_office_make, field_records, lineage
from app.services.field.field_identity import FIELD_SETTING as FIELD_SETTING
from app.services.field.field_identity import FieldInfo as FieldInfo
from app.services.field.field_identity import field_info as field_info


@dataclass(frozen=True, slots=True)
class FieldPackageResult:
    package_id: str
    units: int
    visits: int
    problems: int
    path: Path


def scope_of(db: Database, instructor: str | None, usccs: list[str]) -> tuple[str, list[int]]:
    """The units a package is for: the instructor's (as assigned today) or those named."""
    today = date.today().isoformat()
    with db.read_connection() as conn:
        if instructor:
            found = conn.execute(q.INSTRUCTOR_BY_NAME, (instructor.strip(),)).fetchall()
            if len(found) != 1:
                raise ValueError(
                    f"没有名为“{instructor}”的指导员"
                    if not found
                    else f"有{len(found)}位指导员叫“{instructor}”"
                )
            ids = [
                r[0]
                for r in conn.execute(
                    q.UNITS_OF_INSTRUCTOR,
                    {"who": found[0][0], "today": today},
                )
            ]
            if not ids:
                raise ValueError(f"指导员“{instructor}”目前没有联系的单位")
            return instructor.strip(), ids
        ids = []
        for code in usccs:
            row = conn.execute(q.ORGANIZATION_BY_USCC, (uscc.lookup_key(code),)).fetchone()
            if row is None:
                raise ValueError(f"台账中没有统一社会信用代码为{code}的组织")
            ids.append(row[0])
        if not ids:
            raise ValueError("请指定指导员或至少一个单位")
        return "", ids


def make_field_package(
    db: Database, out: Path, instructor: str | None = None, usccs: list[str] | None = None
) -> FieldPackageResult:
    """Write the field package for ``instructor`` (or the units ``usccs``) to ``out``."""
    from app.services.county.county_db import refuse_county

    refuse_county(db)  # a county keeps no units to visit
    name, ids = scope_of(db, instructor, usccs or [])
    package_id = str(uuid.uuid4())
    with tempfile.TemporaryDirectory(prefix="parkdesk-field-") as tmp:
        field_db = Path(tmp) / "field.sqlite3"
        _copy_rows(db.path, field_db, ids)
        with db.read_connection() as conn:
            own = conn.execute(OWN_PARK_SQL).fetchone()
            park_name = own[0] if own else ""
            made_by = lineage.identity(conn)
        info = {
            "package_id": package_id,
            "park_id": made_by.database_id,
            "office_id": made_by.office_id,  # a laptop's package made again: still this park
            "park_name": park_name,
            "instructor": name,
            "made_at": datetime.now().isoformat(timespec="seconds"),
            "units": len(ids),
        }
        counts = _finish(field_db, info)
        files: dict[str, bytes | Path] = {
            "field.sqlite3": field_db,
            field_office.FILE: field_office_make.collect(db, field_db, ids, info["made_at"]),
        }
        folder = db.path.parent / "attachments"
        for stored in counts.pop("attachments"):
            if (folder / stored).is_file():
                files[f"attachments/{stored}"] = folder / stored
        manifest = {**info, "schema": SCHEMA_HEAD, "device": socket.gethostname()}
        write_package(out, "field", manifest, files)
    _ledger(db, package_id, out, name, counts)
    return FieldPackageResult(package_id, len(ids), counts["visits"], counts["problems"], out)


def _copy_rows(source: Path, target: Path, ids: list[int]) -> None:
    conn = sqlite3.connect(source, isolation_level=None)
    try:
        conn.execute(q.ATTACH_FIELD, (str(target),))
        conn.execute(q.BEGIN)
        schema = conn.execute(q.SCHEMA).fetchall()
        for kind, _name, sql in schema:
            if kind in ("table", "index"):
                conn.execute(q.into_field_sql(sql, kind))
        _scope_tables(conn, ids)
        for table, where in q.COPIED.items():
            conn.execute(q.copy_rows_sql(table, where))
        conn.execute(q.UNLINK_VISITS_LEFT_HOME)
        # made once the rows are in: the laptop keeps published periods frozen too
        for kind, _name, sql in schema:
            if kind == "trigger":
                conn.execute(q.into_field_sql(sql, kind))
        conn.execute(q.COMMIT)
        conn.execute(q.DETACH_FIELD)
    finally:
        conn.close()


def _scope_tables(conn: sqlite3.Connection, ids: list[int]) -> None:
    conn.execute(q.SCOPE_TABLE)
    conn.executemany(q.SCOPE_ADD, [(i,) for i in ids])
    conn.execute(q.NEAR_TABLE)
    conn.execute(q.PARTY_TABLE)


def _finish(field_db: Path, info: dict[str, Any]) -> dict[str, Any]:
    """The field database's identity and description, and its records as they are now."""
    conn = sqlite3.connect(field_db)
    try:
        with conn:
            conn.execute(q.DATABASE_ID_ADD, (str(uuid.uuid4()),))
            conn.execute(
                q.SETTING_ADD,
                (FIELD_SETTING, json.dumps(info, ensure_ascii=False)),
            )
            records = [r for e in field_records.ENTITIES for r in field_records.read(conn, e)]
            conn.executemany(
                q.FIELD_BASE_ADD,
                [
                    (r.entity, r.uuid, r.row_version, json.dumps(r.data, ensure_ascii=False))
                    for r in records
                ],
            )
        counts = {
            "visits": sum(1 for r in records if r.entity == "visit"),
            "problems": sum(1 for r in records if r.entity == "problem"),
            "attachments": [s for (s,) in conn.execute(q.ATTACHMENT_FILES)],
            # the ledger keeps them: a return package may bring records of these only
            "units": [u for (u,) in conn.execute(q.UNIT_UUIDS_IN_ORDER)],
        }
    finally:
        conn.close()
    return counts


def _ledger(db: Database, package_id: str, out: Path, instructor: str, counts: dict) -> None:
    from app.exchange.importer import file_hash
    from app.services.field import package_ledger

    with db.session() as s:
        conn = s.connection().connection.driver_connection
        package_ledger.record(
            conn,
            package_id,
            "field",
            out.name,
            counts,
            sha256=file_hash(out),
            instructor=instructor,
        )


def open_field_package(package: Path, target: Path) -> FieldInfo:
    """Make the field database ``target`` from ``package``: the package checked whole,
    its database and every record in it checked (package_check) before it takes its
    name, the photos its visits name beside it. An existing file is never replaced;
    a failure leaves nothing behind (no database, no part, no photo, no folder), and
    none is made in a backups folder or over a database (the output guard)."""
    refuse_protected(target)
    if target.exists():
        raise PackageError(f"“{target.name}”已存在：请选择一个新的文件名保存外业数据库")
    pkg = open_package(package, "field", SCHEMA_HEAD)
    made = _Made(target)
    try:
        staged = made.stage()
        pkg.extract("field.sqlite3", staged)
        _carry_office(pkg, staged)
        stored = _checked_field_database(staged, package.name)
        for name in stored:
            if f"attachments/{name}" in pkg.manifest["files"]:
                made.attachment(pkg, name)
        made.place(staged)
        db = open_database(target, daily_backup=False)
        try:
            info = field_info(db)
        finally:
            db.dispose()
    except OSError as exc:  # a full disk, a folder that cannot be written: said, not thrown
        made.undo()
        raise PackageError(os_errors.describe(exc, target, "无法写入外业数据库")) from exc
    except BaseException:
        made.undo()
        raise
    finally:
        pkg.close()
    assert info is not None  # checked above
    return info


def _carry_office(pkg: Any, database: Path) -> None:
    """The office's results (checked whole) kept in the field database being made; a
    package from before they travelled has none (its laptop then labels its own counts)."""
    if field_office.FILE not in pkg.manifest["files"]:
        return
    # refused: the caller takes back all that opening made
    data = field_office.check(pkg.read(field_office.FILE), pkg.path.name)
    conn = sqlite3.connect(database)
    try:
        with conn:
            field_office.store(conn, data)
    finally:
        conn.close()


def _checked_field_database(path: Path, package_name: str) -> list[str]:
    """The staged field database opened (an older schema upgraded) and checked: a
    ParkDesk field database, whole, every record right; the photos its visits name."""
    from sqlalchemy.exc import SQLAlchemyError

    from app.db.errors import DbProblem
    from app.services.field import package_check

    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            intact = quick_check_ok(conn)
        finally:
            conn.close()
        if not intact:
            raise sqlite3.DatabaseError("quick_check")
        open_database(path, daily_backup=False).dispose()
        conn = sqlite3.connect(path)
        try:
            package_check.check_field_database(conn, package_name)
            _references_whole(conn, package_name)
            stored = [s for (s,) in conn.execute(q.ATTACHMENT_FILES)]
            conn.execute(q.JOURNAL_ONE_FILE)  # one file, moved whole into place
            return stored
        finally:
            conn.close()
    except (sqlite3.Error, DbProblem, SQLAlchemyError) as exc:
        raise PackageError(f"“{package_name}”中的数据库已损坏或不是ParkDesk数据库") from exc


def _references_whole(conn: sqlite3.Connection, name: str) -> None:
    """Every reference the field database holds names a row it holds: a package made
    here has none dangling, a package edited by hand may (a unit of park 7, a party
    organization not there), and the laptop would keep records its database refuses."""
    from app.services.field.package_merge import ENTITY_LABELS as NAMES

    dangling = conn.execute(FOREIGN_KEY_CHECK_SQL).fetchall()
    if dangling:
        table, rowid, parent, _key = dangling[0]
        raise PackageError(
            f"“{name}”中的数据库有{len(dangling)}处引用了不存在的记录（如{NAMES.get(table, table)}"
            f"第{rowid}条引用的{NAMES.get(parent, parent)}），外业包可能被改动过，没有打开："
            "请办公室重新制作外业包"
        )


class _Made:
    """What opening a field package creates, so a failure takes all of it back."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.folders: list[Path] = []  # made here, outermost first
        self.files: list[Path] = []
        self.staging: Path | None = None

    def _folder(self, folder: Path) -> None:
        missing = [p for p in (folder, *folder.parents) if not p.exists()]
        folder.mkdir(parents=True, exist_ok=True)
        self.folders += reversed(missing)

    def stage(self) -> Path:
        """A folder of its own beside the target, for the database while it is checked."""
        self._folder(self.target.parent)
        self.staging = Path(tempfile.mkdtemp(prefix=".parkdesk-open-", dir=self.target.parent))
        return self.staging / self.target.name

    def attachment(self, pkg: Any, stored: str) -> None:
        from app.services.field import attachments

        into = self.target.parent / "attachments"
        self._folder(into)
        if not (into / stored).exists():
            attachments.keep_packed(into, pkg, stored)
            self.files.append(into / stored)

    def place(self, staged: Path) -> None:
        if self.target.exists():
            raise PackageError(f"“{self.target.name}”已存在：请选择一个新的文件名保存外业数据库")
        staged.replace(self.target)
        self.files.append(self.target)
        self._drop_staging()

    def _drop_staging(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None

    def undo(self) -> None:
        self._drop_staging()
        for path in self.files:
            for extra in ("", "-wal", "-shm", "-journal", ".lock"):
                path.with_name(path.name + extra).unlink(missing_ok=True)
        for folder in reversed(self.folders):
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty: never a file the user had
