"""The window's stars (issue 25): the 星级评定 tab lists party organizations, a joint
branch once, with last year's stars and the change; a 示范点 is set in the party
organization's dialog and shown on the 党组织 page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.domain.assessment import FIVE_STARS
from app.domain.validation import OrganizationDraft, PartyOrgDraft
from app.domain.vocabulary import DemoSiteLevel, Formation
from app.services.assessment import assessments
from app.services.assessment.assessments import ScoreEntry
from app.services.registry import organizations, party_orgs
from tests.ui.conftest import wait_idle
from ui.dialogs.party_org_dialog import PartyOrgDialog

pytestmark = pytest.mark.gui


def _score(db, year: int, org: int, total: str) -> None:  # type: ignore[no-untyped-def]
    rest, values = Decimal(total), {}
    for indicator in FIVE_STARS.indicators:
        values[indicator.name] = str(min(indicator.maximum, rest))
        rest -= min(indicator.maximum, rest)
    assessments.set_scores(db, str(year), org, ScoreEntry(values))


def test_the_stars_tab_lists_each_party_organization_once_with_its_change(
    qtbot, window, gui_db
) -> None:  # type: ignore[no-untyped-def]
    units = [
        organizations.create_organization(gui_db, OrganizationDraft(name=n, class_code=c))
        for n, c in (("联甲", "D"), ("联乙", "D"), ("联丙", "D"), ("无组织高分", "E"))
    ]
    party_orgs.create_party_org(
        gui_db,
        PartyOrgDraft(name="联合党支部", formation=Formation.JOINT, covered_ids=units[:3]),
    )
    for year, totals in ((2025, ("95", "92", "80", "99")), (2026, ("95", "92", "90", "99"))):
        assessments.open_period(gui_db, str(year), "五星争创")
        for unit, total in zip(units, totals, strict=True):
            _score(gui_db, year, unit, total)
    window.show_page("assessments")
    wait_idle(qtbot)
    page = window.page("assessments")
    page.star_year.setCurrentIndex(page.star_year.findData(2026))
    model = page.star_model
    assert model.rowCount() == 1  # the joint branch once; the E unit has no party org
    row = model.row_at(0)
    assert (row.name, row.stars, row.previous, row.change.label) == ("联合党支部", 5, 4, "升星")
    horizontal = Qt.Orientation.Horizontal
    headers = [model.headerData(c, horizontal) for c in range(model.columnCount())]
    change = headers.index("变化")
    assert model.index(0, change).data() == "升星"
    assert "5星级1个" in page.star_summary.text()


def test_a_demo_site_is_set_in_the_dialog_and_shown_on_the_page(qtbot, window, gui_db) -> None:  # type: ignore[no-untyped-def]
    unit = organizations.create_organization(gui_db, OrganizationDraft(name="甲公司"))
    po = party_orgs.create_party_org(
        gui_db, PartyOrgDraft(name="甲公司党支部", formation=Formation.OWN, covered_ids=[unit])
    )
    dialog = PartyOrgDialog(gui_db, po)
    qtbot.addWidget(dialog)
    dialog.demo_year.setText("二〇二五")
    dialog._save()
    assert "四位数字年份" in dialog.form.error_text("demo_site_year")
    dialog.demo_site.set_value(DemoSiteLevel.PARK)
    dialog.demo_year.setText("2025")
    dialog._save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    window.show_page("party_orgs")
    wait_idle(qtbot)
    page = window.party_orgs_page
    page.reload()
    wait_idle(qtbot)
    assert page.model.row_at(0).demo_site_text == "园区级（2025）"
