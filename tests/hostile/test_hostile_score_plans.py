"""The score import's plans (issue 23: the import at most half again its bare floor):
a row with a score is not looked at again for being empty, and a row's total and its
stored JSON come from one pick of its scores, each score's tenths reckoned once; with
the same results for blank cells (None, "", spaces), a blank that keeps what is stored,
a score that is wrong, and full-width digits."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from app.db.database import Database
from app.domain.assessment import SUIXI_SIX
from app.domain.validation import OrganizationDraft
from app.services.assessment import assessments, score_import
from app.services.registry import organizations
from tests.conftest import write_xlsx

HEADERS = ["统一社会信用代码", "组织名称", *(i.name for i in SUIXI_SIX.indicators), "加分", "备注"]
CODES = ("91450200MA5N6C5H2H", "91450200773885895T")


def _park(db: Database) -> list[int]:
    units = [
        organizations.create_organization(db, OrganizationDraft(name=name, uscc=code))
        for name, code in (("甲公司", CODES[0]), ("乙公司", CODES[1]), ("丙协会", None))
    ]
    assessments.ensure_period(db, "2026H1")
    assessments.set_scores(
        db, "2026H1", units[0], assessments.ScoreEntry({"组织设置": "14.5"}, bonus="1")
    )
    return units


def _book(tmp_path: Path) -> Path:
    return write_xlsx(
        tmp_path / "评分.xlsx",
        [
            HEADERS,
            # a blank indicator (None) and a cell of spaces: 组织设置 stays 14.5
            [CODES[0], "甲公司", None, 15, "  ", 15, 20, "１４．５", 2, ""],
            [CODES[1], "乙公司", 13, 15, 20, 15, 20, 14.5, "", "已核"],  # a new row, complete
            [None, "丙协会", "", None, "", None, "", None, None, None],  # listed, left blank
            ["", "丁公司", 99, 15, 20, 15, 20, 15, 0, ""],  # unknown, and over full marks
        ],
    )


def test_a_row_with_a_score_is_not_looked_at_again_for_being_empty(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _park(db)
    asked: list[int] = []
    real = score_import._nothing_entered

    def counted(row: score_import.ScoreRow) -> bool:
        asked.append(row.row)
        return real(row)

    monkeypatch.setattr(score_import, "_nothing_entered", counted)
    preview = score_import.preview_scores(db, _book(tmp_path), "2026H1")
    assert asked == [4]  # 丙协会 only: 乙公司's scores say something was entered
    assert [p.status for p in preview.plans] == ["changed", "new", "unchanged", "bad"]


def test_the_plans_say_what_they_said_before(db: Database, tmp_path: Path) -> None:
    units = _park(db)
    preview = score_import.preview_scores(db, _book(tmp_path), "2026H1")
    kept, new, blank, bad = preview.plans
    assert kept.unit_id == units[0] and kept.scores == {
        "组织设置": "14.5",  # blank: as stored
        "党员队伍": "15.0",  # as every score is kept: one decimal place
        "工作保障": "15.0",
        "作用发挥": "20.0",
        "品牌特色": "14.5",  # full-width digits read as NFKC reads them
    }  # 组织生活 of spaces: no score, and nothing kept for it
    assert kept.total is None and kept.bonus == "2.0"  # an indicator without a score: no total
    assert kept.scores_json == json.dumps(kept.scores, ensure_ascii=False, sort_keys=True)
    assert new.total == int(Decimal("97.5") * 10) and new.bonus == "0" and new.note == "已核"
    assert new.scores_json == json.dumps(new.scores, ensure_ascii=False, sort_keys=True)
    assert (blank.scores, blank.total) == ({}, None)
    assert {(e.row, e.reason) for e in preview.errors} == {
        (5, "org_unknown"),
        (5, "score_over_max"),
    }
    assert bad.status == "bad"


def test_a_score_met_again_is_reckoned_from_what_was_kept() -> None:
    check = score_import._Checker(SUIXI_SIX, {})
    full = {i.name: "10.5" for i in SUIXI_SIX.indicators}
    assert check.totalled(full, "1") == (640, check.encode(full))  # tenths: 6 × 10.5 + 1
    assert check.totalled(full, "2.5") == (655, check.encode(full))  # 10.5 kept, 2.5 new
    partial = {"组织设置": "3"}
    assert check.totalled(partial, "0") == (None, check.encode(partial))
