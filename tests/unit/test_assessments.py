"""Assessment services (issue 12, first part): schemes stored and versioned, periods,
scores checked whole and exact, ranking per class from the database, publish/reopen."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from app.db.database import Database
from app.domain.assessment import SUIXI_SIX, Dimension, Indicator
from app.domain.validation import OrganizationDraft, ValidationError
from app.services.assessment import assessment_results, assessments
from app.services.assessment.assessments import ScoreEntry
from app.services.files import audit
from app.services.registry import organizations

NAMES = [i.name for i in SUIXI_SIX.indicators]


def _full(*points: str) -> dict[str, str]:
    return dict(zip(NAMES, points, strict=True))


def test_presets_are_there_and_a_used_scheme_changes_by_a_new_version(db: Database) -> None:
    schemes = {s.name: s for s in assessments.list_schemes(db)}
    assert set(schemes) == {"濉溪六项", "五星争创"} and schemes["濉溪六项"].maximum == 100
    edited = replace(schemes["濉溪六项"], bonus_cap=Decimal(8))
    assert assessments.save_scheme(db, edited) == 1  # unused: changed in place
    assessments.open_period(db, "2026H1", "濉溪六项")
    more = Dimension("创新案例", (Indicator("创新案例", Decimal(10)),))
    assert assessments.save_scheme(db, replace(edited, dimensions=(*edited.dimensions, more))) == 2
    # the period keeps the version it was opened with; a new period takes the new one
    assert assessments.scheme_of(db, "2026H1").maximum == 100
    assessments.open_period(db, "2026H2", "濉溪六项")
    assert assessments.scheme_of(db, "2026H2").maximum == 110
    with pytest.raises(ValidationError) as err:
        assessments.open_period(db, "2026H3", "濉溪六项")
    assert err.value.issues[0].code == "period_invalid"


def test_scores_are_checked_whole_exact_and_ranked_per_class(db: Database) -> None:
    units = {
        name: organizations.create_organization(db, OrganizationDraft(name=name, class_code=c))
        for name, c in (("甲", "C"), ("乙", "C"), ("丙", "C"), ("丁", "B"))
    }
    assessments.open_period(db, "2026H1", "濉溪六项")
    bad = ScoreEntry(_full("16", "15", "20", "15", "20", "15"), bonus="6", veto="迟到")
    with pytest.raises(ValidationError) as err:
        assessments.set_scores(db, "2026H1", units["甲"], bad)
    assert {i.code for i in err.value.issues} == {
        "score_over_max",
        "bonus_over_cap",
        "veto_unknown",
    }
    nothing = assessment_results.rank_period(db, "2026H1")
    assert nothing.scored == 0 and len(nothing.classes["C"].unscored) == 3  # nothing saved
    assessments.set_scores(
        db, "2026H1", units["甲"], ScoreEntry(_full("14.5", "15", "19", "15", "20", "14"), "2")
    )
    assessments.set_scores(
        db, "2026H1", units["乙"], ScoreEntry(_full("15", "15", "20", "15", "20", "14.5"))
    )
    assessments.set_scores(
        db, "2026H1", units["丙"], ScoreEntry(_full("15", "15", "20", "", "", ""))
    )
    assessments.set_scores(
        db,
        "2026H1",
        units["丁"],
        ScoreEntry(_full("15", "15", "20", "15", "20", "15"), veto="严重违纪违法"),
    )
    ranking = assessment_results.rank_period(db, "2026H1").classes
    assert [(r.unit_id, r.total, r.rank) for r in ranking["C"].ranked] == [
        (units["甲"], Decimal("99.5"), 1),  # 97.5 + 2: exactly equal, a shared rank
        (units["乙"], Decimal("99.5"), 1),
    ]
    assert [r.unit_id for r in ranking["C"].unscored] == [units["丙"]]
    assert [(r.unit_id, r.excellent) for r in ranking["B"].vetoed] == [(units["丁"], False)]


def test_a_published_period_is_locked_until_reopened_never_by_undo(db: Database) -> None:
    """发布 is not undone by 撤销 (issue 22: published results never change behind the
    clerk's back); 重新打开 is its own change, and undoing that publishes again."""
    org = organizations.create_organization(db, OrganizationDraft(name="甲", class_code="C"))
    assessments.open_period(db, "2026H1", "濉溪六项")
    entry = ScoreEntry(_full("15", "15", "20", "15", "20", "15"))
    assessments.set_published(db, "2026H1", True)
    with pytest.raises(ValidationError) as err:
        assessments.set_scores(db, "2026H1", org, entry)
    assert err.value.issues[0].code == "period_published"
    with pytest.raises(ValidationError, match=r"2026H1已发布.*不能撤销“发布2026H1考核”"):
        audit.undo_last(db)
    assessments.set_published(db, "2026H1", False)  # 重新打开
    assessments.set_scores(db, "2026H1", org, entry)
    assert assessment_results.rank_period(db, "2026H1").classes["C"].ranked[0].total == 100
    audit.undo_last(db)  # the scores
    assert audit.undo_last(db) == "重新打开2026H1考核"
    assert assessment_results.rank_period(db, "2026H1").published


def test_deleting_a_unit_and_undoing_brings_its_scores_back(db: Database) -> None:
    org = organizations.create_organization(db, OrganizationDraft(name="甲", class_code="C"))
    assessments.open_period(db, "2026H1", "濉溪六项")
    assessments.set_scores(db, "2026H1", org, ScoreEntry(_full("15", "15", "20", "15", "20", "15")))
    organizations.delete_organization(db, org)
    assert assessment_results.rank_period(db, "2026H1").classes == {}
    audit.undo_last(db)
    assert assessment_results.rank_period(db, "2026H1").classes["C"].ranked[0].total == 100
