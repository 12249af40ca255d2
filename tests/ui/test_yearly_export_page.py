"""The 数据交换 page's 年度报表: the year chosen, the file named, the workbook written
in the background (a process of its own, as the quarter's) and said on the page."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QPushButton

from app.db.database import Database
from app.services.files import demo
from tests.conftest import TODAY
from tests.ui.conftest import wait_idle, window_on
from ui import messages

pytestmark = pytest.mark.gui


def test_the_yearly_workbook_from_the_export_tab(
    qtbot, gui_db: Database, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QDesktopServices

    demo.build_demo(gui_db, 40, today=TODAY)
    out = tmp_path / "年度报表.xlsx"
    asked: list[str] = []

    def save_as(_parent, _title, suggested, _filter):  # type: ignore[no-untyped-def]
        asked.append(suggested)
        return str(out), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda _url: True)
    with window_on(qtbot, gui_db) as window:
        page = window.exchange
        combo = page.year_combo
        combo.setCurrentIndex(combo.findData(TODAY.year))
        qtbot.mouseClick(page.findChild(QPushButton, "export_year"), Qt.MouseButton.LeftButton)
        wait_idle(qtbot)
        assert asked and f"{TODAY.year}年度" in asked[0]
        said = page.export_result.text()
    assert f"已导出{TODAY.year}年度报表" in said and "走访整改" in said
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:3] == ["年度数字", "上半年考核", "下半年考核"]
    assert "未发布" in wb["下半年考核"]["A1"].value  # the demo's second half is still open


def test_a_year_the_service_refuses_is_told(qtbot, window, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(messages, "warn", lambda _p, _t, text: shown.append(text))
    window.exchange.write_year(tmp_path / "年度.xlsx", 1899)
    wait_idle(qtbot)
    assert shown and "年度1899不在" in shown[0]
    assert not (tmp_path / "年度.xlsx").exists()
