"""Every message of the command line is Chinese and says what really happened."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.db import backup
from tests.conftest import ROOT, run_main

# argparse's and the operating system's English, as they used to show through
ENGLISH = re.compile(
    r"invalid choice|choose from|argument|error:|required|unrecognized|usage:|"
    r"No such file|Is a directory|Permission denied|Read-only|No space|Broken pipe|"
    r"Traceback|\.part\b"
)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["stats", "--rounding", "bankers"], "无效的选项 'bankers'"),
        (["bogus"], "参数 子命令：无效的选项 'bogus'"),
        (["demo", "--size", "many"], "'many' 不是有效的值"),
        (["import"], "缺少必需的参数：FILE"),
        (["stats", "--extra"], "无法识别的参数：--extra"),
    ],
)
def test_wrong_arguments_are_told_in_chinese(tmp_path: Path, args: list[str], said: str) -> None:
    done = run_main("--db", str(tmp_path / "园区.sqlite3"), *args)
    assert done.returncode == 2
    assert said in done.stderr and "用法：" in done.stderr
    assert not ENGLISH.search(done.stderr), done.stderr


def test_files_that_cannot_be_written_are_named_with_the_reason(tmp_path: Path) -> None:
    db = str(tmp_path / "园区.sqlite3")
    missing = tmp_path / "没有的文件夹" / "报送.xlsx"
    for args in (["--db", db, "export", str(missing)], ["template", str(missing)]):
        done = run_main(*args)
        assert done.returncode == 1
        assert "“报送.xlsx”：文件夹不存在" in done.stderr, done.stderr
        assert not ENGLISH.search(done.stderr), done.stderr
    done = run_main("template", str(tmp_path))
    assert done.returncode == 1 and "这是一个文件夹，不是文件" in done.stderr
    assert not missing.parent.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".part") == []


def test_a_reader_that_goes_away_ends_the_output_quietly(tmp_path: Path) -> None:
    db = str(tmp_path / "园区.sqlite3")
    assert run_main("--db", db, "demo", "--size", "2000").returncode == 0
    reading = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "--db", db, "orgs", "list", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert reading.stdout is not None and reading.stderr is not None
    assert reading.stdout.read(100)  # like `| head -c 100`
    reading.stdout.close()
    err = reading.stderr.read().decode("utf-8")
    reading.stderr.close()
    assert reading.wait(timeout=60) == 0
    assert err == ""


def _in_small_filesystem(script: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run ``script`` (sh) with a 2 MB tmpfs at $MNT, in a namespace of its own."""
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None:
        pytest.skip("needs Linux namespaces to make a small or read-only disk")
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", f"mount -t tmpfs -o size=2m tmpfs {mnt}"],
        capture_output=True,
    )
    if probe.returncode != 0:
        pytest.skip("cannot mount a small filesystem here")
    full = f"set -e\nMNT={mnt}\nmount -t tmpfs -o size=2m tmpfs $MNT\n{script}"
    return subprocess.run(
        ["unshare", "-rm", "sh", "-c", full], capture_output=True, text=True, cwd=ROOT
    )


def test_read_only_and_full_disks_are_not_called_damaged(tmp_path: Path) -> None:
    db = tmp_path / "园区.sqlite3"
    assert run_main("--db", str(db), "demo", "--size", "50").returncode == 0
    py, main = sys.executable, ROOT / "main.py"
    done = _in_small_filesystem(
        f"""
cp {db} $MNT/
mount -o remount,ro $MNT
{py} {main} --db $MNT/{db.name} stats 2>&1 || true
{py} {main} --db $MNT/{db.name} demo 2>&1 || true
mount -o remount,rw $MNT
dd if=/dev/zero of=$MNT/fill bs=4k 2>/dev/null || true
{py} {main} --db $MNT/{db.name} stats 2>&1 || true
{py} {main} --db $MNT/{db.name} export $MNT/报送.xlsx 2>&1 || true
""",
        tmp_path,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("错误")]
    # reading works on both (issue 22); writing is refused, saying why
    assert done.stdout.count("纳入统计") == 2 * 3, done.stdout + done.stderr
    assert len(lines) == 2, done.stdout + done.stderr
    assert "只读" in lines[0], lines
    assert "磁盘" in lines[1] and "已满" in lines[1], lines
    assert not any("损坏" in line for line in lines)


def test_restore_names_where_the_replaced_data_went(tmp_path: Path) -> None:
    db = tmp_path / "园区.sqlite3"
    assert run_main("--db", str(db), "demo", "--size", "10").returncode == 0
    saved = backup.backup_to(db, tmp_path / "备份.sqlite3")
    done = run_main("--db", str(db), "restore", str(saved))
    assert done.returncode == 0, done.stderr
    kept = Path(done.stdout.split("恢复前的数据已另存为：")[1].strip())
    assert kept.exists() and kept.parent == backup.backup_dir_for(db)


def test_a_backup_of_another_database_needs_saying_so(tmp_path: Path) -> None:
    a, b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    for path in (a, b):
        assert run_main("--db", str(path), "demo", "--size", "5").returncode == 0
    saved = backup.list_backups(a)[0].path
    done = run_main("--db", str(b), "restore", str(saved))
    assert done.returncode == 1 and "属于另一个数据库" in done.stderr
    assert "--other-database" in done.stderr
    done = run_main("--db", str(b), "restore", str(saved), "--other-database")
    assert done.returncode == 0, done.stderr


def test_demo_leaves_its_state_in_a_backup(tmp_path: Path) -> None:
    db = tmp_path / "园区.sqlite3"
    assert run_main("--db", str(db), "demo", "--size", "10").returncode == 0
    assert backup.list_backups(db)[0].reason == "demo"


def test_the_first_export_says_so_like_its_workbook(tmp_path: Path) -> None:
    db = tmp_path / "园区.sqlite3"
    assert run_main("--db", str(db), "demo", "--size", "10").returncode == 0
    done = run_main("--db", str(db), "export", str(tmp_path / "报送.xlsx"), "--quarter", "2026Q3")
    assert done.returncode == 0, done.stderr
    assert "本次为首次报送" in done.stdout and "0处变化" not in done.stdout
