"""Issue 22 attack: `export --quarter 9999Q4` (or 1900Q1) wrote the workbook and kept a
submission for that quarter among the park's: the next export then compared with it.
A quarter no park could submit is refused, like a review year, and nothing is kept."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import run_main

PARK_SIZE = 6  # the demo park of tests/hostile/conftest.py


@pytest.mark.parametrize("quarter", ["9999Q4", "1900Q1", f"{date.today().year + 2}Q1"])
def test_an_impossible_quarter_is_refused_and_nothing_is_kept(
    park: Path, tmp_path: Path, quarter: str
) -> None:
    out = tmp_path / "报送.xlsx"
    done = run_main("--db", str(park), "export", "--quarter", quarter, str(out))
    assert done.returncode == 1, done.stdout
    assert "不在2000—" in done.stderr and "请检查季度" in done.stderr, done.stderr
    assert not out.exists()
    conn = sqlite3.connect(park)
    try:
        kept = conn.execute("SELECT quarter FROM submission").fetchall()
    finally:
        conn.close()
    assert kept == []


def test_next_year_s_quarter_may_be_prepared(park: Path, tmp_path: Path) -> None:
    out = tmp_path / "报送.xlsx"
    quarter = f"{date.today().year + 1}Q1"
    done = run_main("--db", str(park), "export", "--quarter", quarter, str(out))
    assert done.returncode == 0, done.stderr
    assert out.exists()
