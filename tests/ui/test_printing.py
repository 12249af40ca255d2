"""Lists leave the window (issue 14): 导出与打印 on a list page saves the rows as shown
(filter, order) as a workbook, or as a PDF with the columns the clerk ticks; the print
preview draws the report's pages; 一企一档 and the overview print; 重做 beside 撤销;
F1 opens the guide."""

from __future__ import annotations

import openpyxl
from pypdf import PdfReader
from PySide6.QtWidgets import QCheckBox, QDialog, QFileDialog, QTextBrowser

from app.domain.validation import OrganizationDraft
from app.services.registry import organizations
from tests.ui.conftest import on_modal, wait_idle
from ui import messages, printing


def _park(gui_db) -> None:  # type: ignore[no-untyped-def]
    for name in ("甲科技有限公司", "乙贸易有限公司", "丙协会"):
        organizations.create_organization(gui_db, OrganizationDraft(name=name))


def _menu_action(page, name: str):  # type: ignore[no-untyped-def]
    return next(a for a in page.output_button.menu().actions() if a.objectName() == name)


def test_the_register_as_filtered_goes_to_a_workbook_and_a_pdf(  # type: ignore[no-untyped-def]
    qtbot, window, gui_db, tmp_path, monkeypatch
) -> None:
    _park(gui_db)
    monkeypatch.setattr(messages, "info", lambda *_a: None)
    page = window.show_page("registry")
    page.reload()
    wait_idle(qtbot)
    page.search.setText("有限公司")  # the two companies, not the association
    book = tmp_path / "名录.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(book), ""))
    _menu_action(page, "output_export").trigger()
    wait_idle(qtbot)
    ws = openpyxl.load_workbook(book).active
    names = [r[0] for r in ws.iter_rows(min_row=3, values_only=True)]
    shown = [page.model.row_at(i).name for i in range(page.model.rowCount())]
    assert names == shown and sorted(names) == ["乙贸易有限公司", "甲科技有限公司"]
    pdf = tmp_path / "名录.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), ""))

    def tick(dialog: QDialog) -> None:
        for box in dialog.findChildren(QCheckBox):
            box.setChecked(box.objectName() in ("column_name", "column_phone"))
        dialog.accept()

    on_modal(tick)
    _menu_action(page, "output_pdf").trigger()
    wait_idle(qtbot)
    text = PdfReader(pdf).pages[0].extract_text()
    assert "联系电话" in text and "组织名称" in text and "组建方式" not in text
    assert "甲科技有限公司" in text and "丙协会" not in text


def test_the_print_preview_draws_the_reports_pages(  # type: ignore[no-untyped-def]
    qtbot, window, gui_db, tmp_path, monkeypatch
) -> None:
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    _park(gui_db)
    printed = tmp_path / "打印.pdf"

    def exec_(dialog) -> int:  # type: ignore[no-untyped-def]
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        dialog.paintRequested.emit(printer)  # what 打印 in the preview does
        return 1

    monkeypatch.setattr(QPrintPreviewDialog, "exec", exec_)
    page = window.show_page("overview")
    wait_idle(qtbot)
    page.print_preview()
    wait_idle(qtbot)
    assert len(PdfReader(printed).pages) == 1
    images = printing.render_pages(printed, 30)
    assert images and images[0].width() < images[0].height()  # A4 portrait


def test_redo_beside_undo_and_the_guide(qtbot, window, gui_db) -> None:  # type: ignore[no-untyped-def]
    organizations.create_organization(gui_db, OrganizationDraft(name="甲科技有限公司"))
    window.undo()
    wait_idle(qtbot)
    window._refresh_undo()
    assert window.redo_action.isEnabled() and "甲科技有限公司" in window.redo_action.text()
    window.redo()
    wait_idle(qtbot)
    from app.services.registry import org_list

    assert [r.name for r in org_list.list_organizations(gui_db)] == ["甲科技有限公司"]
    seen: dict[str, str] = {}

    def read(dialog: QDialog) -> None:
        seen["text"] = dialog.findChild(QTextBrowser, "guide").toPlainText()
        dialog.accept()

    on_modal(read)
    window.help()
    assert "外业包" in seen["text"] and "Ctrl+Y" in seen["text"]


