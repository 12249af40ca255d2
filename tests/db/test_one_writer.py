"""One writer at a time, across real processes: a restore never replaces data an
import is writing, and the same file imported twice at once is imported once."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.db import backup
from app.db.database import open_database
from app.db.reading import open_for_reading
from app.db.writer_lock import read_holder
from app.domain.uscc import make_valid
from app.services.registry import org_list
from tests.conftest import ROOT, lock_held_elsewhere, run_main


def _big_registry(path: Path, rows: int) -> Path:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("登记表")
    ws.write_row(0, 0, ["组织名称", "统一社会信用代码", "类型", "正式党员数"])
    for n in range(rows):
        code = make_valid(f"91450223MA{n:07d}")
        ws.write_row(n + 1, 0, [f"第{n}号企业有限公司", code, "非公企业", n % 7])
    wb.close()
    return path


def _start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
    )


def _count(db_path: Path) -> int:
    db = open_for_reading(db_path)  # the live database or a kept backup: only read
    try:
        return len(org_list.list_organizations(db))
    finally:
        db.dispose()


def test_a_restore_while_an_import_writes_is_refused_and_nothing_is_lost(tmp_path: Path) -> None:
    db_path = tmp_path / "园区.sqlite3"
    assert run_main("--db", str(db_path), "demo", "--size", "20").returncode == 0
    saved = backup.backup_to(db_path, tmp_path / "早先.sqlite3")
    workbook = _big_registry(tmp_path / "大表.xlsx", 20_000)
    importing = _start("--db", str(db_path), "import", str(workbook), "--json")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            holder = read_holder(db_path)
            if holder is not None and holder.what.startswith("导入"):
                break
            time.sleep(0.02)
        else:
            pytest.fail("the import never took the writer lock")
        # held still while it writes, so a fast import cannot finish before the restore
        # asks (the race this test once lost): the lock is taken, the rows half written
        importing.send_signal(signal.SIGSTOP)
        done = run_main("--db", str(db_path), "restore", str(saved))
        assert done.returncode == 1
        assert "数据库正在被使用：导入《大表.xlsx》" in done.stderr
    finally:
        importing.send_signal(signal.SIGCONT)
        out, err = importing.communicate(timeout=300)
    assert importing.returncode == 0, err
    assert json.loads(out)["created"] == 20_000
    assert _count(db_path) == 20 + 20_000
    # once the import is done, the restore goes through, and says where the data went
    done = run_main("--db", str(db_path), "restore", str(saved))
    assert done.returncode == 0, done.stderr
    kept = Path(done.stdout.split("恢复前的数据已另存为：")[1].strip())
    assert _count(kept) == 20 + 20_000 and _count(db_path) == 20


def test_the_same_file_imported_twice_at_once_is_imported_once(tmp_path: Path) -> None:
    db_path = tmp_path / "园区.sqlite3"
    open_database(db_path).dispose()
    workbook = _big_registry(tmp_path / "登记表.xlsx", 3_000)
    both = [_start("--db", str(db_path), "import", str(workbook), "--json") for _ in range(2)]
    reports = []
    for p in both:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        reports.append(json.loads(out))
    assert sorted(r["created"] for r in reports) == [0, 3_000]
    assert sorted(r["unchanged"] for r in reports) == [0, 3_000]
    assert _count(db_path) == 3_000


def test_a_writing_command_waits_for_another_writer_then_gives_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path = tmp_path / "园区.sqlite3"
    open_database(db_path).dispose()
    monkeypatch.setenv("PARKDESK_LOCK_WAIT", "1")
    with lock_held_elsewhere(db_path, "ParkDesk 窗口"):
        started = time.monotonic()
        done = run_main("--db", str(db_path), "demo", "--size", "5")
        waited = time.monotonic() - started
        # reading needs no lock
        assert run_main("--db", str(db_path), "stats").returncode == 0
    assert done.returncode == 1 and waited >= 1
    assert "等待它完成" in done.stderr and "ParkDesk 窗口（进程" in done.stderr
    assert _count(db_path) == 0
