"""Party organizations, instructors, filters, layouts, background work, start-up."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QPushButton

from app.domain.validation import OrganizationDraft
from app.domain.vocabulary import Formation
from app.services.files import demo
from app.services.registry import instructors, org_list, organizations, party_orgs
from tests.ui.conftest import on_modal, type_text, wait_idle
from ui import messages, tasks
from ui.dialogs.instructor_dialog import AssignDialog, InstructorDialog
from ui.dialogs.party_org_dialog import PartyOrgDialog

pytestmark = pytest.mark.gui


def _org(db, name: str, formal: int = 1) -> int:  # type: ignore[no-untyped-def]
    return organizations.create_organization(
        db, OrganizationDraft(name=name, formal_members=formal)
    )


def test_joint_branch_with_one_unit_is_refused_in_the_dialog(qtbot, gui_db) -> None:  # type: ignore[no-untyped-def]
    _org(gui_db, "甲公司")
    _org(gui_db, "乙公司")
    dialog = PartyOrgDialog(gui_db)
    qtbot.addWidget(dialog)
    dialog.name.setText("第一联合党支部")
    dialog.formation.set_value(Formation.JOINT)
    type_text(qtbot, dialog.unit_search, "甲公司")
    dialog._add_unit()
    dialog._save()
    assert "至少覆盖2个单位" in dialog.form.error_text("covered")
    assert party_orgs.list_party_orgs(gui_db) == []
    dialog.unit_search.setText("乙公司")
    dialog._add_unit()
    dialog._save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    row = party_orgs.list_party_orgs(gui_db)[0]
    assert (row.name, row.units) == ("第一联合党支部", 2)


def test_unknown_unit_name_is_told(qtbot, gui_db) -> None:  # type: ignore[no-untyped-def]
    dialog = PartyOrgDialog(gui_db)
    qtbot.addWidget(dialog)
    dialog.unit_search.setText("查无此单位")
    dialog._add_unit()
    assert "没有名为“查无此单位”的单位" in dialog.form.error_text("covered")


def test_party_org_page_lists_and_filters_overdue(qtbot, window, gui_db) -> None:  # type: ignore[no-untyped-def]
    demo_db = gui_db
    from app.db.models import Organization  # noqa: F401 - the demo needs an empty registry

    demo.build_demo(demo_db, 120)
    window.show_page("party_orgs")
    wait_idle(qtbot)
    page = window.party_orgs_page
    total = page.model.rowCount()
    assert total >= 20
    page._filters[2][0].setCurrentIndex(2)  # 逾期未换届
    shown = [page.model.row_at(i) for i in range(page.model.rowCount())]
    assert 0 < len(shown) < total
    assert all("逾期未换届" in r.warning_text for r in shown)
    page.table.selectRow(0)
    assert "应换届日期" in page.detail.toPlainText()


def test_instructor_added_and_assigned(qtbot, window, gui_db) -> None:  # type: ignore[no-untyped-def]
    _org(gui_db, "甲公司")
    window.show_page("instructors")
    wait_idle(qtbot)
    page = window.instructors_page

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, InstructorDialog)
        type_text(qtbot, dialog.name, "王芳")
        dialog.capacity.setText("8")
        dialog._save()

    on_modal(fill)
    qtbot.mouseClick(page.findChild(QPushButton, "action_add"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    assert page.current_row().name == "王芳"

    def assign(dialog: QDialog) -> None:
        assert isinstance(dialog, AssignDialog)
        dialog.org.setText("甲公司")
        dialog._save()

    on_modal(assign)
    qtbot.mouseClick(page.assign_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    assert page.current_row().organizations == 1
    assert page.assignments.rowCount() == 1
    assert org_list.list_organizations(gui_db)[0].instructors == "王芳"


def test_column_layout_is_remembered(qtbot, gui_db) -> None:  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow

    first = MainWindow(gui_db)
    qtbot.addWidget(first)
    wait_idle(qtbot)
    header = first.registry.table.horizontalHeader()
    header.resizeSection(0, 333)
    header.moveSection(2, 0)
    first.close()
    second = MainWindow(gui_db)
    qtbot.addWidget(second)
    wait_idle(qtbot)
    header = second.registry.table.horizontalHeader()
    assert header.sectionSize(0) == 333
    assert header.logicalIndex(0) == 2


def test_quick_work_shows_no_progress_dialog_slow_work_does(qtbot) -> None:  # type: ignore[no-untyped-def]
    results: list[object] = []
    quick = tasks.run_task(None, "快", lambda _p: 1, results.append)
    qtbot.waitUntil(lambda: results == [1], timeout=3000)
    assert not quick.dialog_shown

    def slow(progress) -> str:  # type: ignore[no-untyped-def]
        for i in range(8):
            progress(i, 8)
            time.sleep(0.1)
        return "done"

    seen: list[bool] = []
    task = tasks.run_task(None, "慢", slow, results.append)
    qtbot.waitUntil(lambda: task.dialog_shown or "done" in results, timeout=5000)
    seen.append(task.dialog_shown)
    qtbot.waitUntil(lambda: "done" in results, timeout=5000)
    assert seen == [True]


def test_cancel_stops_the_work(qtbot) -> None:  # type: ignore[no-untyped-def]
    steps: list[int] = []

    def work(progress) -> None:  # type: ignore[no-untyped-def]
        for i in range(100):
            progress(i, 100)
            steps.append(i)
            time.sleep(0.02)

    done: list[object] = []
    task = tasks.run_task(None, "可取消", work, done.append, cancellable=True)
    qtbot.waitUntil(lambda: len(steps) > 3, timeout=3000)
    task._cancel_requested()
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=3000)
    assert done == [] and len(steps) < 100


def test_no_work_starts_once_the_application_quits(qtbot) -> None:  # type: ignore[no-untyped-def]
    # a timer firing as the event loop ends must not start a thread that would
    # outlive shutdown()'s wait (Qt aborts when a running QThread is destroyed)
    ran: list[int] = []
    tasks.shutdown()
    try:
        tasks.run_task(None, "退出时", lambda _p: ran.append(1))
        assert not tasks.busy()
        qtbot.wait(100)
        assert ran == []
    finally:
        tasks.reopen()
    tasks.run_task(None, "之后", lambda _p: ran.append(2))
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=3000)
    assert ran == [2]


def test_a_window_is_refused_while_another_process_writes(
    qtbot, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import lock_held_elsewhere
    from ui import application

    shown: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, _t, text, detail="": shown.append(text))
    path = tmp_path / "数据.sqlite3"
    with lock_held_elsewhere(path, "导入《登记表.xlsx》"):
        assert application.run_gui(path) == 1
    assert shown and "导入《登记表.xlsx》" in shown[0] and "进程" in shown[0]


def test_database_problem_gets_a_message_not_a_crash(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    from ui.crash import ExceptionHandler

    shown: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, _t, text, detail="": shown.append(text))
    handler = ExceptionHandler("log.txt")
    exc = sqlite3.OperationalError("database or disk is full")
    handler._show(type(exc), exc, None)
    assert shown and "磁盘空间已满" in shown[0]


def test_unexpected_error_is_logged_and_shown(qtbot, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    from ui import crash

    shown: list[str] = []
    monkeypatch.setattr(
        crash.CrashDialog, "exec", lambda self: shown.append(self.details.toPlainText())
    )
    handler = crash.ExceptionHandler("log.txt")
    try:
        raise RuntimeError("意外")
    except RuntimeError as exc:
        with caplog.at_level("ERROR"):
            handler._show(type(exc), exc, exc.__traceback__)
    assert shown and "RuntimeError: 意外" in shown[0]
    assert "unexpected error" in caplog.text


def test_instructors_service_drives_capacity_warning(gui_db) -> None:  # type: ignore[no-untyped-def]
    a, b = _org(gui_db, "甲"), _org(gui_db, "乙")
    inst = instructors.create_instructor(
        gui_db, instructors.InstructorDraft(name="李强", capacity=1)
    )
    instructors.assign(gui_db, inst, a)
    instructors.assign(gui_db, inst, b)
    assert instructors.list_instructors(gui_db)[0].over_capacity


def test_garbage_is_collected_on_the_gui_thread_only(qtbot) -> None:  # type: ignore[no-untyped-def]
    import gc

    from ui import gc_guard
    from ui.application import make_app

    app = make_app()
    assert not gc.isenabled()

    class Cycle:
        def __init__(self) -> None:
            self.me = self

    for _ in range(gc.get_threshold()[0] + 10):
        Cycle()
    before = gc.get_count()[0]
    gc_guard._guard.check()  # type: ignore[union-attr]
    assert gc.get_count()[0] < before
    assert gc_guard._guard.parent() is app  # type: ignore[union-attr]


def test_qts_own_dialogs_speak_chinese(qtbot) -> None:  # type: ignore[no-untyped-def]
    import re

    from PySide6.QtWidgets import QAbstractButton, QFileDialog, QLabel, QWidget

    from ui.application import make_app

    make_app()
    dialog = QFileDialog(None, "选择要导入的工作簿")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    qtbot.addWidget(dialog)
    texts = [
        w.text() for w in dialog.findChildren(QWidget) if isinstance(w, QLabel | QAbstractButton)
    ]
    texts += [w.toolTip() for w in dialog.findChildren(QWidget)]
    english = [t for t in texts if re.search("[A-Za-z]{3,}", t)]
    assert english == []
    # Qt 6.8's catalogue writes these labels without the keyboard mnemonic, 6.11's with it
    plain = {re.sub(r"\(&\w\)", "", t) for t in texts}
    assert "查找范围：" in plain and "文件类型：" in plain


def test_the_form_stops_typing_at_a_fields_limit(qtbot, gui_db) -> None:  # type: ignore[no-untyped-def]
    from ui.dialogs.organization_dialog import OrganizationDialog

    dialog = OrganizationDialog(gui_db)
    qtbot.addWidget(dialog)
    dialog.name.setText("甲" * 250)
    assert len(dialog.name.text()) == 200
    assert (dialog.address.maxLength(), dialog.phone.maxLength()) == (300, 50)


def test_every_page_keeps_the_windows_contract(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from ui.pages.page import Page, RecordPage

    for name in ("overview", "registry", "party_orgs", "instructors", "gaps", "exchange"):
        assert isinstance(window.page(name), Page), name
    for page in (window.registry, window.party_orgs_page, window.instructors_page):
        assert isinstance(page, RecordPage)


def test_the_registry_sorts_names_with_numbers_by_value(qtbot, window, gui_db) -> None:  # type: ignore[no-untyped-def]
    from app.domain.validation import OrganizationDraft
    from app.services.registry import organizations

    for name in ("第10分公司", "第2分公司", "第1分公司"):
        organizations.create_organization(gui_db, OrganizationDraft(name=name))
    registry = window.show_page("registry")
    registry.reload()
    wait_idle(qtbot)
    registry.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    names = [registry.model.row_at(i).name for i in range(registry.model.rowCount())]
    assert names == ["第1分公司", "第2分公司", "第10分公司"]
