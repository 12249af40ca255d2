"""The 数据交换 page: a preview, a fixed mapping, an apply, the log, an export."""

from __future__ import annotations

import openpyxl
import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QComboBox

from app.domain.quarters import Quarter
from app.domain.vocabulary import CodeConflictChoice
from app.services.registry import org_list
from app.services.workbooks import imports
from tests.conftest import SAMPLES_DIR
from tests.ui.conftest import wait_idle
from ui import messages

pytestmark = pytest.mark.gui

SAMPLES = SAMPLES_DIR


def test_preview_filter_and_apply(qtbot, window, gui_db) -> None:  # type: ignore[no-untyped-def]
    page = window.exchange
    window.open_workbook(SAMPLES / "p2_title_unit_rows_text_numbers.xlsx")
    wait_idle(qtbot)
    assert window.stack.currentWidget() is page
    assert "表头在第3行" in page.summary.text() and "有问题3行" in page.summary.text()
    assert page.rows_model.rowCount() == 120
    page.filter_combo.setCurrentIndex(4)  # 有问题
    bad = [page.rows_model.row_at(i) for i in range(page.rows_model.rowCount())]
    assert [p.row for p in bad] == [16, 74, 112]
    details = page.rows_model.data(page.rows_model.index(2, 4))
    assert "校验位" in details
    assert org_list.list_organizations(gui_db) == []  # a preview writes nothing
    qtbot.mouseClick(page.apply_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    assert len(org_list.list_organizations(gui_db)) == 117
    assert "导入完成" in page.summary.text()
    assert window.registry.stale  # the registry page reloads when shown
    log = imports.list_logs(gui_db)[0]
    assert (log.created, log.bad_rows) == (117, 3)


def test_a_column_can_be_ignored_and_that_is_remembered(qtbot, window, gui_db) -> None:  # type: ignore[no-untyped-def]
    page = window.exchange
    page.start_import(SAMPLES / "p1_template_required_star.xlsx")
    wait_idle(qtbot)
    row = next(
        r for r in range(page.mapping.rowCount()) if "联系人" in page.mapping.item(r, 1).text()
    )
    combo = page.mapping.cellWidget(row, 2)
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(0)  # （忽略）
    qtbot.mouseClick(page.remap_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    assert "contact" not in page.preview.layout.fields
    qtbot.mouseClick(page.apply_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    page.start_import(SAMPLES / "p1_template_required_star.xlsx")
    wait_idle(qtbot)
    assert "contact" not in page.preview.layout.fields


def test_dropping_a_workbook_starts_an_import(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(SAMPLES / "p4_social_orgs.ods"))])
    event = QDropEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    wait_idle(qtbot)
    assert window.exchange.preview is not None
    assert window.exchange.preview.sheet == "社会组织"


def test_a_file_that_is_not_a_workbook_is_told(qtbot, window, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(messages, "warn", lambda _p, _t, text: shown.append(text))
    bogus = tmp_path / "名单.xlsx"
    bogus.write_text("不是表格", encoding="utf-8")
    window.exchange.start_import(bogus)
    wait_idle(qtbot)
    assert shown and "不是 Excel 工作簿" in shown[0]
    assert window.exchange.preview is None


def test_undo_an_import_from_the_log(qtbot, window, gui_db, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "表.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["组织名称", "类型"])
    wb.active.append(["要撤销的公司", "企业"])
    wb.save(path)
    page = window.exchange
    page.start_import(path)
    wait_idle(qtbot)
    page.apply()
    wait_idle(qtbot)
    assert [r.name for r in org_list.list_organizations(gui_db)] == ["要撤销的公司"]
    monkeypatch.setattr(messages, "ask", lambda *a, **k: True)
    page.tabs.setCurrentIndex(2)
    page.log_view.selectRow(0)
    page.undo_import()
    wait_idle(qtbot)
    assert org_list.list_organizations(gui_db) == []
    assert page.log_model.row_at(0).undone


def test_export_quarter_from_the_page(qtbot, window, gui_db, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QDesktopServices

    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    out = tmp_path / "报送.xlsx"
    window.exchange.write_quarter(out, Quarter(2026, 4))
    wait_idle(qtbot)
    assert out.exists() and "已导出2026年第四季度报送" in window.exchange.export_result.text()
    assert "本次为首次报送" in window.exchange.export_result.text()
    assert opened == [str(tmp_path)]


def test_export_to_a_file_open_elsewhere_is_told(qtbot, window, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(messages, "warn", lambda _p, _t, text: shown.append(text))
    folder = tmp_path / "只读"
    folder.mkdir()
    out = folder / "报送.xlsx"
    from app.services.workbooks import submissions as export_module

    def refuse(*_a, **_k):  # type: ignore[no-untyped-def]
        raise PermissionError(13, "Permission denied", str(out))

    monkeypatch.setattr(export_module, "export_quarter", refuse)
    window.exchange.write_quarter(out, Quarter(2026, 4))
    wait_idle(qtbot)
    assert shown and "Excel 或 WPS 打开" in shown[0]


def test_bad_rows_are_saved_in_the_background(qtbot, window, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    told: list[str] = []
    monkeypatch.setattr(messages, "info", lambda _p, _t, text: told.append(text))
    page = window.exchange
    window.open_workbook(SAMPLES / "p2_title_unit_rows_text_numbers.xlsx")
    wait_idle(qtbot)
    out = tmp_path / "有问题的行.xlsx"
    page.write_bad_rows(out)
    wait_idle(qtbot)
    assert told and "已把3行" in told[0]
    ws = openpyxl.load_workbook(out).active
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert any("校验位" in text for text in cells)  # each row says what is wrong


def test_after_apply_the_page_shows_the_result_and_keeps_bad_rows_saveable(
    qtbot, window, gui_db, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(messages, "info", lambda *_a: None)
    page = window.exchange
    window.open_workbook(SAMPLES / "p2_title_unit_rows_text_numbers.xlsx")
    wait_idle(qtbot)
    page.filter_combo.setCurrentIndex(1)  # 新增
    qtbot.mouseClick(page.apply_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    assert page.apply_button.text() == "已导入" and not page.apply_button.isEnabled()
    assert page.filter_combo.currentIndex() == 0 and page.rows_model.rowCount() == 120
    assert "新增117个" in page.summary.text() and "有问题的行仍列在下面" in page.summary.text()
    assert page.bad_button.isEnabled()
    page.write_bad_rows(tmp_path / "问题.xlsx")
    wait_idle(qtbot)
    rows = list(openpyxl.load_workbook(tmp_path / "问题.xlsx").active.iter_rows(values_only=True))
    assert len(rows) == 4
    assert page.cancel_button.text() == "关闭"
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    assert page.rows_model.rowCount() == 0 and page.apply_button.text() == "导入"


def test_a_code_conflict_is_settled_row_by_row(qtbot, window, gui_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from app.domain.uscc import make_valid
    from app.domain.validation import OrganizationDraft
    from app.services.registry import organizations
    from tests.conftest import write_xlsx

    stored, sheet = make_valid("91450223MA5LTXC01"), make_valid("91450223MA5LTXC02")
    org = organizations.create_organization(
        gui_db, OrganizationDraft(name="冲突公司", uscc=stored, formal_members=1)
    )
    path = write_xlsx(
        tmp_path / "冲突.xlsx",
        [
            ["组织名称", "统一社会信用代码", "类型", "正式党员数"],
            ["冲突公司", sheet, "企业", 4],
            ["另一公司", make_valid("91450223MA5LTXC03"), "企业", 1],
        ],
    )
    page = window.exchange
    page.start_import(path)
    wait_idle(qtbot)
    assert "代码冲突1行" in page.summary.text()
    assert page.rows_model.data(page.rows_model.index(0, 1)) == "代码冲突"
    take = page.conflict_buttons[CodeConflictChoice.TAKE_SHEET]
    assert not take.isHidden() and not take.isEnabled()
    page.rows_view.selectRow(0)
    assert take.isEnabled()
    assert page.apply_button.text() == "导入（新增1，更新0）"
    qtbot.mouseClick(take, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    assert page.rows_model.data(page.rows_model.index(0, 1)) == "更新"
    assert "已选“采用表中的代码”" in page.rows_model.data(page.rows_model.index(0, 4))
    assert page.apply_button.text() == "导入（新增1，更新1）"
    qtbot.mouseClick(page.apply_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    assert organizations.get_draft(gui_db, org).uscc == sheet


def test_the_page_counts_every_record_an_import_writes(qtbot, window, gui_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A ParkDesk export brings instructors and assignments too: the page says so."""
    from datetime import date

    from app.db.database import open_database
    from app.domain.validation import OrganizationDraft
    from app.services.registry import instructors, organizations
    from app.services.workbooks.submissions import export_quarter

    office = open_database(tmp_path / "办公室" / "parkdesk.sqlite3")
    try:
        unit = organizations.create_organization(office, OrganizationDraft(name="甲科技有限公司"))
        person = instructors.create_instructor(office, instructors.InstructorDraft(name="于伟"))
        instructors.assign(office, person, unit)
        path = tmp_path / "q.xlsx"
        export_quarter(office, path, Quarter.of(date.today()))
    finally:
        office.dispose()
    page = window.exchange
    window.open_workbook(path)
    wait_idle(qtbot)
    qtbot.mouseClick(page.apply_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    text = page.summary.text()
    assert "指导员新增1条" in text and "联系分工新增1条" in text
