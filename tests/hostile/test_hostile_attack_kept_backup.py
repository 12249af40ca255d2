"""Issue 22 attack: `--db backups/live/parkdesk-…-daily.sqlite3 visits add …` wrote into
the kept backup (and made a backups folder inside the backups folder): the backup was no
longer what it said it was. A kept backup is now read as it is and refused for writing,
in Chinese, unchanged; a copy the user took out of the backups folder opens as usual."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from tests.conftest import run_main


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def kept(tmp_path: Path) -> tuple[Path, Path, str]:
    db = tmp_path / "live.sqlite3"
    assert run_main("--db", str(db), "demo", "--size", "6").returncode == 0
    backup = sorted((tmp_path / "backups" / "live").glob("parkdesk-*.sqlite3"))[0]
    listed = run_main("--db", str(db), "orgs", "list", "--json")
    uscc = next(u for u in _usccs(listed.stdout) if u)
    return db, backup, uscc


def _usccs(text: str) -> list[str]:
    import json

    return [o["uscc"] for o in json.loads(text)]


def test_a_kept_backup_is_read_never_written(kept: tuple[Path, Path, str]) -> None:
    _db, backup, uscc = kept
    before = _digest(backup)
    add = ("visits", "add", "--org", uscc, "--date", "2026-11-20", "--instructor", "无此人")
    done = run_main("--db", str(backup), *add)
    assert done.returncode == 1
    assert "备份文件夹中的备份，不能在备份上修改" in done.stderr, done.stderr
    listed = run_main("--db", str(backup), "orgs", "list")
    assert listed.returncode == 0, listed.stderr
    assert _digest(backup) == before
    assert not (backup.parent / "backups").exists()


def test_a_copy_taken_out_of_the_backups_folder_opens(
    kept: tuple[Path, Path, str], tmp_path: Path
) -> None:
    _db, backup, _uscc = kept
    copy = tmp_path / "取出" / backup.name
    copy.parent.mkdir()
    shutil.copy(backup, copy)
    done = run_main("--db", str(copy), "classes", "review", "--apply")
    assert done.returncode == 0, done.stderr
