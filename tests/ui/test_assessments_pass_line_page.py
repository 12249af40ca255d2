"""The ranking tab under the pass line (issue 25): a class of three with a unit at 30
shows two 优秀 (the entry grid too) and says why the third is not; the tie note stands
on the tied rows; a unit without a class is listed apart as 须先分类."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain.assessment import SUIXI_SIX
from app.domain.validation import OrganizationDraft
from app.services.assessment import assessments
from app.services.assessment.assessments import ScoreEntry
from app.services.registry import organizations
from tests.ui.conftest import wait_idle

pytestmark = pytest.mark.gui

PARK = (
    ("E甲", "E", "88"),
    ("E乙", "E", "72"),
    ("E丙", "E", "30"),
    ("B一", "B", "95"),
    ("B二", "B", "90"),
    ("B三", "B", "85"),
    ("B四", "B", "85"),
    ("无类公司", None, "99"),
)


def _scores(total: str) -> ScoreEntry:
    rest, values = Decimal(total), {}
    for indicator in SUIXI_SIX.indicators:
        take = min(indicator.maximum, rest)
        values[indicator.name], rest = str(take), rest - take
    return ScoreEntry(values)


def test_the_ranking_tab_shows_the_line_the_tie_and_the_unclassified(  # type: ignore[no-untyped-def]
    qtbot, window, gui_db
) -> None:
    assessments.open_period(gui_db, "2026H1", "濉溪六项")
    for name, cls, total in PARK:
        org = organizations.create_organization(
            gui_db, OrganizationDraft(name=name, class_code=cls)
        )
        assessments.set_scores(gui_db, "2026H1", org, _scores(total))
    window.show_page("assessments")
    wait_idle(qtbot)
    page = window.page("assessments")
    # the entry grid asks the same rule as it ranks live
    grid = page.grid_model
    for cls, expected in (
        ("E", {"E甲": "优秀", "E乙": "优秀", "E丙": ""}),
        ("", {"无类公司": "须先分类"}),
    ):
        page.entry_class.setCurrentIndex(page.entry_class.findData(cls))
        wait_idle(qtbot)
        assert {grid.rows[r].name: grid.grade(r) for r in range(len(grid.rows))} == expected
    page.tabs.setCurrentIndex(1)
    wait_idle(qtbot)
    model = page.rank_model
    columns = [c.key for c in model.columns]
    shown = {}
    for i in range(model.rowCount()):  # as the table displays them
        cells = {k: model.data(model.index(i, n)) for n, k in enumerate(columns)}
        shown[cells["name"]] = (cells["rank"], cells["grade"], cells["remark"])
    assert shown == {
        "B一": ("1", "优秀", ""),
        "B二": ("2", "优秀", ""),
        "B三": ("3", "优秀", "并列第3名，均评为优秀"),
        "B四": ("3", "优秀", "并列第3名，均评为优秀"),
        "E甲": ("1", "优秀", ""),
        "E乙": ("2", "优秀", ""),
        "E丙": ("3", "", "低于及格线60分，不评优秀"),
        "无类公司": ("", "须先分类", "未分类，不参加排名，须先分类"),
    }
    summary = page.rank_summary.text()
    assert "优秀2个" in summary  # class E: two, not three
    assert "1个单位须先分类，不参加排名" in summary


def test_the_scheme_dialog_sets_the_pass_line(qtbot, gui_db) -> None:  # type: ignore[no-untyped-def]
    from app.domain.assessment import PASS_LINE_DEFAULT
    from ui.dialogs.scheme_dialog import SchemeDialog

    dialog = SchemeDialog(gui_db)
    qtbot.addWidget(dialog)
    dialog.choice.setCurrentText("濉溪六项")
    assert dialog.pass_line.text() == "60" and PASS_LINE_DEFAULT == 60
    dialog.pass_line.setText("75")
    dialog._save()
    (saved,) = [s for s in assessments.list_schemes(gui_db) if s.name == "濉溪六项"]
    assert saved.pass_line == 75
    again = SchemeDialog(gui_db)
    qtbot.addWidget(again)
    again.choice.setCurrentText("濉溪六项")
    again.pass_line.setText("120")  # over the scheme's maximum: refused, said
    again._save()
    assert "及格线须在0到满分之间" in again.form._errors["pass_line"].text()
    assert again.result() != again.DialogCode.Accepted
