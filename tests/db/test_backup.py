from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app.db import backup
from app.db.database import Database, open_database
from app.db.errors import DbProblem, DbProblemKind
from app.db.reading import open_for_reading
from app.domain.validation import OrganizationDraft
from app.services.registry import org_list, organizations


def test_backup_and_restore_keep_a_safety_copy(db: Database, db_path: Path, tmp_path: Path) -> None:
    organizations.create_organization(db, OrganizationDraft(name="甲公司"))
    saved = backup.backup_to(db_path, tmp_path / "导出" / "备份 一.sqlite3")
    organizations.create_organization(db, OrganizationDraft(name="乙公司"))
    db.dispose()
    safety = backup.restore_from(db_path, saved)
    assert safety is not None and safety.exists()
    reopened = open_database(db_path)
    assert [r.name for r in org_list.list_organizations(reopened)] == ["甲公司"]
    reopened.dispose()
    # the state before the restore is in the safety backup
    from_safety = open_for_reading(safety)  # a kept backup is read, never opened to write
    assert len(org_list.list_organizations(from_safety)) == 2
    from_safety.dispose()


def test_restore_refuses_a_file_that_is_not_a_backup(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    bogus = tmp_path / "笔记.txt"
    bogus.write_text("不是数据库", encoding="utf-8")
    with pytest.raises(backup.BackupFileError, match="不是 ParkDesk 的备份"):
        backup.restore_from(db_path, bogus)
    assert [b.reason for b in backup.list_backups(db_path)] == ["daily"]


def test_the_newest_thirty_of_each_kind_and_one_a_day_are_kept(db: Database, db_path: Path) -> None:
    start = datetime(2026, 1, 1, 8, 0, 0)
    for day in range(35):
        backup.take_backup(db_path, "manual", start + timedelta(days=day))
    manual = [b.taken_at for b in backup.list_backups(db_path) if b.reason == "manual"]
    assert len(manual) == backup.KEEP_PER_REASON
    assert manual[0] == start + timedelta(days=34)
    assert start + timedelta(days=4) not in manual


def test_thirty_three_imports_in_a_day_keep_the_days_daily_backup(
    db: Database, db_path: Path
) -> None:
    morning = datetime(2026, 12, 1, 8, 0, 0)
    for day in range(3):  # the days before
        backup.take_backup(db_path, "daily", morning - timedelta(days=day + 1))
    backup.take_backup(db_path, "daily", morning)
    for n in range(33):
        backup.take_backup(db_path, "import", morning + timedelta(minutes=n + 1))
    kept = backup.list_backups(db_path)
    assert [b.reason for b in kept].count("import") == backup.KEEP_PER_REASON
    days = {b.taken_at.date() for b in kept if b.reason == "daily"}
    assert {morning.date() - timedelta(days=d) for d in range(4)} <= days


def test_backups_in_the_same_second_are_ordered_by_time(db: Database, db_path: Path) -> None:
    at = datetime(2027, 1, 1, 9, 0, 0, 100)
    backup.take_backup(db_path, "restore", at)
    backup.take_backup(db_path, "import", at + timedelta(microseconds=500))
    newest = backup.list_backups(db_path)[0]
    assert newest.reason == "import"


def test_a_failed_backup_leaves_nothing_behind(
    db: Database, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    before = sorted(p.name for p in backup.backup_dir_for(db_path).iterdir())

    def disk_full(_src: Path, dest: Path) -> None:
        dest.write_bytes(b"x" * 4096)  # what SQLite wrote before the disk filled
        dest.with_name(dest.name + "-journal").write_bytes(b"j")
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(backup, "_copy", disk_full)
    with pytest.raises(DbProblem) as caught:
        backup.take_backup(db_path, "manual")
    assert caught.value.kind is DbProblemKind.DISK_FULL
    assert sorted(p.name for p in backup.backup_dir_for(db_path).iterdir()) == before


def test_two_databases_in_one_folder_keep_their_own_backups(tmp_path: Path) -> None:
    folder = tmp_path / "数据"
    a = open_database(folder / "a.sqlite3")
    b = open_database(folder / "b.sqlite3")
    organizations.create_organization(a, OrganizationDraft(name="甲公司"))
    backup.take_backup(a.path, "manual")
    assert [x.reason for x in backup.list_backups(b.path)] == ["daily"]
    assert sorted(x.reason for x in backup.list_backups(a.path)) == ["daily", "manual"]
    foreign = backup.list_backups(a.path)[0].path
    b.dispose()
    a.dispose()
    with pytest.raises(backup.ForeignBackup, match="另一个数据库"):
        backup.restore_from(folder / "b.sqlite3", foreign)
    reopened = open_database(folder / "b.sqlite3")
    assert org_list.list_organizations(reopened) == []
    reopened.dispose()
    # said explicitly, it is restored
    backup.restore_from(folder / "b.sqlite3", foreign, other_database=True)
    reopened = open_database(folder / "b.sqlite3")
    assert [r.name for r in org_list.list_organizations(reopened)] == ["甲公司"]
    reopened.dispose()


def _fake(path: Path, revision: str, with_schema: bool = False) -> Path:
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE organization(x)")
    conn.execute("CREATE TABLE alembic_version(version_num TEXT)")
    conn.execute("INSERT INTO alembic_version VALUES (?)", (revision,))
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize(
    ("revision", "said"),
    [("0007", "不是完整的 ParkDesk 数据"), ("0099", "更新版本"), ("zz", "未知的数据版本")],
)
def test_a_file_that_would_not_restore_is_refused_before_anything_is_replaced(
    db: Database, db_path: Path, tmp_path: Path, revision: str, said: str
) -> None:
    organizations.create_organization(db, OrganizationDraft(name="甲公司"))
    db.dispose()
    taken = backup.list_backups(db_path)
    with pytest.raises(backup.BackupFileError, match=said):
        backup.restore_from(db_path, _fake(tmp_path / "假.sqlite3", revision))
    assert backup.list_backups(db_path) == taken  # not even a safety copy
    reopened = open_database(db_path)
    assert [r.name for r in org_list.list_organizations(reopened)] == ["甲公司"]
    reopened.dispose()


@pytest.mark.damages_database
def test_a_damaged_file_is_set_aside_and_never_offered(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    organizations.create_organization(db, OrganizationDraft(name="甲公司"))
    good = backup.take_backup(db_path, "manual")
    db.dispose()
    damaged = backup.take_backup(db_path, "import")
    data = bytearray(damaged.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # a page of garbage
    damaged.write_bytes(bytes(data))
    assert backup.usable_backups(db_path)[0].path == good
    # the database itself damaged: the restore keeps it aside, not as a backup
    db_path.write_bytes(bytes(data))
    kept = backup.restore_from(db_path, good)
    assert kept is not None and "damaged" in kept.name
    assert kept not in [b.path for b in backup.list_backups(db_path)]


def test_a_database_only_opened_since_its_newest_backup_is_not_backed_up_again(
    tmp_path: Path,
) -> None:
    """Opening to read creates an empty -wal file, newer than the backup: it holds no
    commit, so closing the window takes no backup (the flaky close, close, daily)."""
    import os

    path = tmp_path / "园区.sqlite3"
    db = open_database(path)
    db.dispose()
    newest = backup.take_backup(path, "close")
    later = newest.stat().st_mtime + 5
    wal = path.with_name(path.name + "-wal")
    wal.write_bytes(b"")
    os.utime(wal, (later, later))
    assert backup.backup_if_changed(path, "close") is None
    # a -wal holding a commit is a change
    wal.write_bytes(b"\0" * 4200)
    os.utime(wal, (later, later))
    assert backup.backup_if_changed(path, "close") is not None
    wal.unlink(missing_ok=True)
