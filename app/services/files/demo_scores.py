"""The demo park's assessments: last year's stars (五星争创, published), this year's
first half (濉溪六项, published) and second half (being entered: some units still to
score). Drawn from the demo's own random sequence, written with the rest of it."""

from __future__ import annotations

import json
import random
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from app.db.models import AssessmentPeriod, AssessmentScheme, AssessmentScore, Setting
from app.domain.assessment import (
    FIVE_STARS,
    ONE_PLACE,
    SUIXI_SIX,
    Scheme,
    scheme_to_json,
    tenths,
)
from app.services.assessment.assessment_settings import KEY as SETTINGS_KEY
from app.services.assessment.assessment_settings import AssessmentSettings, settings_json

# a unit's usual level (share of the maximum) by class: A units score higher
_LEVEL = {"A": 0.88, "B": 0.8, "C": 0.72, "D": 0.66, "E": 0.6}


def demo_scores(s: Session, orgs: list[dict[str, Any]], today: date, rng: random.Random) -> None:
    schemes = {}
    for n, scheme in enumerate((SUIXI_SIX, FIVE_STARS), start=1):
        schemes[scheme.name] = n
        s.execute(
            insert(AssessmentScheme),
            [{"id": n, "name": scheme.name, "version": 1, "definition": scheme_to_json(scheme)}],
        )
    periods = (
        (f"{today.year - 1}", FIVE_STARS, True, 1.0),
        (f"{today.year}H1", SUIXI_SIX, True, 1.0),
        (f"{today.year}H2", SUIXI_SIX, False, 0.6),
    )
    active = [o for o in orgs if o["status"] == "active"]
    rows = []
    entered = datetime(today.year, today.month, today.day)
    for pid, (code, scheme, _published, share) in enumerate(periods, start=1):
        s.execute(
            insert(AssessmentPeriod),
            [{"id": pid, "code": code, "scheme_id": schemes[scheme.name], "published": False}],
        )
        for o in active:
            if rng.random() < share:
                rows.append(_row(pid, o, scheme, rng, entered))
    if rows:
        s.execute(insert(AssessmentScore), rows)
    # published once its scores are in: a published period's scores are frozen
    done = [pid for pid, p in enumerate(periods, start=1) if p[2]]
    s.execute(update(AssessmentPeriod).where(AssessmentPeriod.id.in_(done)).values(published=True))
    # 以奖代补 per 优秀 unit: more for the classes that need the push
    amounts = {"A": "3000", "B": "4000", "C": "5000", "D": "5000", "E": "2000"}
    settings = AssessmentSettings(subsidy={k: Decimal(v) for k, v in amounts.items()})
    s.execute(insert(Setting), [{"key": SETTINGS_KEY, "value": settings_json(settings)}])


def _row(
    period_id: int, o: dict[str, Any], scheme: Scheme, rng: random.Random, entered: datetime
) -> dict[str, Any]:
    level = _LEVEL.get(o["class_code"] or "E", 0.6)
    scores = {}
    for i in scheme.indicators:
        share = min(1.0, max(0.3, rng.gauss(level, 0.08)))
        scores[i.name] = str((i.maximum * Decimal(str(round(share, 2)))).quantize(ONE_PLACE))
    # as parse_score keeps what is typed: one decimal place
    bonus = Decimal(rng.choice((0, 0, 0, 1, 2, 3)) if scheme.bonus_cap else 0).quantize(ONE_PLACE)
    total = sum((Decimal(v) for v in scores.values()), bonus)
    return {
        "period_id": period_id,
        "organization_id": o["id"],
        "class_code": o["class_code"],
        "scores": json.dumps(scores, ensure_ascii=False, sort_keys=True),
        "bonus": str(bonus),
        "total_tenths": tenths(total),
        "veto": "严重违纪违法" if rng.random() < 0.004 and scheme.vetoes else "",
        "note": "",
        "entered_by": "演示数据",
        "updated_at": entered,
    }
