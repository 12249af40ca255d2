"""Two copies of one database merged (`merge`) after issue 24 put the park on every
record. Copies made before the park was a row (migration 0021), each upgraded on its
own machine, were given a park uuid each: a payment recorded on the laptop came as
"park：示范工业园区 — 本机（已删除）", a conflict; taking the other copy's side failed
with a traceback (UNIQUE park.name), keeping ours dropped the payment. A copy whose
rows were made to say park_id 7 failed half-way (NOT NULL park_id). A record merged into
a park database belongs to its park, whatever the other file says; a field package whose
rows name a park (or anything) it does not hold opens nothing, and such a backup is not
restored."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import zipfile
from datetime import date
from pathlib import Path

import pytest

from app.db import migrate
from app.db.backup_check import BackupFileError, check_backup
from app.db.database import Database, open_database
from app.db.engine import make_engine
from app.domain.vocabulary import FundKind
from app.exchange.packages import PackageError
from app.services.field import database_merge, field_package
from app.services.funds import funds
from app.services.registry import party_orgs
from tests.conftest import run_main

YEAR = 2026


def _pay(db: Database, amount: str) -> None:
    org = party_orgs.choices(db)[0][0]
    draft = funds.PaymentDraft(YEAR, org, FundKind.AWARD, date(YEAR, 6, 1), amount, "区委")
    funds.add_payment(db, draft)


def _merged(db: Database, other: Path) -> None:
    merge = database_merge.preview_database_merge(db, other)
    assert merge.preview.conflicts == [], [c.entity for c in merge.preview.conflicts]
    database_merge.apply_database_merge(db, merge)


def _sound(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("PRAGMA foreign_key_check").fetchall()


def test_copies_upgraded_apart_merge_a_payment_as_one_park(
    demo_db: Database, tmp_path: Path
) -> None:
    office_path = demo_db.path
    demo_db.dispose()
    engine = make_engine(office_path)
    migrate.run_alembic(engine, "downgrade", "0020_class_count_index")  # before the park row
    engine.dispose()
    laptop_path = tmp_path / "笔记本" / "parkdesk.sqlite3"
    laptop_path.parent.mkdir()
    shutil.copy(office_path, laptop_path)
    laptop = open_database(laptop_path, daily_backup=False)  # upgraded on the laptop
    office = open_database(office_path, daily_backup=False)  # and at the office
    try:
        parks = [sqlite3.connect(p).execute("SELECT uuid FROM park").fetchall() for p in
                 (office_path, laptop_path)]  # fmt: skip
        assert parks[0] != parks[1]  # what the two migrations made
        _pay(laptop, "450.25")
        laptop.dispose()
        _merged(office, laptop_path)
        [arrived] = funds.list_payments(office, YEAR)
        assert arrived.amount == 45_025
        with sqlite3.connect(office_path) as conn:
            assert conn.execute("SELECT count(*) FROM park").fetchone() == (1,)
            assert conn.execute("SELECT DISTINCT park_id FROM fund_payment").fetchall() == [(1,)]
        assert _sound(office_path) == []
    finally:
        office.dispose()


def test_a_copy_whose_rows_name_park_7_merges_into_this_park(
    demo_db: Database, tmp_path: Path
) -> None:
    other = tmp_path / "副本.sqlite3"
    with sqlite3.connect(demo_db.path) as src, sqlite3.connect(other) as dst:
        src.backup(dst)
    copy = open_database(other, daily_backup=False)
    _pay(copy, "77")
    copy.dispose()
    with sqlite3.connect(other) as conn:  # tampered: foreign keys off, as sqlite3 opens
        conn.execute("UPDATE fund_payment SET park_id = 7")
        conn.execute("UPDATE party_organization SET park_id = 7")
    _merged(demo_db, other)
    [arrived] = funds.list_payments(demo_db, YEAR)
    assert arrived.amount == 7_700
    with sqlite3.connect(demo_db.path) as conn:
        assert conn.execute("SELECT DISTINCT park_id FROM fund_payment").fetchall() == [(1,)]
        assert conn.execute("SELECT DISTINCT park_id FROM party_organization").fetchall() == [(1,)]
    assert _sound(demo_db.path) == []
    other.unlink()  # the tampered file itself is no database to leave behind


def _repacked(package: Path, out: Path, edit: str) -> Path:
    """The field package with its database edited and the manifest's sha256 made to
    agree (as a hand that knows the format would)."""
    with zipfile.ZipFile(package) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    inner = out.parent / "field.sqlite3"
    inner.write_bytes(members["field.sqlite3"])
    with sqlite3.connect(inner) as conn:
        conn.execute(edit)
    conn.close()
    members["field.sqlite3"] = inner.read_bytes()
    inner.unlink()
    manifest = json.loads(members["manifest.json"])
    manifest["files"]["field.sqlite3"] = hashlib.sha256(members["field.sqlite3"]).hexdigest()
    members["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out


def test_a_field_package_whose_units_name_park_7_opens_nothing(
    demo_db: Database, tmp_path: Path
) -> None:
    """It opened, and the laptop kept 21 rows its own database check calls broken."""
    package = tmp_path / "周超.pdfield"
    field_package.make_field_package(demo_db, package, instructor="周超")
    laptop = tmp_path / "笔记本"
    laptop.mkdir()
    for edit in ("UPDATE organization SET park_id = 7", "UPDATE visit SET park_id = 7"):
        bad = _repacked(package, tmp_path / "改.pdfield", edit)
        with pytest.raises(PackageError) as caught:
            field_package.open_field_package(bad, laptop / "外业.sqlite3")
        assert "引用了不存在的记录" in str(caught.value) and "园区" in str(caught.value)
        assert list(laptop.iterdir()) == []
    opened = field_package.open_field_package(package, laptop / "外业.sqlite3")
    assert opened.units  # the package as made opens


def test_a_backup_whose_rows_name_park_7_is_not_restored(demo_db: Database, tmp_path: Path) -> None:
    """It was restored as it was, and every check of the database after named its 166
    units and party organizations broken."""
    backup = tmp_path / "备份" / "改过的.sqlite3"
    backup.parent.mkdir()
    with sqlite3.connect(demo_db.path) as src, sqlite3.connect(backup) as dst:
        src.backup(dst)
    with sqlite3.connect(backup) as conn:
        conn.execute("UPDATE organization SET park_id = 7 WHERE id <= 3")
    conn.close()
    with pytest.raises(BackupFileError, match="3条记录属于文件中没有的园区"):
        check_backup(backup)
    path = demo_db.path
    demo_db.dispose()
    done = run_main("--db", str(path), "restore", str(backup))
    assert done.returncode == 1 and "文件中没有的园区" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert _sound(path) == []
    backup.unlink()  # the tampered file itself is no database to leave behind
