"""文件 → 新建数据库 / 打开数据库 / 最近打开 / 演示园区 (issue 25 §3): a new database is
made where nothing is, never over a file; the demo park has its own marked file, is
rebuilt at will, never while open and never over a real database; the window remembers
the databases it opened."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from app.db.database import open_database
from app.services.files import demo_file
from app.services.files.database_files import check_new_database
from app.services.registry import org_list, park
from tests.ui.conftest import on_modal, wait_idle
from ui import database_menu, field_mode


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The databases ParkDesk would be started on (no process is started)."""
    out: list[Path] = []
    monkeypatch.setattr(field_mode, "relaunch_on", lambda path: out.append(path) or True)
    return out


def test_a_new_database_is_made_where_nothing_is_never_over_a_file(
    qtbot, window, tmp_path: Path, started: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    chosen = {"path": str(tmp_path / "第二园区")}
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (chosen["path"], ""))
    database_menu.choose_new(window)
    assert started == [tmp_path / "第二园区.sqlite3"]  # the suffix added

    # the database open now, chosen again by mistake: refused, nothing started
    chosen["path"] = str(window.db.path)
    said: dict[str, str] = {}

    def read(box) -> None:  # type: ignore[no-untyped-def]
        said["text"] = box.text()
        box.accept()

    on_modal(read)
    database_menu.choose_new(window)
    assert "已存在" in said["text"] and "打开数据库" in said["text"]
    assert len(started) == 1
    with pytest.raises(ValueError, match="文件夹不存在"):
        check_new_database(tmp_path / "没有这个文件夹" / "x.sqlite3")
    backups = tmp_path / "backups" / "x"
    backups.mkdir(parents=True)
    (backups / "parkdesk-20261207-120000-manual.sqlite3").write_bytes(b"")
    with pytest.raises(ValueError):
        check_new_database(backups / "新.sqlite3")


def test_the_demo_has_a_marked_file_of_its_own_and_is_rebuilt_only_when_not_open(
    qtbot, window, started: list[Path]
) -> None:  # type: ignore[no-untyped-def]
    real = window.db
    database_menu.open_demo(window)
    qtbot.waitUntil(lambda: bool(started), timeout=20_000)
    assert started == [demo_file.demo_path()]
    assert org_list.list_organizations(real) == []  # the real park untouched
    demo = open_database(demo_file.demo_path())
    assert demo_file.is_demo(demo) and len(org_list.list_organizations(demo)) == 120
    # the demo's own window says what it is on every page
    assert "演示园区" in (database_menu.demo_banner(demo) or "")
    assert database_menu.demo_banner(real) is None
    # rebuilt: the same file made anew (what was changed in it is gone)
    park.set_park(demo, "改过名的演示园区", "")
    demo.dispose()
    demo_file.make_demo(again=True)
    demo = open_database(demo_file.demo_path())
    assert park.get_park(demo).park_name != "改过名的演示园区"
    assert len(org_list.list_organizations(demo)) == 120
    demo.dispose()


def test_a_real_database_at_the_demos_place_is_never_overwritten(tmp_path: Path) -> None:
    path = demo_file.demo_path()
    db = open_database(path)
    park.set_park(db, "真实园区", "")
    db.dispose()
    for again in (False, True):
        with pytest.raises(ValueError, match="不是演示园区的数据文件"):
            demo_file.make_demo(again=again)
    db = open_database(path)
    assert park.get_park(db).park_name == "真实园区"
    db.dispose()


def test_rebuilding_the_demo_while_it_is_open_is_refused(
    qtbot, tmp_path: Path, started: list[Path]
) -> None:  # type: ignore[no-untyped-def]
    from ui.application import make_app
    from ui.main_window import MainWindow

    demo_file.make_demo(size=20)
    db = open_database(demo_file.demo_path())
    make_app()
    win = MainWindow(db)
    qtbot.addWidget(win)
    win.show()
    wait_idle(qtbot)
    assert win.banner.isVisible() and "演示园区" in win.banner.text()
    said: dict[str, str] = {}

    def read(box) -> None:  # type: ignore[no-untyped-def]
        said["text"] = box.text()
        box.accept()

    on_modal(read)
    database_menu.rebuild_demo(win)
    assert "正在使用中" in said["text"]
    assert len(org_list.list_organizations(db)) == 20
    win.close()
    db.dispose()


def test_the_databases_opened_are_remembered_newest_first(
    qtbot, window, tmp_path: Path, started: list[Path]
) -> None:  # type: ignore[no-untyped-def]
    assert database_menu.recent()[0] == window.db.path.resolve()
    other = tmp_path / "其他.sqlite3"
    open_database(other).dispose()
    database_menu.switch_to(window, other)
    assert started == [other]
    assert database_menu.recent()[:2] == [other.resolve(), window.db.path.resolve()]
    other.unlink()
    assert other.resolve() not in database_menu.recent()  # a file gone is not offered
