"""Issue 22: full disks, read-only places and missing folders. A restore or a backup
that cannot be written says so in Chinese and leaves the database as it was; a file
cut short leaves nothing behind; a database on a read-only mount is still read; a
command that reads never creates a database."""

from __future__ import annotations

import errno
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, run_main

FULL = sqlite3.OperationalError("database or disk is full")


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    from app.cli import run

    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _copy_failing_onto(target: Path, error: BaseException) -> Any:
    """backup._copy, failing (a full disk) when it writes ``target``."""
    from app.db import backup

    real = backup._copy

    def copy(src: Path, dest: Path) -> None:
        if Path(dest).resolve() == target.resolve():
            raise error
        real(src, dest)

    return copy


@pytest.mark.parametrize("error", [FULL, OSError(errno.ENOSPC, "No space left on device")])
def test_a_restore_whose_copy_does_not_fit_says_so_and_changes_nothing(
    demo_db: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
    org_count: Callable[[Path], int],
    error: Exception,
) -> None:
    from app.db import backup

    path = demo_db.path
    other = tmp_path / "其他园区.sqlite3"
    assert _cli(capsys, "--db", str(other), "demo", "--size", "5")[0] == 0
    before = org_count(path)
    monkeypatch.setattr(backup, "_copy", _copy_failing_onto(path, error))
    code, out, err = _cli(capsys, "--db", str(path), "restore", str(other), "--other-database")
    assert code == 1, out
    assert "没有恢复：磁盘已满" in err and "当前数据库没有改动" in err, err
    assert "恢复前的数据另存在" in err  # the safety copy fitted, and is named
    assert "已从" not in out
    assert org_count(path) == before


@pytest.mark.parametrize("error", [FULL, OSError(errno.ENOSPC, "No space left on device")])
def test_a_backup_on_a_full_disk_says_the_backup_was_not_written(
    demo_db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, error: Exception
) -> None:
    from app.db import backup

    dest = tmp_path / "U盘" / "园区备份.sqlite3"
    dest.parent.mkdir()
    part = dest.with_name(dest.name + ".part")

    def full(src: Path, target: Path) -> None:
        if Path(target).resolve() == part.resolve():
            Path(target).write_bytes(b"SQLite format 3\x00 half a copy")
            raise error
        backup._copy(src, target)

    monkeypatch.setattr(backup, "_copy", full)
    code, _out, err = _cli(capsys, "--db", str(demo_db.path), "backup", str(dest))
    assert code == 1
    assert "备份没有写入“园区备份.sqlite3”：磁盘已满" in err, err
    assert "数据库本身没有改动" in err
    assert "修改没有保存" not in err
    assert list(dest.parent.iterdir()) == []  # neither the copy nor its partial file


def test_a_report_or_a_package_cut_short_leaves_no_partial_file(
    demo_db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    import zipfile

    from reportlab.platypus import SimpleDocTemplate

    out = tmp_path / "出"
    out.mkdir()

    def build(self: Any, *_a: Any, **_k: Any) -> None:
        Path(self.filename).write_bytes(b"%PDF-1.4 half")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(SimpleDocTemplate, "build", build)
    code, stdout, err = _cli(
        capsys, "--db", str(demo_db.path), "report", "gaps", str(out / "g.pdf")
    )
    assert code == 1 and "已保存" not in stdout
    assert "“g.pdf”：磁盘已满" in err, err

    real_write = zipfile.ZipFile.write

    def write(self: Any, *args: Any, **kwargs: Any) -> None:
        real_write(self, *args, **kwargs)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "write", write)
    conn = sqlite3.connect(demo_db.path)
    name = conn.execute(
        "SELECT i.name FROM instructor i JOIN assignment a ON a.instructor_id = i.id"
    ).fetchone()[0]
    conn.close()
    package = out / "外业包.pdfield"
    code, _stdout, err = _cli(
        capsys, "--db", str(demo_db.path), "field", "export", str(package), "--instructor", name
    )
    assert code == 1
    assert "“外业包.pdfield”：磁盘已满" in err, err
    assert list(out.iterdir()) == []


