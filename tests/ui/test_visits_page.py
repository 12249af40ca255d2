"""走访整改 as an instructor and the clerk use it: record a visit with a problem in the
dialog, see it on both lists, refuse a verification without a note, verify it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QPushButton

from app.domain.validation import OrganizationDraft
from app.domain.vocabulary import ProblemStatus
from app.services.field import visits
from app.services.registry import instructors, organizations
from app.services.registry.instructors import InstructorDraft
from tests.ui.conftest import on_modal, wait_idle
from ui.dialogs.visit_dialog import ProblemStatusDialog, VisitDialog

pytestmark = pytest.mark.gui


def test_record_a_visit_and_verify_its_rectification(qtbot, window, gui_db) -> None:  # type: ignore[no-untyped-def]
    organizations.create_organization(gui_db, OrganizationDraft(name="甲公司"))
    organizations.create_organization(gui_db, OrganizationDraft(name="乙公司"))
    instructors.create_instructor(gui_db, InstructorDraft(name="王指导"))
    window.show_page("visits")
    wait_idle(qtbot)
    page = window.page("visits")

    def record(dialog: QDialog) -> None:
        assert isinstance(dialog, VisitDialog)
        dialog.unit.setText("甲公司")
        dialog.day.set_value(date(2026, 11, 20))
        dialog.people.setText("王指导")
        dialog.content.setPlainText("查看党员活动室")
        dialog.set_problem(0, "阵地标识不统一", "更换标识", "书记", "2026-11-10", "乙公司")
        dialog._save()  # the deadline before the visit: refused at the field
        assert "早于发现问题的日期" in dialog.form.error_text("problems")
        dialog.set_problem(0, "阵地标识不统一", "更换标识", "书记", "2026-12-31", "乙公司")
        dialog._save()

    on_modal(record)
    qtbot.mouseClick(page.visits.findChild(QPushButton, "action_add"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    assert page.visits.model.rowCount() == 1 and page.problems.model.rowCount() == 1
    (problem,) = visits.list_problems(gui_db)
    assert problem.common and [u.name for u in problem.units] == ["甲公司", "乙公司"]
    page.tabs.setCurrentIndex(1)
    page.problems.table.selectRow(0)

    def verify(dialog: QDialog) -> None:
        assert isinstance(dialog, ProblemStatusDialog)
        dialog.status.setCurrentIndex(list(ProblemStatus).index(ProblemStatus.VERIFIED))
        dialog._save()  # no note: refused
        assert "核验意见" in dialog.form.error_text("note")
        dialog.note.setPlainText("已更换，现场核验")
        dialog._save()

    on_modal(verify)
    button = page.problems.findChild(QPushButton, "action_status")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    (problem,) = visits.list_problems(gui_db)
    assert (problem.status, problem.verify_note) == (ProblemStatus.VERIFIED, "已更换，现场核验")
    assert page.problems.model.rowCount() == 1
    page.problems.table.selectRow(0)
    shown = page.problems.detail.toPlainText()
    assert "已核验" in shown and "已更换，现场核验" in shown


def test_a_visit_with_a_photo_opens_it_and_a_mistaken_one_is_deleted(  # type: ignore[no-untyped-def]
    qtbot, window, gui_db, tmp_path, monkeypatch
) -> None:
    from PySide6.QtGui import QDesktopServices

    from ui import messages

    organizations.create_organization(gui_db, OrganizationDraft(name="甲公司"))
    instructors.create_instructor(gui_db, InstructorDraft(name="王指导"))
    photo = tmp_path / "会议记录.png"
    photo.write_bytes(b"\x89PNG scan")
    window.show_page("visits")
    wait_idle(qtbot)
    page = window.page("visits")

    def record(dialog: QDialog) -> None:
        dialog.unit.setText("甲公司")
        dialog.day.set_value(date(2026, 11, 20))
        dialog.people.setText("王指导")
        dialog.add_files([photo])
        assert dialog.files_label.text() == "会议记录.png"
        dialog._save()

    on_modal(record)
    qtbot.mouseClick(page.visits.findChild(QPushButton, "action_add"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    page.visits.table.selectRow(0)
    assert "会议记录.png" in page.visits.detail.toPlainText()
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    page.visits.findChild(QPushButton, "action_open_attachment").click()
    assert len(opened) == 1 and Path(opened[0]).read_bytes() == photo.read_bytes()
    monkeypatch.setattr(messages, "ask", lambda *a, **k: True)
    page.visits.findChild(QPushButton, "action_delete").click()
    wait_idle(qtbot)
    assert page.visits.model.rowCount() == 0 and visits.list_visits(gui_db) == []


def test_a_note_typed_on_any_move_is_kept_and_shown_in_the_history(qtbot, window, gui_db) -> None:  # type: ignore[no-untyped-def]
    from app.domain.visits import ProblemDraft, VisitDraft
    from app.domain.vocabulary import VisitKind

    org = organizations.create_organization(gui_db, OrganizationDraft(name="甲公司"))
    who = instructors.create_instructor(gui_db, InstructorDraft(name="王指导"))
    draft = VisitDraft(
        org, date(2026, 11, 20), VisitKind.VISIT, [who], "", "", [ProblemDraft("记录不全")]
    )
    visits.add_visit(gui_db, draft, date(2026, 11, 20))
    window.show_page("visits")
    wait_idle(qtbot)
    page = window.page("visits")
    page.tabs.setCurrentIndex(1)
    page.problems.table.selectRow(0)

    def move(dialog: QDialog) -> None:
        assert isinstance(dialog, ProblemStatusDialog)
        dialog.status.setCurrentIndex(list(ProblemStatus).index(ProblemStatus.IN_PROGRESS))
        dialog.note.setPlainText("已约谈书记，月底前补齐")
        dialog.on.set_value(date(2099, 1, 1))
        dialog._save()  # dated in the future: refused at the field, naming both dates
        assert "2099-01-01晚于今天" in dialog.form.error_text("on")
        dialog.on.set_value(date(2026, 11, 21))
        dialog._save()

    on_modal(move)
    qtbot.mouseClick(
        page.problems.findChild(QPushButton, "action_status"), Qt.MouseButton.LeftButton
    )
    wait_idle(qtbot)
    (problem,) = visits.list_problems(gui_db)
    assert (problem.status, problem.note) == (ProblemStatus.IN_PROGRESS, "已约谈书记，月底前补齐")
    page.problems.table.selectRow(0)
    shown = page.problems.detail.toPlainText()
    assert "整改记录" in shown and "待整改 → 整改中" in shown and "已约谈书记，月底前补齐" in shown


def test_the_visit_dialogs_problem_headers_are_shown_whole(qtbot, gui_db) -> None:  # type: ignore[no-untyped-def]
    """Issue 25: the last header (…：其他单位（顿号…) was cut; its hint is now a tooltip."""
    from ui.dialogs.visit_dialog import VisitDialog

    dialog = VisitDialog(gui_db)
    qtbot.addWidget(dialog)
    dialog.show()
    header = dialog.problems.horizontalHeader()
    metrics = header.fontMetrics()
    for column in range(1, dialog.problems.columnCount()):
        text = dialog.problems.horizontalHeaderItem(column).text()
        assert header.sectionSize(column) >= metrics.horizontalAdvance(text), text
    last = dialog.problems.horizontalHeaderItem(dialog.problems.columnCount() - 1)
    assert "顿号" in last.toolTip()
