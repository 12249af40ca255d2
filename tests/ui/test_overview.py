"""总览 and 预警: figures open their lists, charts draw Chinese, gaps open their records."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from app.domain.vocabulary import OrgKind
from app.services.files import demo
from tests.ui.conftest import on_modal, wait_idle
from ui.pages.overview_page import FigureListDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def demo_window(qtbot, window, gui_db):  # type: ignore[no-untyped-def]
    demo.build_demo(gui_db, 120)
    for page in window.pages:  # the data changed behind the window's back
        page.stale = True
    window.show_page("overview")
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: len(window.overview.canvases) == 5, timeout=20_000)
    wait_idle(qtbot)
    return window


def test_clicking_a_figure_opens_its_list(qtbot, demo_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = demo_window.overview
    f = page.figures.by_kind[OrgKind.ENTERPRISE]
    button = page.findChild(QPushButton, "figure_uncovered_enterprise")
    assert button.text() == str(f.in_base - f.covered)
    seen: dict[str, object] = {}

    def look(dialog) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, FigureListDialog)
        qtbot.waitUntil(lambda: dialog.loaded, timeout=10_000)  # read in a worker
        assert dialog.count.text() == f"共 {f.in_base - f.covered} 个"
        seen["rows"] = len(dialog.rows)
        seen["formations"] = {r.formation.value for r in dialog.rows}
        dialog.write(tmp_path / "名单.xlsx")
        dialog.accept()

    on_modal(look)
    button.click()
    assert seen["rows"] == f.in_base - f.covered and seen["formations"] == {"none"}
    wait_idle(qtbot)
    ws = openpyxl.load_workbook(tmp_path / "名单.xlsx").active
    assert ws.max_row == 2 + f.in_base - f.covered


def test_charts_draw_with_a_chinese_font(qtbot, demo_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # a missing glyph would be a warning, and warnings fail the tests
    page = demo_window.overview
    assert not page.charts_note.isVisible()
    paths = page.save_charts(tmp_path)
    assert [p.exists() and p.stat().st_size > 5000 for p in paths] == [True] * 5
    # no bar runs into the top of its frame
    for canvas in page.canvases[:4]:
        ax = canvas.figure.axes[0]
        tops = [bar.get_y() + bar.get_height() for bar in ax.patches]
        assert tops and ax.get_ylim()[1] > max(tops)


def test_a_gap_count_opens_the_worklist_and_a_gap_its_record(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    page = demo_window.overview
    page.findChild(QPushButton, "gap_should_set_up").click()
    wait_idle(qtbot)
    gaps = demo_window.gaps
    assert demo_window.stack.currentWidget() is gaps
    shown = [gaps.model.row_at(i).gap for i in range(gaps.model.rowCount())]
    assert shown and {g.rule.value for g in shown} == {"should_set_up"}
    gaps.table.selectRow(0)
    gaps.edit_current()
    wait_idle(qtbot)
    registry = demo_window.registry
    assert demo_window.stack.currentWidget() is registry
    assert registry.current_row().id == shown[0].record_id


def test_rounding_setting_changes_every_view(qtbot, demo_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from app.services.registry.park import get_rounding

    page = demo_window.overview
    page.rounding_combo.setCurrentIndex(1)  # 截断
    page._rounding_chosen()
    wait_idle(qtbot)
    assert get_rounding(page.db).value == "truncate"
    button = page.findChild(QPushButton, "figure_covered_total")
    f = page.figures.total
    from app.domain.rates import Rounding, percent_text

    assert f"（{percent_text(f.org_coverage_rate, Rounding.TRUNCATE)}%）" in button.text()
    # beside the rates: which rule gave them, following the setting
    note = page.findChild(QLabel, "rounding_note")
    assert note.text() == "百分数保留两位小数，第三位直接舍去（截断）"
    page.rounding_combo.setCurrentIndex(0)  # 四舍五入, the default
    page._rounding_chosen()
    wait_idle(qtbot)
    assert note.text() == "百分数保留两位小数，第三位四舍五入"
    assert f"（{percent_text(f.org_coverage_rate, Rounding.HALF_UP)}%）" in button.text()


def test_the_worklist_lists_rule_by_rule_in_its_order(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    from app.domain.rules import Rule

    gaps = demo_window.show_page("gaps")
    wait_idle(qtbot)
    order = list(Rule)
    for direction in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        gaps.table.sortByColumn(0, direction)  # a click on 预警
        ranks = [order.index(gaps.model.row_at(i).gap.rule) for i in range(gaps.model.rowCount())]
        expected = sorted(ranks, reverse=direction == Qt.SortOrder.DescendingOrder)
        assert len(set(ranks)) > 2 and ranks == expected
    gaps.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert gaps.model.row_at(0).gap.rule is Rule.SHOULD_SET_UP


def test_the_worklist_exports_what_it_shows(
    qtbot, demo_window, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    gaps = demo_window.show_page("gaps")
    wait_idle(qtbot)
    gaps.show_rule("election_overdue")
    shown = gaps.model.rowCount()
    assert shown > 0
    from PySide6.QtWidgets import QFileDialog

    book = str(tmp_path / "预警.xlsx")
    QFileDialog.getSaveFileName = lambda *a, **k: (book, "")  # type: ignore[method-assign]
    next(
        a for a in gaps.output_button.menu().actions() if a.objectName() == "output_export"
    ).trigger()
    wait_idle(qtbot)
    ws = openpyxl.load_workbook(tmp_path / "预警.xlsx").active
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert len(rows) == shown and {r[0] for r in rows} == {"逾期未换届"}


def test_figures_as_a_submitted_quarter_reported_them(
    qtbot, demo_window, gui_db, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from app.domain.quarters import Quarter
    from app.domain.validation import OrganizationDraft
    from app.services.registry import organizations
    from app.services.workbooks.submissions import export_quarter

    export_quarter(gui_db, tmp_path / "q3.xlsx", Quarter(2026, 3))
    reported = demo_window.overview.current.total.in_base
    organizations.create_organization(gui_db, OrganizationDraft(name="报送后新登记的公司"))
    page = demo_window.overview
    page.reload()
    wait_idle(qtbot)
    base = page.findChild(QPushButton, "figure_base_total")
    assert base.text() == str(reported + 1) and base.isEnabled()
    assert page.as_of.count() == 2
    page.as_of.setCurrentIndex(1)
    page._as_of_chosen()
    assert base.text() == str(reported) and not base.isEnabled()
    page.as_of.setCurrentIndex(0)
    page._as_of_chosen()
    assert base.text() == str(reported + 1)


def test_charts_put_off_while_the_window_was_hidden_come_when_it_shows(qtbot, gui_db) -> None:  # type: ignore[no-untyped-def]
    # the charts' worker is not started for a window that is not on screen (it may be
    # closing); showing the page starts it
    from ui.application import make_app
    from ui.main_window import MainWindow

    make_app()
    win = MainWindow(gui_db)
    qtbot.addWidget(win)
    page = win.overview
    win.show_page("overview")
    qtbot.waitUntil(lambda: page.loaded_once, timeout=10_000)
    qtbot.wait(200)  # past the 50 ms after which the charts would start
    wait_idle(qtbot)
    assert page.canvases == []
    win.show()
    qtbot.waitUntil(lambda: len(page.canvases) == 5, timeout=20_000)
    wait_idle(qtbot)
    win.close()


def test_a_class_count_opens_its_list(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    from app.services.overview.figures import class_counts

    counts = class_counts(demo_window.db)
    button = demo_window.overview.findChild(QPushButton, "figure_class_C_social")
    assert button.text() == str(counts["C"]["social"]) and counts["C"]["social"] > 0
    seen: dict[str, object] = {}

    def look(dialog) -> None:  # type: ignore[no-untyped-def]
        qtbot.waitUntil(lambda: dialog.loaded, timeout=10_000)
        seen["title"] = dialog.title
        seen["kinds"] = {r.kind for r in dialog.rows}
        seen["rows"] = len(dialog.rows)
        dialog.accept()

    on_modal(look)
    button.click()
    assert seen == {
        "title": "C 成长类（社会组织）",
        "kinds": {OrgKind.SOCIAL},
        "rows": counts["C"]["social"],
    }


def test_cluster_counts_on_the_overview(demo_window) -> None:  # type: ignore[no-untyped-def]
    from app.services.grouping import clusters
    from app.services.overview.figures import registry_figures

    c = clusters.counts(demo_window.db)
    base = registry_figures(demo_window.db).total.in_base
    assert c.clusters > 0 and c.units_in + c.units_out == base
    label = demo_window.overview.findChild(QLabel, "cluster_counts")
    expected = f"{c.clusters} 个编组，编入编组的单位 {c.units_in} 个，未编组的 {c.units_out} 个"
    assert label.text() == "编组共建：" + expected


def test_the_mouse_wheel_over_a_chart_scrolls_the_page_and_no_box_waits_for_the_charts(
    qtbot, demo_window
) -> None:  # type: ignore[no-untyped-def]
    """Issue 25: the charts swallowed the wheel (the page stopped scrolling under the
    pointer), and a 请稍候 box flashed at every start while matplotlib loaded."""
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication, QScrollArea

    page = demo_window.overview
    scroll = page.findChild(QScrollArea)
    demo_window.resize(1000, 600)
    qtbot.waitUntil(lambda: scroll.verticalScrollBar().maximum() > 0, timeout=5_000)
    bar = scroll.verticalScrollBar()
    bar.setValue(0)
    canvas = page.canvases[0]
    centre = QPointF(canvas.width() / 2, canvas.height() / 2)
    wheel = QWheelEvent(
        centre,
        QPointF(canvas.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(canvas, wheel)
    # the chart lets it go: Qt hands a real wheel on to the parents, the scroll area
    # scrolls (a sent event goes to its receiver only, so the page is asked directly)
    assert not wheel.isAccepted()
    QApplication.sendEvent(scroll.viewport(), wheel)
    assert bar.value() > 0
    # the charts' library loads quietly: no progress dialog was ever made for it
    from ui import tasks

    page.canvases.clear()
    page._charts_loading = False
    page._load_charts()
    assert [t for t in list(tasks._running) if t.dialog_shown] == []
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=20_000)