def test_a_reading_command_never_creates_a_database_or_its_folders(tmp_path: Path) -> None:
    missing = tmp_path / "没有的文件夹" / "子文件夹" / "园区.sqlite3"
    for command in (["stats"], ["orgs", "list"], ["report", "gaps", str(tmp_path / "g.pdf")]):
        done = run_main("--db", str(missing), *command)
        assert done.returncode == 1
        assert f"数据库文件不存在：{missing}" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_database_on_a_read_only_mount_is_read_and_left_alone(
    tmp_path: Path, in_namespace: Callable[[str], subprocess.CompletedProcess[str]]
) -> None:
    db = tmp_path / "园区.sqlite3"
    assert run_main("--db", str(db), "demo", "--size", "20").returncode == 0
    py, main = sys.executable, ROOT / "main.py"
    run = f"{py} {main} --db $MNT/{db.name}"
    done = in_namespace(
        f"""
cp {db} $MNT/
mount -o remount,ro $MNT
echo "== stats"; {run} stats --json 2>&1
echo "== orgs"; {run} orgs list 2>&1
echo "== report"; {run} report gaps {tmp_path}/预警.pdf 2>&1
echo "== demo"; {run} demo 2>&1
echo "== files"; ls -a $MNT
"""
    )
    text = done.stdout
    parts = dict(p.split("\n", 1) for p in text.split("== ")[1:])
    assert '"enterprise"' in parts["stats"], text
    assert "共20个组织" in parts["orgs"], text
    assert "已保存" in parts["report"] and (tmp_path / "预警.pdf").exists(), text
    assert "只读" in parts["demo"], text  # writing is still refused, and says why
    assert parts["files"].split() == [".", "..", db.name]  # no lock, no backup


def test_a_restore_and_a_backup_on_a_really_full_disk(
    tmp_path: Path, in_namespace: Callable[[str], subprocess.CompletedProcess[str]]
) -> None:
    small = tmp_path / "园区.sqlite3"
    big = tmp_path / "大园区.sqlite3"
    assert run_main("--db", str(small), "demo", "--size", "10").returncode == 0
    assert run_main("--db", str(big), "demo", "--size", "1500").returncode == 0
    py, main = sys.executable, ROOT / "main.py"
    run = f"{py} {main} --db $MNT/{small.name}"
    done = in_namespace(
        f"""
cp {small} $MNT/
echo "== restore"; {run} restore {big} --other-database 2>&1
{run} stats >/dev/null 2>&1  # the day's backup taken while there is room
dd if=/dev/zero of=$MNT/fill bs=4k 2>/dev/null
echo "== backup"; {run} backup $MNT/备份.sqlite3 2>&1
echo "== report"; {run} report registry $MNT/名录.pdf 2>&1
echo "== files"; ls $MNT
echo "== orgs"; {run} orgs list 2>&1 | tail -n 1
"""
    )
    text = done.stdout
    parts = dict(p.split("\n", 1) for p in text.split("== ")[1:])
    assert "没有恢复：磁盘已满" in parts["restore"], text
    assert "Traceback" not in text
    assert "备份没有写入“备份.sqlite3”：" in parts["backup"], text
    assert "磁盘已满" in parts["backup"] and "数据库本身没有改动" in parts["backup"]
    assert "修改没有保存" not in parts["backup"]
    assert "磁盘已满" in parts["report"] and "已保存" not in parts["report"], text
    left = parts["files"].split()
    assert "备份.sqlite3" not in left and "名录.pdf" not in left, text
    assert not [f for f in left if f.endswith((".part", ".partial"))], text
    assert "共10个组织" in parts["orgs"], text


def test_an_attachment_cut_short_leaves_no_partial_file(
    db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services.field import attachments

    slides = tmp_path / "汇报.pdf"
    slides.write_bytes(b"%PDF-1.4 " * 1000)

    def full(_source: Path, target: Path) -> None:
        Path(target).write_bytes(b"%PDF-1.4 half")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", full)
    with pytest.raises(OSError):
        attachments.keep_file(db, slides)
    assert list(attachments.folder(db).iterdir()) == []
