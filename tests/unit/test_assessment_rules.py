"""Assessment rules (issue 12, the domain first): the presets, scores checked as typed,
exact totals, ranking within each class at its edges, 优秀, stars."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain.assessment import (
    AS_PUBLISHED_BEFORE_THE_LINE,
    FIVE_STARS,
    SUIXI_SIX,
    UnitScores,
    decimal_text,
    parse_score,
    rank_by_class,
    rule_of,
    star_counts,
    total_of,
)

D = Decimal


def test_presets_are_the_seeds_schemes() -> None:
    assert SUIXI_SIX.maximum == 100 and SUIXI_SIX.bonus_cap == 5
    assert [d.name for d in SUIXI_SIX.dimensions][:2] == ["组织设置", "党员队伍"]
    assert SUIXI_SIX.vetoes == ("未按期换届", "严重违纪违法")
    assert FIVE_STARS.maximum == 100 and len(FIVE_STARS.dimensions) == 5
    assert [FIVE_STARS.stars_for(D(t)) for t in ("90", "89.9", "80", "70", "69.9")] == [
        5,
        4,
        4,
        3,
        0,
    ]


@pytest.mark.parametrize(
    ("typed", "value", "code"),
    [
        ("12.5", D("12.5"), None),
        (" 15 ", D("15.0"), None),
        ("", None, None),
        ("15.1", None, "score_over_max"),
        ("-1", None, "score_negative"),
        ("十分", None, "score_not_numeric"),
        ("12.25", None, "score_not_numeric"),
        ("nan", None, "score_not_numeric"),
    ],
)
def test_scores_are_checked_as_typed(typed: str, value: Decimal | None, code: str | None) -> None:
    got, issue = parse_score(typed, D(15), "组织设置")
    assert got == value
    assert (issue.code if issue else None) == code


def test_a_bonus_over_its_cap_is_its_own_reason() -> None:
    _value, issue = parse_score("6", SUIXI_SIX.bonus_cap, "bonus")
    assert issue is not None and issue.code == "bonus_over_cap"
    assert issue.message == "6分超过特色工作加分上限5分"  # a cap, not full marks


def _unit(
    uid: int, total: str, code: str | None = "C", bonus: str = "0", veto: str = ""
) -> UnitScores:
    """A unit whose six scores add up to ``total`` (the rest on the last indicator)."""
    names = [i.name for i in SUIXI_SIX.indicators]
    rest = D(total) - D(15) - D(15) - D(20) - D(15) - D(20)
    scores = dict(zip(names, (D(15), D(15), D(20), D(15), D(20), rest), strict=True))
    return UnitScores(uid, code, scores, D(bonus), veto)


def test_totals_are_exact() -> None:
    unit = UnitScores(1, "C", {i.name: D("14.1") for i in SUIXI_SIX.indicators}, D("0.3"))
    total, missing = total_of(SUIXI_SIX, unit)
    assert (total, missing) == (D("84.9"), ())
    assert decimal_text(total) == "84.9" and decimal_text(D("90.0")) == "90"


def test_ties_share_a_rank_and_the_next_is_skipped() -> None:
    ranking = rank_by_class(
        SUIXI_SIX, [_unit(1, "95"), _unit(2, "90"), _unit(3, "90"), _unit(4, "85")]
    )
    assert [(r.unit_id, r.rank) for r in ranking["C"].ranked] == [(1, 1), (2, 2), (3, 2), (4, 4)]


def test_a_tie_at_third_makes_all_of_them_excellent_and_is_said() -> None:
    units = [_unit(1, "95"), _unit(2, "92"), _unit(3, "90"), _unit(4, "90"), _unit(5, "80")]
    ranking = rank_by_class(SUIXI_SIX, units)["C"]
    assert [r.excellent for r in ranking.ranked] == [True, True, True, True, False]
    assert ranking.tie_crosses_the_line
    assert not rank_by_class(SUIXI_SIX, units[:3])["C"].tie_crosses_the_line


def test_all_tied() -> None:
    ranking = rank_by_class(SUIXI_SIX, [_unit(n, "88") for n in range(1, 6)])["C"]
    assert {r.rank for r in ranking.ranked} == {1} and all(r.excellent for r in ranking.ranked)


def test_a_veto_among_the_top_is_listed_last_and_never_excellent() -> None:
    units = [
        _unit(1, "99", veto="严重违纪违法"),
        _unit(2, "90"),
        _unit(3, "80"),
        _unit(4, "70"),
        _unit(5, "60"),
    ]
    ranking = rank_by_class(SUIXI_SIX, units)["C"]
    assert [r.unit_id for r in ranking.ranked] == [2, 3, 4, 5]
    assert [r.rank for r in ranking.ranked] == [1, 2, 3, 4]
    assert [(r.unit_id, r.veto, r.excellent) for r in ranking.vetoed] == [
        (1, "严重违纪违法", False)
    ]


def test_missing_scores_are_not_ranked() -> None:
    partial = UnitScores(9, "C", {"组织设置": D(15)})
    ranking = rank_by_class(SUIXI_SIX, [partial, _unit(1, "80")])["C"]
    assert [r.unit_id for r in ranking.ranked] == [1]
    (unscored,) = ranking.unscored
    assert unscored.rank is None and "组织生活" in unscored.missing


def test_the_bonus_is_capped_and_classes_rank_apart() -> None:
    units = [_unit(1, "90", bonus="5"), _unit(2, "94", bonus="0"), _unit(3, "99", code="B")]
    ranking = rank_by_class(SUIXI_SIX, [*units, UnitScores(4, "C", units[0].scores, D(9))])
    assert [(r.unit_id, r.total) for r in ranking["C"].ranked] == [
        (1, D(95)),
        (4, D(95)),  # a bonus of 9 counts as the cap, 5
        (2, D(94)),
    ]
    assert [r.rank for r in ranking["B"].ranked] == [1]


def test_star_counts() -> None:
    totals = [D(t) for t in ("95", "90", "85.5", "72", "70", "69")]
    assert star_counts(FIVE_STARS, totals) == {5: 2, 4: 1, 3: 2}


def test_the_grids_totals_from_typed_text_follow_the_same_rule_as_total_of() -> None:
    """The entry grid totals 5,000 rows of typed text at once (each distinct text parsed
    once): the same sums, the bonus capped the same, a missing indicator no total."""
    from app.domain.assessment import totals_of_text

    names = [i.name for i in SUIXI_SIX.indicators]
    rows = [
        ({n: "14.1" for n in names}, "0.3"),
        ({n: "10" for n in names}, "9"),  # a bonus over the cap: capped
        ({n: "10" for n in names}, ""),  # no bonus
        ({n: "10" for n in names[:-1]}, "1"),  # an indicator missing: no total
        ({n: "0" for n in names}, "0"),
    ]
    expected = []
    for scores, bonus in rows:
        if len(scores) < len(names):
            expected.append(None)
            continue
        unit = UnitScores(1, "C", {k: D(v) for k, v in scores.items()}, D(bonus or "0"))
        expected.append(total_of(SUIXI_SIX, unit)[0])
    assert totals_of_text(SUIXI_SIX, rows) == expected
    assert expected[1] == D(10) * len(names) + SUIXI_SIX.bonus_cap


def test_excellent_needs_the_pass_line_and_a_class() -> None:
    # 濉溪: the top 3 of a class are 优秀; DOMAIN.md: among units at or above the line (60)
    units = [_unit(1, "88", "E"), _unit(2, "72", "E"), _unit(3, "30", "E"), _unit(4, "99", None)]
    ranking = rank_by_class(SUIXI_SIX, units)
    e = ranking["E"]
    assert [(r.rank, r.excellent) for r in e.ranked] == [(1, True), (2, True), (3, False)]
    rule = rule_of(SUIXI_SIX)
    assert e.remarks(rule) == ["", "", "低于及格线60分，不评优秀"]
    (alone,) = ranking[None].unranked  # 须先分类: not ranked, never 优秀
    assert (alone.rank, alone.excellent) == (None, False) and not ranking[None].ranked
    assert ranking[None].remarks(rule) == ["未分类，不参加排名，须先分类"]
    # the rule a period published before the line was ranked by: no line, 未分类 ranked
    before = rank_by_class(SUIXI_SIX, units, AS_PUBLISHED_BEFORE_THE_LINE)
    assert [r.excellent for r in before["E"].ranked] == [True, True, True]
    assert [(r.rank, r.excellent) for r in before[None].ranked] == [(1, True)]


def test_the_tie_note_is_on_the_tied_rows_only() -> None:
    units = [_unit(1, "95"), _unit(2, "92"), _unit(3, "90"), _unit(4, "90"), _unit(5, "80")]
    c = rank_by_class(SUIXI_SIX, units)["C"]
    tie = "并列第3名，均评为优秀"
    assert c.remarks(rule_of(SUIXI_SIX)) == ["", "", tie, tie, ""]
    # a tie across third at second place says the place it is at
    units = [_unit(1, "95"), _unit(2, "90"), _unit(3, "90"), _unit(4, "90")]
    c = rank_by_class(SUIXI_SIX, units)["C"]
    assert c.remarks(rule_of(SUIXI_SIX)) == ["", *["并列第2名，均评为优秀"] * 3]


def test_a_pass_line_is_a_schemes_number_kept_in_its_json() -> None:
    from dataclasses import replace

    from app.domain.assessment import scheme_from_json, scheme_issues, scheme_to_json

    raised = replace(SUIXI_SIX, pass_line=D("75.5"))
    assert scheme_from_json("濉溪六项", 2, scheme_to_json(raised)).pass_line == D("75.5")
    assert SUIXI_SIX.pass_line == 60
    assert [i.field for i in scheme_issues(replace(SUIXI_SIX, pass_line=D(101)))] == ["pass_line"]
