"""考核 as the clerk uses it: open a period, type scores in the grid like a
spreadsheet (Enter moves down, a wrong cell stays red and unsaved), paste a block
from Excel, watch totals and ranks, publish (the grid locks), read the ranking."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QPushButton

from app.domain.validation import OrganizationDraft
from app.services.assessment import assessment_results
from app.services.registry import organizations
from tests.ui.conftest import on_modal, wait_idle
from ui.dialogs.period_dialog import PeriodDialog

pytestmark = pytest.mark.gui


def _park(gui_db) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {
        name: organizations.create_organization(
            gui_db, OrganizationDraft(name=name, class_code=cls)
        )
        for name, cls in (
            ("甲公司", "B"),
            ("乙公司", "B"),
            ("丙公司", "B"),
            ("丁公司", "B"),
            ("戊协会", "C"),
        )
    }


def _type(qtbot, view, row: int, column: int, text: str) -> None:  # type: ignore[no-untyped-def]
    """Select a cell and type: the first key opens the editor (as in a spreadsheet),
    the rest go into it, Enter saves."""
    view.setCurrentIndex(view.model().index(row, column))
    qtbot.keyClick(view, text[0])
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and view.state() == view.State.EditingState
    qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != view.State.EditingState)  # committed (queued)


def test_scores_typed_and_pasted_rank_live_and_lock_when_published(qtbot, window, gui_db) -> None:  # type: ignore[no-untyped-def]
    units = _park(gui_db)
    window.show_page("assessments")
    wait_idle(qtbot)
    page = window.page("assessments")
    assert "还没有考核期" in page.state.text()

    def open_period(dialog: QDialog) -> None:
        assert isinstance(dialog, PeriodDialog)
        dialog.code.setText("2026h1")
        assert dialog.scheme.currentData() == "濉溪六项"  # the setting for half-years
        dialog._save()

    on_modal(open_period)
    qtbot.mouseClick(page.findChild(type(page.publish), "new_period"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    assert page.period.currentText() == "2026H1"
    view, model = page.score_table, page.grid_model
    assert page.entry_class.currentText() == "B 稳健类"
    names = [r.name for r in model.rows]
    assert names == ["丁公司", "丙公司", "乙公司", "甲公司"]
    window.activateWindow()  # typing goes to the focused editor, as on a desktop
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    view.setFocus()
    # 甲公司: typed cell by cell; Enter goes down a row
    _type(qtbot, view, 3, 1, "15")
    assert view.currentIndex().row() == 3  # the last row: stays
    _type(qtbot, view, 1, 1, "15")  # 丙公司
    assert (view.currentIndex().row(), view.currentIndex().column()) == (2, 1)  # down a row
    _type(qtbot, view, 3, 2, "16")  # over the maximum: red, not saved
    assert model.refused == 1 and "超过该项满分15分" in model.data(
        model.index(3, 2), Qt.ItemDataRole.ToolTipRole
    )
    assert model.data(model.index(3, 2), Qt.ItemDataRole.BackgroundRole) is not None
    _type(qtbot, view, 3, 2, "14.5")
    assert model.refused == 0
    # the other three and the rest of 甲's row pasted as a block copied from Excel
    QGuiApplication.clipboard().setText(
        "20\t15\t20\t15\t2\r\n"  # 丙: 组织生活 … 品牌特色, bonus 2
        "20\t15\t20\t15\t\r\n"  # 乙
        "20\t15\t20\t15\t\r\n"  # 甲
    )
    view.setCurrentIndex(model.index(1, 3))
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    QGuiApplication.clipboard().setText("15\t15\n15\t15\n")  # 丙, 乙: the first two
    view.setCurrentIndex(model.index(1, 1))
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot)
    shown = {
        model.rows[r].name: (model.text(r, "total"), model.text(r, "rank"), model.grade(r))
        for r in range(4)
    }
    assert shown == {
        "丁公司": ("", "", "未完成评分"),
        "丙公司": ("102", "1", "优秀"),  # 100 + 2 bonus
        "乙公司": ("100", "2", "优秀"),
        "甲公司": ("99.5", "3", "优秀"),  # 15 and 14.5 typed, the rest pasted
    }
    # what the grid shows is what was saved, exactly
    stored = assessment_results.rank_period(gui_db, "2026H1").classes["B"]
    assert [(r.unit_id, r.total) for r in stored.ranked] == [
        (units["丙公司"], Decimal(102)),
        (units["乙公司"], Decimal(100)),
        (units["甲公司"], Decimal("99.5")),
    ]
    # publish: asked (saying who is unscored), then locked
    asked: list[str] = []
    on_modal(
        lambda box: asked.append(box.text()) or (box.defaultButton() and box.buttons()[0].click())
    )
    qtbot.mouseClick(page.publish, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    assert asked and asked[0].startswith("2026H1还有2个单位未完成评分（B 稳健类1个、C ")
    assert "已发布" in page.state.text() and page.publish.text() == "重新打开"
    assert not (model.flags(model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable)
    # the ranking tab lists every class with what it says about the top three
    page.tabs.setCurrentIndex(1)
    wait_idle(qtbot)
    assert "B 稳健类" in page.rank_summary.text() and "优秀3个" in page.rank_summary.text()
    assert page.rank_model.rowCount() == 5  # four in B, 戊协会 unscored in C


def test_a_workbook_imported_on_the_page_and_a_used_scheme_saved_as_a_new_version(
    qtbot, window, gui_db, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from app.services.assessment import assessment_exports, assessments
    from tests.conftest import write_xlsx
    from ui.dialogs.scheme_dialog import SchemeDialog
    from ui.dialogs.score_import_dialog import ScoreImportDialog

    _park(gui_db)
    assessments.ensure_period(gui_db, "2026H1")
    window.show_page("assessments")
    wait_idle(qtbot)
    page = window.page("assessments")
    path = write_xlsx(
        tmp_path / "打分.xlsx",
        [
            ["组织名称", "组织设置", "党员队伍", "组织生活", "工作保障", "作用发挥", "品牌特色"],
            ["甲公司", 15, 15, 20, 15, 20, 15],
            ["乙公司", 15, 15, 20, 15, 20, 16],  # over the maximum: told, not imported
        ],
    )
    seen = {}

    def preview(dialog: QDialog) -> None:
        assert isinstance(dialog, ScoreImportDialog)
        seen["summary"] = dialog.findChild(QLabel, "summary").text()
        dialog.findChild(QPushButton, "apply").click()

    on_modal(preview)
    page.import_file(path)
    wait_idle(qtbot)
    assert "新增评分1个" in seen["summary"] and "1行有问题" in seen["summary"]
    row = next(r for r in page.grid_model.rows if r.name == "甲公司")
    assert row.scores["品牌特色"] == "15.0"
    assert assessment_exports.class_label("B") == page.entry_class.currentText()

    def edit(dialog: QDialog) -> None:
        assert isinstance(dialog, SchemeDialog)
        dialog.choice.setCurrentText("濉溪六项")
        dialog.bonus_cap.setText("8")
        dialog._save()

    on_modal(edit)
    page.edit_schemes()
    schemes = {s.name: s for s in assessments.list_schemes(gui_db)}
    assert (schemes["濉溪六项"].version, schemes["濉溪六项"].bonus_cap) == (2, 8)
    assert assessments.scheme_of(gui_db, "2026H1").version == 1  # the period keeps its own
