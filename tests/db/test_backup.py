from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app.db import backup
from app.db.database import Database, open_database
from app.domain.validation import OrganizationDraft
from app.services import org_list, organizations


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
    from_safety = open_database(safety, daily_backup=False)
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


def test_only_the_newest_thirty_are_kept(db: Database, db_path: Path) -> None:
    start = datetime(2026, 1, 1, 8, 0, 0)
    for day in range(35):
        backup.take_backup(db_path, "manual", start + timedelta(days=day))
    kept = backup.list_backups(db_path)
    assert len(kept) == backup.KEEP
    manual = [b.taken_at for b in kept if b.reason == "manual"]
    assert manual[0] == start + timedelta(days=34)
    assert start + timedelta(days=4) not in manual
