"""The registry's counts by kind, exact integers, for the submission's cover sheet.

(The coverage rates built on them come with the figures issue.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.db.database import Database
from app.domain.vocabulary import Formation, OrgKind, PartyOrgLevel


@dataclass
class KindCounts:
    in_base: int = 0
    own: int = 0
    joint: int = 0
    attached: int = 0
    none: int = 0
    formal_members: int = 0
    probationary_members: int = 0
    activists: int = 0
    three_plus: int = 0
    three_plus_without_own: int = 0

    @property
    def covered(self) -> int:
        return self.own + self.joint + self.attached


@dataclass
class RegistryCounts:
    by_kind: dict[OrgKind, KindCounts] = field(default_factory=dict)
    total: KindCounts = field(default_factory=KindCounts)
    party_orgs: dict[tuple[PartyOrgLevel, Formation], int] = field(default_factory=dict)
    instructors_active: int = 0


def registry_counts(db: Database) -> RegistryCounts:
    out = RegistryCounts({k: KindCounts() for k in OrgKind})
    with db.read_connection() as conn:
        for kind, formation, n, formal, prob, act, three, three_no_own in conn.execute(
            """
            SELECT kind, formation, count(*), sum(coalesce(formal_members, 0)),
                   sum(coalesce(probationary_members, 0)), sum(coalesce(activists, 0)),
                   sum(coalesce(formal_members, 0) >= 3),
                   sum(coalesce(formal_members, 0) >= 3 AND formation != 'own')
            FROM organization WHERE in_base = 1 GROUP BY kind, formation
            """
        ):
            for counts in (out.by_kind[OrgKind(kind)], out.total):
                counts.in_base += n
                setattr(counts, formation, getattr(counts, formation) + n)
                counts.formal_members += formal
                counts.probationary_members += prob
                counts.activists += act
                counts.three_plus += three
                counts.three_plus_without_own += three_no_own
        for level, formation, n in conn.execute(
            "SELECT level, formation, count(*) FROM party_organization GROUP BY level, formation"
        ):
            out.party_orgs[(PartyOrgLevel(level), Formation(formation))] = n
        out.instructors_active = conn.execute(
            "SELECT count(*) FROM instructor WHERE active = 1"
        ).fetchone()[0]
    return out
