"""PySide6 6.12 on Python 3.11 drops a reference of None/True/False each time
one comes back from Qt as a variant (combo item data, a signal's ``object``
argument); the interpreter aborts later. These tests fail if any of our
widgets or the task helper hands such a value through Qt again."""

from __future__ import annotations

import sys

import pytest

from tests.ui.conftest import wait_idle
from ui import tasks
from ui.dialogs.organization_dialog import OrganizationDialog
from ui.dialogs.party_org_dialog import PartyOrgDialog

pytestmark = pytest.mark.gui

ROUNDS = 300


def _refs() -> tuple[int, int, int]:
    return sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)


def _assert_no_loss(before: tuple[int, int, int]) -> None:
    after = _refs()
    # other code may hold a few more or fewer; a leak shows as about ROUNDS fewer
    assert all(a > b - ROUNDS // 3 for a, b in zip(after, before, strict=True)), (before, after)


def test_dialog_inputs_do_not_lose_references(qtbot, gui_db) -> None:  # type: ignore[no-untyped-def]
    dialog = OrganizationDialog(gui_db)
    qtbot.addWidget(dialog)
    before = _refs()
    for _ in range(ROUNDS):
        dialog._read()
    _assert_no_loss(before)
    party = PartyOrgDialog(gui_db)
    qtbot.addWidget(party)
    before = _refs()
    for _ in range(ROUNDS):
        party._read()
    _assert_no_loss(before)


def test_task_results_do_not_lose_references(qtbot) -> None:  # type: ignore[no-untyped-def]
    got: list[object] = []
    before = _refs()
    for value in (None, True, False) * (ROUNDS // 3):
        tasks.run_task(None, "", lambda _p, v=value: v, got.append)
        wait_idle(qtbot)
    assert len(got) == ROUNDS
    _assert_no_loss(before)


def test_the_installed_pyside_keeps_singleton_references(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The reason PySide6 is pinned: void calls and variants must not drop references."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QComboBox

    timer = QTimer()
    combo = QComboBox()
    combo.addItem("空", None)
    before = _refs()
    for _ in range(ROUNDS):
        timer.setSingleShot(True)
        combo.itemData(0)
    _assert_no_loss(before)
