"""The coverage figures, by kind and together, over the organizations in the base.

Counts are integers and rates exact fractions (app/domain/rates.py) until they
are shown, so the window, the command line and the workbook agree to the digit.
One GROUP BY over the registry computes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from app.db.database import Database
from app.domain.rates import rate
from app.domain.vocabulary import Formation, OrgKind, PartyOrgLevel


@dataclass
class KindFigures:
    in_base: int = 0
    own: int = 0
    joint: int = 0
    attached: int = 0
    none: int = 0
    work_covered: int = 0  # covered, or reached by an active instructor or liaison
    formal_members: int = 0
    probationary_members: int = 0
    activists: int = 0
    investor_members: int = 0
    three_plus: int = 0
    three_plus_without_own: int = 0

    @property
    def covered(self) -> int:
        return self.own + self.joint + self.attached

    @property
    def org_coverage_rate(self) -> Fraction | None:
        return rate(self.covered, self.in_base)

    @property
    def own_rate(self) -> Fraction | None:
        return rate(self.own, self.in_base)

    @property
    def work_coverage_rate(self) -> Fraction | None:
        return rate(self.work_covered, self.in_base)


@dataclass
class RegistryFigures:
    by_kind: dict[OrgKind, KindFigures] = field(default_factory=dict)
    total: KindFigures = field(default_factory=KindFigures)
    party_orgs: dict[tuple[PartyOrgLevel, Formation], int] = field(default_factory=dict)
    instructors_active: int = 0


_SQL = """
SELECT o.kind, o.formation, count(*),
       sum(o.formation != 'none' OR reached.organization_id IS NOT NULL),
       sum(coalesce(o.formal_members, 0)), sum(coalesce(o.probationary_members, 0)),
       sum(coalesce(o.activists, 0)), sum(coalesce(o.investor_is_member, 0)),
       sum(coalesce(o.formal_members, 0) >= 3),
       sum(coalesce(o.formal_members, 0) >= 3 AND o.formation != 'own')
FROM organization o
LEFT JOIN (
    SELECT DISTINCT a.organization_id FROM assignment a
    JOIN instructor i ON i.id = a.instructor_id
    WHERE i.active = 1 AND (a.ended_on IS NULL OR a.ended_on >= :today)
) reached ON reached.organization_id = o.id
WHERE o.in_base = 1
GROUP BY o.kind, o.formation
"""


def registry_figures(db: Database, today: date | None = None) -> RegistryFigures:
    today = today or date.today()
    out = RegistryFigures({k: KindFigures() for k in OrgKind})
    with db.read_connection() as conn:
        for kind, formation, n, work, formal, prob, act, inv, three, three_no_own in conn.execute(
            _SQL, {"today": today.isoformat()}
        ):
            for figures in (out.by_kind[OrgKind(kind)], out.total):
                figures.in_base += n
                setattr(figures, formation, getattr(figures, formation) + n)
                figures.work_covered += work
                figures.formal_members += formal
                figures.probationary_members += prob
                figures.activists += act
                figures.investor_members += inv
                figures.three_plus += three
                figures.three_plus_without_own += three_no_own
        for level, formation, n in conn.execute(
            "SELECT level, formation, count(*) FROM party_organization GROUP BY level, formation"
        ):
            out.party_orgs[(PartyOrgLevel(level), Formation(formation))] = n
        out.instructors_active = conn.execute(
            "SELECT count(*) FROM instructor WHERE active = 1"
        ).fetchone()[0]
    return out
