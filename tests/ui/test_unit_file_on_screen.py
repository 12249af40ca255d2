"""The unit's file on screen is the printed 一企一档, section by section (one home:
services/registry/unit_file.py): a unit helped in a pairing shows its pairing on the registry
page as on paper, and every line the paper prints is on the screen."""

from __future__ import annotations

import sqlite3

import pytest

from app.services.files import demo
from app.services.registry import unit_file
from tests.ui.conftest import wait_idle

pytestmark = pytest.mark.gui


def test_the_screen_shows_every_section_the_paper_prints(qtbot, window, gui_db) -> None:  # type: ignore[no-untyped-def]
    demo.build_demo(gui_db, 120)
    with sqlite3.connect(gui_db.path) as conn:
        (helped,) = conn.execute("SELECT helped_id FROM pairing LIMIT 1").fetchone()
    page = window.show_page("registry")
    page.reload()
    wait_idle(qtbot)
    assert page.select_id(helped)
    shown = page.detail.toPlainText()
    printed = unit_file.unit_file(gui_db, helped)
    assert [s.title for s in printed.sections if s.title in shown] == [
        s.title for s in printed.sections
    ]
    for section in printed.sections:
        for label, value in section.rows:
            # (the screen's plain text says a full-width space as a space)
            assert label in shown and value.split("\n")[0].replace("\u3000", " ") in shown
    assert any(s.title == "结对帮带" and s.rows for s in printed.sections)
