"""The park's assessment settings: which scheme each kind of period uses, the
以奖代补 subsidy per 优秀 unit in each class, and when the two halves of a year
propose a class move. Kept as one JSON setting; amounts as decimal text."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from app.db.database import Database
from app.db.queries import assessment as q
from app.domain.assessment import (
    FIVE_STARS,
    LOW_TOTAL_DEFAULT,
    SUIXI_SIX,
    ReviewThresholds,
    decimal_text,
)
from app.domain.validation import FieldIssue, ValidationError

KEY = "assessment"


@dataclass(frozen=True, slots=True)
class AssessmentSettings:
    half_scheme: str = SUIXI_SIX.name  # 2026H1, 2026H2
    year_scheme: str = FIVE_STARS.name  # 2026 (stars)
    # class letter → yuan per 优秀 unit; a class not listed gets none
    subsidy: dict[str, Decimal] = field(default_factory=dict)
    review: ReviewThresholds = field(default_factory=ReviewThresholds)

    def scheme_for(self, period_code: str) -> str:
        return self.year_scheme if "H" not in period_code.upper() else self.half_scheme

    def subsidy_for(self, class_code: str | None) -> Decimal:
        return self.subsidy.get(class_code or "", Decimal(0))


def parse_amount(text: str, where: str) -> Decimal:
    """A subsidy in yuan (0 or more, at most two decimals); ValidationError otherwise."""
    cleaned = text.strip().replace(",", "").replace("，", "").removesuffix("元") or "0"
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
        raise ValidationError(
            [FieldIssue(where, f"“{text.strip()}”不是金额（元，最多两位小数）", "amount_invalid")]
        )
    return value


def _from_json(text: str) -> AssessmentSettings:
    data = json.loads(text)
    review = data.get("review", {})
    return AssessmentSettings(
        data.get("half_scheme", SUIXI_SIX.name),
        data.get("year_scheme", FIVE_STARS.name),
        {k: Decimal(v) for k, v in data.get("subsidy", {}).items()},
        ReviewThresholds(
            bool(review.get("excellent_both_up", True)),
            Decimal(review["low_total"]) if "low_total" in review else LOW_TOTAL_DEFAULT,
        ),
    )


def get_settings(db: Database) -> AssessmentSettings:
    with db.read_connection() as conn:
        row = conn.execute(q.SETTING_VALUE, (KEY,)).fetchone()
    return _from_json(row[0]) if row and row[0] else AssessmentSettings()


def set_settings(db: Database, settings: AssessmentSettings) -> None:
    from app.services.registry.park import write_setting

    write_setting(db, KEY, settings_json(settings))


def set_subsidy(db: Database, class_code: str, amount_text: str) -> Decimal:
    """以奖代补 for one class's 优秀 units (the settings dialog's field, from the command
    line): the class one of A–E, the amount as parse_amount reads it; the rest kept."""
    from dataclasses import replace

    from app.domain.vocabulary import OrgClass

    code = class_code.strip().upper()
    if code not in OrgClass.by_value():
        known = "、".join(OrgClass.by_value())
        raise ValidationError(
            [
                FieldIssue(
                    "class", f"没有“{class_code.strip()}”这个分类（可选：{known}）", "class_unknown"
                )
            ]
        )
    amount = parse_amount(amount_text, f"subsidy_{code}")
    now = get_settings(db)
    set_settings(db, replace(now, subsidy={**now.subsidy, code: amount}))
    return amount


def settings_json(settings: AssessmentSettings) -> str:
    return json.dumps(
        {
            "half_scheme": settings.half_scheme,
            "year_scheme": settings.year_scheme,
            "subsidy": {k: decimal_text(v) for k, v in sorted(settings.subsidy.items())},
            "review": {
                "excellent_both_up": settings.review.excellent_both_up,
                "low_total": decimal_text(settings.review.low_total),
            },
        },
        ensure_ascii=False,
    )
