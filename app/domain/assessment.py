"""Half-year assessments (分类考核、同类同考, Suixi; 五星争创, Quzhou): schemes as data,
scores checked as typed, exact totals, ranking within each class, 优秀, stars.

Scores have at most one decimal place and are kept as ``Decimal`` (87.5 is 87.5,
never 87.49999): a float never enters a total.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from app.domain.validation import FieldIssue

EXCELLENT_RANK = 3  # the top 3 of each class are 优秀 (Suixi)
EXCELLENT_LABEL = "优秀"  # the grade as the ranking sheets write it
# the remark of the 优秀 tied at the last place that is 优秀 (only on the tied rows)
TIED_AT_THE_LINE = f"并列第{EXCELLENT_RANK}名，均评为优秀"
# 优秀 also needs a passing total (a scheme's number, like its maximums)
PASS_LINE_DEFAULT = Decimal(60)
# a unit without a class is not ranked (同类同考 needs a class): its grade and remark
UNCLASSIFIED_GRADE = "须先分类"
UNCLASSIFIED_REMARK = "未分类，不参加排名，须先分类"
# below this total in both halves of a year a unit moves one class down (a setting)
LOW_TOTAL_DEFAULT = Decimal(60)
# the veto item taken from the term rule (overdue on the period's last day), not typed
TERM_VETO = "未按期换届"
ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True, slots=True)
class Indicator:
    name: str
    maximum: Decimal
    guidance: str = ""


@dataclass(frozen=True, slots=True)
class Dimension:
    name: str
    indicators: tuple[Indicator, ...]

    @property
    def maximum(self) -> Decimal:
        return sum((i.maximum for i in self.indicators), Decimal(0))


@dataclass(frozen=True, slots=True)
class StarBand:
    stars: int
    at_least: Decimal


DEFAULT_BONUS_NAME = "特色工作加分"  # a scheme's bonus item unless it names its own


@dataclass(frozen=True, slots=True)
class Scheme:
    """A scheme as the committee sets it; scores stay tied to the version they were
    entered against (a scheme already used is changed by making a new version)."""

    name: str
    version: int
    dimensions: tuple[Dimension, ...]
    bonus_name: str = DEFAULT_BONUS_NAME
    bonus_cap: Decimal = Decimal(0)
    vetoes: tuple[str, ...] = ()
    star_bands: tuple[StarBand, ...] = ()  # highest first
    # 优秀 is the top 3 of a class among the units at or above this total
    pass_line: Decimal = PASS_LINE_DEFAULT
    # every indicator in order, made once (asked for each of thousands of rows)
    _indicators: tuple[Indicator, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        flat = tuple(i for d in self.dimensions for i in d.indicators)
        object.__setattr__(self, "_indicators", flat)

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return self._indicators

    @property
    def maximum(self) -> Decimal:
        return sum((d.maximum for d in self.dimensions), Decimal(0))

    def stars_for(self, total: Decimal) -> int:
        """The stars a total earns (0 below every band)."""
        return next((b.stars for b in self.star_bands if total >= b.at_least), 0)


def _single(name: str, points: int) -> Dimension:
    """A dimension scored as one indicator of the same name."""
    return Dimension(name, (Indicator(name, Decimal(points)),))


# 濉溪六项 (half-years): six dimensions, 100 points, up to 5 for distinctive work;
# 未按期换届 is taken from the term rule for the period's end, 严重违纪违法 is entered
SUIXI_SIX = Scheme(
    "濉溪六项",
    1,
    tuple(
        _single(name, points)
        for name, points in (
            ("组织设置", 15),
            ("党员队伍", 15),
            ("组织生活", 20),
            ("工作保障", 15),
            ("作用发挥", 20),
            ("品牌特色", 15),
        )
    ),
    bonus_cap=Decimal(5),
    vetoes=(TERM_VETO, "严重违纪违法"),
)
# 五星争创 (annual): five dimensions of 20; stars from the total
FIVE_STARS = Scheme(
    "五星争创",
    1,
    tuple(
        _single(name, 20)
        for name in ("组织凝聚力", "队伍战斗力", "发展推动力", "文化支撑力", "区域影响力")
    ),
    star_bands=(
        StarBand(5, Decimal(90)),
        StarBand(4, Decimal(80)),
        StarBand(3, Decimal(70)),
    ),
)
PRESETS = (SUIXI_SIX, FIVE_STARS)


def parse_score(
    text: object, maximum: Decimal, field_name: str, bonus_name: str = DEFAULT_BONUS_NAME
) -> tuple[Decimal | None, FieldIssue | None]:
    """A typed or imported score: blank (None), or a number with at most one decimal
    place between 0 and the maximum; otherwise the reason, as the grid and the import
    say it (score_not_numeric, score_negative, score_over_max)."""
    raw = "" if text is None else str(text).strip()
    if raw == "":
        return None, None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None, FieldIssue(field_name, f"“{raw}”不是分数", "score_not_numeric")
    if not value.is_finite():
        return None, FieldIssue(field_name, f"“{raw}”不是分数", "score_not_numeric")
    if value < 0:
        return None, FieldIssue(field_name, "分数不能为负", "score_negative")
    if value != value.quantize(ONE_PLACE):
        return None, FieldIssue(field_name, "分数最多保留一位小数", "score_not_numeric")
    if value > maximum:
        if field_name == "bonus":  # a bonus has a cap, not full marks
            message = f"{value}分超过{bonus_name}上限{maximum}分"  # the scheme's name for it
            return None, FieldIssue(field_name, message, "bonus_over_cap")
        return None, FieldIssue(field_name, f"{value}分超过该项满分{maximum}分", "score_over_max")
    return value.quantize(ONE_PLACE), None


@dataclass(frozen=True, slots=True)
class ExcellenceRule:
    """Who is 优秀: the top 3 of a class (all tied at third included) among the units
    at or above the pass line; a unit without a class is not ranked. ``pass_line`` None
    is the rule a period published before the pass line existed was ranked by (no line,
    未分类 ranked as a class): such a period stays as it was published."""

    pass_line: Decimal | None

    @property
    def ranks_unclassified(self) -> bool:
        return self.pass_line is None

    def ranks(self, class_code: str | None) -> bool:
        """Whether the units of this class are ranked (未分类: not, under the line)."""
        return class_code is not None or self.ranks_unclassified

    def excellent(self, rank: int | None, total: Decimal | None) -> bool:
        return is_excellent(rank, total, self.pass_line)

    def below_the_line(self, rank: int | None, total: Decimal | None) -> bool:
        """Ranked among the top 3, and not 优秀 only for the total under the line."""
        return (
            rank is not None
            and rank <= EXCELLENT_RANK
            and self.pass_line is not None
            and total is not None
            and total < self.pass_line
        )

    @property
    def below_remark(self) -> str:
        return f"低于及格线{decimal_text(self.pass_line)}分，不评优秀"


# the rule of a period published before the pass line existed (none stored with it)
AS_PUBLISHED_BEFORE_THE_LINE = ExcellenceRule(None)


def rule_of(scheme: Scheme) -> ExcellenceRule:
    """The rule a ranking made now follows: the scheme's pass line."""
    return ExcellenceRule(scheme.pass_line)


