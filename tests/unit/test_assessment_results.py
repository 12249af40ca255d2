"""A period's results from the database: each ranking rule at its edges (ties at 3rd,
all tied, a veto among the top, missing scores, bonus cap), the term rule's veto,
subsidies from the settings, the year's stars (of party organizations), and the
class-review proposals."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from app.db.database import Database
from app.domain.assessment import (
    FIVE_STARS,
    SUIXI_SIX,
    ReviewThresholds,
    UnitScores,
    rank_by_class,
)
from app.domain.validation import OrganizationDraft, PartyOrgDraft, ValidationError
from app.domain.vocabulary import Formation, OrgClass
from app.services.assessment import (
    assessment_results,
    assessment_settings,
    assessments,
    party_org_stars,
)
from app.services.assessment.assessment_settings import AssessmentSettings
from app.services.assessment.assessments import ScoreEntry
from app.services.grouping import classes
from app.services.registry import organizations, party_orgs

SIX = [i.name for i in SUIXI_SIX.indicators]
FIVE = [i.name for i in FIVE_STARS.indicators]


def _units(db: Database, cls: str, n: int, prefix: str = "单位") -> list[int]:
    return [
        organizations.create_organization(
            db, OrganizationDraft(name=f"{prefix}{cls}{k}", class_code=cls)
        )
        for k in range(n)
    ]


def _score(
    db: Database, code: str, org: int, total: str, *, veto: str = "", bonus: str = ""
) -> None:
    """Scores adding up to ``total`` (the last indicator takes the remainder)."""
    names = FIVE if "H" not in code else SIX
    scheme = FIVE_STARS if "H" not in code else SUIXI_SIX
    rest = Decimal(total) - (Decimal(bonus) if bonus else 0)
    values = {}
    for indicator in scheme.indicators[:-1]:
        take = min(indicator.maximum, rest)
        values[indicator.name] = str(take)
        rest -= take
    values[names[-1]] = str(rest)
    assessments.set_scores(db, code, org, ScoreEntry(values, bonus=bonus, veto=veto))


def _ranks(db: Database, code: str, cls: str) -> list[tuple[int, int | None, bool]]:
    result = assessment_results.rank_period(db, code).classes[cls]
    return [(r.unit_id, r.rank, r.excellent) for r in result.ranked]


def test_a_tie_at_third_makes_every_tied_unit_excellent_and_says_so(db: Database) -> None:
    a, b, c, d, e = _units(db, "B", 5)
    assessments.open_period(db, "2026H1", "濉溪六项")
    for org, total in ((a, "95"), (b, "90"), (c, "85"), (d, "85"), (e, "80")):
        _score(db, "2026H1", org, total)
    assert _ranks(db, "2026H1", "B") == [
        (a, 1, True),
        (b, 2, True),
        (c, 3, True),
        (d, 3, True),
        (e, 5, False),  # 1, 2, 3, 3, 5: the next rank is skipped
    ]
    assert assessment_results.rank_period(db, "2026H1").classes["B"].tie_crosses_the_line


def test_all_tied_are_all_first_and_excellent(db: Database) -> None:
    units = _units(db, "C", 6)
    assessments.open_period(db, "2026H1", "濉溪六项")
    for org in units:
        _score(db, "2026H1", org, "88.5")
    assert {(rank, excellent) for _id, rank, excellent in _ranks(db, "2026H1", "C")} == {(1, True)}


def test_a_veto_among_the_top_is_never_excellent_and_the_fourth_moves_up(db: Database) -> None:
    a, b, c, d = _units(db, "A", 4)
    assessments.open_period(db, "2026H1", "濉溪六项")
    _score(db, "2026H1", a, "99", veto="严重违纪违法")
    for org, total in ((b, "90"), (c, "80"), (d, "70")):
        _score(db, "2026H1", org, total)
    result = assessment_results.rank_period(db, "2026H1").classes["A"]
    assert [(r.unit_id, r.rank, r.excellent) for r in result.ranked] == [
        (b, 1, True),
        (c, 2, True),
        (d, 3, True),
    ]
    assert [(r.unit_id, r.total, r.veto, r.excellent) for r in result.vetoed] == [
        (a, Decimal(99), "严重违纪违法", False)  # the score stays, 优秀 is blocked
    ]


def test_missing_scores_are_unscored_not_ranked_and_the_bonus_counts_exactly(
    db: Database,
) -> None:
    a, b, c = _units(db, "C", 3)
    assessments.open_period(db, "2026H1", "濉溪六项")
    _score(db, "2026H1", a, "87.5", bonus="5")  # 82.5 + 5, the cap
    assessments.set_scores(db, "2026H1", b, ScoreEntry({SIX[0]: "15"}))  # five missing
    result = assessment_results.rank_period(db, "2026H1").classes["C"]
    assert [(r.unit_id, r.total) for r in result.ranked] == [(a, Decimal("87.5"))]
    assert {r.unit_id for r in result.unscored} == {b, c}  # c: nothing entered at all


def test_the_sql_ranking_agrees_with_the_reference_rule(db: Database) -> None:
    """rank_period reads stored tenths; rank_by_class sums Decimals: same ranks."""
    rng = random.Random(12)
    units = _units(db, "B", 25) + _units(db, "C", 25)
    assessments.open_period(db, "2026H1", "濉溪六项")
    entries = []
    for org in units:
        values = {
            i.name: str(Decimal(rng.randint(0, 3)) + i.maximum - 3) for i in SUIXI_SIX.indicators
        }
        bonus = str(Decimal(rng.randint(0, 10)) / 2)
        veto = "严重违纪违法" if rng.random() < 0.1 else ""
        assessments.set_scores(db, "2026H1", org, ScoreEntry(values, bonus, veto))
        cls = "B" if org in units[:25] else "C"
        entries.append(
            UnitScores(org, cls, {k: Decimal(v) for k, v in values.items()}, Decimal(bonus), veto)
        )
    reference = rank_by_class(SUIXI_SIX, entries)
    found = assessment_results.rank_period(db, "2026H1").classes
    for cls in ("B", "C"):
        assert [(r.unit_id, r.total, r.rank, r.excellent) for r in found[cls].ranked] == [
            (r.unit_id, r.total, r.rank, r.excellent) for r in reference[cls].ranked
        ]
        assert {r.unit_id for r in found[cls].vetoed} == {r.unit_id for r in reference[cls].vetoed}
        # a unit's own page counts its rank without ranking the park: the same numbers
        for r in found[cls].rows:
            (mine,) = assessment_results.unit_results(db, r.unit_id)
            assert (mine.total, mine.rank, mine.excellent, mine.veto) == (
                r.total,
                r.rank,
                r.excellent,
                r.veto,
            )


def test_an_election_overdue_at_the_periods_end_vetoes_from_the_term_rule(db: Database) -> None:
    from app.domain.validation import PartyOrgDraft
    from app.domain.vocabulary import Formation, PartyOrgLevel
    from app.services.registry import party_orgs

    a = organizations.create_organization(
        db, OrganizationDraft(name="甲公司", class_code="B", formal_members=5)
    )
    party_orgs.create_party_org(
        db,
        PartyOrgDraft(
            name="甲公司党支部",
            level=PartyOrgLevel.BRANCH,
            formation=Formation.OWN,
            last_election=date(2023, 3, 1),
            covered_ids=[a],
        ),
    )
    (b,) = _units(db, "B", 1)
    assessments.open_period(db, "2026H1", "濉溪六项")
    assessments.open_period(db, "2025H2", "濉溪六项")
    for code in ("2026H1", "2025H2"):
        _score(db, code, a, "95")
        _score(db, code, b, "80")
    # due 2026-03-01: overdue on 2026-06-30, not yet on 2025-12-31
    h1 = assessment_results.rank_period(db, "2026H1").classes["B"]
    assert [(r.unit_id, r.veto) for r in h1.vetoed] == [(a, "未按期换届")]
    h2 = assessment_results.rank_period(db, "2025H2").classes["B"]
    assert [r.unit_id for r in h2.ranked] == [a, b] and not h2.vetoed
    # the units' own pages say the same: b is first in H1 because a is vetoed
    by_period = {r.period: r for r in assessment_results.unit_results(db, b)}
    assert (by_period["2026H1"].rank, by_period["2025H2"].rank) == (1, 2)
    assert assessment_results.unit_results(db, a)[0].veto == "未按期换届"


def test_subsidies_come_from_the_settings_per_class_and_sum(db: Database) -> None:
    bs = _units(db, "B", 4)
    cs = _units(db, "C", 2)
    assessments.open_period(db, "2026H1", "濉溪六项")
    for org, total in zip(bs + cs, ("90", "89", "88", "87", "70", "60"), strict=True):
        _score(db, "2026H1", org, total)
    settings = AssessmentSettings(subsidy={"B": Decimal(5000), "C": Decimal("2000.5")})
    assessment_settings.set_settings(db, settings)
    assert assessment_settings.get_settings(db) == settings
    ranking = assessment_results.rank_period(db, "2026H1")
    assert [r.subsidy for r in ranking.classes["B"].ranked] == [5000, 5000, 5000, 0]
    assert ranking.classes["C"].subsidy == Decimal("4001.0")
    assert ranking.subsidy == Decimal("19001")
    with pytest.raises(ValidationError):
        assessment_settings.parse_amount("五千", "B")


def test_stars_for_the_year_from_the_bands_with_counts(db: Database) -> None:
    """Stars belong to party organizations: each own branch takes its unit's band; the
    unit with no party organization (95 points) is counted nowhere."""
    units = _units(db, "A", 6)
    branches = [
        party_orgs.create_party_org(
            db, PartyOrgDraft(name=f"支部{k}", formation=Formation.OWN, covered_ids=[unit])
        )
        for k, unit in enumerate(units[:5])
    ]
    assessments.open_period(db, "2026", "五星争创")
    for org, total in zip(units, ("95", "90", "89.9", "70", "69.9", "95"), strict=True):
        _score(db, "2026", org, total)
    found = party_org_stars.year_stars(db, 2026)
    assert [(p.id, p.stars) for p in found.party_orgs] == list(
        zip(branches, (5, 5, 4, 3, 0), strict=True)
    )
    assert found.counts == {5: 2, 4: 1, 3: 1}


def test_the_two_halves_propose_class_moves_for_the_review(db: Database) -> None:
    c_top = _units(db, "C", 1, "优")
    b_low = _units(db, "B", 4, "低")
    b_veto = _units(db, "B", 1, "否")
    for code in ("2026H1", "2026H2"):
        assessments.open_period(db, code, "濉溪六项")
        _score(db, code, c_top[0], "95")
        for org, total in zip(b_low, ("90", "85", "80", "55"), strict=True):
            _score(db, code, org, total)
    _score(db, "2026H2", b_veto[0], "99", veto="严重违纪违法")
    _score(db, "2026H1", b_veto[0], "99")
    found = assessment_results.review_proposals(db, 2026)
    assert found[c_top[0]].to is OrgClass.B and "均为优秀" in found[c_top[0]].reason
    assert found[b_low[3]].to is OrgClass.C and "低于60分" in found[b_low[3]].reason
    assert found[b_veto[0]].to is OrgClass.C and "否决" in found[b_veto[0]].reason
    assert found[b_low[0]].to is OrgClass.A  # 优秀 in both halves: B → A
    assert b_low[2] not in found  # 80 both halves, third in H1 only: nothing
    # the thresholds are settings; the review lists the proposals for the clerk
    assessment_settings.set_settings(
        db, AssessmentSettings(review=ReviewThresholds(False, Decimal(50)))
    )
    found = assessment_results.review_proposals(db, 2026)
    assert c_top[0] not in found and b_low[3] not in found and b_veto[0] in found
    # in the review's list: a unit the facts agree with gets the assessments' proposal;
    # where the facts disagree (no organization of its own), theirs comes first
    own = _own_unit(db, "自建公司", "B")
    _score(db, "2026H1", own, "90", veto="严重违纪违法")
    listed = {r.id: r.proposal for r in classes.proposals(db, year=2026)}
    assert listed[own] is not None and listed[own].to is OrgClass.C
    assert listed[b_veto[0]] is not None and listed[b_veto[0]].to is OrgClass.E
    assert own not in {r.id for r in classes.proposals(db)}  # no year: facts only


def _own_unit(db: Database, name: str, cls: str) -> int:
    from app.domain.validation import PartyOrgDraft
    from app.domain.vocabulary import Formation
    from app.services.registry import party_orgs

    org = organizations.create_organization(
        db, OrganizationDraft(name=name, class_code=cls, formal_members=5)
    )
    party_orgs.create_party_org(
        db, PartyOrgDraft(name=f"{name}党支部", formation=Formation.OWN, covered_ids=[org])
    )
    return org


def test_a_published_period_keeps_the_class_each_unit_had(db: Database) -> None:
    (org,) = _units(db, "C", 1)
    assessments.open_period(db, "2026H1", "濉溪六项")
    _score(db, "2026H1", org, "90")
    assessments.set_published(db, "2026H1", True)
    classes.change_class(db, org, OrgClass.B, "升级")
    assert set(assessment_results.rank_period(db, "2026H1").classes) == {"C"}
    assessments.set_published(db, "2026H1", False)  # open again: the class it has now
    assert set(assessment_results.rank_period(db, "2026H1").classes) == {"B"}


def test_settings_choose_the_scheme_each_kind_of_period_opens_with(db: Database) -> None:
    edited = replace(FIVE_STARS, name="年度考评")
    assessments.save_scheme(db, edited)
    assessment_settings.set_settings(db, AssessmentSettings(year_scheme="年度考评"))
    assessments.ensure_period(db, "2027")
    assessments.ensure_period(db, "2027H1")
    assert assessments.scheme_of(db, "2027").name == "年度考评"
    assert assessments.scheme_of(db, "2027H1").name == "濉溪六项"
