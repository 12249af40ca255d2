"""The whole round trip in the window, as a clerk and an instructor do it: the clerk
makes a field package on 数据交换 → 外业包; on the laptop the field database opens with
its banner, the registry read-only and 提出更正 in its place, and a return package is
made; back in the office the merge dialog shows the conflict side by side and will not
import until it is chosen."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton, QTableWidget

from app.db.database import Database, open_database
from app.domain.validation import OrganizationDraft
from app.domain.visits import ProblemDraft, VisitDraft
from app.domain.vocabulary import ProblemStatus, VisitKind
from app.services.field import field_package, visits
from app.services.registry import instructors, org_list, organizations
from app.services.registry.instructors import InstructorDraft
from tests.ui.conftest import on_modal, wait_idle
from ui import messages
from ui.dialogs.merge_dialog import MergeDialog

DAY = date(2026, 11, 20)


def _window(qtbot, db: Database):  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow

    win = MainWindow(db)
    qtbot.addWidget(win)
    win.show()
    wait_idle(qtbot)
    return win


def test_field_package_out_and_back_in_the_window(  # type: ignore[no-untyped-def]
    qtbot, window, gui_db, tmp_path, monkeypatch
) -> None:
    told: list[str] = []
    monkeypatch.setattr(messages, "info", lambda _p, _t, text: told.append(text))
    unit = organizations.create_organization(gui_db, OrganizationDraft(name="甲科技公司"))
    who = instructors.create_instructor(gui_db, InstructorDraft(name="王指导"))
    instructors.assign(gui_db, who, unit)
    visits.add_visit(
        gui_db,
        VisitDraft(unit, DAY, VisitKind.VISIT, [who], "查阅记录", "", [ProblemDraft("记录不全")]),
        DAY,
    )
    page = window.show_page("exchange")
    page.tabs.setCurrentWidget(page.field_tab)
    page.field_tab.reload()
    package = tmp_path / "王指导.pdfield"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(package), ""))
    page.field_tab.findChild(QPushButton, "make_package").click()
    wait_idle(qtbot)
    assert package.is_file() and "1个单位" in told[-1]
    ledger = page.field_tab.findChild(QTableWidget, "ledger")
    assert ledger.rowCount() == 1 and ledger.item(0, 1).text() == "制作外业包"

    # the laptop
    field_path = tmp_path / "laptop" / "field.sqlite3"
    field_package.open_field_package(package, field_path)
    field = open_database(field_path, daily_backup=False)
    laptop = _window(qtbot, field)
    try:
        assert laptop.banner.isVisible() and "王指导" in laptop.banner.text()
        registry = laptop.show_page("registry")
        assert registry.findChild(QPushButton, "action_correct").isVisible()
        assert not registry.findChild(QPushButton, "action_add").isVisible()
        (problem,) = visits.list_problems(field, DAY)
        visits.set_status(field, problem.id, ProblemStatus.DONE)
        fpage = laptop.show_page("exchange")
        fpage.tabs.setCurrentWidget(fpage.field_tab)
        fpage.field_tab.reload()
        back = tmp_path / "回传.pdreturn"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(back), ""))
        fpage.field_tab.findChild(QPushButton, "make_return").click()
        wait_idle(qtbot)
        assert back.is_file() and "修改1条" in told[-1]
        laptop.close()
    finally:
        field.dispose()

    # meanwhile the clerk verified the same problem: a conflict
    (problem,) = visits.list_problems(gui_db, DAY)
    visits.set_status(gui_db, problem.id, ProblemStatus.VERIFIED, "现场核验", DAY)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(back), ""))
    seen: dict[str, object] = {}

    def settle(dialog) -> None:  # type: ignore[no-untyped-def]
        if not isinstance(dialog, MergeDialog):  # the task's progress dialog came first
            on_modal(settle)
            return
        table = dialog.findChild(QTableWidget, "conflicts")
        seen["rows"] = [
            [table.item(r, c).text() for c in range(4)] for r in range(table.rowCount())
        ]
        seen["blocked"] = not dialog.apply_button.isEnabled()
        dialog.findChild(QPushButton, "all_theirs").click()
        seen["ready"] = dialog.apply_button.isEnabled()
        dialog.apply_button.click()

    on_modal(settle)
    page.field_tab.findChild(QPushButton, "merge_package").click()
    wait_idle(qtbot)
    assert seen["rows"] == [
        ["问题：记录不全（甲科技公司）", "状态", "已核验", "已整改"],
        # each side's note beside the status (the field typed none)
        ["问题：记录不全（甲科技公司）", "整改说明（两边都保留）", "现场核验", "（空）"],
    ]
    assert seen["blocked"] and seen["ready"]
    (problem,) = visits.list_problems(gui_db, DAY)
    assert problem.status is ProblemStatus.DONE  # the instructor's version, as chosen
    assert (problem.verify_note, problem.verified_on) == ("", None)  # not half of each
    assert "冲突1条" in told[-1]


def test_a_copy_of_the_database_merged_from_the_window(  # type: ignore[no-untyped-def]
    qtbot, window, gui_db, tmp_path, monkeypatch
) -> None:
    import sqlite3

    told: list[str] = []
    monkeypatch.setattr(messages, "info", lambda _p, _t, text: told.append(text))
    unit = organizations.create_organization(gui_db, OrganizationDraft(name="甲科技公司"))
    copy = tmp_path / "笔记本.sqlite3"
    with sqlite3.connect(gui_db.path) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    laptop = open_database(copy, daily_backup=False)
    organizations.create_organization(laptop, OrganizationDraft(name="乙贸易公司"))
    laptop.dispose()
    page = window.show_page("exchange")
    page.tabs.setCurrentWidget(page.field_tab)
    page.field_tab.reload()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(copy), ""))
    seen: dict[str, str] = {}

    def apply(dialog) -> None:  # type: ignore[no-untyped-def]
        if not isinstance(dialog, MergeDialog):  # the task's progress dialog came first
            on_modal(apply)
            return
        seen["summary"] = dialog.findChild(QLabel, "summary").text()
        dialog.apply_button.click()

    on_modal(apply)
    page.field_tab.findChild(QPushButton, "merge_database").click()
    # the preview, the dialog, then the merge: each in turn, whatever the machine's pace
    # (the rows are written before the window hears of it: wait for what it says after)
    qtbot.waitUntil(lambda: bool(told), timeout=20_000)
    wait_idle(qtbot)
    assert "另一份数据库《笔记本.sqlite3》" in seen["summary"] and "新增1条" in seen["summary"]
    names = {o.name for o in org_list.list_organizations(gui_db)}
    assert names == {"甲科技公司", "乙贸易公司"} and unit
    ledger = page.field_tab.findChild(QTableWidget, "ledger")
    assert ledger.item(0, 1).text() == "合并数据库"


def test_packages_double_clicked_in_explorer_or_dropped_on_the_window(  # type: ignore[no-untyped-def]
    qtbot, window, gui_db, tmp_path, monkeypatch
) -> None:
    from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    import main
    import ui.application

    # Explorer runs `ParkDesk 包.pdfield`: the window starts with the package to open
    started: list[object] = []
    monkeypatch.setattr(
        ui.application, "run_gui", lambda db, open_file=None: started.append((db, open_file)) or 0
    )
    assert main.main([str(tmp_path / "王指导.pdfield")]) == 0
    assert main.main(["--db", str(gui_db.path), str(tmp_path / "回传.PDRETURN")]) == 0
    assert started == [
        (None, tmp_path / "王指导.pdfield"),
        (gui_db.path, tmp_path / "回传.PDRETURN"),
    ]

    def drop(path) -> None:  # type: ignore[no-untyped-def]
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(path))])
        action, button = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton
        window.dropEvent(
            QDropEvent(QPoint(9, 9), action, mime, button, Qt.KeyboardModifier.NoModifier)
        )
        wait_idle(qtbot)

    # a field package dropped on the laptop's window: where its database goes, then opened
    unit = organizations.create_organization(gui_db, OrganizationDraft(name="甲科技公司"))
    who = instructors.create_instructor(gui_db, InstructorDraft(name="王指导"))
    instructors.assign(gui_db, who, unit)
    package = tmp_path / "王指导.pdfield"
    field_package.make_field_package(gui_db, package, instructor="王指导")
    target = tmp_path / "laptop" / "王指导.sqlite3"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    asked: list[str] = []
    monkeypatch.setattr(messages, "ask", lambda _p, _t, text, **_k: asked.append(text) or False)
    drop(package)
    assert target.is_file() and asked and str(target) in asked[0]

    # a return package dropped at the office: the 外业包 tab checks it (this one is not)
    warned: list[str] = []
    monkeypatch.setattr(messages, "warn", lambda _p, _t, text: warned.append(text))
    bogus = tmp_path / "回传.pdreturn"
    bogus.write_text("不是回传包", encoding="utf-8")
    drop(bogus)
    page = window.exchange
    assert window.current_page() is page and page.tabs.currentWidget() is page.field_tab
    assert warned and "回传.pdreturn" in warned[0]


def test_a_package_double_clicked_while_the_window_is_open_goes_to_that_window(  # type: ignore[no-untyped-def]
    qtbot, window, gui_db, tmp_path, monkeypatch
) -> None:
    from app.services.files import database_files
    from ui import single_instance
    from ui.application import run_gui

    got: list[object] = []
    single_instance.Listener(gui_db.path, got.append, window)

    class Held:  # the open window holds the database's lock
        def acquire(self) -> None:
            raise database_files.DatabaseBusy(gui_db.path, None)

        def release(self) -> None:
            pass

    monkeypatch.setattr(database_files, "window_lock", lambda _path: Held())
    errors: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, _t, text, *_a: errors.append(text))
    package = tmp_path / "王指导回传.pdreturn"
    package.write_bytes(b"PK")
    # the second start hands the package over and ends, saying nothing
    assert run_gui(gui_db.path, open_file=package) == 0
    qtbot.waitUntil(lambda: got == [package.resolve()], timeout=5_000)
    assert errors == []
    # nobody listens on another database: the second start says it is in use
    assert run_gui(tmp_path / "另一个.sqlite3", open_file=package) == 1
    assert errors and "数据库正在被使用" in errors[0]


def test_an_instructors_first_start_opens_the_package_in_one_step(  # type: ignore[no-untyped-def]
    gui_db, tmp_path, monkeypatch
) -> None:
    """Issue 25: on a fresh laptop a double-clicked package asked for a park name (an
    empty park made for nothing), where to save, then to switch. Now the package is
    opened at once in the user's documents and the window starts on it."""
    import platformdirs

    import ui.application
    from app.services.field.field_identity import field_info
    from app.services.files.database_files import default_db_path
    from app.services.registry import park

    park.set_park(gui_db, "江口园区", "")
    unit = organizations.create_organization(gui_db, OrganizationDraft(name="甲科技公司"))
    who = instructors.create_instructor(gui_db, InstructorDraft(name="王指导"))
    instructors.assign(gui_db, who, unit)
    package = tmp_path / "王指导.pdfield"
    field_package.make_field_package(gui_db, package, instructor="王指导")
    documents = tmp_path / "我的文档"
    monkeypatch.setattr(platformdirs, "user_documents_dir", lambda: str(documents))
    assert not default_db_path().exists()

    made = ui.application._first_package(None, package)
    assert made == documents / "ParkDesk外业" / "王指导.sqlite3" and made.is_file()
    opened = open_database(made)
    try:
        assert park.get_park(opened).park_name == "江口园区"  # no park asked for
        info = field_info(opened)
        assert info is not None and info.instructor == "王指导"
    finally:
        opened.dispose()
    # the next start opens it; another package then goes the usual way (a window exists)
    assert ui.application._first_package(None, package) is None
    assert ui.application._first_package(gui_db.path, package) is None


def test_the_field_tab_read_again_leaves_no_stray_widget_behind(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Issue 25: after the tab was built anew, the 采纳/不采纳 buttons of the old one (a
    row added as a layout) stayed as unmanaged children floating over the page."""
    page = window.show_page("exchange")
    tab = page.field_tab
    tab._office_shown = False
    tab.reload()
    tab._office_shown = False
    tab.reload()
    qtbot.wait(50)
    buttons = [b for b in tab.findChildren(QPushButton) if b.objectName() == "dismiss_correction"]
    assert len(buttons) == 1
