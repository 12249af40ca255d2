"""The window never freezes (issue 23): each long operation at 50,000 units run through
the window as a clerk runs it, a 10 ms timer on the GUI thread, and the longest gap
between two of its ticks — how long the window did not answer.

    python bench/bench_stalls.py [--quick]

Operations: a 50,000-row registry imported (preview, then apply), the quarterly
workbook exported, another copy of the database merged, a return package merged, the
register printed to PDF, every class proposal accepted. Each runs in its own process
(offscreen Qt, a fresh copy of the park) so one cannot warm or slow the next; the
dialogs a clerk answers are answered at once (their building still counts). Rows are
(label, longest stall, the timer's interval, target): the ratio says how many ticks
the window missed in a row. A worker that only sleeps gives the machine's own floor.

    PARKDESK_STALL_TRACE=1 python bench/bench_stalls.py import

prints, for each step's longest stalls, where the GUI thread was, and where the other
threads were when a C call had held the GIL (the sampler woke late).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import (  # noqa: E402 - after the path set-up above
    Row,
    demo_park,
    print_table,
    registry_workbook,
    work_in_the_field,
)

SIZE = 50_000
TICK_S = 0.010
TARGET = "≤ 100 ms"
FOLDER = Path(tempfile.gettempdir()) / "parkdesk-bench-stalls"
FIELD_UNITS, FIELD_VISITS, FIELD_PROBLEMS = 200, 4_000, 1_000

# each operation: its steps' labels, in the order the child prints them
OPERATIONS: dict[str, list[str]] = {
    "import": ["导入5万行登记表：预览", "导入5万行登记表：导入"],
    "export": ["季度报送导出（5万组织）"],
    "database": ["合并另一份数据库（5千个组织有改动）：比较", "合并另一份数据库：合并"],
    "return": ["导入回传包（5千条走访与问题）：检查", "导入回传包：合并"],
    "pdf": ["组织名录保存为PDF（5万行）"],
    "classes": ["分类管理：读出全部单位及建议", "分类管理：采纳显示的全部建议"],
    # the floor: a worker that only sleeps (the GIL free): what the machine itself costs
    "idle": ["参考：后台任务只等待5秒"],
}


# -- preparing the files (once, kept in FOLDER) --------------------------------------
def _copy(source: Path, target: Path) -> Path:
    """Through SQLite: a park in WAL mode may hold its newest rows outside the main file."""
    for stale in target.parent.glob(target.name + "*"):
        stale.unlink()
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    return target


def _workbooks(park: Path) -> tuple[Path, Path]:
    """The park's registry as a plain sheet, and the same with one row in ten changed."""
    plain, changed = FOLDER / "registry-50k.xlsx", FOLDER / "registry-50k-changed.xlsx"
    if plain.exists() and changed.exists():
        return plain, changed
    from app.db.database import open_database
    from app.exchange.records import REGISTRY_COLUMNS
    from app.services.workbooks.registry_read import registry_records

    db = open_database(park, daily_backup=False)
    rows = [[rec.get(c.key) for c in REGISTRY_COLUMNS] for rec in registry_records(db)]
    db.dispose()
    registry_workbook(plain, rows)
    at = [c.key for c in REGISTRY_COLUMNS].index("formal_members")
    for row in rows[::10]:
        row[at] = (row[at] or 0) + 1  # type: ignore[operator]
    registry_workbook(changed, rows)
    return plain, changed


def _laptop(park: Path, changed: Path) -> Path:
    """A copy of the park that went its own way: 5,000 units' members changed by an import."""
    laptop = FOLDER / "laptop" / "parkdesk.sqlite3"
    if laptop.exists():
        return laptop
    from app.db.database import open_database
    from app.services.workbooks.import_apply import apply_import
    from app.services.workbooks.imports import preview_import

    laptop.parent.mkdir(exist_ok=True)
    work = _copy(park, FOLDER / "laptop" / "building.sqlite3")
    db = open_database(work, daily_backup=False)
    apply_import(db, preview_import(db, changed))
    db.dispose()
    _copy(work, laptop)
    for part in work.parent.glob(work.name + "*"):
        part.unlink()
    return laptop


def _return_package(park: Path) -> tuple[Path, Path]:
    """The office that made a field package (its ledger row), and the package's return."""
    office, back = FOLDER / "office-field.sqlite3", FOLDER / "back.pdreturn"
    if office.exists() and back.exists():
        return office, back
    from app.db.database import open_database
    from app.services.field import field_package, return_package

    _copy(park, office)
    db = open_database(office, daily_backup=False)
    with db.read_connection() as conn:
        codes = [
            r[0]
            for r in conn.execute(
                "SELECT uscc FROM organization WHERE uscc IS NOT NULL"
                " ORDER BY id LIMIT ? OFFSET 1000",
                (FIELD_UNITS,),
            )
        ]
    package = FOLDER / "field.pdfield"
    package.unlink(missing_ok=True)
    field_package.make_field_package(db, package, usccs=codes)
    db.dispose()
    field = FOLDER / "field" / "laptop.sqlite3"
    for stale in field.parent.glob("*"):
        stale.unlink()
    field.parent.mkdir(exist_ok=True)
    field_package.open_field_package(package, field)
    work_in_the_field(field, FIELD_VISITS, FIELD_PROBLEMS)
    fdb = open_database(field, daily_backup=False)
    back.unlink(missing_ok=True)
    return_package.make_return_package(fdb, back)
    fdb.dispose()
    return office, back


