"""The merge dialog in the clerk's words (issue 22): a conflict's values by their labels,
a unit's reference by its name, the records of a unit deleted at the office counted in
the summary before anything is applied."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel, QTableWidget

from app.domain.merge import FieldConflict
from app.services.field.package_merge import MergeItem, MergePreview
from ui.dialogs.merge_dialog import MergeDialog

UNIT, OTHER = "4e1ac17e-d349-46e1-bc95-b054d82e6400", "5f2bd28f-e45a-47f2-8c06-c165e93f7511"


def test_the_dialog_says_codes_and_references_in_chinese(qtbot) -> None:  # type: ignore[no-untyped-def]
    problem = {"text": "记录不全", "units": [UNIT], "status": "done"}
    status = MergeItem(
        "problem", "p1", "conflict", problem, {**problem, "status": "verified"}, None, 1
    )
    status.conflicts = [FieldConflict("status", "open", "verified", "done")]
    unit = {"name": "乙公司", "party_org_id": OTHER, "status": "active"}
    link = MergeItem(
        "organization", UNIT, "conflict", unit, {**unit, "party_org_id": None}, None, 0
    )
    link.conflicts = [FieldConflict("party_org_id", None, None, OTHER)]
    gone = MergeItem(
        "visit", "v1", "unit_deleted", {"org": UNIT, "visited_on": "2026-11-25"}, None, None, 1
    )
    names = {UNIT: "甲公司", OTHER: "甲公司联合党支部"}
    preview = MergePreview(Path("回传.pdreturn"), {}, [status, link, gone], names)
    dialog = MergeDialog(preview)
    qtbot.addWidget(dialog)
    table = dialog.findChild(QTableWidget, "conflicts")
    rows = [[table.item(r, c).text() for c in range(4)] for r in range(table.rowCount())]
    assert rows[0][1:] == ["状态", "已核验", "已整改"]
    assert rows[1][1:] == ["所属党组织", "（空）", "甲公司联合党支部"]
    assert "1条记录的单位已在办公室删除" in dialog.findChild(QLabel, "summary").text()
    headers = [table.horizontalHeaderItem(c).text() for c in (2, 3)]
    assert headers == ["办公室的版本", "外业的版本"]


def test_a_copys_dialog_names_the_sides_this_copy_and_the_other(qtbot) -> None:  # type: ignore[no-untyped-def]
    unit = {"name": "乙公司", "phone": "1"}
    item = MergeItem("organization", UNIT, "conflict", unit, {**unit, "phone": "2"}, None, 0)
    item.conflicts = [FieldConflict("phone", None, "2", "1")]
    preview = MergePreview(Path("笔记本.sqlite3"), {"database": True}, [item], {})
    dialog = MergeDialog(preview)
    qtbot.addWidget(dialog)
    table = dialog.findChild(QTableWidget, "conflicts")
    headers = [table.horizontalHeaderItem(c).text() for c in (1, 2, 3)]
    assert headers == ["项目", "本机的版本", "另一份的版本"]
    assert table.item(0, 1).text() == "联系电话"
