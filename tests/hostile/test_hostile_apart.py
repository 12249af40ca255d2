"""The window never waits for a library's long C call (issue 23): the quarterly
workbook and the printed register are made in a process of their own (app/apart.py),
a return package's changes are read item by item. Each test runs the operation as the
window does, a 10 ms timer ticking on the GUI thread, and holds where the work ran
(not how long it took: that is bench/bench_stalls.py's)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import openpyxl
import pypdfium2
import pytest
import xlsxwriter
from PySide6.QtCore import QTimer

from app.apart import run_apart
from app.domain.quarters import Quarter
from app.domain.validation import OrganizationDraft
from app.exchange.export import ValueTooLong
from app.services.field import package_check
from app.services.registry import organizations

# the window's fixtures (and its autouse ones: own settings, no thread left running)
from tests.ui.conftest import _no_thread_outlives_its_test as _no_thread_outlives_its_test
from tests.ui.conftest import _own_settings as _own_settings
from tests.ui.conftest import gui_db as gui_db
from tests.ui.conftest import wait_idle
from tests.ui.conftest import window as window
from ui import messages

pytestmark = pytest.mark.gui


class _Ticks:
    """The longest gap between two ticks of a 10 ms timer on the GUI thread."""

    def __init__(self) -> None:
        self.longest, self._last = 0.0, time.perf_counter()
        self._timer = QTimer()
        self._timer.timeout.connect(self._tick)
        self._timer.start(10)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest, self._last = max(self.longest, now - self._last), now

    def stop(self) -> float:
        self._timer.stop()
        return self.longest


def _writes_here(monkeypatch: pytest.MonkeyPatch, cls: Any, method: str) -> list[str]:
    """Each time ``cls.method`` runs in this process (the window's), noted."""
    seen: list[str] = []
    real = getattr(cls, method)

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(method)
        return real(*args, **kwargs)

    monkeypatch.setattr(cls, method, watched)
    return seen


def _wait(qtbot: Any) -> None:
    # a spawned process starts a Python of its own: longer than a thread on a busy machine
    qtbot.waitUntil(lambda: not __import__("ui.tasks").tasks.busy(), timeout=60_000)


def test_the_quarterly_workbook_is_written_in_another_process(
    qtbot: Any, window: Any, gui_db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtGui import QDesktopServices

    monkeypatch.setattr(QDesktopServices, "openUrl", lambda _url: True)
    organizations.create_organization(gui_db, OrganizationDraft(name="报送科技", formal_members=3))
    here = _writes_here(monkeypatch, xlsxwriter.Workbook, "close")
    out = tmp_path / "报送.xlsx"
    ticks = _Ticks()
    window.exchange.write_quarter(out, Quarter(2026, 4))
    _wait(qtbot)
    longest = ticks.stop()
    assert here == [], f"the workbook was written in the window's process ({longest:.3f} s)"
    assert "已导出2026年第四季度报送：1个组织" in window.exchange.export_result.text()
    names = [row[0].value for row in openpyxl.load_workbook(out)["组织名录"].iter_rows(min_row=3)]
    assert names == ["报送科技"]
    with gui_db.read_connection() as conn:  # the submission kept by the window, as text
        kind, kept = conn.execute("SELECT typeof(snapshot), snapshot FROM submission").fetchone()
    assert kind == "text" and "报送科技" in json.loads(kept)["rows"].popitem()[1]
    assert not list(tmp_path.glob("*.part*"))


def test_an_export_over_the_database_is_refused_before_any_process(
    qtbot: Any, window: Any, gui_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services.workbooks import submissions

    shown: list[str] = []
    started: list[object] = []
    monkeypatch.setattr(messages, "warn", lambda _p, _t, text: shown.append(text))
    monkeypatch.setattr(submissions, "run_reading_apart", lambda *a: started.append(a))
    before = gui_db.path.read_bytes()
    window.exchange.write_quarter(gui_db.path, Quarter(2026, 4))
    wait_idle(qtbot)
    assert shown and "数据库" in shown[0]
    assert started == [] and gui_db.path.read_bytes() == before


def _too_long(message: str, *, progress: Any) -> None:
    progress(1, 2)
    raise ValueTooLong("组织名录", 3, [("组织名称", 30), ("备注", 30)], ["甲", message], 1)


def test_an_error_in_the_process_comes_back_as_it_was() -> None:
    heard: list[tuple[int, int]] = []
    with pytest.raises(ValueTooLong) as caught:
        run_apart(_too_long, ("长" * 10,), lambda done, total: heard.append((done, total)))
    assert "工作表“组织名录”第3行“甲”的“备注”有10个字" in str(caught.value)
    assert (1, 2) in heard


def test_the_register_is_printed_in_another_process(
    qtbot: Any, window: Any, gui_db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog
    from reportlab.platypus import SimpleDocTemplate

    from app.services.reports import registry
    from ui import printing
    from ui.dialogs.columns_dialog import ColumnsDialog
    from ui.pages.list_output import print_with, shown_rows

    monkeypatch.setattr(registry, "APART_FROM_ROWS", 2)  # (a real one: 500 rows and more)
    for name in ("乙公司", "甲公司"):
        organizations.create_organization(gui_db, OrganizationDraft(name=name))
    window.show_page("registry")
    page = window.page("registry")
    page.reload()
    wait_idle(qtbot)
    target = tmp_path / "名录.pdf"
    told: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    monkeypatch.setattr(ColumnsDialog, "exec", lambda _self: 1)
    monkeypatch.setattr(messages, "info", lambda _p, _t, text: told.append(text))
    here = _writes_here(monkeypatch, SimpleDocTemplate, "build")
    ticks = _Ticks()
    print_with(page, printing.save_pdf)
    _wait(qtbot)
    longest = ticks.stop()
    assert here == [], f"the register was laid out in the window's process ({longest:.3f} s)"
    assert told and target.read_bytes().startswith(b"%PDF")
    document = pypdfium2.PdfDocument(str(target))
    try:
        text = document[0].get_textpage().get_text_range()
    finally:
        document.close()
    shown = [r.name for r in shown_rows(page)]  # in the window's order, as before
    assert "组织名录（共2个）" in text and sorted(shown, key=text.index) == shown


def test_the_register_made_apart_says_its_pages_and_stops_when_told(
    gui_db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Made in a process of its own, the register tells each page it lays out; the
    Cancelled its progress raises (取消, the window closing) ends that process at once:
    the window no longer waited for a 50,000-row register to finish before it closed,
    and nothing is left under the report's name."""
    import multiprocessing

    from app.services.registry import org_list
    from app.services.reports import registry

    monkeypatch.setattr(registry, "APART_FROM_ROWS", 2)  # (a real one: 500 rows and more)
    for n in range(60):  # two pages
        organizations.create_organization(gui_db, OrganizationDraft(name=f"第{n}公司"))
    rows = org_list.list_organizations(gui_db)
    heard: list[tuple[int, int]] = []
    whole = tmp_path / "名录.pdf"
    printed = registry.registry_pdf_apart(
        gui_db, whole, registry.PRINTED, rows, lambda d, t: heard.append((d, t))
    )
    assert printed.pages >= 2 and whole.read_bytes().startswith(b"%PDF")
    assert [d for d, _t in heard if d] == list(range(1, printed.pages + 1))

    class Closing(Exception):
        pass

    def closing(_done: int, _total: int) -> None:
        raise Closing

    stopped = tmp_path / "关窗时的名录.pdf"
    with pytest.raises(Closing):
        registry.registry_pdf_apart(gui_db, stopped, registry.PRINTED, rows, closing)
    assert not stopped.exists() and list(tmp_path.glob("关窗时*")) == []
    assert multiprocessing.active_children() == []


def test_a_return_packages_changes_are_read_item_by_item(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    changes = [
        {"entity": "visit", "uuid": f"{n:08d}-0000-4000-8000-000000000000", "data": {"n": n}}
        for n in range(5_000)
    ]
    raw = json.dumps(changes, ensure_ascii=False).encode()
    lengths: list[int] = []
    real = json.loads

    def watched(text: Any, *args: Any, **kwargs: Any) -> Any:
        lengths.append(len(text))
        return real(text, *args, **kwargs)

    monkeypatch.setattr(json, "loads", watched)
    assert package_check.load_changes(raw, "回传.pdreturn") == changes
    # never the whole list in one C call (held the GIL, and the window, 120-200 ms)
    assert max(lengths, default=0) < len(raw) // 100
    with pytest.raises(package_check.PackageError, match="改动清单不是可读的JSON"):
        package_check.load_changes(raw[:-1], "回传.pdreturn")
