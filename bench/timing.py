"""Shared by the bench scripts: the row every bench returns, its target and whether it is
met, the table they print, the best of several timed runs, the demo parks.

Every bench module exposes ``measure(quick: bool) -> list[Row]``; ``run_all.py`` runs each
in its own process and prints their rows as one table. A target is one of

- ``≤ N×``    met when ParkDesk's figure is at most N times the bare baseline's;
- ``≤ N ms``, ``≤ N s``   met when ParkDesk's time is at most that;
- ``≤ N MB``  met when ParkDesk's memory is at most that;

with any words after it (``≤ 3× calamine``). Anything else (``—``, ``（参考）``, ``后台线程``,
``≈ 2×``) is a reference row: shown, never checked. A target that names MB marks a memory
row: both its figures are in megabytes, not seconds.
"""

from __future__ import annotations

import atexit
import os
import random
import re
import shutil
import sqlite3
import sys
import tempfile
import time
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

Row = tuple[str, float, float, str]
"""One line of a bench table: label, ParkDesk's time, the bare library's time in the same
run (both in seconds, or megabytes for a memory row), target."""

_TARGET = re.compile(r"^\s*(?:≤|<=)\s*(\d+(?:\.\d+)?)\s*(×|ms|s|MB)(?![A-Za-z])")
_SCALE = {"×": 1.0, "ms": 0.001, "s": 1.0, "MB": 1.0}


@dataclass(frozen=True)
class Target:
    """A parsed target: a ratio to the baseline (``×``) or an absolute limit (in seconds,
    or megabytes)."""

    limit: float
    unit: str

    @property
    def ratio(self) -> bool:
        return self.unit == "×"

    def met(self, mine: float, bare: float) -> bool:
        if self.ratio:
            return bare > 0 and mine / bare <= self.limit
        return mine <= self.limit * _SCALE[self.unit]


def parse_target(text: str) -> Target | None:
    """The target a row's text states, or None for a reference row (nothing to check)."""
    found = _TARGET.match(text)
    if found is None:
        return None
    return Target(float(found.group(1)), found.group(2))


def verdict(row: Row) -> bool | None:
    """True when the row meets its target, False when it misses it, None when it has none."""
    _label, mine, bare, target = row
    parsed = parse_target(target)
    return None if parsed is None else parsed.met(mine, bare)


def is_memory(target: str) -> bool:
    return "MB" in target


def missed(rows: list[Row]) -> list[Row]:
    return [r for r in rows if verdict(r) is False]


def checked(row: Row) -> float:
    """The figure a row's target judges: the ratio for a ratio target (and a reference
    row with a baseline), ParkDesk's own figure for an absolute target."""
    _label, mine, bare, target = row
    parsed = parse_target(target)
    if (parsed is None or parsed.ratio) and bare > 0:
        return mine / bare
    return mine