@dataclass(frozen=True, slots=True)
class UnitScores:
    """One unit's scores in a period."""

    unit_id: int
    class_code: str | None
    scores: Mapping[str, Decimal]  # indicator name → points
    bonus: Decimal = Decimal(0)
    veto: str = ""  # the veto item that applies, empty when none


@dataclass(frozen=True, slots=True)
class Ranked:
    unit_id: int
    class_code: str | None
    total: Decimal | None  # None: scores missing
    rank: int | None  # None: vetoed or not complete
    excellent: bool
    veto: str
    missing: tuple[str, ...] = ()


@dataclass(slots=True)
class ClassRanking:
    """One class's ranking: ranked units (ties share a rank), then vetoed, then unscored."""

    class_code: str | None
    ranked: list[Ranked] = field(default_factory=list)
    vetoed: list[Ranked] = field(default_factory=list)
    unscored: list[Ranked] = field(default_factory=list)
    # 未分类 units scored in full: not ranked (须先分类)
    unranked: list[Ranked] = field(default_factory=list)

    @property
    def tie_crosses_the_line(self) -> bool:
        """More than three are 优秀 because a tie straddles third place (the page says so)."""
        return len(self.excellent) > EXCELLENT_RANK

    @property
    def excellent(self) -> list:  # type: ignore[type-arg]
        return [r for r in self.ranked if r.excellent]

    @property
    def rows(self) -> list:  # type: ignore[type-arg]
        """Ranked, then unranked, vetoed, unscored: the order every list shows them in."""
        return [*self.ranked, *self.unranked, *self.vetoed, *self.unscored]

    @property
    def tied_rank(self) -> int | None:
        """The rank shared by the 优秀 tied across third place (None: no such tie)."""
        if not self.tie_crosses_the_line:
            return None
        return max(r.rank for r in self.excellent)

    def remarks(self, rule: ExcellenceRule) -> list[str]:
        """Each row's 说明 on the ranking sheets, in ``rows`` order: the veto; the tie at
        the line on the tied rows only; why a top-3 unit is not 优秀 (under the pass
        line); 须先分类. The tie is asked once a class (a class may hold thousands)."""
        tied, ranks = self.tied_rank, rule.ranks(self.class_code)
        return [_remark(row, rule, ranks, tied) for row in self.rows]


