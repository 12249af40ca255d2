"""Start-up: the window comes first, the database opens behind it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from app.db.backup import take_backup
from app.db.database import open_database
from app.db.reading import open_for_reading
from app.domain.validation import OrganizationDraft
from app.services.registry import org_list, organizations, park
from tests.ui.conftest import on_modal, type_text, wait_idle
from ui import messages, settings
from ui.application import Startup, make_app
from ui.dialogs.first_run_dialog import FirstRunDialog
from ui.main_window import START_PAGE_KEY, MainWindow

pytestmark = pytest.mark.gui


def _configured_park(path: Path, *names: str) -> Path:
    """A database whose park is set up, with these organizations."""
    db = open_database(path)
    park.set_park(db, "甲园区", "")
    for name in names:
        organizations.create_organization(db, OrganizationDraft(name=name))
    db.dispose()
    return path


def _window(qtbot) -> MainWindow:  # type: ignore[no-untyped-def]
    make_app()
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.pages == [] and not window.menuBar().isEnabled()
    return window


def test_first_run_names_the_park_and_opens_the_demo_in_a_file_of_its_own(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """The demo park is never built into the clerk's database (issue 25): the park is
    named, its registry stays empty, the demo is made in its own marked file and the
    window starts again on it."""
    from app.services.files import demo_file
    from app.services.registry import org_list
    from ui import field_mode

    started: list[Path] = []
    monkeypatch.setattr(field_mode, "relaunch_on", lambda path: started.append(path) or True)
    window = _window(qtbot)

    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, FirstRunDialog)
        dialog._ok()  # without a park name it stays open
        assert dialog.isVisible() and "请填写园区名称" in dialog.form.error_text("park_name")
        type_text(qtbot, dialog.park, "河西工业园区")
        dialog.demo.setChecked(True)
        dialog._ok()

    on_modal(answer)
    real = tmp_path / "新园区.sqlite3"
    Startup(window, real).start()
    qtbot.waitUntil(lambda: bool(started), timeout=20_000)
    assert started == [demo_file.demo_path()]
    assert org_list.list_organizations(window.db) == []  # the clerk's registry: empty
    assert window.windowTitle().startswith("河西工业园区")
    demo = open_database(demo_file.demo_path())
    try:
        assert demo_file.is_demo(demo)
        assert len(org_list.list_organizations(demo)) == 120
    finally:
        demo.dispose()
    window.db.dispose()


def test_configured_park_opens_with_the_registry_read_and_the_last_page_used(
    qtbot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = _configured_park(tmp_path / "园区.sqlite3", "甲公司")
    window = _window(qtbot)
    Startup(window, path).start()
    # the registry's rows come with the start-up, whichever page is shown
    qtbot.waitUntil(lambda: bool(window.pages) and window.registry.loaded_once, timeout=15_000)
    assert window.registry.model.row_at(0).name == "甲公司"
    assert window.current_page() is window.overview
    window.show_page("party_orgs")
    wait_idle(qtbot)
    window.db.dispose()
    window.close()
    # the next start opens on the page used last
    again = _window(qtbot)
    Startup(again, path).start()
    qtbot.waitUntil(lambda: bool(again.pages), timeout=15_000)
    wait_idle(qtbot)
    assert again.current_page() is again.party_orgs_page
    again.db.dispose()


def test_the_registry_shows_its_first_screenful_then_every_row(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Opened on the registry, the page shows the rows first in name order at once (a
    screenful, read in milliseconds), says it is reading the rest, and then holds every
    row, searchable and counted: a search typed meanwhile is applied to all of them."""
    names = [f"第{n}公司" for n in range(1, org_list.FIRST_SCREEN_ROWS + 51)]
    path = _configured_park(tmp_path / "园区.sqlite3", *reversed(names))
    settings.save_text(START_PAGE_KEY, "registry")
    window = _window(qtbot)
    seen: list[tuple[int, str, bool]] = []
    attach = window.attach

    def attached(db, first):  # type: ignore[no-untyped-def]
        attach(db, first)
        page = window.registry
        seen.append((page.model.rowCount(), page.count_label.text(), page.loaded_once))
        type_text(qtbot, page.search, "第1")

    window.attach = attached  # type: ignore[method-assign]
    Startup(window, path).start()
    qtbot.waitUntil(lambda: bool(window.pages) and window.registry.loaded_once, timeout=15_000)
    wait_idle(qtbot)
    # numbers by value: 第1…第100 first, the 50 after them read behind
    assert seen == [(org_list.FIRST_SCREEN_ROWS, "共 150 条，正在读取…", False)]
    page = window.registry
    assert len(page.model.all_rows) == 150
    shown = [page.model.row_at(i).name for i in range(page.model.rowCount())]
    assert shown == [n for n in names if n.startswith("第1")]  # 第1, 第10…第19, 第100…第149
    assert page.count_label.text().startswith(f"显示 {len(shown)} / 共 150 条")
    window.db.dispose()