def test_a_classs_ranking_goes_on_paper(qtbot, window, gui_db, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QPushButton

    from app.services.assessment import assessments

    monkeypatch.setattr(messages, "info", lambda *_a: None)
    six = {"组织设置": 15, "党员队伍": 15, "组织生活": 20, "工作保障": 15, "作用发挥": 20}
    assessments.ensure_period(gui_db, "2026H1")
    for name, brand in (("甲科技有限公司", 15), ("乙贸易有限公司", 12)):
        unit = organizations.create_organization(
            gui_db, OrganizationDraft(name=name, class_code="A")
        )
        assessments.set_scores(
            gui_db, "2026H1", unit, assessments.ScoreEntry({**six, "品牌特色": brand})
        )
    page = window.show_page("assessments")
    page.reload()
    wait_idle(qtbot)
    page.tabs.setCurrentIndex(1)
    wait_idle(qtbot)
    pdf = tmp_path / "排名.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), ""))
    page.findChild(QPushButton, "pdf_ranking").click()
    wait_idle(qtbot)
    text = PdfReader(pdf).pages[0].extract_text()
    assert "2026H1考核排名" in text and "甲科技有限公司" in text and "乙贸易有限公司" in text
    assert text.index("甲科技有限公司") < text.index("乙贸易有限公司")  # 100 before 97


def test_the_window_names_the_characters_no_font_has(  # type: ignore[no-untyped-def]
    qtbot, window, gui_db, tmp_path, monkeypatch
) -> None:
    """Issue 22: a machine without the fallback fonts prints 𠮷 as a blank; the window
    says which characters, in the report's words, and still saves the file."""
    from app.services.reports import fonts

    organizations.create_organization(gui_db, OrganizationDraft(name="𠮷𪚥生僻字公司"))
    bare = fonts.FontChain(fonts.primary_font(), [])
    monkeypatch.setattr(fonts, "chain", lambda: bare)
    warned: list[str] = []
    monkeypatch.setattr(messages, "warn", lambda _p, _title, text: warned.append(text))
    monkeypatch.setattr(messages, "info", lambda *_a: None)
    page = window.show_page("registry")
    page.reload()
    wait_idle(qtbot)
    pdf = tmp_path / "名录.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), ""))

    def tick(dialog: QDialog) -> None:
        for box in dialog.findChildren(QCheckBox):
            box.setChecked(box.objectName() == "column_name")
        dialog.accept()

    on_modal(tick)
    _menu_action(page, "output_pdf").trigger()
    wait_idle(qtbot)
    assert warned == ["以下字符没有字体可以显示：𠮷（U+20BB7）、𪚥（U+2A6A5）"]
    assert "生僻字公司" in PdfReader(pdf).pages[0].extract_text()


def test_a_report_being_laid_out_says_its_page(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """A long register's end is not known until its last page: the progress dialog
    says the page it has reached instead of standing still."""
    import threading

    from PySide6.QtWidgets import QProgressDialog

    from ui.tasks import run_task

    release = threading.Event()

    def lay_out(progress):  # type: ignore[no-untyped-def]
        progress(12, 0)
        release.wait(10)

    run_task(window, "正在生成“组织名录”…", lay_out)
    dialog: list[QProgressDialog] = []
    qtbot.waitUntil(lambda: bool(dialog.extend(window.findChildren(QProgressDialog)) or dialog))
    qtbot.waitUntil(lambda: "第 12 页" in dialog[0].labelText())
    assert dialog[0].labelText() == "正在生成“组织名录”…（第 12 页）"
    release.set()
    wait_idle(qtbot)
