"""Issue 22 in the window: a save dialog answered with the open database, another
park's database or a file in a backups folder says what the command line says (the
output guard's message) and writes nothing."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from tests.ui.conftest import wait_idle
from ui import messages, printing

pytestmark = pytest.mark.gui


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _answer(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    """The save dialog answers ``path``; the warnings shown are collected."""
    warned: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    monkeypatch.setattr(messages, "warn", lambda _p, _t, text: warned.append(text))
    monkeypatch.setattr(messages, "info", lambda _p, _t, text: pytest.fail(f"told: {text}"))
    return warned


def test_the_template_saved_over_the_open_database_is_refused(
    qtbot, window, gui_db, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    before = _digest(gui_db.path)
    warned = _answer(monkeypatch, gui_db.path)
    window.exchange.export_template()
    assert len(warned) == 1 and "没有写入“parkdesk.sqlite3”" in warned[0], warned
    assert "数据库文件" in warned[0]
    assert "已生成" not in window.exchange.export_result.text()
    assert _digest(gui_db.path) == before


def test_a_backup_to_file_over_another_database_is_refused(
    qtbot, window, gui_db, monkeypatch, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "其他园区.sqlite3"
    shutil.copyfile(gui_db.path, other)
    before = _digest(other)
    warned = _answer(monkeypatch, other)
    window.backup_to_file()
    wait_idle(qtbot)
    assert len(warned) == 1 and "没有写入“其他园区.sqlite3”" in warned[0], warned
    assert _digest(other) == before


def test_a_report_saved_into_the_backups_folder_is_refused_before_it_is_made(
    qtbot, window, gui_db, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    folder = gui_db.path.parent / "backups" / gui_db.path.stem
    assert folder.is_dir()  # the day's backup is there
    target = folder / "预警清单.pdf"
    warned = _answer(monkeypatch, target)
    made: list[Path] = []
    printing.save_pdf(window, "预警清单", lambda path, _p: made.append(path) or 1)
    wait_idle(qtbot)
    assert len(warned) == 1 and "备份文件夹" in warned[0], warned
    assert made == [] and not target.exists()