def test_corrupt_database_offers_the_newest_backup(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "园区.sqlite3"
    db = open_database(path)
    park.set_park(db, "甲园区", "")
    organizations.create_organization(db, OrganizationDraft(name="备份里的公司"))
    good = take_backup(path, "manual")
    db.dispose()
    # a newer backup that is itself damaged (a copy of a damaged file) is passed over
    damaged = take_backup(path, "restore")
    damaged.write_bytes(b"garbage" * 1000)
    for side in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        side.unlink(missing_ok=True)
    path.write_bytes(b"garbage" * 1000)
    asked: list[tuple[str, object]] = []
    told: list[str] = []

    def restore_please(_parent, problem, offer_restore=False, backup=None) -> bool:  # type: ignore[no-untyped-def]
        asked.append((problem.kind.value, backup.path if backup else None))
        return offer_restore

    monkeypatch.setattr(messages, "db_problem", restore_please)
    monkeypatch.setattr(messages, "info", lambda _p, _t, text: told.append(text))
    window = _window(qtbot)
    Startup(window, path).start()
    qtbot.waitUntil(lambda: bool(window.pages) and window.registry.loaded_once, timeout=15_000)
    assert asked == [("corrupt", good)]
    assert window.registry.model.row_at(0).name == "备份里的公司"
    assert told and "损坏的文件已另存为" in told[0]  # and where
    window.db.dispose()


def test_closing_after_changes_leaves_the_newest_state_in_a_backup(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from app.db.backup import list_backups

    path = tmp_path / "园区.sqlite3"
    db = open_database(path)  # the day's backup is taken here, before the park is named
    park.set_park(db, "甲园区", "")
    db.dispose()

    def open_and_close(change: bool) -> None:
        window = _window(qtbot)
        Startup(window, path).start()
        qtbot.waitUntil(lambda: bool(window.pages), timeout=15_000)
        wait_idle(qtbot)
        if change:
            organizations.create_organization(window.db, OrganizationDraft(name="新登记的公司"))
        window.close()
        window.db.dispose()

    open_and_close(change=False)
    assert [b.reason for b in list_backups(path)] == ["close", "daily"]  # the park's name
    open_and_close(change=False)
    assert [b.reason for b in list_backups(path)] == ["close", "daily"]  # nothing new
    open_and_close(change=True)
    newest = list_backups(path)
    assert [b.reason for b in newest] == ["close", "close", "daily"]
    copy = open_for_reading(newest[0].path)  # a kept backup is read, never opened to write
    assert [r.name for r in org_list.list_organizations(copy)] == ["新登记的公司"]
    copy.dispose()


def test_a_file_that_is_not_parkdesks_is_said_so_and_left_alone(
    qtbot, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "工作笔记.docx"
    path.write_bytes(b"PK\x03\x04 a word document, not ParkDesk's" * 50)
    before = path.read_bytes()
    told: list[tuple[str, bool]] = []

    def tell(_parent, problem, offer_restore=False, backup=None) -> bool:  # type: ignore[no-untyped-def]
        told.append((problem.message, offer_restore))
        return offer_restore

    monkeypatch.setattr(messages, "db_problem", tell)
    window = _window(qtbot)
    Startup(window, path).start()
    qtbot.waitUntil(lambda: bool(told), timeout=15_000)
    wait_idle(qtbot)
    assert told == [(told[0][0], False)] and "不是 ParkDesk 的数据库" in told[0][0]
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "qt-settings") == [
        "工作笔记.docx"
    ]


def test_the_window_wears_the_icon_and_about_says_version_data_and_backups(
    qtbot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    from app import __version__

    path = _configured_park(tmp_path / "园区.sqlite3")
    window = _window(qtbot)
    # drawn at each size: the title bar takes 16 px, the task bar 32, the About box 64
    sizes = {(s.width(), s.height()) for s in window.windowIcon().availableSizes()}
    assert {(16, 16), (32, 32), (64, 64), (256, 256)} <= sizes
    Startup(window, path).start()
    qtbot.waitUntil(lambda: bool(window.pages), timeout=15_000)
    seen: dict[str, str] = {}

    def read(dialog: QDialog) -> None:
        assert isinstance(dialog, QMessageBox)
        seen["text"] = dialog.text() + "\n" + dialog.informativeText()
        seen["icon"] = str(not dialog.iconPixmap().isNull())
        dialog.accept()

    on_modal(read)
    window.about()
    assert __version__ in seen["text"] and str(path) in seen["text"]
    assert "备份目录" in seen["text"] and "backups" in seen["text"]
    assert seen["icon"] == "True"
    window.db.dispose()
