"""The bench's one table (bench/run_all.py): every target form is read and checked in
timing.py, a missed target or a failing bench makes the run fail."""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import run_all  # noqa: E402 - bench/ is not a package
import timing  # noqa: E402
from timing import Target, combine, format_table, missed, parse_target, verdict  # noqa: E402


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("≤ 3×", Target(3.0, "×")),
        ("≤ 2.5× calamine", Target(2.5, "×")),
        ("≤ 1.5× 裸底线（读表＋写入＋备份）", Target(1.5, "×")),
        ("≤ 100 ms", Target(100.0, "ms")),
        ("≤ 0.8 s", Target(0.8, "s")),
        ("≤ 1 s（含 matplotlib 导入）", Target(1.0, "s")),
        ("≤ 300 MB", Target(300.0, "MB")),
        ("<= 20 ms", Target(20.0, "ms")),
        ("—", None),
        ("（参考）", None),
        ("后台线程", None),
        ("≈ 2×（MB）", None),
        ("≤ 3 seconds", None),
    ],
)
def test_every_target_form_is_read(text: str, target: Target | None) -> None:
    assert parse_target(text) == target


@pytest.mark.parametrize(
    ("row", "met"),
    [
        (("比值，恰好", 0.3, 0.1, "≤ 3×"), True),
        (("比值，超出", 0.31, 0.1, "≤ 3×"), False),
        (("毫秒，恰好", 0.1, 5.0, "≤ 100 ms"), True),
        (("毫秒，超出", 0.101, 0.001, "≤ 100 ms"), False),
        (("秒", 0.81, 0.1, "≤ 0.8 s"), False),
        (("内存", 290.0, 100.0, "≤ 300 MB"), True),
        (("无基准的比值", 0.1, 0.0, "≤ 3×"), False),
        (("参考", 9.0, 0.1, "—"), None),
    ],
)
def test_each_row_is_met_missed_or_a_reference(row: tuple, met: bool | None) -> None:
    assert verdict(row) is met


def test_the_table_marks_each_row() -> None:
    rows = [("快", 0.002, 0.001, "≤ 3×"), ("慢", 0.2, 0.001, "≤ 100 ms"), ("参考", 1.0, 1.0, "—")]
    lines = format_table(rows).splitlines()
    assert lines[1].endswith("✔") and "2.00×" in lines[1] and "2.0 ms" in lines[1]
    assert lines[2].endswith("✗") and "200.0 ms" in lines[2]
    assert not lines[3].endswith(("✔", "✗"))
    assert missed(rows) == [rows[1]]
    # a stall's ratio is the timer's ticks missed: whole numbers, a wider label column
    narrow = format_table(rows[:1], width=20, digits=0).splitlines()[1]
    assert narrow.startswith("快" + " " * 18) and " 2×" in narrow


def test_a_bench_runs_in_its_own_process_and_hands_its_rows_back(tmp_path: Path) -> None:
    bench = tmp_path / "bench_fake.py"
    bench.write_text(
        "import sys\n"
        "def measure(quick):\n"
        "    assert 'PySide6' not in sys.modules\n"
        "    return [('快', 0.002, 0.001, '≤ 3×'), ('次数', float(quick), 1.0, '—')]\n",
        encoding="utf-8",
    )
    rows, error = run_all.run_one(bench, quick=True)
    assert error == ""
    assert rows == [("快", 0.002, 0.001, "≤ 3×"), ("次数", 1.0, 1.0, "—")]


def test_a_failing_bench_is_reported_not_hidden(tmp_path: Path) -> None:
    bench = tmp_path / "bench_broken.py"
    bench.write_text("def measure(quick):\n    raise RuntimeError('坏了')\n", encoding="utf-8")
    rows, error = run_all.run_one(bench, quick=False)
    assert rows == []
    assert "坏了" in error


def test_every_bench_script_is_run_and_names_are_checked() -> None:
    every = run_all.benches([])
    assert {p.name for p in every} >= {"bench_registry.py", "bench_exchange.py"}
    assert [p.name for p in run_all.benches(["figures"])] == ["bench_figures.py"]
    with pytest.raises(SystemExit):
        run_all.benches(["no_such_bench"])


def test_several_runs_give_each_row_its_median_run_and_its_spread() -> None:
    runs = [
        [("导入", 0.30, 0.10, "≤ 2.5×"), ("预警", 0.090, 0.01, "≤ 100 ms")],
        [("导入", 0.20, 0.10, "≤ 2.5×"), ("预警", 0.120, 0.01, "≤ 100 ms")],
        [("导入", 0.24, 0.10, "≤ 2.5×"), ("预警", 0.095, 0.01, "≤ 100 ms")],
    ]
    combined = combine(runs)
    assert [(row, round(low, 3), round(high, 3)) for row, low, high in combined] == [
        (("导入", 0.24, 0.10, "≤ 2.5×"), 2.0, 3.0),
        (("预警", 0.095, 0.01, "≤ 100 ms"), 0.09, 0.12),
    ]
    # of two runs the worse of the middle two: a target is never met by the luckier run
    assert combine(runs[:2])[1][0] == ("预警", 0.120, 0.01, "≤ 100 ms")
    table = format_table(
        [r for r, _l, _h in combined], spreads=[(lo, hi) for _r, lo, hi in combined]
    )
    assert "2.00–3.00×" in table and "90.0–120.0 ms" in table


def test_a_bench_that_never_ends_or_returns_no_rows_is_a_failure(tmp_path: Path) -> None:
    hangs = tmp_path / "bench_hangs.py"
    hangs.write_text("import time\ndef measure(quick):\n    time.sleep(60)\n", encoding="utf-8")
    assert run_all.run_one(hangs, quick=True, timeout=3) == ([], "3秒内未结束")
    odd = tmp_path / "bench_odd.py"
    odd.write_text("def measure(quick):\n    return [('快', '很快', 1.0, '—')]\n", encoding="utf-8")
    rows, error = run_all.run_one(odd, quick=True)
    assert rows == [] and "measure()" in error


def _organizations(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM organization").fetchone()[0]
    finally:
        conn.close()


def test_demo_parks_are_kept_per_revision_and_seeded_not_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A park is built whole under its final name (never half a park for a bench started
    meanwhile), kept in a folder of its schema revision (a park another branch migrated
    further is not this one's), and a park kept before is taken over, not built again."""
    from app.db.migrate import head_revision
    from app.services.files import demo

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    folder = timing.parks()
    assert folder == tmp_path / "parkdesk-bench" / head_revision()
    built = timing.demo_park(folder / "park-30.sqlite3", 30)
    assert _organizations(built) == 30
    assert sorted(p.name for p in folder.iterdir() if "building" in p.name) == []

    # the bench folder of before revisions: its park is copied (and migrated), not rebuilt
    legacy = tmp_path / "parkdesk-bench" / "park-30b.sqlite3"
    built.rename(legacy)

    def no_build(*_args: object, **_kw: object) -> None:
        raise AssertionError("rebuilt a park that was kept")

    monkeypatch.setattr(demo, "build_demo", no_build)
    taken = timing.demo_park(folder / "park-30b.sqlite3", 30)
    assert _organizations(taken) == 30 and legacy.is_file()
    # a kept park too small for the size asked is no seed
    with pytest.raises(AssertionError, match="rebuilt"):
        timing.demo_park(tmp_path / "parkdesk-bench" / "0099_other" / "park-30b.sqlite3", 31)
