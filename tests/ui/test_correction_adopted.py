"""采纳所选更正 in the window (数据交换 → 外业包): the unit's field is set, the table shows
the registry's value beside the proposed one, the status bar says what was done."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from app.domain.validation import OrganizationDraft
from app.services.field import corrections
from app.services.registry import organizations
from tests.ui.conftest import wait_idle


def test_adopting_a_correction_in_the_field_tab_sets_the_units_field(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    db = window.db
    unit = organizations.create_organization(
        db, OrganizationDraft(name="乙贸易有限公司", phone="0772-111")
    )
    corrections.suggest(db, unit, "联系电话", "0772-222", "换了号码")
    page = window.show_page("exchange")
    tab = page.field_tab
    tab.reload()
    wait_idle(qtbot)
    table = tab.corrections
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers[:4] == ["单位", "项目", "台账现值", "更正为"]
    assert [table.item(0, c).text() for c in range(4)] == [
        "乙贸易有限公司",
        "联系电话",
        "0772-111",
        "0772-222",
    ]
    said: list[str] = []
    window.statusBar().messageChanged.connect(said.append)
    table.setCurrentCell(0, 0)
    qtbot.mouseClick(tab.findChild(QPushButton, "accept_correction"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    assert organizations.get_draft(db, unit).phone == "0772-222"
    assert tab.corrections.item(0, 2).text() == "0772-222"
    assert any("已改为" in text for text in said)