def _remark(row: object, rule: ExcellenceRule, ranks: bool, tied: int | None) -> str:
    veto, rank, total = row.veto, row.rank, row.total  # type: ignore[attr-defined]
    if veto:
        return f"否决项：{veto}"
    if not ranks:
        return UNCLASSIFIED_REMARK
    if tied is not None and rank == tied and row.excellent:  # type: ignore[attr-defined]
        return f"并列第{rank}名，均评为优秀"
    if rule.below_the_line(rank, total):
        return rule.below_remark
    return ""


def _summed(scheme: Scheme, scores: Iterable[Decimal], bonus: Decimal) -> Decimal:
    """The rule: the indicators' sum and the bonus, capped."""
    return sum(scores, Decimal(0)) + min(bonus, scheme.bonus_cap)


def total_of(scheme: Scheme, unit: UnitScores) -> tuple[Decimal | None, tuple[str, ...]]:
    """The sum of the indicators and the bonus (capped); None with the indicators missing."""
    missing = tuple(i.name for i in scheme.indicators if i.name not in unit.scores)
    if missing:
        return None, missing
    return _summed(scheme, (unit.scores[i.name] for i in scheme.indicators), unit.bonus), ()


def totals_of_text(
    scheme: Scheme, rows: Iterable[tuple[Mapping[str, str], str]]
) -> list[Decimal | None]:
    """``total_of`` for rows as the entry grid holds them (each score as typed, the bonus
    text, "" for none): each distinct text is parsed once (5,000 rows hold a few dozen)."""
    parsed: dict[str, Decimal] = {"": Decimal(0)}
    names = [i.name for i in scheme.indicators]
    out: list[Decimal | None] = []
    for scores, bonus in rows:
        texts = [scores.get(n) for n in names]
        if None in texts:
            out.append(None)
            continue
        values = []
        for text in (*texts, bonus):
            value = parsed.get(text)  # type: ignore[arg-type]
            if value is None:
                value = parsed[text] = Decimal(text)  # type: ignore[index, arg-type]
            values.append(value)
        out.append(_summed(scheme, values[:-1], values[-1]))
    return out


def rank_by_class(
    scheme: Scheme, units: Iterable[UnitScores], rule: ExcellenceRule | None = None
) -> dict[str | None, ClassRanking]:
    """同类同考: within each class, totals high to low; ties share a rank and the next
    is skipped (1, 2, 2, 4); 优秀 is rank ≤ 3 (all tied at third are 优秀) with a total
    at or above the pass line; a vetoed unit is listed after the ranked ones and is
    never 优秀; a unit with a score missing is 未完成评分 and not ranked; a unit
    without a class is not ranked (须先分类). ``rule``: the scheme's unless given."""
    rule = rule or rule_of(scheme)
    out: dict[str | None, ClassRanking] = {}
    complete: dict[str | None, list[tuple[Decimal, UnitScores]]] = {}
    for unit in units:
        ranking = out.setdefault(unit.class_code, ClassRanking(unit.class_code))
        total, missing = total_of(scheme, unit)
        if total is None:
            ranking.unscored.append(
                Ranked(unit.unit_id, unit.class_code, None, None, False, unit.veto, missing)
            )
        elif unit.veto:
            ranking.vetoed.append(
                Ranked(unit.unit_id, unit.class_code, total, None, False, unit.veto)
            )
        elif not rule.ranks(unit.class_code):
            ranking.unranked.append(Ranked(unit.unit_id, None, total, None, False, ""))
        else:
            complete.setdefault(unit.class_code, []).append((total, unit))
    for code, entries in complete.items():
        entries.sort(key=lambda e: (-e[0], e[1].unit_id))
        ranks = competition_ranks([total for total, _unit in entries])
        out[code].ranked.extend(
            Ranked(unit.unit_id, code, total, rank, rule.excellent(rank, total), "")
            for (total, unit), rank in zip(entries, ranks, strict=True)
        )
    return out


