"""Issue 22 attack: a report saved as ``live.sqlite3.lock`` replaced the database's
writer lock while the window held it: the next command locked the new file and wrote
beside the window (two writers). The output guard refuses a database's lock file as it
refuses its -wal, naming it, and the holder's lock stays in force."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import lock_held_elsewhere, run_main


def test_a_report_over_the_writer_lock_is_refused_and_the_lock_holds(
    park: Path, tmp_path: Path
) -> None:
    db = tmp_path / "live.sqlite3"
    shutil.copy(park, db)
    lock = db.with_name(db.name + ".lock")
    with lock_held_elsewhere(db, "窗口"):
        held, inode = lock.read_bytes(), lock.stat().st_ino
        done = run_main("--db", str(db), "report", "gaps", str(lock))
        assert done.returncode == 1
        assert "没有写入“live.sqlite3.lock”" in done.stderr, done.stderr
        assert "live.sqlite3" in done.stderr and "Traceback" not in done.stderr
        # the very file the holder locked: a replaced one is a lock nobody holds
        assert (lock.read_bytes(), lock.stat().st_ino) == (held, inode)
