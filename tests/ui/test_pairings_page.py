"""结对帮带 as a clerk uses it: start a pairing, record what was done, end it."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QPushButton

from app.domain.validation import OrganizationDraft
from app.domain.vocabulary import Formation
from app.services.grouping import pairings
from app.services.registry import organizations
from tests.ui.conftest import on_modal, type_text, wait_idle
from ui.dialogs.pairing_dialog import EndPairingDialog, EntryDialog, PairingDialog

pytestmark = pytest.mark.gui


def _click(qtbot, page, name: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(page.findChild(QPushButton, f"action_{name}"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot)


def test_start_record_and_end_a_pairing(qtbot, window, gui_db) -> None:  # type: ignore[no-untyped-def]
    for name, code, own in (("浩丰建材", "A", True), ("浩丰实业", "C", True), ("小微", "D", False)):
        organizations.create_organization(
            gui_db,
            OrganizationDraft(
                name=name,
                class_code=code,
                formal_members=3 if own else 1,
                formation=Formation.OWN if own else Formation.NONE,
            ),
        )
    window.show_page("pairings")
    wait_idle(qtbot)
    page = window.page("pairings")
    assert page.model.rowCount() == 0

    def start(dialog: QDialog) -> None:
        assert isinstance(dialog, PairingDialog)
        type_text(qtbot, dialog.helper, "小微")  # no own party organization: refused
        type_text(qtbot, dialog.helped, "浩丰实业")
        dialog._save()
        assert "帮带单位须单独建立党组织" in dialog.form.error_text("helper")
        dialog.helper.setText("浩丰建材")
        dialog.goal.setPlainText("一年内达到稳健类")
        dialog.started.set_value(date(2025, 3, 1))
        dialog._save()

    on_modal(start)
    _click(qtbot, page, "add")
    row = page.current_row()
    assert (row.name, row.direction, row.active) == ("浩丰建材 → 浩丰实业", "A→C 示范带成长", True)

    def record(dialog: QDialog) -> None:
        assert isinstance(dialog, EntryDialog)
        dialog._save()
        assert "请写明做了什么" in dialog.form.error_text("text")
        dialog.text.setPlainText("联合开展主题党日")
        dialog._save()

    on_modal(record)
    _click(qtbot, page, "entry")
    assert "联合开展主题党日" in page.detail.toPlainText()

    def end(dialog: QDialog) -> None:
        assert isinstance(dialog, EndPairingDialog)
        dialog.day.set_value(date(2026, 3, 1))
        dialog.outcome.setPlainText("组织生活规范，升为稳健类")
        dialog._save()

    on_modal(end)
    _click(qtbot, page, "end")
    assert page.model.rowCount() == 0  # the default filter shows pairings in progress
    page._filters[0][0].setCurrentIndex(1)  # 已结束
    assert page.model.rowCount() == 1
    (listed,) = pairings.list_pairings(gui_db)
    assert (listed.outcome, listed.entries, listed.active) == ("组织生活规范，升为稳健类", 1, False)


def test_suggest_instructors_and_accept_some(qtbot, window, gui_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from app.services.overview.figures import registry_figures
    from app.services.registry import instructors
    from ui import messages
    from ui.dialogs.suggestions_dialog import SuggestionsDialog

    instructors.create_instructor(gui_db, instructors.InstructorDraft(name="王芳", capacity=2))
    for n in range(3):
        organizations.create_organization(gui_db, OrganizationDraft(name=f"单位{n}", zone="东区"))
    told: list[str] = []
    monkeypatch.setattr(messages, "info", lambda _p, _t, text: told.append(text))
    window.show_page("instructors")
    wait_idle(qtbot)
    page = window.page("instructors")

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, SuggestionsDialog)
        assert dialog.table.rowCount() == 3
        assert dialog.table.item(2, 5).text() == "（名额不足）"
        dialog.table.item(1, 0).setCheckState(Qt.CheckState.Unchecked)  # accept one only
        dialog.accept_button.click()

    on_modal(look)
    _click(qtbot, page, "suggest")
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    assert told == ["已安排1个单位的联系指导员"]
    assert registry_figures(gui_db).total.work_covered == 1
    wait_idle(qtbot)
    (wang,) = page.model.all_rows  # the page was read again: 王芳 now looks after one unit
    assert wang.organizations == 1


def test_the_unpaired_rule_is_a_park_setting_the_worklist_follows(qtbot, window, gui_db) -> None:  # type: ignore[no-untyped-def]
    from app.domain.rules import Rule

    organizations.create_organization(gui_db, OrganizationDraft(name="成长公司", class_code="C"))

    def unpaired_on_the_worklist() -> set[str]:
        window.show_page("gaps")
        wait_idle(qtbot)
        return {r.gap.name for r in window.gaps.model.all_rows if r.gap.rule is Rule.UNPAIRED}

    assert unpaired_on_the_worklist() == {"成长公司"}
    window.show_page("pairings")
    wait_idle(qtbot)
    box = window.page("pairings").rule_box
    assert box.isChecked()
    box.setChecked(False)  # the worklist, already loaded, is read again
    assert unpaired_on_the_worklist() == set()
