"""The park's funding standards (经费保障): "3个100元" per formal member a year, the
阵地建设启动经费 of a party organization formed in the year, and the award per five-,
four- and three-star party organization. One JSON setting, amounts as yuan text (exact);
not set: ParkDesk's defaults (300 元, 2,000 元, no star award)."""

from __future__ import annotations

import json

from app.db.database import Database
from app.db.queries.registry import SETTING_SQL
from app.domain.funds import STAR_LEVELS, FundSettings, amount_text, parse_standard
from app.domain.validation import FieldIssue, ValidationError

KEY = "funds"


def _fen(data: dict[str, str], key: str, default: int) -> int:
    try:
        return parse_standard(data[key], key) if key in data else default
    except ValueError:  # a value this version did not write: the default, not a crash
        return default


def get_settings(db: Database) -> FundSettings:
    with db.read_connection() as conn:
        row = conn.execute(SETTING_SQL, (KEY,)).fetchone()
    data = json.loads(row[0]) if row and row[0] else {}
    base = FundSettings()
    stars = data.get("stars", {})
    return FundSettings(
        _fen(data, "per_member", base.per_member),
        _fen(data, "startup", base.startup),
        tuple(_fen(stars, str(level), 0) for level in STAR_LEVELS),  # type: ignore[arg-type]
    )


def set_settings(
    db: Database,
    per_member: str | None = None,
    startup: str | None = None,
    stars: dict[int, str] | None = None,
) -> FundSettings:
    """Change the standards given (yuan as typed; 0 allowed), keep the others; nothing
    is written when one of them is wrong."""
    from app.services.registry.park import write_setting

    now = get_settings(db)
    issues: list[FieldIssue] = []
    values = {"per_member": now.per_member, "startup": now.startup}
    values |= {f"star{level}": now.star_award(level) for level in STAR_LEVELS}
    given = [
        ("per_member", per_member, "每名党员每年活动经费"),
        ("startup", startup, "新建党组织阵地建设启动经费"),
        *((f"star{n}", (stars or {}).get(n), f"{n}星级党组织奖励") for n in STAR_LEVELS),
    ]
    for key, text, label in given:
        if text is None:
            continue
        try:
            values[key] = parse_standard(text, label)
        except ValueError as exc:
            issues.append(FieldIssue(key, str(exc), "amount_invalid"))
    if issues:
        raise ValidationError(issues)
    settings = FundSettings(
        values["per_member"],
        values["startup"],
        tuple(values[f"star{n}"] for n in STAR_LEVELS),  # type: ignore[arg-type]
    )
    data = {
        "per_member": amount_text(settings.per_member),
        "startup": amount_text(settings.startup),
        "stars": {str(n): amount_text(settings.star_award(n)) for n in STAR_LEVELS},
    }
    write_setting(db, KEY, json.dumps(data))
    return settings
