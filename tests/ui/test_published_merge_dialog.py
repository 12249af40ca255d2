"""The merge dialog names a published period's records 已发布，未合并 (issue 22), and
does not offer to import when they are all there is."""

from __future__ import annotations

from pathlib import Path

from app.services.field.package_merge import MergeItem, MergePreview
from ui.dialogs.merge_dialog import MergeDialog


def test_records_of_a_published_period_are_shown_and_not_imported(qtbot) -> None:  # type: ignore[no-untyped-def]
    score = {"period": "2026H2", "org": "u1", "scores": "{}"}
    item = MergeItem("assessment_score", "s1", "published", score, score, None, 2)
    preview = MergePreview(
        Path("back.pdreturn"), {"instructor": "王指导"}, [item], {"u1": "甲公司"}
    )
    dialog = MergeDialog(preview)
    qtbot.addWidget(dialog)
    assert "另有1条属于已发布的考核期，已发布，未合并" in dialog.findChild(object, "summary").text()
    changes = dialog.findChild(object, "changes").model()
    assert (changes.data(changes.index(0, 0)), changes.data(changes.index(0, 1))) == (
        "评分 2026H2 甲公司",
        "已发布，未合并",
    )
    assert not dialog.apply_button.isEnabled()  # nothing to write


def test_a_publication_arriving_and_one_clashing_are_said_in_the_summary(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A database merge: 2026H2 published on the other copy only arrives (one score of
    this copy replaced); 2026H1 published on both differently is not merged."""
    period = {"code": "2026H2", "uuid": "p2"}
    old = {"period": "2026H2", "organization_id": "u1", "bonus": "0", "uuid": "s1"}
    new = {**old, "bonus": "5"}
    clash = {"code": "2026H1", "uuid": "p1"}
    items = [
        MergeItem("assessment_period", "p2", "published_arrives", period, period, period, 0),
        MergeItem("assessment_score", "s1", "published_arrives", new, old, new, 0),
        MergeItem("assessment_period", "p1", "published_clash", clash, clash, None, 0),
    ]
    preview = MergePreview(Path("office.sqlite3"), {"database": True}, items, {"u1": "甲公司"})
    dialog = MergeDialog(preview)
    qtbot.addWidget(dialog)
    summary = dialog.findChild(object, "summary").text()
    assert "对方已发布2026年下半年考核结果，本机该期未发布的1处评分将被取代" in summary
    assert "两份都已发布2026年上半年考核结果，但结果不一致" in summary
    changes = dialog.findChild(object, "changes").model()
    assert changes.data(changes.index(2, 1)) == "已发布结果不一致"
    assert dialog.apply_button.isEnabled()  # the arriving publication is written
