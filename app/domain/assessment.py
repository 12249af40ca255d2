"""Half-year assessments (分类考核、同类同考, Suixi; 五星争创, Quzhou): schemes as data,
scores checked as typed, exact totals, ranking within each class, 优秀, stars.

Scores have at most one decimal place and are kept as ``Decimal`` (87.5 is 87.5,
never 87.49999): a float never enters a total.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from app.domain.validation import FieldIssue

EXCELLENT_RANK = 3  # the top 3 of each class are 优秀 (Suixi)
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


@dataclass(frozen=True, slots=True)
class Scheme:
    """A scheme as the committee sets it; scores stay tied to the version they were
    entered against (a scheme already used is changed by making a new version)."""

    name: str
    version: int
    dimensions: tuple[Dimension, ...]
    bonus_name: str = "特色工作加分"
    bonus_cap: Decimal = Decimal(0)
    vetoes: tuple[str, ...] = ()
    star_bands: tuple[StarBand, ...] = ()  # highest first

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for d in self.dimensions for i in d.indicators)

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
    vetoes=("未按期换届", "严重违纪违法"),
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
    text: object, maximum: Decimal, field_name: str
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
        message = f"{value}分超过该项满分{maximum}分"
        code = "bonus_over_cap" if field_name == "bonus" else "score_over_max"
        return None, FieldIssue(field_name, message, code)
    return value.quantize(ONE_PLACE), None


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

    @property
    def tie_crosses_the_line(self) -> bool:
        """More than three are 优秀 because a tie straddles third place (the page says so)."""
        return sum(1 for r in self.ranked if r.excellent) > EXCELLENT_RANK


def total_of(scheme: Scheme, unit: UnitScores) -> tuple[Decimal | None, tuple[str, ...]]:
    """The sum of the indicators and the bonus (capped); None with the indicators missing."""
    missing = tuple(i.name for i in scheme.indicators if i.name not in unit.scores)
    if missing:
        return None, missing
    total = sum((unit.scores[i.name] for i in scheme.indicators), Decimal(0))
    return total + min(unit.bonus, scheme.bonus_cap), ()


def rank_by_class(scheme: Scheme, units: Iterable[UnitScores]) -> dict[str | None, ClassRanking]:
    """同类同考: within each class, totals high to low; ties share a rank and the next
    is skipped (1, 2, 2, 4); 优秀 is rank ≤ 3 (all tied at third are 优秀); a vetoed
    unit is listed after the ranked ones and is never 优秀; a unit with a score
    missing is 未完成评分 and not ranked."""
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
        else:
            complete.setdefault(unit.class_code, []).append((total, unit))
    for code, entries in complete.items():
        entries.sort(key=lambda e: (-e[0], e[1].unit_id))
        ranked = out[code].ranked
        for position, (total, unit) in enumerate(entries, start=1):
            rank = ranked[-1].rank if ranked and ranked[-1].total == total else position
            ranked.append(Ranked(unit.unit_id, code, total, rank, rank <= EXCELLENT_RANK, ""))
    return out


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
        data.get("bonus_name", "特色工作加分"),
        Decimal(data.get("bonus_cap", "0")),
        tuple(data.get("vetoes", ())),
        tuple(StarBand(b["stars"], Decimal(b["at_least"])) for b in data.get("star_bands", ())),
    )


def period_issue(code: str) -> FieldIssue | None:
    """2026H1, 2026H2 (half-years) or 2026 (the year)."""
    text = code.strip().upper()
    year, _sep, half = text.partition("H")
    if year.isdigit() and len(year) == 4 and half in ("", "1", "2") and (half or "H" not in text):
        return None
    return FieldIssue("period", f"“{code}”不是考核期（应为2026H1、2026H2或2026）", "period_invalid")