def combine(runs: list[list[Row]]) -> list[tuple[Row, float, float]]:
    """Rows measured in several runs as one: each label's median run (of an even count,
    the worse of the middle two), with the least and most of the figure its target
    judges over the runs; in the order the rows first came."""
    by_label: dict[str, list[Row]] = {}
    for rows in runs:
        for row in rows:
            by_label.setdefault(row[0], []).append(row)
    out = []
    for same in by_label.values():
        ordered = sorted(same, key=checked)
        out.append((ordered[len(ordered) // 2], checked(ordered[0]), checked(ordered[-1])))
    return out


def best(fn: Callable[[], object], repeat: int = 3) -> float:
    """The fastest of ``repeat`` runs of ``fn``, in seconds (the least disturbed)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def parks() -> Path:
    """The shared folder of what the benches build once and keep (demo parks, their large
    workbooks), one for each database revision: a park another branch's bench migrated
    further would be refused by this one as a newer file."""
    from app.db.migrate import head_revision

    folder = Path(tempfile.gettempdir()) / "parkdesk-bench" / head_revision()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


_SCRATCH: list[Path] = []


def scratch() -> Path:
    """This process's own folder for what a bench writes and throws away (copies of a
    park, the workbooks it exports, the backups an import makes): two benches running at
    once never write each other's files. Removed when the process ends."""
    if not _SCRATCH:
        folder = Path(tempfile.mkdtemp(prefix="parkdesk-bench-scratch-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _SCRATCH.append(folder)
    return _SCRATCH[0]


def building(path: Path) -> Path:
    """Where this process builds what will be kept at ``path``: a name of its own (not
    starting with ``path``'s, which a stale-file clean-up removes), so a bench started
    meanwhile never sees half a park."""
    return path.with_name(f".building-{os.getpid()}-{path.name}")


def publish(built: Path, path: Path) -> Path:
    """The finished database moved to ``path`` in one step, its write-ahead log folded in
    first (the log stays behind with the old name), and the builder's leftovers removed."""
    import sqlite3

    conn = sqlite3.connect(built)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    os.replace(built, path)
    for leftover in built.parent.glob(built.name + "*"):
        leftover.unlink()
    return path


def demo_park(path: Path, size: int) -> Path:
    """A demo park of ``size`` organizations at ``path``, built once and kept. A file
    left empty by an interrupted build (or opened before it was built) is built again:
    measuring an empty park, or a window stopped at its first-run dialog, is no measure."""
    import sqlite3

    from app.db.database import open_database
    from app.services.files import demo

    if path.exists():
        if _count(path) >= size:
            return path
        for stale in path.parent.glob(path.name + "*"):
            stale.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    built = building(path)
    seed = _seed(path, size)
    if seed is not None:
        # a park of an older revision (or the folder before revisions): migrated, not rebuilt
        with sqlite3.connect(seed) as source, sqlite3.connect(built) as target:
            source.backup(target)
        source.close()
        target.close()
    db = open_database(built, daily_backup=False)
    if seed is None:
        demo.build_demo(db, size)
    db.dispose()
    return publish(built, path)


def _count(path: Path) -> int:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM organization").fetchone()[0]
    except sqlite3.DatabaseError:
        return 0
    finally:
        conn.close()


def _seed(path: Path, size: int) -> Path | None:
    """The same park, whole, kept for another revision this build can open (older: it is
    migrated), or in the bench folder of before revisions; None when there is none."""
    import sqlite3

    from app.db.migrate import known_revisions

    known = known_revisions()
    root = Path(tempfile.gettempdir()) / "parkdesk-bench"
    for candidate in [root / path.name, *sorted(root.glob(f"*/{path.name}"))]:
        if candidate == path or not candidate.is_file():
            continue
        conn = sqlite3.connect(f"file:{candidate}?mode=ro", uri=True)
        try:
            (revision,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except (sqlite3.DatabaseError, TypeError):
            continue
        finally:
            conn.close()
        if revision in known and _count(candidate) >= size:
            return candidate
    return None


def _width(text: str) -> int:
    """Columns the text takes in a terminal: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


def _figure(value: float, memory: bool) -> str:
    return f"{value:.0f} MB" if memory else f"{value * 1000:.1f} ms"


def _spread(row: Row, low: float, high: float, digits: int) -> str:
    """The range of the judged figure over the runs, in its own unit."""
    _label, _mine, bare, target = row
    parsed = parse_target(target)
    if (parsed is None or parsed.ratio) and bare > 0:
        return f"{low:.{digits}f}–{high:.{digits}f}×"
    if is_memory(target):
        return f"{low:.0f}–{high:.0f} MB"
    return f"{low * 1000:.1f}–{high * 1000:.1f} ms"


def format_table(
    rows: list[Row],
    width: int = 0,
    digits: int = 2,
    spreads: list[tuple[float, float]] | None = None,
) -> str:
    """The table: measure, ParkDesk, the bare baseline in the same run, their ratio, the
    target, and ✔ (met), ✗ (missed) or nothing (a reference row). The label column is at
    least ``width`` wide; the ratio has ``digits`` decimals. With ``spreads`` (rows of
    several runs, from combine()) a last column gives each row's range over the runs."""
    marks = {True: "✔", False: "✗", None: ""}
    lines = [
        [
            label,
            _figure(mine, is_memory(target)),
            _figure(bare, is_memory(target)) if bare > 0 else "—",
            f"{mine / bare:.{digits}f}×" if bare > 0 else "—",
            target,
            marks[verdict((label, mine, bare, target))],
        ]
        for label, mine, bare, target in rows
    ]
    head = ["测量", "ParkDesk", "基准", "倍数", "目标", "达标"]
    if spreads is not None:
        head.append("各次范围")
        for line, row, (low, high) in zip(lines, rows, spreads, strict=True):
            line.append(_spread(row, low, high, digits))
    widths = [max(_width(line[i]) for line in [head, *lines]) for i in range(len(head))]
    widths[0] = max(widths[0], width)
    right = {1, 2, 3}
    out = []
    for line in [head, *lines]:
        cells = [_pad(cell, widths[i], right=i in right) for i, cell in enumerate(line)]
        out.append("  ".join(cells).rstrip())
    return "\n".join(out)


def print_table(rows: list[Row], width: int = 0, digits: int = 2) -> None:
    print()
    print(format_table(rows, width, digits))


def run_alone(measure: Callable[[bool], list[Row]], note: str = "") -> int:
    """A bench script run by itself: its table (``--quick`` for fewer repeats), its note
    on the baselines, and exit status 1 when a target is missed."""
    rows = measure("--quick" in sys.argv[1:])
    print_table(rows)
    if note:
        print(f"\n{note}")
    return 1 if missed(rows) else 0


def registry_workbook(path: Path, rows: list[list[object]]) -> None:
    """A registry sheet as an upper level sends it: a title, the headers, the rows."""
    import datetime

    import xlsxwriter

    from app.exchange.records import REGISTRY_COLUMNS

    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    ws = wb.add_worksheet("两新组织名录")
    ws.write_string(0, 0, "某县两新组织名录")
    for c, col in enumerate(REGISTRY_COLUMNS):
        ws.write_string(1, c, col.header)
    day = wb.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows, start=2):
        for c, v in enumerate(row):
            if v is None:
                continue
            if isinstance(v, date):
                ws.write_datetime(r, c, datetime.datetime(v.year, v.month, v.day), day)
            elif isinstance(v, int | float):
                ws.write_number(r, c, v)
            else:
                ws.write_string(r, c, str(v))
    wb.close()


def uuid_of(rng: random.Random) -> str:
    """A record's identity as ParkDesk makes one (a package's checks refuse any other)."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def work_in_the_field(field: Path, visits_n: int = 4_000, problems_n: int = 1_000) -> None:
    """An instructor's half-year: 4,000 visits and 1,000 problems on the package's units."""
    rng = random.Random(5)
    with sqlite3.connect(field) as conn:
        units = [r[0] for r in conn.execute("SELECT id FROM organization")]
        (who,) = conn.execute("SELECT min(id) FROM instructor").fetchone()
        (start,) = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM visit").fetchone()
        (pstart,) = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM problem").fetchone()
        visits, links, problems, problem_units = [], [], [], []
        for n in range(visits_n):
            vid, day = start + n, (date(2026, 6, 1) + timedelta(days=n % 180)).isoformat()
            visits.append(
                (
                    vid,
                    uuid_of(rng),
                    rng.choice(units),
                    day,
                    "visit",
                    "查阅记录",
                    "",
                    1,
                    "王",
                    day,
                    day,
                )
            )
            links.append((uuid_of(rng), vid, who))
        for n in range(problems_n):
            pid = pstart + n
            vid = start + n
            problems.append(
                (
                    pid,
                    uuid_of(rng),
                    vid,
                    "记录不全",
                    0,
                    "",
                    "",
                    None,
                    "open",
                    "2026-07-01",
                    None,
                    "",
                    "",
                    1,
                    "王",
                    "2026-07-01",
                    "2026-07-01",
                )
            )
            problem_units.append((uuid_of(rng), pid, visits[n][2]))
        # the columns named: the park's id (migration 0025) is the database's to fill
        conn.executemany(
            "INSERT INTO visit (id, uuid, organization_id, visited_on, kind, content,"
            " people_met, row_version, changed_by, created_at, updated_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            visits,
        )
        conn.executemany(
            "INSERT INTO visit_instructor (uuid, visit_id, instructor_id) VALUES (?,?,?)", links
        )
        conn.executemany("INSERT INTO problem VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", problems)
        conn.executemany(
            "INSERT INTO problem_unit (uuid, problem_id, organization_id) VALUES (?,?,?)",
            problem_units,
        )
