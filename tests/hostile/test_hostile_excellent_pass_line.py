"""优秀 needs a passing total (issue 25, §1; 濉溪 "同类同考", top 3 of each class 优秀
with 以奖代补; DOMAIN.md: "the top 3 of a class among units at or above the scheme's
pass line (default 60) … 未分类 are not ranked … a tie note stands on the tied rows
only"), on a park made for it: a class of three with a unit at 30 points, a tie at
third, a unit without a class. The expected grades are computed here from that rule,
not read back from the program; a period published before the line stays as published."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from app.db import published_guard
from app.db.database import Database
from app.domain.assessment import SUIXI_SIX
from app.domain.quarters import Quarter
from app.domain.validation import OrganizationDraft
from app.services.assessment import (
    assessment_exports,
    assessment_results,
    assessment_settings,
    assessments,
)
from app.services.assessment.assessment_settings import AssessmentSettings
from app.services.assessment.assessments import ScoreEntry
from app.services.registry import organizations
from app.services.workbooks.submissions import export_quarter
from tests.conftest import run_main

PERIOD = "2026H1"
# (name, class, total): E is a class of three with one unit at 30; B ties at third;
# 无类公司 has no class
PARK = (
    ("E甲", "E", "88"),
    ("E乙", "E", "72"),
    ("E丙", "E", "30"),
    ("B一", "B", "95"),
    ("B二", "B", "90"),
    ("B三", "B", "85"),
    ("B四", "B", "85"),
    ("B五", "B", "70"),
    ("无类公司", None, "99"),
)
SUBSIDY = {"B": Decimal(3000), "E": Decimal(1000)}


def _documents_rule(
    park: tuple[tuple[str, str | None, str], ...], line: Decimal | None
) -> dict[str, tuple[int | None, bool]]:
    """The rule as the documents say it: within a class, rank = 1 + the units with a
    higher total (1, 2, 2, 4); 优秀 = rank ≤ 3 and total ≥ the line; no class, no rank
    (line None: the rule before the line existed, 未分类 ranked as a class)."""
    out: dict[str, tuple[int | None, bool]] = {}
    for name, cls, total in park:
        if cls is None and line is not None:
            out[name] = (None, False)
            continue
        mine = [Decimal(t) for _n, c, t in park if c == cls]
        rank = 1 + sum(1 for t in mine if t > Decimal(total))
        out[name] = (rank, rank <= 3 and (line is None or Decimal(total) >= line))
    return out


def _score(db: Database, org: int, total: str) -> None:
    rest, values = Decimal(total), {}
    for indicator in SUIXI_SIX.indicators:
        take = min(indicator.maximum, rest)
        values[indicator.name], rest = str(take), rest - take
    assessments.set_scores(db, PERIOD, org, ScoreEntry(values))


def _make_park(db: Database) -> dict[str, int]:
    ids = {
        name: organizations.create_organization(db, OrganizationDraft(name=name, class_code=cls))
        for name, cls, _t in PARK
    }
    assessments.open_period(db, PERIOD, "濉溪六项")
    for name, _cls, total in PARK:
        _score(db, ids[name], total)
    assessment_settings.set_settings(db, AssessmentSettings(subsidy=SUBSIDY))
    return ids


def _shown(db: Database) -> dict[str, tuple[int | None, bool]]:
    ranking = assessment_results.rank_period(db, PERIOD)
    return {r.name: (r.rank, r.excellent) for c in ranking.classes.values() for r in c.rows}


@pytest.fixture
def park(db: Database) -> dict[str, int]:
    return _make_park(db)


def test_a_class_of_three_with_a_unit_at_30_has_two_excellent(
    db: Database, park: dict[str, int]
) -> None:
    expected = _documents_rule(PARK, Decimal(60))
    assert _shown(db) == expected
    e = assessment_results.rank_period(db, PERIOD).classes["E"]
    assert [(r.name, r.rank, r.excellent) for r in e.ranked] == [
        ("E甲", 1, True),
        ("E乙", 2, True),
        ("E丙", 3, False),  # keeps its rank, not 优秀
    ]
    assert [r.subsidy for r in e.ranked] == [Decimal(1000), Decimal(1000), Decimal(0)]
    assert e.subsidy == 2 * SUBSIDY["E"]
    # the unit's own page says the same
    (mine,) = assessment_results.unit_results(db, park["E丙"])
    assert (mine.rank, mine.excellent) == (3, False)
    (top,) = assessment_results.unit_results(db, park["E甲"])
    assert (top.rank, top.excellent) == (1, True)


def test_the_tie_note_stands_on_the_tied_rows_only_and_the_line_is_said(
    db: Database, park: dict[str, int]
) -> None:
    ranking = assessment_results.rank_period(db, PERIOD)
    rows = {r[2]: r for r in assessment_exports.ranking_rows(ranking)}
    expected = _documents_rule(PARK, Decimal(60))
    # the tied rows: 优秀 units of a class sharing their total with another (1, 2, 3, 3)
    tied = {
        n
        for n, c, t in PARK
        if expected[n][1] and sum(1 for _m, d, u in PARK if d == c and u == t) > 1
    }
    assert tied == {"B三", "B四"}
    for name in ("B一", "B二", "B三", "B四", "B五", "E甲", "E乙"):
        assert rows[name][7] == ("并列第3名，均评为优秀" if name in tied else ""), name
        assert rows[name][5] == ("优秀" if expected[name][1] else ""), name
    assert rows["E丙"][1] == 3 and rows["E丙"][5] == ""
    assert rows["E丙"][7] == "低于及格线60分，不评优秀"
    assert rows["E丙"][6] == ""  # no 以奖代补


def test_an_unclassified_unit_is_not_ranked_but_listed_apart(
    db: Database, db_path: Path, park: dict[str, int]
) -> None:
    ranking = assessment_results.rank_period(db, PERIOD)
    assert [r.name for r in ranking.unclassified] == ["无类公司"]
    assert [c.class_code for c in ranking.ranked_classes] == ["B", "E"]
    (row,) = [r for r in assessment_exports.ranking_rows(ranking) if r[2] == "无类公司"]
    assert row[0] == "未分类" and row[1] == "" and row[5] == "须先分类"
    assert "须先分类" in row[7]
    # the highest total of the park, and no 优秀 nor 以奖代补 for it
    assert ranking.unit(park["无类公司"]).excellent is False  # type: ignore[union-attr]
    (page,) = assessment_results.unit_results(db, park["无类公司"])
    assert page.rank is None and not page.excellent
    db.dispose()
    done = run_main("--db", str(db_path), "assess", "rank", "--period", PERIOD, "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["unclassified"] == [{"uscc": None, "name": "无类公司", "total": "99"}]
    assert set(data["classes"]) == {"B", "E"}  # not ranked as a class of its own
    assert {"classes", "unscored", "basis", "note"} <= set(data)  # the keys kept
    e = {r["name"]: (r["rank"], r["excellent"]) for r in data["classes"]["E"]}
    assert e == {n: v for n, v in _documents_rule(PARK, Decimal(60)).items() if n[0] == "E"}


def test_the_half_year_sheet_writes_the_same(
    db: Database, tmp_path: Path, park: dict[str, int]
) -> None:
    assessments.set_published(db, PERIOD, True)
    q3 = tmp_path / "q3.xlsx"
    export_quarter(db, q3, Quarter(2026, 3), today=date(2026, 9, 30))
    ws = openpyxl.load_workbook(q3)["半年考核"]
    rows = {r[2]: r for r in ([c.value for c in row] for row in ws.iter_rows(min_row=3))}
    expected = _documents_rule(PARK, Decimal(60))
    assert {n: rows[n][5] == "优秀" for n in expected} == {
        n: ok for n, (_r, ok) in expected.items()
    }
    assert [n for n in expected if rows[n][7] == "并列第3名，均评为优秀"] == ["B三", "B四"]
    assert rows["E丙"][7] == "低于及格线60分，不评优秀"
    assert rows["无类公司"][5] == "须先分类"


def test_the_pass_line_is_the_schemes_and_a_published_period_keeps_its_own(
    db: Database, db_path: Path
) -> None:
    # the committee raises the line to 75 before opening the period
    assessments.save_scheme(db, replace(SUIXI_SIX, pass_line=Decimal(75)))
    ids = _make_park(db)
    assert _shown(db) == _documents_rule(PARK, Decimal(75))
    assert _shown(db)["E乙"] == (2, False)  # 72 < 75
    assessments.set_published(db, PERIOD, True)
    assert _shown(db) == _documents_rule(PARK, Decimal(75))
    # SQLite refuses to change the line of a published period (0017's trigger, remade)
    with sqlite3.connect(db_path) as raw, pytest.raises(sqlite3.IntegrityError):
        raw.execute("UPDATE assessment_period SET pass_line = '50'")
    assert ids


def test_a_period_published_before_the_line_stays_as_published(
    db: Database, db_path: Path, park: dict[str, int]
) -> None:
    assessments.set_published(db, PERIOD, True)
    # as a database published before migration 0022 holds it: no line stored
    with sqlite3.connect(db_path) as raw:
        raw.execute("DROP TRIGGER published_frozen_period_update")
        raw.execute("UPDATE assessment_period SET pass_line = NULL")
        (make,) = [
            s for s in published_guard.create_triggers() if "published_frozen_period_update" in s
        ]
        raw.execute(make)
    before = _documents_rule(PARK, None)
    assert _shown(db) == before
    assert before["E丙"] == (3, True) and before["无类公司"] == (1, True)
    # reopened and published again: ranked by today's rule
    assessments.set_published(db, PERIOD, False)
    assessments.set_published(db, PERIOD, True)
    assert _shown(db) == _documents_rule(PARK, Decimal(60))
