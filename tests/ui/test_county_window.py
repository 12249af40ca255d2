"""The window on a county database: it opens on 园区对比 (a row per park and the total),
imports submissions through a preview, and drills down from a figure to its units."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.db.database import open_database
from app.domain.quarters import Quarter
from app.services.county.county_db import init_county
from app.services.county.county_figures import county_figures
from app.services.files import demo
from tests.conftest import TODAY
from tests.ui.conftest import on_modal, wait_idle, window_on

PARKS = ("江口园区", "雒容园区")


@pytest.fixture(scope="module")
def submissions(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    from app.services.workbooks.submissions import export_quarter

    folder = tmp_path_factory.mktemp("submissions")
    out = []
    for name, size in zip(PARKS, (40, 30), strict=True):
        db = open_database(folder / f"{name}.sqlite3")
        try:
            demo.build_demo(db, size, today=TODAY, park_name=name)
            out.append(folder / f"{name}.xlsx")
            export_quarter(db, out[-1], Quarter.of(TODAY), today=TODAY)
        finally:
            db.dispose()
    return out


@pytest.fixture
def county_window(qtbot, tmp_path: Path) -> Iterator[object]:  # type: ignore[no-untyped-def]
    db = open_database(tmp_path / "县" / "county.sqlite3")
    init_county(db, "鹿寨县")
    with window_on(qtbot, db) as win:
        yield win
    db.dispose()


def test_a_county_opens_on_its_parks_and_imports_submissions_through_a_preview(
    qtbot, county_window, submissions: list[Path]
) -> None:  # type: ignore[no-untyped-def]
    win = county_window
    assert [win.nav.item(i).text() for i in range(win.nav.count())] == ["园区对比", "汇总名录"]
    page = win.current_page()
    assert page.page_name == "county"
    assert "还没有园区的报送" in page.note.text()

    seen: dict[str, str] = {}

    def answer(dialog: QDialog) -> None:
        seen["plan"] = dialog.browser.toPlainText()
        dialog.ok.click()

    on_modal(answer)
    page.import_files(submissions)
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=20_000)
    wait_idle(qtbot)
    assert "江口园区（新园区）" in seen["plan"] and "新报送" in seen["plan"]
    shown = {page.model.row_at(r).shown_park: page.model.row_at(r) for r in range(3)}
    assert set(shown) == {*PARKS, "合计"}
    figures = county_figures(win.db)
    assert shown["合计"].figures.in_base == figures.total.total.in_base
    assert shown["合计"].figures.covered == sum(shown[p].figures.covered for p in PARKS)
    # the change is undoable from the window's menu
    win._refresh_undo()
    assert win.undo_action.isEnabled() and "汇总导入报送" in win.undo_action.text()

    # a figure double-clicked: the units behind it, of that park
    row = next(r for r in range(3) if page.model.row_at(r).park == PARKS[0])
    column = [c.key for c in page.model.columns].index("covered")
    index = page.model.index(row, column)
    page.table.scrollTo(index)
    rect = page.table.visualRect(index)
    # as a mouse does it: a press, then the double click on the same cell
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    units = win.current_page()
    assert units.page_name == "county_units"
    qtbot.waitUntil(lambda: units.loaded_once, timeout=10_000)
    wait_idle(qtbot)
    assert units.park_filter.currentText() == PARKS[0]
    assert units.measure_filter.currentText() == "党组织已覆盖"
    assert units.model.rowCount() == shown[PARKS[0]].figures.covered
    assert {units.model.row_at(r).park for r in range(units.model.rowCount())} == {PARKS[0]}


def test_a_park_file_in_a_county_is_not_taken_for_the_registry(
    qtbot, county_window, submissions: list[Path], tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A plain sheet asks which park it is; a file that is no workbook says so."""
    from tests.conftest import write_xlsx

    win = county_window
    page = win.current_page()
    sheet = write_xlsx(
        tmp_path / "plain.xlsx",
        [["组织名称", "组织类型", "组建方式"], ["拉堡某公司", "非公企业", "未建"]],
    )
    asked: dict[str, str] = {}

    def name_it(dialog: QDialog) -> None:
        asked["label"] = dialog.labelText()
        dialog.setTextValue("拉堡园区")
        dialog.accept()
        on_modal(lambda preview: preview.ok.click())

    on_modal(name_it)
    win.open_workbook(sheet)  # as a file dropped on the window
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=20_000)
    assert "哪个园区" in asked["label"]
    assert page.model.row_at(0).park == "拉堡园区"

    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"junk")
    warned: dict[str, str] = {}

    def read_warning(box: QDialog) -> None:
        warned["text"] = box.text()
        box.accept()

    on_modal(read_warning)
    page.import_files([junk])
    qtbot.waitUntil(lambda: "text" in warned, timeout=10_000)
    assert "junk.xlsx" in warned["text"]
    assert page.model.rowCount() == 2
