"""The merge dialog names a published period's records 已发布，未合并 (issue 22), and
does not offer to import when they are all there is."""

from __future__ import annotations

from pathlib import Path

from app.services.package_merge import MergeItem, MergePreview
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
