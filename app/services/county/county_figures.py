"""Every figure per park and for the county, counted from the submitted units by the
rules a park counts its own by (overview/figures.add_counts). The county total is
counted from all the units, so it equals the parks' counts summed; its rates follow
from those counts (exact fractions), never an average of rounded rates."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.db.database import Database
from app.db.queries import county as q
from app.domain.quarters import Quarter
from app.domain.rates import Rounding
from app.domain.vocabulary import UNCLASSIFIED, Formation
from app.services.county.county_db import require_county
from app.services.overview.figures import (
    CLASS_KEYS,
    RegistryFigures,
    add_counts,
    add_reached,
    empty_figures,
    figures_report,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

PARTY_ORG_FORMATIONS = (Formation.OWN, Formation.JOINT, Formation.ATTACHED)


def _classes() -> dict[str, dict[str, int]]:
    return {key: {"enterprise": 0, "social": 0, "total": 0} for key in CLASS_KEYS}


@dataclass
class SubmissionFigures:
    """A park's figures as one submission gives them."""

    park_id: int
    park: str
    quarter: str
    submission_id: int
    source: str
    file_name: str
    imported_at: str
    units: int
    assessment_period: str
    excellent: int | None
    figures: RegistryFigures = field(default_factory=empty_figures)
    classes: dict[str, dict[str, int]] = field(default_factory=_classes)
    party_orgs: dict[str, int] = field(default_factory=dict)  # by formation


@dataclass
class CountyFigures:
    county: str
    quarter: str | None  # None: each park's latest submission
    parks: list[SubmissionFigures]
    missing: list[str]  # parks with no submission of the quarter asked
    total: RegistryFigures
    classes: dict[str, dict[str, int]]
    party_orgs: dict[str, int]
    excellent: int  # 优秀 in the latest published half-year of each park that sent one


def _submissions(s: Session) -> list[SubmissionFigures]:
    names = {pid: name for pid, name, *_rest in s.execute(q.parks())}
    out = []
    for (
        sid,
        pid,
        quarter,
        source,
        file_name,
        imported,
        _exported,
        units,
        period,
        excellent,
    ) in s.execute(q.submissions()):
        out.append(
            SubmissionFigures(
                pid,
                names.get(pid, ""),
                quarter,
                sid,
                source,
                file_name,
                str(imported)[:19],
                units,
                period,
                excellent,
            )
        )
    return out


def _count(s: Session, subs: dict[int, SubmissionFigures]) -> None:
    """The figures of ``subs``, each from its own units."""
    if not subs:
        return
    ids = list(subs)
    for sid, kind, formation, n, formal, prob, act, inv, three, no_own, reached in s.execute(
        q.figures(ids)
    ):
        figures = subs[sid].figures
        add_counts(figures, kind, formation, n, formal, prob, act, inv, three, no_own)
        add_reached(figures, kind, reached)
    for sid, code, kind, n in s.execute(q.classes(ids)):
        row = subs[sid].classes[code or UNCLASSIFIED]
        row[kind] += n
        row["total"] += n
    for sid, formation, n in s.execute(q.party_orgs(ids)):
        subs[sid].party_orgs[formation] = n


def _add(total: RegistryFigures, part: RegistryFigures) -> None:
    for kind, figures in part.by_kind.items():
        for target in (total.by_kind[kind], total.total):
            for name in vars(figures):
                setattr(target, name, getattr(target, name) + getattr(figures, name))


def county_figures(db: Database, quarter: Quarter | None = None) -> CountyFigures:
    """The parks' figures (each park's latest submission, or its submission of
    ``quarter``) and the county's total."""
    return county_view(db, quarter, trend=False)[0]


def county_view(
    db: Database, quarter: Quarter | None = None, trend: bool = True
) -> tuple[CountyFigures, dict[str, list[tuple[str, RegistryFigures]]]]:
    """``county_figures`` and, with ``trend``, each park's figures over the quarters it
    submitted (oldest first): every submission in force counted once for both."""
    from app.services.registry.park import get_park

    require_county(db)
    with db.session() as s:
        every = _submissions(s)
        parks = [name for _pid, name, *_rest in s.execute(q.parks())]
        latest: dict[int, SubmissionFigures] = {}
        for sub in every:  # by park, oldest quarter first: the last one stays
            if quarter is None or sub.quarter == quarter.code:
                latest[sub.park_id] = sub
        chosen = {sub.submission_id: sub for sub in latest.values()}
        _count(s, {sub.submission_id: sub for sub in every} if trend else chosen)
    series: dict[str, list[tuple[str, RegistryFigures]]] = {}
    if trend:
        for sub in sorted(every, key=lambda sub: (sub.park, sub.quarter)):
            series.setdefault(sub.park, []).append((sub.quarter, sub.figures))
    rows = sorted(chosen.values(), key=lambda sub: sub.park)
    total = empty_figures()
    classes = _classes()
    party_orgs: dict[str, int] = {}
    for sub in rows:
        _add(total, sub.figures)
        for key, by_kind in sub.classes.items():
            for kind, n in by_kind.items():
                classes[key][kind] += n
        for formation, n in sub.party_orgs.items():
            party_orgs[formation] = party_orgs.get(formation, 0) + n
    sent = {sub.park for sub in rows}
    figures = CountyFigures(
        county=get_park(db).park_name,
        quarter=quarter.code if quarter else None,
        parks=rows,
        missing=[name for name in parks if name not in sent],
        total=total,
        classes=classes,
        party_orgs=party_orgs,
        excellent=sum(sub.excellent or 0 for sub in rows),
    )
    return figures, series


def park_report(sub: SubmissionFigures, rounding: Rounding) -> dict[str, Any]:
    """One park's row of ``county stats --json``."""
    return {
        "park": sub.park,
        "quarter": sub.quarter,
        "source": sub.source,
        "file": sub.file_name,
        "imported_at": sub.imported_at,
        **figures_report(sub.figures, rounding),
        "classes": sub.classes,
        "party_orgs": {f.value: sub.party_orgs.get(f.value, 0) for f in PARTY_ORG_FORMATIONS},
        "assessment_period": sub.assessment_period or None,
        "excellent": sub.excellent,
    }


def county_report(c: CountyFigures, rounding: Rounding) -> dict[str, Any]:
    """``county stats --json``: each park, then the county's total."""
    return {
        "county": c.county,
        "quarter": c.quarter,
        "rounding": rounding.label,
        "parks": [park_report(sub, rounding) for sub in c.parks],
        "missing": c.missing,
        "total": {
            **figures_report(c.total, rounding),
            "classes": c.classes,
            "party_orgs": {f.value: c.party_orgs.get(f.value, 0) for f in PARTY_ORG_FORMATIONS},
            "excellent": c.excellent,
        },
    }
