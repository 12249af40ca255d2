"""总览 shows party organizations by kind and the 党员活动室 figure, which opens its list
(issue 25 §2), on the small park of tests/hostile/test_hostile_counts_and_cells.py."""

from __future__ import annotations

from fractions import Fraction

import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from tests.hostile.test_hostile_counts_and_cells import (
    PARTY_ORGS,
    _expected_by_kind,
    _expected_rooms,
    _make_park,
)
from tests.ui.conftest import on_modal, wait_idle
from ui.pages.overview_page import FigureListDialog

pytestmark = pytest.mark.gui


def test_overview_counts_party_orgs_by_kind_and_opens_the_rooms_list(qtbot, window, gui_db) -> None:  # type: ignore[no-untyped-def]
    from app.domain.rates import percent_text

    _make_park(gui_db)
    for page in window.pages:  # the data changed behind the window's back
        page.stale = True
    window.show_page("overview")
    wait_idle(qtbot)
    page = window.overview
    qtbot.waitUntil(lambda: page.findChild(QPushButton, "figure_room_enterprise") is not None)
    expected = _expected_by_kind()
    label = page.findChild(QLabel, "members_and_party_orgs").text()
    assert f"党组织按类型 {len(PARTY_ORGS)} 个" in label
    assert f"非公企业和社会组织 {expected['mixed']['total']}（" in label
    assert (
        f"非公企业 {expected['enterprise']['total']}（单独组建 {expected['enterprise']['own']}"
        in label
    )
    with_room, without = _expected_rooms()
    base = len(with_room) + len(without)
    button = page.findChild(QPushButton, "figure_room_enterprise")
    shown = percent_text(Fraction(len(with_room), base))
    assert button.text() == f"{len(with_room)} / {base}（{shown}%）"
    missing = page.findChild(QPushButton, "figure_no_room_enterprise")
    assert missing.text() == str(len(without))
    seen: list[str] = []

    def look(dialog) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, FigureListDialog)
        qtbot.waitUntil(lambda: dialog.loaded, timeout=10_000)
        seen.extend(sorted(r.name for r in dialog.rows))
        dialog.accept()

    on_modal(look)
    missing.click()
    wait_idle(qtbot)
    assert seen == without


def test_the_long_line_of_party_orgs_by_kind_wraps_instead_of_widening_the_page(  # type: ignore[no-untyped-def]
    qtbot, window, gui_db
) -> None:
    """At 10,000 units the by-kind line is one long sentence: unwrapped it pushed the 合计
    column and the print buttons out of a 1,440-pixel window behind a horizontal bar."""
    from PySide6.QtWidgets import QScrollArea

    _make_park(gui_db)
    for page in window.pages:
        page.stale = True
    window.resize(1440, 860)
    window.show_page("overview")
    wait_idle(qtbot)
    page = window.overview
    label = page.findChild(QLabel, "members_and_party_orgs")
    label.setText(
        label.text() + "；" + "非公企业 3143（单独组建 2846、联合组建 297、挂靠组建 0）" * 4
    )
    wait_idle(qtbot)
    scroll = page.findChild(QScrollArea)
    qtbot.wait(300)  # the scroll area lays the page out again on its next events
    assert scroll.horizontalScrollBar().maximum() == 0
    assert label.width() <= scroll.viewport().width()
