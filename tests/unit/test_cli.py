"""The command line through main.py, as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_main

run = run_main


def test_demo_then_list_json(tmp_path: Path) -> None:
    db = str(tmp_path / "园区.sqlite3")
    done = run("--db", db, "demo", "--size", "50")
    assert done.returncode == 0, done.stderr
    assert "50个组织" in done.stdout
    listed = run("--db", db, "orgs", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert len(rows) == 50
    keys = {
        "uscc",
        "name",
        "kind",
        "formal_members",
        "probationary_members",
        "formation",
        "in_base",
        "status",
        "class",
        "party_org",
    }
    assert keys <= set(rows[0])
    assert {r["kind"] for r in rows} <= {"enterprise", "social"}
    assert {r["formation"] for r in rows} <= {"own", "joint", "attached", "none"}


def test_backup_and_restore(tmp_path: Path) -> None:
    db = str(tmp_path / "a.sqlite3")
    assert run("--db", db, "demo", "--size", "10").returncode == 0
    copy = tmp_path / "备份.sqlite3"
    done = run("--db", db, "backup", str(copy))
    assert done.returncode == 0 and copy.exists()
    other = str(tmp_path / "b.sqlite3")
    done = run("--db", other, "restore", str(copy))
    assert done.returncode == 0, done.stderr
    assert len(json.loads(run("--db", other, "orgs", "list", "--json").stdout)) == 10


def test_errors_in_chinese_on_stderr(tmp_path: Path) -> None:
    bogus = tmp_path / "x.txt"
    bogus.write_text("hello", encoding="utf-8")
    done = run("--db", str(tmp_path / "a.sqlite3"), "restore", str(bogus))
    assert done.returncode != 0
    assert "不是 ParkDesk 的备份" in done.stderr and "Traceback" not in done.stderr
    done = run("--db", str(bogus), "orgs", "list")
    assert done.returncode != 0 and "不是 ParkDesk 的数据库" in done.stderr
    done = run("--bogus")
    assert done.returncode == 2 and "命令行参数有误" in done.stderr
    done = run("--db", str(tmp_path / "c.sqlite3"), "demo", "--size", "0")
    assert done.returncode != 0 and "规模" in done.stderr


def test_version_and_help() -> None:
    assert run("--version").stdout.startswith("ParkDesk ")
    helped = run("--help")
    assert helped.returncode == 0 and "用法" in helped.stdout and "restore" in helped.stdout
