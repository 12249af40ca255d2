from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect

from app.db import migrate
from app.db.backup import list_backups
from app.db.database import open_database
from app.db.engine import make_engine
from app.db.errors import DbProblem, DbProblemKind


def test_upgrade_empty_database_to_head(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "empty.sqlite3")
    assert migrate.upgrade(engine, None) is True
    assert migrate.current_revision(engine) == migrate.head_revision()
    tables = set(inspect(engine).get_table_names())
    assert {
        "organization",
        "party_organization",
        "instructor",
        "assignment",
        "audit_entry",
    } <= tables
    assert migrate.upgrade(engine, None) is False  # already at head
    engine.dispose()


def test_models_and_migrations_agree(tmp_path: Path) -> None:
    """alembic check on the schema the migrations build: autogenerate finds nothing to add
    (a new database gets its schema from the models, not from the migrations)."""
    engine = make_engine(tmp_path / "check.sqlite3")
    migrate.run_alembic(engine, "upgrade", "head")
    migrate.run_alembic(engine, "check")
    engine.dispose()


def test_foreign_keys_back_on_after_migration(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "fk.sqlite3")
    migrate.upgrade(engine, None)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()


def test_backup_taken_before_migrating_an_older_database(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    engine = make_engine(path)
    migrate.upgrade(engine, None)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num='0099'")
    engine.dispose()
    # a later ParkDesk's revision (our form, numbered past the head) is refused as newer
    with pytest.raises(DbProblem) as err:
        open_database(path)
    assert err.value.kind is DbProblemKind.TOO_NEW


def test_a_file_that_is_not_sqlite_is_not_parkdesks_and_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "笔记.txt"
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(DbProblem) as err:
        open_database(path)
    assert err.value.kind is DbProblemKind.NOT_PARKDESK
    assert "不是 ParkDesk 的数据库" in err.value.message and "没有改动" in err.value.message
    assert path.read_bytes() == b"this is not a database at all" * 100
    assert sorted(p.name for p in tmp_path.iterdir()) == ["笔记.txt"]


def test_a_sqlite_file_of_another_program_is_not_parkdesks(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes(text)")
    conn.commit()
    conn.close()
    with pytest.raises(DbProblem) as err:
        open_database(path)
    assert err.value.kind is DbProblemKind.NOT_PARKDESK


def test_a_parkdesk_database_with_a_ruined_header_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "bad.sqlite3"
    open_database(path).dispose()  # ParkDesk made it, and backed it up
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(DbProblem) as err:
        open_database(path)
    assert err.value.kind is DbProblemKind.CORRUPT


@pytest.mark.damages_database
def test_damaged_pages_are_reported_as_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "damaged.sqlite3"
    db = open_database(path)
    from app.services.files import demo

    demo.build_demo(db, 300)
    db.dispose()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    for i in range(8192, len(data) - 4096, 4096):
        data[i : i + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    with pytest.raises(DbProblem) as err:
        open_database(path)
    assert err.value.kind is DbProblemKind.CORRUPT


def test_daily_backup_once_a_day(db_path: Path) -> None:
    open_database(db_path).dispose()
    open_database(db_path).dispose()
    assert [b.reason for b in list_backups(db_path)] == ["daily"]


def test_start_up_head_constant_matches_alembic() -> None:
    assert migrate.head_revision() == migrate.SCHEMA_HEAD


def test_a_database_of_the_first_schema_is_upgraded_with_its_data(tmp_path: Path) -> None:
    from app.services.registry import org_list

    path = tmp_path / "v0001.sqlite3"
    engine = make_engine(path)
    migrate.run_alembic(engine, "upgrade", "0001")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO organization (uuid, name, kind, industry, legal_rep, investor, address,"
            " zone, building, contact, phone, status, in_base, base_reason, formation, notes,"
            " is_cluster_leader, created_at, updated_at)"
            " VALUES ('0f8a3c1e-5b7d-4e2a-9c6f-1d2e3f4a5b6c', '旧库里的公司',"
            " 'enterprise', '', '', '', '', '', '', '', '', 'active', 1, '', 'none', '', 0,"
            " '2025-01-01 00:00:00', '2025-01-01 00:00:00')"
        )
    engine.dispose()
    db = open_database(path)
    assert migrate.current_revision(db.engine) == migrate.SCHEMA_HEAD
    assert [r.name for r in org_list.list_organizations(db)] == ["旧库里的公司"]
    assert "migration" in [b.reason for b in list_backups(path)]
    db.dispose()


def test_the_park_moves_from_two_settings_to_its_row_with_every_record_kept(
    demo_db: object,
) -> None:
    """Migration 0021 on a database of the schema before it, holding every kind of
    record (the demo park: units, party organizations, instructors, clusters, pairings,
    scores, visits, problems, audit): the park's names become its row, nothing else moves."""
    from app.db.database import Database
    from app.services.registry.park import get_park

    db: Database = demo_db  # type: ignore[assignment]
    path = db.path
    before_park = get_park(db)
    tables = [
        r[0]
        for r in sqlite3.connect(path).execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            # the tables of 0021 and later (fund_payment: 0024) are not there before
            " AND name NOT IN ('park', 'county_submission', 'county_unit', 'alembic_version',"
            " 'fund_payment')"
        )
    ]

    def counts() -> dict[str, int]:
        with sqlite3.connect(path) as conn:
            return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}

    db.dispose()
    engine = make_engine(path)
    migrate.run_alembic(engine, "downgrade", "0020_class_count_index")
    engine.dispose()
    with sqlite3.connect(path) as conn:
        settings = dict(conn.execute("SELECT key, value FROM setting"))
        assert "park" not in [r[0] for r in conn.execute("SELECT name FROM sqlite_master")]
    assert settings["park_name"] == before_park.park_name
    assert settings["committee_name"] == before_park.committee_name
    kept = counts()
    assert kept["organization"] > 0 and kept["visit"] > 0 and kept["assessment_score"] > 0

    again = open_database(path)
    assert migrate.current_revision(again.engine) == migrate.SCHEMA_HEAD
    after = get_park(again)
    assert (after.park_name, after.committee_name) == (
        before_park.park_name,
        before_park.committee_name,
    )
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM park").fetchone()[0] == 1
        left = [r[0] for r in conn.execute("SELECT key FROM setting WHERE key LIKE '%_name'")]
        assert left == []
    assert counts() == {**kept, "setting": kept["setting"] - 2}  # the two names moved
    again.dispose()


def test_every_record_belongs_to_the_park_after_migration_0025(demo_db: object) -> None:
    """Migration 0025 on a database of the schema before it (0024), holding every kind of record
    (the demo park): each organization, party organization, instructor, class change,
    cluster, visit and score belongs to the park's row, and nothing else moves; the
    published guard's triggers survive the way down and up."""
    from app.db.database import Database
    from app.services.registry.park import get_park

    db: Database = demo_db  # type: ignore[assignment]
    path = db.path
    before = get_park(db)
    owned = (
        "organization",
        "party_organization",
        "instructor",
        "class_change",
        "cluster",
        "visit",
        "assessment_score",
    )

    def snapshot() -> tuple[dict[str, int], list[str]]:
        with sqlite3.connect(path) as conn:
            counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in owned}
            triggers = sorted(
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
            )
        return counts, triggers

    from app.domain.vocabulary import OrgClass
    from app.services.grouping.classes import change_class

    change_class(db, 1, OrgClass.A, "迁移前的一次调整")  # the demo has none of its own
    kept, triggers = snapshot()
    assert all(kept.values()) and triggers
    db.dispose()
    engine = make_engine(path)
    migrate.run_alembic(engine, "downgrade", "0024_funds")
    engine.dispose()
    with sqlite3.connect(path) as conn:
        columns = {r[1] for r in conn.execute("PRAGMA table_info(organization)")}
    assert "park_id" not in columns
    assert snapshot() == (kept, triggers)

    again = open_database(path)
    assert migrate.current_revision(again.engine) == migrate.SCHEMA_HEAD
    assert get_park(again) == before
    with sqlite3.connect(path) as conn:
        (park_id,) = conn.execute("SELECT id FROM park").fetchone()
        for table in owned:
            parks = conn.execute(f"SELECT DISTINCT park_id FROM {table}").fetchall()
            assert parks == [(park_id,)], table
        # the database itself refuses a record of a park it does not hold
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("UPDATE organization SET park_id = 99 WHERE id = 1")
    assert snapshot() == (kept, triggers)
    again.dispose()


def test_a_database_whose_park_was_not_named_gets_an_unnamed_row(tmp_path: Path) -> None:
    """Before the first run names the park there is no park row: migration 0025 makes
    it unnamed (the first run still asks), and a new database is made the same way."""
    from app.services.registry.park import get_park, set_park

    path = tmp_path / "old.sqlite3"
    engine = make_engine(path)
    migrate.run_alembic(engine, "upgrade", "0024_funds")
    engine.dispose()
    db = open_database(path)
    assert not get_park(db).configured
    set_park(db, "新园区", "新党工委")
    assert get_park(db).park_name == "新园区"
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT id, name FROM park").fetchall() == [(1, "新园区")]
    db.dispose()
