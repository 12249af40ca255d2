"""The window never freezes during long work (issue 23): what 50,000 rows cost to sort,
filter and collect is paid in the worker or not at all, never on the GUI thread while
the clerk waits. Each test holds one of the places bench/bench_stalls.py found."""

from __future__ import annotations

import gc
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from app.domain.validation import OrganizationDraft
from app.domain.vocabulary import Formation
from app.services.registry import organizations
from tests.conftest import SAMPLES_DIR

# the window's fixtures (and its autouse ones: own settings, no thread left running)
from tests.ui.conftest import _no_thread_outlives_its_test as _no_thread_outlives_its_test
from tests.ui.conftest import _own_settings as _own_settings
from tests.ui.conftest import gui_db as gui_db
from tests.ui.conftest import wait_idle
from tests.ui.conftest import window as window
from ui import gc_guard, table_model, tasks

pytestmark = pytest.mark.gui


def _sorted_by_watched(model: table_model.RowTableModel, view: Any, column: int) -> list[bool]:
    """Sort ``view`` by ``column``; then whether each of its sort keys is made on the
    GUI thread."""
    seen: list[bool] = []
    col = model.columns[column]

    def key(row: Any) -> Any:
        seen.append(threading.current_thread() is threading.main_thread())
        return col.sort_key(row) if col.sort_key else table_model.natural_key(col.text(row))

    model.columns[column] = replace(col, sort_key=key)
    view.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    seen.clear()  # (the rows shown now were sorted here: asked for by the clerk)
    return seen


def test_a_pages_rows_are_sorted_and_filtered_in_the_worker(qtbot, window, gui_db) -> None:  # type: ignore[no-untyped-def]
    for n in range(30):
        organizations.create_organization(
            gui_db, OrganizationDraft(name=f"第{n}科技", formal_members=4, formation=Formation.OWN)
        )
    window.show_page("classes")
    wait_idle(qtbot)
    page = window.page("classes")
    sorted_on = _sorted_by_watched(page.model, page.table, 0)  # by name
    filtered: list[bool] = []
    proposal = page._filters[0][1][0]  # 有调整建议的

    def watched(row: Any) -> bool:
        filtered.append(threading.current_thread() is threading.main_thread())
        return proposal(row)

    page._filters[0][1][0] = watched
    page.reload()
    wait_idle(qtbot)
    assert page.model.rowCount() == 30  # each proposes 成长类
    names = [page.model.row_at(i).name for i in range(3)]
    assert names == ["第0科技", "第1科技", "第2科技"]  # numbers by value
    assert sorted_on and not any(sorted_on)
    assert filtered and not any(filtered)


def test_the_import_preview_is_sorted_in_the_worker_and_not_again_after_the_import(
    qtbot, window
) -> None:  # type: ignore[no-untyped-def]
    page = window.exchange
    sorted_on = _sorted_by_watched(page.rows_model, page.rows_view, 2)  # by name
    window.open_workbook(SAMPLES_DIR / "p2_title_unit_rows_text_numbers.xlsx")
    wait_idle(qtbot)
    assert page.rows_model.rowCount() == 120
    assert sorted_on and not any(sorted_on)
    resets: list[int] = []
    page.rows_model.modelReset.connect(lambda: resets.append(1))
    combos = [page.mapping.cellWidget(r, 2) for r in range(page.mapping.rowCount())]
    page.apply()
    wait_idle(qtbot)
    assert "导入完成" in page.summary.text()
    # the same rows stay listed: not reset, sorted or filtered again; the mapping locked
    assert resets == [] and page.rows_model.rowCount() == 120
    assert [page.mapping.cellWidget(r, 2) for r in range(page.mapping.rowCount())] == combos
    assert not any(c.isEnabled() for c in combos)


@pytest.fixture
def guard(qapp):  # type: ignore[no-untyped-def]
    guard = gc_guard.MainThreadGC()
    guard._timer.stop()
    yield guard
    gc.unfreeze()
    guard.deleteLater()


