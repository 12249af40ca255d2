"""The whole bench in one command: every bench/bench_*.py, each in its own process (a Qt
application, the imports and caches of one must not speed up or slow down another), their
rows as one table, and exit status 1 when any target is missed or a bench fails.

    python bench/run_all.py [--quick] [bench_x ...]

--quick runs each measure fewer times (the sizes the targets name stay as they are).
Names narrow the run to those benches (``bench_figures`` or ``figures``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from timing import Row, format_table, missed  # noqa: E402 - after the path set-up above


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


def run_one(path: Path, quick: bool) -> tuple[list[Row], str]:
    """One bench in a fresh interpreter: its rows (through a temporary JSON file, as the
    bench prints what it likes), or none and the end of its error output."""
    with tempfile.TemporaryDirectory(prefix="parkdesk-run-all-") as folder:
        out = Path(folder) / "rows.json"
        command = [sys.executable, str(BENCH / "run_all.py"), "--one", str(path), "--out", str(out)]
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        done = subprocess.run(
            [*command, *(["--quick"] if quick else [])],
            capture_output=True,
            text=True,
            cwd=BENCH.parent,
            env=env,
        )
        if done.returncode != 0 or not out.exists():
            return [], (done.stderr or done.stdout)[-1500:]
        rows = [tuple(r) for r in json.loads(out.read_text(encoding="utf-8"))]
        return rows, ""  # type: ignore[return-value]


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
    parser.add_argument("names", nargs="*", help="只运行这些脚本（如 figures）")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        return child(args.one, args.out, args.quick)

    rows: list[Row] = []
    failed: list[str] = []
    start = time.perf_counter()
    for path in benches(args.names):
        began = time.perf_counter()
        print(f"{path.name} …", end="", file=sys.stderr, flush=True)
        got, error = run_one(path, args.quick)
        print(f" {time.perf_counter() - began:.0f} s", file=sys.stderr, flush=True)
        if error:
            failed.append(path.name)
            print(f"{path.name} 运行失败：\n{error}", file=sys.stderr)
        rows += got
    print()
    print(format_table(rows))
    misses = missed(rows)
    print(
        f"\n共{len(rows)}项，未达标{len(misses)}项"
        + (f"，运行失败：{'、'.join(failed)}" if failed else "")
        + f"；用时{time.perf_counter() - start:.0f}秒"
        + ("（--quick）" if args.quick else "")
    )
    return 1 if misses or failed else 0


if __name__ == "__main__":
    sys.exit(main())