def prepare() -> dict[str, str]:
    """Every file the operations need, built once and kept."""
    from app.db.database import open_database

    FOLDER.mkdir(exist_ok=True)
    park = demo_park(FOLDER / "park-50k.sqlite3", SIZE)
    open_database(park, daily_backup=False).dispose()  # migrated once, before timing
    plain, changed = _workbooks(park)
    office, back = _return_package(park)
    return {
        "park": str(park),
        "workbook": str(plain),
        "laptop": str(_laptop(park, changed)),
        "office": str(office),
        "back": str(back),
    }


# -- in the child: the window, the timer, the operation -------------------------------
class Stalls:
    """The longest gap between two ticks of a 10 ms timer on the GUI thread."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.longest = 0.0
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(int(TICK_S * 1000))
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now

    def take(self) -> float:
        """The longest gap since the last take (the gap running now included)."""
        longest = max(self.longest, time.perf_counter() - self._last)
        self.longest = 0.0
        return longest


def _trace_stalls(stalls: list[Stalls]) -> Callable[[], None]:
    """With PARKDESK_STALL_TRACE set: a thread that, while the timer is late by more
    than 30 ms, samples every thread; returns what prints the longest stalls with
    where the GUI thread was and, when the sampler itself woke late (a C call held
    the GIL), where the other threads were as it woke."""
    import threading
    import traceback

    main, stop = threading.get_ident(), threading.Event()
    episodes: list[tuple[list[float], list[str]]] = []  # per stall: its length, its lines

    def where(frame: object) -> str:
        stack = traceback.extract_stack(frame)[-6:]  # type: ignore[arg-type]
        return " < ".join(f"{Path(f.filename).name}:{f.lineno}" for f in stack[::-1])

    def sample() -> None:
        last, current = time.perf_counter(), None
        while not stop.wait(0.005):
            now = time.perf_counter()
            late, last = now - last - 0.005, now
            if not stalls or now - stalls[0]._last <= 0.03:
                current = None
                continue
            frames = sys._current_frames()
            if main not in frames:
                return
            if current is None:
                current = ([0.0], [])
                episodes.append(current)
            current[0][0] = now - stalls[0]._last
            lines = current[1]
            lines.append(f"  gui: {where(frames[main])}")
            if late > 0.02:
                lines.append(f"  sampler {late * 1000:.0f} ms late; others:")
                me = threading.get_ident()
                lines += [f"    {where(f)}" for t, f in frames.items() if t not in (main, me)]

    def show() -> None:
        for (length,), lines in sorted(episodes, key=lambda e: -e[0][0])[:4]:
            print(f"TRACE stall of {length * 1000:.0f} ms", file=sys.stderr)
            for line in dict.fromkeys(lines):
                print("TRACE", line, file=sys.stderr)
        episodes.clear()

    threading.Thread(target=sample, daemon=True).start()
    return show


def _answer_dialogs(answered: Callable[[object], None]) -> None:
    """Every question a clerk answers, answered yes at once (a dialog is still built
    and shown: that work is the window's); the folder is not opened after an export.
    ``answered(dialog)`` is told when a dialog was answered."""
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QDialog

    from ui import messages

    shown = QDialog.exec

    def accept_at_once(dialog: QDialog) -> int:
        QTimer.singleShot(0, dialog.accept)
        result = shown(dialog)
        answered(dialog)
        return result

    QDialog.exec = accept_at_once  # type: ignore[method-assign]
    messages.info = lambda *_a, **_k: None  # type: ignore[assignment]
    messages.warn = lambda _p, _t, text: print("WARN", text, file=sys.stderr)  # type: ignore[assignment]
    messages.ask = lambda *_a, **_k: True  # type: ignore[assignment]
    QDesktopServices.openUrl = lambda _url: True  # type: ignore[method-assign,assignment]


def _steps(op: str, files: dict[str, str], w: object) -> list[Callable[[], None]]:
    """What the clerk does, one callable per measured step (each starts its work)."""
    from PySide6.QtWidgets import QFileDialog

    from app.domain.quarters import Quarter
    from ui import printing
    from ui.pages.list_output import print_with

    out = FOLDER / "out"
    out.mkdir(exist_ok=True)
    win: object = w
    page = win.show_page  # type: ignore[attr-defined]
    if op == "import":
        return [
            lambda: win.open_workbook(Path(files["workbook"])),  # type: ignore[attr-defined]
            lambda: win.exchange.apply(),  # type: ignore[attr-defined]
        ]
    if op == "export":
        quarter = Quarter.of(date.today())
        return [lambda: page("exchange").write_quarter(out / "quarter.xlsx", quarter)]
    # a merge: the preview up to the dialog answered, then the merge (_child marks it)
    if op == "database":
        return [lambda: page("exchange").field_tab.merge_database(Path(files["laptop"]))]
    if op == "return":
        return [lambda: page("exchange").merge_return(Path(files["back"]))]
    if op == "pdf":
        target = str(out / "register.pdf")
        QFileDialog.getSaveFileName = lambda *_a, **_k: (target, "")  # type: ignore[method-assign]
        return [lambda: print_with(page("registry"), printing.save_pdf)]
    if op == "classes":
        return [lambda: page("classes"), lambda: page("classes").accept_shown()]
    if op == "idle":
        from ui import tasks

        return [lambda: tasks.run_task(None, "", lambda _p: time.sleep(5))]
    raise SystemExit(f"unknown operation {op}")


def child(op: str, files: dict[str, str]) -> None:
    """Run ``op`` in this process's window; print one STALL line per step."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from app.db.database import open_database
    from ui import tasks
    from ui.application import make_app
    from ui.main_window import MainWindow

    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(FOLDER / "qt-settings"))
    app = make_app()
    source = Path(files["office" if op == "return" else "park"])
    target = FOLDER / "run" / "parkdesk.sqlite3"
    target.parent.mkdir(exist_ok=True)
    if op == "import":  # into an empty park: every row new, the most an import writes
        for stale in target.parent.glob(target.name + "*"):
            stale.unlink()
        from app.services.registry import park

        db = open_database(target, daily_backup=False)
        park.set_park(db, "测试园区", "")
    else:
        db = open_database(_copy(source, target), daily_backup=False)
    stalls: list[Stalls] = []
    started = [0.0]
    trace = _trace_stalls(stalls) if os.environ.get("PARKDESK_STALL_TRACE") else None

    def report() -> None:
        print("STALL", stalls[0].take(), time.perf_counter() - started[0], flush=True)
        if trace is not None:
            trace()
        started[0] = time.perf_counter()

    def answered(dialog: object) -> None:
        from ui.dialogs.merge_dialog import MergeDialog

        if isinstance(dialog, MergeDialog):  # the preview's end: the merge starts now
            report()

    _answer_dialogs(answered)
    w = MainWindow(db)
    w.show()
    steps = _steps(op, files, w)

    def idle() -> bool:
        return not tasks.busy() and QApplication.activeModalWidget() is None

    def when_idle(then: Callable[[], None], calm: int = 0) -> None:
        # idle twice in a row, 50 ms apart: a task's on_done may start the next one
        if not idle():
            calm = 0
        elif calm >= 2:
            then()
            return
        QTimer.singleShot(50, lambda: when_idle(then, calm + 1))

    def step(n: int) -> None:
        if n:
            report()
        if n == len(steps):
            app.quit()
            return
        if not stalls:
            stalls.append(Stalls())
        stalls[0].take()
        started[0] = time.perf_counter()
        try:
            steps[n]()
        except BaseException:
            app.exit(1)
            raise
        when_idle(lambda: step(n + 1))

    # the operation's page open first (opening a page is not the operation): the
    # register read, for the clerk prints what it shows
    w.show_page({"pdf": "registry", "classes": "overview"}.get(op, "exchange"))
    when_idle(lambda: QTimer.singleShot(300, lambda: step(0)))  # the window settled first
    if app.exec():
        raise SystemExit(1)
    db.dispose()