def test_a_workers_objects_are_set_aside_not_traversed_on_the_gui_thread(
    guard, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    collected: list[int] = []
    monkeypatch.setattr(gc, "collect", lambda generation=2: collected.append(generation) or 0)
    monkeypatch.setattr(tasks, "busy", lambda: True)
    made = [[n] for n in range(200_000)]  # a worker's rows, in one batch
    guard.check()
    assert collected == []  # nothing traversed them
    assert gc.get_freeze_count() >= len(made)
    # once the work is over, the full collection meets only what came since
    monkeypatch.setattr(tasks, "busy", lambda: False)
    guard.check()
    assert gc.get_freeze_count() >= len(made)
    # and after a quiet minute everything is collected again
    guard._last_busy -= gc_guard.THAW_AFTER_S + 1
    guard.check()
    assert gc.get_freeze_count() == 0 and collected[-1] == 2


def test_a_merge_of_thousands_describes_only_the_records_drawn(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from app.services.field.package_merge import MergeItem, MergePreview
    from ui.dialogs.merge_dialog import MergeDialog

    visits = [
        MergeItem("visit", f"v{n}", "new", {"org": "u1", "visited_on": "2026-11-20"}, None, None, 1)
        for n in range(5_000)
    ]
    preview = MergePreview(Path("回传.pdreturn"), {}, visits, {"u1": "甲公司"})
    described: list[int] = []
    real = MergePreview.describe
    monkeypatch.setattr(
        MergePreview, "describe", lambda self, item: described.append(1) or real(self, item)
    )
    dialog = MergeDialog(preview)
    qtbot.addWidget(dialog)
    changes = dialog.findChild(QTableView, "changes").model()
    assert changes.rowCount() == 5_000
    assert len(described) < 100  # none yet, or the rows a screen shows
    assert changes.data(changes.index(4_999, 0)) == "走访 2026-11-20 甲公司"


def test_after_a_merge_the_clerks_lists_are_read_in_a_worker_and_filled_in_place(
    qtbot, window, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    from app.services.field import corrections
    from ui import messages

    tab = window.show_page("exchange").field_tab
    ledger = tab.ledger
    read_on: list[bool] = []
    real = corrections.list_corrections

    def list_corrections(db: Any) -> Any:
        read_on.append(threading.current_thread() is threading.main_thread())
        return real(db)

    monkeypatch.setattr(corrections, "list_corrections", list_corrections)
    monkeypatch.setattr(messages, "info", lambda *_a: None)
    tab._merged(SimpleNamespace(created=1, updated=0, deleted=0, conflicts=0))
    wait_idle(qtbot)
    assert read_on == [False]
    assert tab.ledger is ledger  # the tab not built again


def test_the_quarters_snapshot_is_written_and_read_a_record_at_a_time(
    demo_db, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import json

    from app.domain.quarters import Quarter
    from app.services.files import json_pieces
    from app.services.workbooks import submissions

    made: list[int] = []
    real = json.dumps

    def dumps(value: Any, **kw: Any) -> str:
        text = real(value, **kw)
        made.append(len(text))
        return text

    monkeypatch.setattr(json, "dumps", dumps)
    submissions.export_quarter(demo_db, tmp_path / "q3.xlsx", Quarter(2026, 3))
    with demo_db.read_connection() as conn:
        (kept,) = conn.execute("SELECT snapshot FROM submission").fetchone()
    monkeypatch.setattr(json, "dumps", real)
    # the same text the json module writes, never made by one call over all of it
    assert len(kept) > 20_000 and max(made) < 2_000
    assert kept == json.dumps(json.loads(kept), ensure_ascii=False)
    assert json_pieces.loads(kept) == json.loads(kept)
    previous = submissions._previous_submission(demo_db, Quarter(2026, 4))
    assert previous is not None and previous[1] == json.loads(kept)


@pytest.mark.parametrize(
    "text",
    ['{"a": 1,}', '{"a" 1}', '{"a": 1} x', "{1: 2}", '{"a": {"b": [1, 2}}', "{"],
)
def test_broken_json_is_refused_as_the_json_module_refuses_it(text: str) -> None:
    import json

    from app.services.files import json_pieces

    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    with pytest.raises(json.JSONDecodeError):
        json_pieces.loads(text)


def test_any_json_reads_back_as_the_json_module_reads_it() -> None:
    import json

    from app.services.files import json_pieces

    value = {"columns": ["a", "b"], "rows": {"u1": [1, "甲", None, 2.5], "u2": []}, "e": {}}
    value["nested"] = {"x": {"y": {"z": [True, False]}}, "s": '"引号"\n'}
    for text in (json.dumps(value), json.dumps(value, indent=2), json_pieces.dumps(value)):
        assert json_pieces.loads(text) == json.loads(text) == value
    assert json_pieces.dumps(value) == json.dumps(value, ensure_ascii=False)
    assert json_pieces.loads(" [1, 2] ") == [1, 2] and json_pieces.dumps([1]) == "[1]"


def test_a_report_is_copied_where_the_clerk_chose_in_the_worker(
    qtbot, window, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from PySide6.QtWidgets import QFileDialog

    from app.services.reports.pdf import Printed
    from ui import messages, printing

    target = tmp_path / "组织名录.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    told: list[str] = []
    monkeypatch.setattr(messages, "info", lambda _p, _t, text: told.append(text))
    copied_on: list[bool] = []
    real = shutil.copyfile

    def copyfile(source: Any, to: Any) -> Any:
        copied_on.append(threading.current_thread() is threading.main_thread())
        return real(source, to)

    monkeypatch.setattr(shutil, "copyfile", copyfile)

    def make(path: Path, _progress: Any) -> Printed:
        path.write_bytes(b"%PDF-1.4 " + b"x" * 1_000_000)
        return Printed(1)

    printing.save_pdf(window, "组织名录", make)
    wait_idle(qtbot)
    assert copied_on == [False] and target.stat().st_size > 1_000_000
    assert told and str(target) in told[0]