class RankCounter:
    """The ranking rule, one total at a time, best first: 1, 2, 2, 4 — a tie shares
    the rank and the next is skipped. The reference above, the grid and the service's
    SQL-read ranking all count with it."""

    __slots__ = ("_last", "_rank", "_seen")

    def __init__(self) -> None:
        self._seen = 0
        self._last: object = None
        self._rank = 0

    def rank(self, total: object) -> int:
        self._seen += 1
        if self._seen == 1 or total != self._last:
            self._last, self._rank = total, self._seen
        return self._rank


def competition_ranks(totals_high_to_low: Sequence[object]) -> list[int]:
    counter = RankCounter()
    return [counter.rank(total) for total in totals_high_to_low]


def is_excellent(rank: int | None, total: Decimal | None, pass_line: Decimal | None) -> bool:
    """优秀: rank 3 or better (every unit tied at third included) and a total at or above
    the pass line (None: a period published before the line, ranked as it was)."""
    if rank is None or rank > EXCELLENT_RANK:
        return False
    return pass_line is None or (total is not None and total >= pass_line)


def decimal_text(value: Decimal | None) -> str:
    """87.5 → "87.5", 90.0 → "90": how totals are shown and written to JSON."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


def star_counts(scheme: Scheme, totals: Sequence[Decimal]) -> dict[int, int]:
    """How many units earn each star level of the scheme's bands (5, 4, 3…)."""
    counts = {band.stars: 0 for band in scheme.star_bands}
    for total in totals:
        stars = scheme.stars_for(total)
        if stars:
            counts[stars] += 1
    return counts


def scheme_to_json(scheme: Scheme) -> str:
    """A scheme's definition as stored with its version (numbers as decimal text)."""
    import json

    return json.dumps(
        {
            "dimensions": [
                {
                    "name": d.name,
                    "indicators": [
                        {"name": i.name, "maximum": str(i.maximum), "guidance": i.guidance}
                        for i in d.indicators
                    ],
                }
                for d in scheme.dimensions
            ],
            "bonus_name": scheme.bonus_name,
            "bonus_cap": str(scheme.bonus_cap),
            "vetoes": list(scheme.vetoes),
            "star_bands": [
                {"stars": b.stars, "at_least": str(b.at_least)} for b in scheme.star_bands
            ],
            "pass_line": str(scheme.pass_line),
        },
        ensure_ascii=False,
    )


def scheme_from_json(name: str, version: int, text: str) -> Scheme:
    import json

    data = json.loads(text)
    return Scheme(
        name,
        version,
        tuple(
            Dimension(
                d["name"],
                tuple(
                    Indicator(i["name"], Decimal(i["maximum"]), i.get("guidance", ""))
                    for i in d["indicators"]
                ),
            )
            for d in data["dimensions"]
        ),
        data.get("bonus_name", DEFAULT_BONUS_NAME),
        Decimal(data.get("bonus_cap", "0")),
        tuple(data.get("vetoes", ())),
        tuple(StarBand(b["stars"], Decimal(b["at_least"])) for b in data.get("star_bands", ())),
        # a version stored before the line existed: the default line (a published
        # period keeps its own rule: assessment_period.pass_line)
        Decimal(data.get("pass_line", PASS_LINE_DEFAULT)),
    )


def period_issue(code: str) -> FieldIssue | None:
    """2026H1, 2026H2 (half-years) or 2026 (the year)."""
    text = code.strip().upper()
    year, _sep, half = text.partition("H")
    if year.isdigit() and len(year) == 4 and half in ("", "1", "2") and (half or "H" not in text):
        return None
    return FieldIssue("period", f"“{code}”不是考核期（应为2026H1、2026H2或2026）", "period_invalid")


def tenths(value: Decimal) -> int:
    """Points as whole tenths (87.5 → 875): what SQLite sums and ranks exactly."""
    return int(value * 10)


def from_tenths(value: int) -> Decimal:
    return Decimal(value) / 10


def period_is_year(code: str) -> bool:
    """2026 (the year: stars) rather than 2026H1 / 2026H2 (half-years: ranking)."""
    return "H" not in code.strip().upper()


def period_order(code: str) -> tuple[str, bool, str]:
    """Sorts periods oldest first: 2025, 2025H1, 2025H2, 2026… (reverse it for newest first)."""
    text = code.strip().upper()
    return (text[:4], "H" not in text, text)


