"""双重管理 survives the party organization's dialog: opened on a dual-managed one it
is ticked, and saving another change keeps it (the draft read back used to drop it,
so every later edit in the window cleared it, and with it a cluster leader's standing)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from app.domain.validation import OrganizationDraft, PartyOrgDraft
from app.domain.vocabulary import Formation
from app.services.registry import organizations, party_orgs
from ui.dialogs.party_org_dialog import PartyOrgDialog

pytestmark = pytest.mark.gui


def test_an_edit_keeps_dual_management(qtbot, gui_db) -> None:  # type: ignore[no-untyped-def]
    unit = organizations.create_organization(gui_db, OrganizationDraft(name="甲公司"))
    draft = PartyOrgDraft(
        name="甲公司党委", formation=Formation.OWN, dual_managed=True, covered_ids=[unit]
    )
    po = party_orgs.create_party_org(gui_db, draft)
    dialog = PartyOrgDialog(gui_db, po)
    qtbot.addWidget(dialog)
    assert dialog.dual_managed.isChecked()
    dialog.secretary.setText("李明")
    dialog._save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    (row,) = party_orgs.list_party_orgs(gui_db)
    assert (row.secretary, row.dual_managed) == ("李明", True)
