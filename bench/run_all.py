"""The whole bench in one command: every bench/bench_*.py, each in its own process (a Qt
application, the imports and caches of one must not speed up or slow down another), their
rows as one table, and exit status 1 when any target is missed or a bench fails.

    python bench/run_all.py [--quick] [--runs N] [bench_x ...]

--quick runs each measure fewer times (the sizes the targets name stay as they are).
--runs N runs the whole bench N times: each row is its median run, judged as such, with
the range over the runs beside it (the spread a closing note states).
Names narrow the run to those benches (``bench_figures`` or ``figures``).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from timing import Row, combine, format_table, missed  # noqa: E402 - after the path set-up above

TIMEOUT = 30 * 60
"""Seconds a bench may take before it counts as failed (a window that never quits)."""


def benches(names: list[str]) -> list[Path]:
    found = sorted(BENCH.glob("bench_*.py"))
    if not names:
        return found
    wanted = {n.removesuffix(".py").removeprefix("bench_") for n in names}
    chosen = [p for p in found if p.stem.removeprefix("bench_") in wanted]
    unknown = wanted - {p.stem.removeprefix("bench_") for p in chosen}
    if unknown:
        raise SystemExit(f"没有这些测速脚本：{', '.join(sorted(unknown))}")
    return chosen


def run_one(path: Path, quick: bool, timeout: float = TIMEOUT) -> tuple[list[Row], str]:
    """One bench in a fresh interpreter: its rows (through a temporary JSON file, as the
    bench prints what it likes), or none and why: the end of its error output."""
    with tempfile.TemporaryDirectory(prefix="parkdesk-run-all-") as folder:
        out = Path(folder) / "rows.json"
        command = [sys.executable, str(BENCH / "run_all.py"), "--one", str(path), "--out", str(out)]
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        # its own process group: a stuck bench is ended with the windows it started
        proc = subprocess.Popen(
            [*command, *(["--quick"] if quick else [])],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=BENCH.parent,
            env=env,
            start_new_session=True,
        )
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            if hasattr(os, "killpg"):
                os.killpg(proc.pid, signal.SIGKILL)
            else:
                proc.kill()
            proc.communicate()
            return [], f"{timeout:.0f}秒内未结束"
        if proc.returncode != 0 or not out.exists():
            return [], (stderr or stdout)[-1500:]
        rows = json.loads(out.read_text(encoding="utf-8"))
        if not all(_is_row(r) for r in rows):
            return [], "measure() 返回的不是 (名称, ParkDesk秒数, 基准秒数, 目标) 的列表"
        return [(r[0], float(r[1]), float(r[2]), r[3]) for r in rows], ""


def _is_row(row: object) -> bool:
    return (
        isinstance(row, list)
        and len(row) == 4
        and isinstance(row[0], str)
        and all(isinstance(x, int | float) and x >= 0 for x in row[1:3])
        and isinstance(row[3], str)
    )


def child(path: Path, out: Path, quick: bool) -> int:
    """In the bench's own process: its measure(), rows written as JSON."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows = module.measure(quick)
    out.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description="运行全部测速脚本，输出一张表")
    parser.add_argument("--quick", action="store_true", help="每项少测几次（规模不变）")
    parser.add_argument("--runs", type=int, default=1, help="整套运行几次（取中位数，并列出范围）")
    parser.add_argument("names", nargs="*", help="只运行这些脚本（如 figures）")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        return child(args.one, args.out, args.quick)

    runs: list[list[Row]] = []
    failed: list[str] = []
    start = time.perf_counter()
    for n in range(max(1, args.runs)):
        rows: list[Row] = []
        for path in benches(args.names):
            began = time.perf_counter()
            print(f"{path.name} …", end="", file=sys.stderr, flush=True)
            got, error = run_one(path, args.quick)
            print(f" {time.perf_counter() - began:.0f} s", file=sys.stderr, flush=True)
            if error:
                failed.append(path.name if args.runs == 1 else f"{path.name}（第{n + 1}次）")
                print(f"{path.name} 运行失败：\n{error}", file=sys.stderr)
            rows += got
        runs.append(rows)
    combined = combine(runs)
    table = [row for row, _low, _high in combined]
    spreads = [(low, high) for _row, low, high in combined] if len(runs) > 1 else None
    print()
    print(format_table(table, spreads=spreads))
    misses = missed(table)
    print(
        f"\n共{len(table)}项，未达标{len(misses)}项"
        + (f"，运行失败：{'、'.join(failed)}" if failed else "")
        + (f"；运行{len(runs)}次，取中位数" if len(runs) > 1 else "")
        + f"；用时{time.perf_counter() - start:.0f}秒"
        + ("（--quick）" if args.quick else "")
    )
    return 1 if misses or failed else 0


if __name__ == "__main__":
    sys.exit(main())