def period_label(code: str) -> str:
    """A period as the clerk says it: 2026年上半年, 2026年下半年, 2026年度."""
    text = code.strip().upper()
    half = {"H1": "上半年", "H2": "下半年"}.get(text[4:], "度")
    return f"{text[:4]}年{half}"


def period_end(code: str) -> date:
    """The day a period closes: the term rule's 未按期换届 veto is judged on it."""
    text = code.strip().upper()
    year = int(text[:4])
    return date(year, 6, 30) if text.endswith("H1") else date(year, 12, 31)


def halves_of(year: int) -> tuple[str, str]:
    return f"{year}H1", f"{year}H2"


@dataclass(frozen=True, slots=True)
class ReviewThresholds:
    """When the two halves of a year move a unit's class (settings, proposals only)."""

    excellent_both_up: bool = True
    low_total: Decimal = LOW_TOTAL_DEFAULT  # below this in both halves: one class down


class HalfOutcome(NamedTuple):
    """One unit's result in one half-year, as the class review reads it (a tuple: the
    review makes one per unit and half, 100,000 at 50,000 units)."""

    excellent: bool
    vetoed: bool
    total: Decimal | None


# the classes a good or a poor year moves a unit between (own-organization classes)
CLASS_UP = {"C": "B", "B": "A"}
CLASS_DOWN = {"A": "B", "B": "C"}


def review_move(
    class_code: str | None,
    first: HalfOutcome | None,
    second: HalfOutcome | None,
    thresholds: ReviewThresholds,
) -> tuple[str, str] | None:
    """(proposed class, why) from the two halves of a year, or None: 优秀 in both → one
    class up; a veto in either, or below the threshold in both → one class down."""
    if class_code is None:
        return None
    halves = [h for h in (first, second) if h is not None]
    if class_code in CLASS_DOWN and any(h.vetoed for h in halves):
        return CLASS_DOWN[class_code], "半年考核被一票否决"
    if first is None or second is None:
        return None
    if (
        class_code in CLASS_UP
        and thresholds.excellent_both_up
        and first.excellent
        and second.excellent
    ):
        return CLASS_UP[class_code], "上下半年考核均为优秀"
    low = thresholds.low_total
    if (
        class_code in CLASS_DOWN
        and first.total is not None
        and second.total is not None
        and first.total < low
        and second.total < low
    ):
        return CLASS_DOWN[class_code], f"上下半年考核均低于{decimal_text(low)}分"
    return None


def veto_from_text(text: str, scheme: Scheme) -> str | None:
    """A typed 否决 cell: 否 or blank → none (""), 是 → the scheme's entered veto (the
    first that is not taken from the term rule), or a veto item by name; None when the
    text is none of these."""
    from app.domain.vocabulary import NO_WORDS, YES_WORDS

    word = text.strip()
    if word == "" or word.upper() in NO_WORDS:
        return ""
    if word in scheme.vetoes:
        return word
    entered = [v for v in scheme.vetoes if v != TERM_VETO]
    if word.upper() in YES_WORDS and entered:
        return entered[0]
    return None


def scheme_issues(scheme: Scheme) -> list[FieldIssue]:
    """What stops a scheme edited in the window from being saved."""
    issues = []
    if not scheme.name.strip():
        issues.append(FieldIssue("name", "请填写方案名称", "required"))
    names = [i.name for i in scheme.indicators]
    if not names:
        issues.append(FieldIssue("indicators", "方案至少要有一项指标", "required"))
    if any(not n.strip() for n in names):
        issues.append(FieldIssue("indicators", "指标名称不能为空", "required"))
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        issues.append(FieldIssue("indicators", f"指标重名：{'、'.join(twice)}", "duplicate"))
    if any(i.maximum <= 0 or i.maximum != i.maximum.quantize(ONE_PLACE) for i in scheme.indicators):
        issues.append(FieldIssue("indicators", "每项满分须大于0，最多一位小数", "invalid"))
    if scheme.bonus_cap < 0:
        issues.append(FieldIssue("bonus_cap", "加分上限不能为负", "invalid"))
    levels = [b.at_least for b in scheme.star_bands]
    if levels != sorted(levels, reverse=True) or any(x > scheme.maximum for x in levels):
        issues.append(FieldIssue("star_bands", "星级分数线须从高到低，且不超过满分", "invalid"))
    line = scheme.pass_line
    if line < 0 or line > scheme.maximum or line != line.quantize(ONE_PLACE):
        issues.append(FieldIssue("pass_line", "及格线须在0到满分之间，最多一位小数", "invalid"))
    return issues
