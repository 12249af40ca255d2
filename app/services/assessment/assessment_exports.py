"""The workbooks of a period: the template to fill (units by class, what is entered
already), the ranking for publication, and the awards list for the finance office."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from app.db.database import Database
from app.db.queries import assessment as q
from app.domain.assessment import EXCELLENT_LABEL, UNCLASSIFIED_GRADE, Scheme
from app.domain.sorting import natural_key
from app.domain.vocabulary import class_label
from app.exchange.export import write_table
from app.exchange.score_sheet import write_template
from app.services.assessment.assessment_results import PeriodRanking, RankRow, rank_period
from app.services.assessment.assessments import period_row


def export_template(db: Database, path: Path, code: str) -> Path:
    """Every unit on the register, by class then name, with the scores entered so far."""
    with db.read_connection() as conn:
        period_id, _published, scheme = period_row(conn, code)
        found = conn.execute(q.TEMPLATE_ROWS, (period_id,)).fetchall()
    # by class (未分类 last), then by name as the registry sorts it
    found.sort(key=lambda r: (r[2] is None, r[2] or "", natural_key(r[1])))
    rows = []
    for uscc, name, cls, scores, bonus, veto, note in found:
        values = json.loads(scores) if scores else {}
        rows.append(
            [
                uscc or "",
                name,
                cls or "",
                *(_number(values.get(i.name)) for i in scheme.indicators),
                _number(bonus) if bonus and bonus != "0" else None,
                veto or ("否" if scores else ""),
                note or "",
            ]
        )
    return write_template(path, code.upper(), scheme, rows)


def _number(text: str | None) -> int | float | None:
    """A stored score as a number cell (the template's validation checks numbers)."""
    if not text:
        return None
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else float(value)


RANKING_HEADERS = (
    ("分类", 10),
    ("名次", 6),
    ("组织名称", 34),
    ("统一社会信用代码", 22),
    ("总分", 8),
    ("等次", 8),
    ("以奖代补（元）", 12),
    ("说明", 30),
)


def ranking_rows(ranking: PeriodRanking, stars: bool = False) -> list[list[object]]:
    """Each class's units as the ranking sheet and the 半年考核 sheet list them; the
    units without a class last, listed apart as 须先分类 (the domain's remark says why).
    ``stars``: a last column (STARS_HEADER) with the stars the scheme gives the total."""
    rows: list[list[object]] = []
    for result in ranking.ordered:  # 未分类 sorts last
        label = class_label(result.class_code)
        for r, remark in zip(result.rows, ranking.remarks(result), strict=True):
            row: list[object] = [
                label,
                r.rank if r.rank is not None else "",
                r.name,
                r.uscc or "",
                # numbers, not their text: an upper level's SUM adds them
                r.total if r.total is not None else "",
                grade(r),
                r.subsidy if r.subsidy else "",
                remark,
            ]
            if stars:
                row.append(unit_stars(ranking.scheme, r) or "")
            rows.append(row)
    return rows


STARS_HEADER = ("星级", 6)


def unit_stars(scheme: Scheme, r: RankRow) -> int:
    """The stars a unit's total earns on the scheme's bands (a veto or a missing score:
    none), as a unit's results list them (assessment_results.unit_results)."""
    return scheme.stars_for(r.total) if r.total is not None and not r.veto else 0


def grade(r: RankRow) -> str:
    if r.total is None:
        return "未完成评分"
    if r.veto:
        return "一票否决"
    if r.rank is None:  # scored in full, neither vetoed nor ranked: 未分类
        return UNCLASSIFIED_GRADE
    return EXCELLENT_LABEL if r.excellent else ""


def export_ranking(db: Database, path: Path, code: str, park_name: str) -> Path:
    ranking = rank_period(db, code)
    state = "" if ranking.published else "（未发布）"
    if ranking.note:  # a laptop: the office's results, or a ranking of the package's units
        state += f"（{ranking.note}）"
    title = f"{park_name}{ranking.code}半年考核结果{state}"
    return write_table(path, title, RANKING_HEADERS, ranking_rows(ranking))


AWARD_HEADERS = (
    ("分类", 10),
    ("名次", 6),
    ("组织名称", 34),
    ("统一社会信用代码", 22),
    ("总分", 8),
    ("以奖代补（元）", 14),
)


def award_rows(ranking: PeriodRanking) -> list[list[object]]:
    """The 优秀 units with their subsidy, a subtotal per class and the total."""
    rows: list[list[object]] = []
    for result in ranking.ordered:
        label = class_label(result.class_code)
        for r in result.excellent:
            rows.append(
                [
                    label,
                    r.rank,
                    r.name,
                    r.uscc or "",
                    r.total,
                    r.subsidy,
                ]
            )
        if result.excellent:
            rows.append([f"{label}小计", "", "", "", "", result.subsidy])
    rows.append(["合计", "", "", "", "", ranking.subsidy])
    return rows


def export_awards(db: Database, path: Path, code: str, park_name: str) -> Path:
    ranking = rank_period(db, code)
    title = f"{park_name}{ranking.code}以奖代补发放名单" + (
        f"（{ranking.note}）" if ranking.note else ""
    )
    return write_table(path, title, AWARD_HEADERS, award_rows(ranking))
