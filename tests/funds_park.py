"""A small park made for 经费保障's rules (柳州 000, 濉溪 002, 衢州 003), with the
expected entitlements worked out here from the documents' rules, not read back.

2026, the default standards (300 元 a formal member, 2,000 元 a new organization):
- 甲公司党支部 (own, founded 2026-03-01) covers 甲公司 (5 formal, 2 probationary):
  5 × 300 = 1,500; formed this year: 2,000; 甲公司 优秀 in 2026H1 (class A, 5,000);
  it leads 一组, whose returned dues of 2026 are 3,000.50 (entitled and paid).
- 乙联合党支部 (joint, 2019) covers 乙一 (2 formal), 乙二 (1) and 乙三 (4, closed):
  3 × 300 = 900 (a closed unit's members are not counted).
- 丙党支部 (own, founded 2025-12-31: not this year) covers 丙公司 (3 formal): 900,
  and 丙公司 优秀 in 2026H1: 5,000.
- 丁公司 (class A, no party organization) 优秀 in 2026H1: its 5,000 goes to no one;
  二组 has no leader: its 1,000 returned dues go to no one.
2026H2 is open (not published): not counted. The yearly period 2026 is published:
甲公司党支部 five stars (95), 丙党支部 four (82), 乙联合党支部 not rated (its units
unscored); the star awards are 0 until the park sets them (the documents name none).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.db.database import Database
from app.domain.assessment import FIVE_STARS, SUIXI_SIX
from app.domain.validation import OrganizationDraft, PartyOrgDraft
from app.domain.vocabulary import ClusterRecordKind, Formation, OrgStatus, PartyOrgLevel
from app.services.assessment import assessment_settings, assessments
from app.services.assessment.assessments import ScoreEntry
from app.services.grouping import clusters
from app.services.registry import organizations, party_orgs

YEAR = 2026
PER_MEMBER, STARTUP, SUBSIDY_A = 30_000, 200_000, 500_000  # fen
EXPECTED = {  # party organization → entitled by kind (fen), from the rules above
    "甲公司党支部": {
        "member_activity": 5 * PER_MEMBER,
        "site_startup": STARTUP,
        "award": SUBSIDY_A,
        "star_award": 0,
        "dues_return": 300_050,
    },
    "乙联合党支部": {
        "member_activity": 3 * PER_MEMBER,
        "site_startup": 0,
        "award": 0,
        "star_award": 0,
        "dues_return": 0,
    },
    "丙党支部": {
        "member_activity": 3 * PER_MEMBER,
        "site_startup": 0,
        "award": SUBSIDY_A,
        "star_award": 0,
        "dues_return": 0,
    },
}


def _unit(db: Database, name: str, formal: int, cls: str | None, **more: object) -> int:
    draft = OrganizationDraft(name=name, formal_members=formal, class_code=cls, **more)  # type: ignore[arg-type]
    return organizations.create_organization(db, draft)


def _org(db: Database, name: str, formation: Formation, founded: date, units: list[int]) -> int:
    draft = PartyOrgDraft(
        name=name,
        level=PartyOrgLevel.BRANCH,
        formation=formation,
        founded=founded,
        last_election=founded,
        covered_ids=units,
    )
    return party_orgs.create_party_org(db, draft, today=date(YEAR, 6, 1))


def _score(db: Database, code: str, org: int, total: int) -> None:
    scheme = SUIXI_SIX if "H" in code else FIVE_STARS
    rest, values = Decimal(total), {}
    for indicator in scheme.indicators[:-1]:
        take = min(indicator.maximum, rest)
        values[indicator.name] = str(take)
        rest -= take
    values[scheme.indicators[-1].name] = str(rest)
    assessments.set_scores(db, code, org, ScoreEntry(values))


def make_park(db: Database) -> dict[str, int]:
    """The park above; returns the party organizations' ids by name."""
    jia = _unit(db, "甲公司", 5, "A", probationary_members=2)
    yi = [_unit(db, "乙一", 2, "D"), _unit(db, "乙二", 1, "D")]
    yi.append(_unit(db, "乙三", 4, "D", status=OrgStatus.CLOSED, status_date=date(YEAR, 1, 10)))
    bing = _unit(db, "丙公司", 3, "A")
    ding = _unit(db, "丁公司", 1, "A")
    ids = {
        "甲公司党支部": _org(db, "甲公司党支部", Formation.OWN, date(YEAR, 3, 1), [jia]),
        "乙联合党支部": _org(db, "乙联合党支部", Formation.JOINT, date(2019, 5, 1), yi),
        "丙党支部": _org(db, "丙党支部", Formation.OWN, date(YEAR - 1, 12, 31), [bing]),
    }
    assessment_settings.set_subsidy(db, "A", "5000")
    assessments.open_period(db, f"{YEAR}H1", SUIXI_SIX.name)
    for unit, total in ((jia, 95), (bing, 90), (ding, 88)):
        _score(db, f"{YEAR}H1", unit, total)
    assessments.set_published(db, f"{YEAR}H1", True)
    assessments.open_period(db, str(YEAR), FIVE_STARS.name)
    for unit, total in ((jia, 95), (bing, 82)):
        _score(db, str(YEAR), unit, total)
    assessments.set_published(db, str(YEAR), True)
    assessments.open_period(db, f"{YEAR}H2", SUIXI_SIX.name)
    _score(db, f"{YEAR}H2", yi[0], 99)  # open: its 优秀 may change, not counted
    one = clusters.create_cluster(
        db, clusters.ClusterDraft("一组", YEAR, member_ids=[jia, yi[0]], leader_id=jia)
    )
    two = clusters.create_cluster(db, clusters.ClusterDraft("二组", YEAR, member_ids=[ding]))
    dues = ClusterRecordKind.DUES_RETURNED
    for cluster, year, fen in ((one, YEAR, 300_050), (one, YEAR - 1, 99_900), (two, YEAR, 100_000)):
        clusters.add_record(
            db, cluster, clusters.RecordDraft(dues, year, date(year, 7, 1), amount=fen)
        )
    return ids
