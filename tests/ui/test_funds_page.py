"""经费保障 as a clerk uses it: open the page from the navigation, pick the year, record
a payment in the dialog (a wrong amount said under its field first), see the balance
fall, and the standards changed in their dialog."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QPushButton

from tests.funds_park import YEAR, make_park
from tests.ui.conftest import on_modal, type_text, wait_idle
from ui.dialogs.fund_payment_dialog import PaymentDialog, StandardsDialog

pytestmark = pytest.mark.gui


def _click(qtbot, page, name: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(page.findChild(QPushButton, f"action_{name}"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot)


def _cell(page, name: str, key: str) -> str:  # type: ignore[no-untyped-def]
    column = [c.key for c in page.model.columns].index(key)
    for r in range(page.model.rowCount()):
        if page.model.index(r, 0).data() == name:
            return str(page.model.index(r, column).data())
    raise AssertionError(f"{name} not shown")


def test_record_a_payment_and_see_the_balance_fall(qtbot, window, gui_db) -> None:  # type: ignore[no-untyped-def]
    ids = make_park(gui_db)
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert "经费保障" in titles
    window.nav.setCurrentRow(titles.index("经费保障"))
    wait_idle(qtbot)
    page = window.page("funds")
    page.year.setValue(YEAR)
    wait_idle(qtbot)
    assert page.model.rowCount() == 3
    # 5 × 300 + 2,000 + 5,000 + 3,000.50 entitled, the dues paid: 8,500.00 to pay
    assert _cell(page, "甲公司党支部", "entitled") == "11,500.50"
    assert _cell(page, "甲公司党支部", "balance") == "8,500.00"
    assert "2026H2 尚未发布" in page.totals.text()
    page.select_id(ids["甲公司党支部"])

    def pay(dialog: QDialog) -> None:
        assert isinstance(dialog, PaymentDialog)
        assert dialog.party_org.value() == ids["甲公司党支部"]  # the row chosen
        type_text(qtbot, dialog.amount, "-20")
        type_text(qtbot, dialog.payer, "区委两新工委")
        dialog.day.set_value(date(YEAR, 5, 8))
        dialog._save()
        assert "金额须大于0" in dialog.form.error_text("amount")
        dialog.amount.setText("1500")
        dialog._save()

    on_modal(pay)
    _click(qtbot, page, "pay")
    wait_idle(qtbot)
    assert _cell(page, "甲公司党支部", "paid") == "4,500.50"
    assert _cell(page, "甲公司党支部", "balance") == "7,000.00"
    assert "区委两新工委" in page.detail.toPlainText()

    def standards(dialog: QDialog) -> None:
        assert isinstance(dialog, StandardsDialog)
        dialog.per_member.setText("100")
        dialog._save()

    on_modal(standards)
    _click(qtbot, page, "standards")
    wait_idle(qtbot)
    assert _cell(page, "甲公司党支部", "member_activity") == "500.00"

    page.year.setValue(YEAR - 1)
    wait_idle(qtbot)
    shown = {page.model.index(r, 0).data() for r in range(page.model.rowCount())}
    assert shown == {"乙联合党支部", "丙党支部"}  # 甲公司党支部 was formed in 2026
