"""The clerk's flows in the window: add, find, edit, close, undo, restore."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDialog, QPushButton

from app.db.backup import list_backups, take_backup
from app.domain.uscc import make_valid
from app.domain.vocabulary import OrgKind, OrgStatus
from app.services.registry import org_list, organizations
from tests.ui.conftest import on_modal, type_text, wait_idle
from ui import messages
from ui.dialogs.organization_dialog import OrganizationDialog
from ui.dialogs.status_dialog import StatusDialog

pytestmark = pytest.mark.gui

GOOD = make_valid("91450200MA5KTEXT1")
BAD = GOOD[:-1] + ("0" if GOOD[-1] != "0" else "1")


def _visible_names(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [page.model.row_at(i).name for i in range(page.model.rowCount())]


def test_a_chinese_font_is_available(qtbot) -> None:  # type: ignore[no-untyped-def]
    families = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    assert families, "no font can draw Chinese: the set-up must install one"


def test_wrong_code_is_shown_and_nothing_saved_then_fixed(qtbot, window, gui_db) -> None:  # type: ignore[no-untyped-def]
    page = window.show_page("registry")
    seen: dict[str, object] = {}

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, OrganizationDialog)
        type_text(qtbot, dialog.name, "柳州测试机械有限公司")
        qtbot.keyClicks(dialog.uscc, BAD.lower())
        qtbot.keyClicks(dialog.formal, "2")
        error = dialog.forms[0].error_text("uscc")
        seen["error"] = error
        # saving with the wrong code keeps the dialog open
        qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
        seen["still_open"] = dialog.isVisible()
        seen["saved_while_wrong"] = len(org_list.list_organizations(gui_db))
        dialog.uscc.setText(GOOD)
        seen["error_after_fix"] = dialog.forms[0].error_text("uscc")
        qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)

    on_modal(fill)
    qtbot.mouseClick(page.findChild(QPushButton, "action_add"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    assert "校验位错误" in str(seen["error"])
    assert seen["still_open"] is True and seen["saved_while_wrong"] == 0
    assert seen["error_after_fix"] == ""
    assert _visible_names(page) == ["柳州测试机械有限公司"]
    assert page.current_row().uscc == GOOD
    # findable by search, by code and by name
    qtbot.keyClicks(page.search, GOOD[-6:].lower())
    assert _visible_names(page) == ["柳州测试机械有限公司"]
    page.search.setText("不存在的名字")
    assert _visible_names(page) == []
    page.search.setText("测试机械")
    assert _visible_names(page) == ["柳州测试机械有限公司"]


def _add(gui_db, name: str, **kw) -> int:  # type: ignore[no-untyped-def]
    from app.domain.validation import OrganizationDraft

    return organizations.create_organization(gui_db, OrganizationDraft(name=name, **kw))


def test_kind_taken_from_code_with_one_click(qtbot, gui_db) -> None:  # type: ignore[no-untyped-def]
    dialog = OrganizationDialog(gui_db)
    qtbot.addWidget(dialog)
    dialog.uscc.setText(make_valid("51450200MA5KTEXT2"))
    assert dialog.kind_fix.isVisibleTo(dialog)
    assert "社会组织" in dialog.kind_fix.text()
    qtbot.mouseClick(dialog.kind_fix, Qt.MouseButton.LeftButton)
    assert dialog.kind.value() is OrgKind.SOCIAL
    assert not dialog.kind_fix.isVisibleTo(dialog)


def test_impossible_date_and_negative_count_block_saving(qtbot, gui_db) -> None:  # type: ignore[no-untyped-def]
    dialog = OrganizationDialog(gui_db)
    qtbot.addWidget(dialog)
    dialog.name.setText("甲公司")
    dialog.founded.setText("2019-02-30")
    dialog.formal.setText("-2")
    dialog._save()
    assert "2019年2月没有30日" in dialog.forms[0].error_text("founded")
    assert "负数" in dialog.forms[2].error_text("formal_members")
    assert org_list.list_organizations(gui_db) == []


def test_edit_mark_closed_and_undo(qtbot, window, gui_db) -> None:  # type: ignore[no-untyped-def]
    org_id = _add(gui_db, "乙公司", uscc=GOOD, formal_members=1)
    page = window.show_page("registry")
    page.reload()
    wait_idle(qtbot)
    assert page.select_id(org_id)

    def edit(dialog: QDialog) -> None:
        assert isinstance(dialog, OrganizationDialog)
        dialog.formal.setText("4")
        dialog._save()

    on_modal(edit)
    qtbot.mouseClick(page.findChild(QPushButton, "action_edit"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    row = page.current_row()
    assert row.formal_members == 4 and "应建未建" in row.warning_text
    assert "正式党员数：1 → 4" in page.detail.toPlainText()

    def close_unit(dialog: QDialog) -> None:
        assert isinstance(dialog, StatusDialog)
        dialog.status.set_value(OrgStatus.CLOSED)
        dialog.on.setText("2026-10-31")
        dialog._ok()

    on_modal(close_unit)
    qtbot.mouseClick(page.findChild(QPushButton, "action_status"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    row = page.current_row()
    assert row.status is OrgStatus.CLOSED and not row.in_base
    assert row.status_date == date(2026, 10, 31)
    # the base filter no longer shows it, the history keeps it
    page.findChild(type(page.search).__mro__[0], "search")  # the page is still alive
    combo = page._filters[4][0]
    combo.setCurrentIndex(1)  # 纳入统计基数
    assert _visible_names(page) == []
    combo.setCurrentIndex(0)
    assert "标记为注销" in page.detail.toPlainText()

    assert window.undo_action.isEnabled()
    assert "标记为注销" in window.undo_action.text()
    window.undo_action.trigger()
    wait_idle(qtbot)
    row = next(r for r in page.model.all_rows if r.id == org_id)
    assert row.status is OrgStatus.ACTIVE and row.in_base


def test_delete_asks_first(qtbot, window, gui_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    org_id = _add(gui_db, "误录公司")
    page = window.show_page("registry")
    page.reload()
    wait_idle(qtbot)
    page.select_id(org_id)
    answers = iter([False, True])
    monkeypatch.setattr(messages, "ask", lambda *a, **k: next(answers))
    page.delete_current()
    wait_idle(qtbot)
    assert _visible_names(page) == ["误录公司"]
    page.delete_current()
    wait_idle(qtbot)
    assert _visible_names(page) == []


def test_restore_backup_from_the_window(qtbot, window, gui_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _add(gui_db, "备份前的公司")
    saved = take_backup(gui_db.path, "manual")
    _add(gui_db, "备份后的公司")
    monkeypatch.setattr(messages, "info", lambda *a, **k: None)
    window.restore(saved)
    wait_idle(qtbot)
    registry = window.show_page("registry")
    wait_idle(qtbot)
    assert _visible_names(registry) == ["备份前的公司"]
    # the state just before the restore was saved first
    assert any(b.reason == "restore" for b in list_backups(gui_db.path))


def test_restore_refuses_a_file_that_is_not_a_backup(
    qtbot, window, gui_db, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    _add(gui_db, "留下的公司")
    bogus = tmp_path / "不是备份.sqlite3"
    bogus.write_text("hello", encoding="utf-8")
    shown: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, _t, text, detail="": shown.append(text))
    window.restore(bogus)
    wait_idle(qtbot)
    assert shown and "不是 ParkDesk 的备份" in shown[0]
    window.registry.reload()
    wait_idle(qtbot)
    assert _visible_names(window.registry) == ["留下的公司"]


def test_a_backup_of_another_database_is_restored_only_when_confirmed(
    qtbot, window, gui_db, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from app.db.database import open_database

    other = open_database(tmp_path / "另一个园区.sqlite3")
    _add(other, "另一个园区的公司")
    foreign = take_backup(other.path, "manual")
    other.dispose()
    _add(gui_db, "本园区的公司")
    asked: list[str] = []
    answers = iter([False, True])
    monkeypatch.setattr(messages, "info", lambda *a, **k: None)
    monkeypatch.setattr(
        messages, "ask", lambda _p, _t, text, **k: asked.append(text) or next(answers)
    )
    window.restore(foreign)
    wait_idle(qtbot)
    assert asked and "属于另一个数据库" in asked[0]
    window.registry.reload()
    wait_idle(qtbot)
    assert _visible_names(window.registry) == ["本园区的公司"]  # said no: nothing replaced
    window.restore(foreign)
    wait_idle(qtbot)
    wait_idle(qtbot)
    registry = window.show_page("registry")
    wait_idle(qtbot)
    assert _visible_names(registry) == ["另一个园区的公司"]


def test_cancel_with_something_typed_asks_before_throwing_it_away(qtbot, gui_db) -> None:  # type: ignore[no-untyped-def]
    """Issue 25: 取消 in a dialog with typed data discarded it without a word."""
    dialog = OrganizationDialog(gui_db)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.reject()  # nothing typed: closes at once
    assert not dialog.isVisible()

    dialog = OrganizationDialog(gui_db)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(qtbot, dialog.name, "丙物流有限公司")
    asked: list[str] = []

    def keep_typing(box: QDialog) -> None:
        asked.append(box.text())
        next(b for b in box.buttons() if b.text() == "继续填写").click()

    on_modal(keep_typing)
    dialog.reject()
    assert dialog.isVisible() and dialog.name.text() == "丙物流有限公司"
    assert "还没有保存" in asked[0]

    on_modal(lambda box: next(b for b in box.buttons() if b.text() == "放弃").click())
    dialog.reject()
    assert not dialog.isVisible()
    assert org_list.list_organizations(gui_db) == []
