"""分类管理 as a clerk uses it: see the proposals, accept one, accept the rest,
adjust one by hand with a reason; the registry's detail shows the class history."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QPushButton

from app.domain.validation import OrganizationDraft
from app.domain.vocabulary import ClassBasis, Formation, OrgClass
from app.services.grouping import classes
from app.services.registry import organizations
from tests.ui.conftest import on_modal, type_text, wait_idle
from ui import messages
from ui.dialogs.class_dialog import ClassDialog

pytestmark = pytest.mark.gui


def _org(db, name: str, **kw) -> int:  # type: ignore[no-untyped-def]
    return organizations.create_organization(db, OrganizationDraft(name=name, **kw))


def _click(qtbot, page, name: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(page.findChild(QPushButton, f"action_{name}"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot)


def test_review_accept_one_then_all_then_adjust_by_hand(qtbot, window, gui_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    own = _org(gui_db, "甲科技", formal_members=4, formation=Formation.OWN, class_code="E")
    _org(gui_db, "乙商贸", formal_members=0, class_code="A")
    _org(gui_db, "丙制造", formal_members=1, class_code="C")
    fine = _org(gui_db, "丁电子", formal_members=5, formation=Formation.OWN, class_code="B")
    window.show_page("classes")
    wait_idle(qtbot)
    page = window.page("classes")
    # opens on the units with a proposal, with the reason in Chinese
    shown = {page.model.row_at(i).name for i in range(page.model.rowCount())}
    assert shown == {"甲科技", "乙商贸", "丙制造"}
    assert page.count_label.text() == "显示 3 / 共 4 条"

    page.select_id(own)
    assert "新建党组织从成长类起步" in page.detail.toPlainText()
    page.year.setValue(2026)
    _click(qtbot, page, "accept")
    history = classes.class_history(gui_db, own)
    assert (history[0].to_class, history[0].basis, history[0].basis_ref) == (
        OrgClass.C,
        ClassBasis.REVIEW,
        "2026",
    )
    assert page.model.rowCount() == 2  # 甲科技 agrees with its facts now

    monkeypatch.setattr(messages, "ask", lambda *a, **k: True)
    _click(qtbot, page, "accept_all")
    assert page.model.rowCount() == 0
    assert classes.proposals(gui_db) == []

    # by hand: 丁电子 B → A, with a reason, seen in the registry's detail
    page._filters[0][0].setCurrentIndex(1)  # 全部单位
    page.select_id(fine)

    def adjust(dialog: QDialog) -> None:
        assert isinstance(dialog, ClassDialog)
        dialog.to.set_value(OrgClass.A)
        dialog.reason.clear()
        dialog._save()
        assert "请写明调整理由" in dialog.form.error_text("reason")
        type_text(qtbot, dialog.reason, "作用发挥突出，工委会议研究升为示范类")
        dialog._save()

    on_modal(adjust)
    _click(qtbot, page, "adjust")
    # set while reviewing 2026: recorded as that year's review, with the clerk's reason
    latest = classes.class_history(gui_db, fine)[0]
    assert (latest.basis, latest.basis_ref) == (ClassBasis.REVIEW, "2026")
    window.show_page("registry")
    wait_idle(qtbot)
    window.registry.reveal(fine)
    wait_idle(qtbot)
    text = window.registry.detail.toPlainText()
    assert "分类变更记录" in text and "作用发挥突出" in text and "年度复核（2026）" in text


def test_detach_from_the_registry(qtbot, window, gui_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from app.domain.validation import PartyOrgDraft
    from app.services.registry import party_orgs
    from ui.dialogs.detach_dialog import DetachDialog

    joint = party_orgs.create_party_org(
        gui_db, PartyOrgDraft(name="创业园联合党支部", formation=Formation.JOINT)
    )
    unit = _org(
        gui_db,
        "金鸿盛电气",
        formal_members=4,
        formation=Formation.JOINT,
        party_org_id=joint,
        class_code="D",
    )
    _org(gui_db, "小微商贸", formal_members=1, formation=Formation.JOINT, party_org_id=joint)
    told: list[str] = []
    monkeypatch.setattr(messages, "info", lambda _p, _t, text: told.append(text))
    window.show_page("registry")
    wait_idle(qtbot)
    window.registry.reveal(unit)
    wait_idle(qtbot)

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, DetachDialog)
        assert dialog.name.text() == "金鸿盛电气党支部"
        dialog.name.setText("创业园联合党支部")  # taken: told at the field
        dialog._save()
        assert "已有同名党组织" in dialog.form.error_text("name")
        dialog.name.setText("金鸿盛电气党支部")
        type_text(qtbot, dialog.secretary, "周敏")
        dialog._save()

    on_modal(fill)
    _click(qtbot, window.registry, "detach")
    row = window.registry.current_row()
    assert (row.party_org, row.class_code) == ("金鸿盛电气党支部", "C")
    assert "现覆盖1个单位" in told[0] and "列入预警" in told[0]
    assert "脱联单建" in window.registry.detail.toPlainText()
