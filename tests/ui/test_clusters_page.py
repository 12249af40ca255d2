"""编组共建 as a clerk uses it: make a cluster with members and a leader, record the
leader's three powers for the year, see the figures and the warnings."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QPushButton

from app.domain.validation import OrganizationDraft, PartyOrgDraft
from app.domain.vocabulary import ClusterRecordKind as K
from app.domain.vocabulary import Formation
from app.services.grouping import clusters
from app.services.registry import organizations, party_orgs
from tests.ui.conftest import on_modal, type_text, wait_idle
from ui import messages
from ui.dialogs.cluster_dialog import ClusterDialog, ClusterRecordDialog

pytestmark = pytest.mark.gui


def _click(qtbot, page, name: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(page.findChild(QPushButton, f"action_{name}"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot)


def test_make_a_cluster_and_record_its_year(qtbot, window, gui_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # the leader's organization is 双重管理 (衢州): no warning about the leader
    branch = party_orgs.create_party_org(gui_db, PartyOrgDraft(name="党委", dual_managed=True))
    organizations.create_organization(
        gui_db,
        OrganizationDraft(
            name="组长公司", formation=Formation.OWN, formal_members=9, party_org_id=branch
        ),
    )
    for n in (1, 2):
        organizations.create_organization(gui_db, OrganizationDraft(name=f"成员{n}"))
    warned: list[str] = []
    monkeypatch.setattr(messages, "warn", lambda _p, _t, text: warned.append(text))
    window.show_page("clusters")
    wait_idle(qtbot)
    page = window.page("clusters")
    page.year.setValue(2026)
    wait_idle(qtbot)

    def make(dialog: QDialog) -> None:
        assert isinstance(dialog, ClusterDialog)
        type_text(qtbot, dialog.name, "第一编组")
        for name in ("组长公司", "成员1", "成员2"):
            dialog.picker.setText(name)
            dialog._add_member()
        dialog.leader.setCurrentIndex(dialog.leader.findText("组长公司"))
        dialog._save()

    on_modal(make)
    _click(qtbot, page, "add")
    row = page.current_row()
    assert (row.name, row.leader.name, len(row.members), row.warnings) == (
        "第一编组",
        "组长公司",
        3,
        [],
    )

    def dues(dialog: QDialog) -> None:
        assert isinstance(dialog, ClusterRecordDialog)
        dialog.kind.set_value(K.DUES_RETURNED)
        dialog.amount.setText("12.345")  # more than fen: refused at the field
        dialog._save()
        assert "两位小数" in dialog.form.error_text("amount")
        dialog.amount.setText("1000")
        dialog._save()

    on_modal(dues)
    _click(qtbot, page, "record")

    def spend(dialog: QDialog) -> None:
        dialog.kind.set_value(K.SPENDING)
        assert not dialog.form.widget("organization").isVisibleTo(dialog)
        dialog.amount.setText("1200.5")
        dialog.title.setText("联合党课")
        dialog._save()

    on_modal(spend)
    _click(qtbot, page, "record")
    assert warned == ["支出1,200.50元，超过结余1,000.00元"]
    row = page.current_row()
    assert row.figures.balance == -20_050 and "支出超过" in row.warning_text
    assert "结余 -200.50 元" in page.detail.toPlainText()
    assert "联合党课" in page.detail.toPlainText()
    (listed,) = clusters.list_clusters(gui_db, 2026)
    assert listed.figures.spent == 120_050


def test_a_presentation_file_is_kept_and_linked(qtbot, window, gui_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    org = organizations.create_organization(
        gui_db, OrganizationDraft(name="组长公司", formation=Formation.OWN, formal_members=9)
    )
    cid = clusters.create_cluster(gui_db, clusters.ClusterDraft("第一编组", 2024, "", [org], org))
    slides = tmp_path / "展示.pptx"
    slides.write_bytes(b"slides")
    window.show_page("clusters")
    wait_idle(qtbot)
    page = window.page("clusters")
    page.year.setValue(2026)
    wait_idle(qtbot)
    page.select_id(cid)

    def present(dialog: QDialog) -> None:
        assert isinstance(dialog, ClusterRecordDialog)
        dialog.kind.set_value(K.PRESENTATION)
        assert dialog.form.widget("file").isVisibleTo(dialog)
        dialog.choose(slides)
        dialog.text.setPlainText("党建品牌展示")
        dialog._save()

    on_modal(present)
    _click(qtbot, page, "record")
    assert "打开展示材料" in page.detail.toHtml()
    (record,) = clusters.list_records(gui_db, cid, 2026)
    assert record.attachment.endswith(".pptx")


def test_the_window_shows_the_documents_cluster_warnings(qtbot, window, gui_db) -> None:  # type: ignore[no-untyped-def]
    """A leader with its own branch, not 双重管理, and a quota place to a unit without
    activists: both flagged in the list and the detail."""
    branch = party_orgs.create_party_org(gui_db, PartyOrgDraft(name="某公司党支部"))
    leader = organizations.create_organization(
        gui_db,
        OrganizationDraft(
            name="组长公司", formation=Formation.OWN, formal_members=9, party_org_id=branch
        ),
    )
    member = organizations.create_organization(gui_db, OrganizationDraft(name="成员1", activists=0))
    cid = clusters.create_cluster(
        gui_db, clusters.ClusterDraft("第一编组", 2024, "", [leader, member], leader)
    )
    clusters.add_record(gui_db, cid, clusters.RecordDraft(K.QUOTA, 2026, amount=2))
    clusters.add_record(
        gui_db, cid, clusters.RecordDraft(K.ALLOCATION, 2026, organization_id=member, amount=1)
    )
    window.show_page("clusters")
    wait_idle(qtbot)
    page = window.page("clusters")
    page.year.setValue(2026)
    wait_idle(qtbot)
    page.select_id(cid)
    shown = page.detail.toPlainText()
    assert "组长单位的党组织不是市级以上双重管理" in shown
    assert "“成员1”没有入党积极分子，却分得发展党员指标1名" in shown
