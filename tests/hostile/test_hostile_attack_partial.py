"""Issue 22 attack: a save writes NAME.part beside NAME first, then renames it. A
database that happens to be named NAME.part (the open one or another park's) was
written over and renamed away (a report), or deleted first (a backup): the
temporary file is now a name nothing holds, and the database stays whole."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import run_main

PARK_SIZE = 12  # the demo park of tests/hostile/conftest.py


@pytest.mark.parametrize(
    ("command", "name"),
    [
        (["report", "gaps"], "预警.pdf"),
        (["export"], "季度报送.xlsx"),
        (["template"], "模板.xlsx"),
        (["backup"], "备份.sqlite3"),
    ],
)
@pytest.mark.parametrize("which", ["open", "another"])
def test_a_database_named_as_the_save_s_partial_file_is_kept_whole(
    park: Path,
    tmp_path: Path,
    org_count: Callable[[Path], int],
    command: list[str],
    name: str,
    which: str,
) -> None:
    target = tmp_path / name
    named_part = tmp_path / (name + ".part")
    shutil.copy(park, named_part)
    live = named_part if which == "open" else tmp_path / "live.sqlite3"
    if which == "another":
        shutil.copy(park, live)
    before = org_count(named_part)
    done = run_main("--db", str(live), *command, str(target))
    assert done.returncode == 0, done.stderr
    assert named_part.exists(), "the database named NAME.part was renamed away"
    assert org_count(named_part) == before
    assert target.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".part")) == [
        named_part.name
    ]
    check = run_main("--db", str(named_part), "check", "--integrity")
    assert check.returncode == 0, check.stdout + check.stderr