def _run_child(op: str, files: dict[str, str]) -> list[tuple[float, float]]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, __file__, "--child", op, json.dumps(files)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    found = [
        (float(line.split()[1]), float(line.split()[2]))
        for line in done.stdout.splitlines()
        if line.startswith("STALL ")
    ]
    if done.returncode != 0 or len(found) != len(OPERATIONS[op]):
        raise SystemExit(f"{op}: {done.stderr[-3000:]}")
    if "TRACE" in done.stderr:
        print(done.stderr, file=sys.stderr)
    return found


def measure(quick: bool) -> list[Row]:
    """One run of each operation (a stall is the worst seen: ``quick`` changes nothing
    but is taken for the common interface)."""
    del quick
    files = prepare()
    rows: list[Row] = []
    for op, labels in OPERATIONS.items():
        for label, (stall, took) in zip(labels, _run_child(op, files), strict=True):
            print(f"{label}: 最长停顿 {stall * 1000:.0f} ms，用时 {took:.1f} s", file=sys.stderr)
            rows.append((label, stall, TICK_S, "（参考）" if op == "idle" else TARGET))
    return rows


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], json.loads(sys.argv[3]))
        return 0
    only = [a for a in sys.argv[1:] if a in OPERATIONS]
    if only:
        for name in list(OPERATIONS):
            if name not in only:
                del OPERATIONS[name]
    rows = measure("--quick" in sys.argv)
    print_table(rows, width=40, digits=0)
    print("\n基准：界面线程上10毫秒计时器的间隔；倍数即窗口连续错过的节拍数。")
    return 0 if all(stall <= 0.1 or t != TARGET for _label, stall, _b, t in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
