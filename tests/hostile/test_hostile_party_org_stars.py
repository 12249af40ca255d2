"""Stars belong to party organizations (issue 25; 柳州 "166个党组织升为五星级", 鹿寨
"五星级党组织7个"): a small park where a joint branch of three units, an own branch, a
unit with no party organization and an E unit with a high score and none meet the
yearly stars. Expected stars come from DOMAIN.md's 五星争创 lines (90/80/70) here."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from app.db.database import Database
from app.domain.assessment import FIVE_STARS
from app.domain.party_org_stars import rate
from app.domain.validation import OrganizationDraft, PartyOrgDraft, ValidationError
from app.domain.vocabulary import (
    DemoSiteLevel,
    Formation,
    OrgKind,
    PartyOrgKind,
    StarChange,
)
from app.services.assessment import assessments, party_org_stars
from app.services.assessment.assessments import ScoreEntry
from app.services.registry import organizations, party_orgs
from tests.conftest import run_main

LINES = ((5, Fraction(90)), (4, Fraction(80)), (3, Fraction(70)))  # DOMAIN.md: 五星争创


def _expected(*totals: str) -> int:
    mean = sum(Fraction(Decimal(t)) for t in totals) / len(totals)
    return next((stars for stars, line in LINES if mean >= line), 0)


def _score(db: Database, year: int, org: int, total: str) -> None:
    rest, values = Decimal(total), {}
    for indicator in FIVE_STARS.indicators:
        values[indicator.name] = str(min(indicator.maximum, rest))
        rest -= min(indicator.maximum, rest)
    assessments.set_scores(db, str(year), org, ScoreEntry(values))


def _park(db: Database) -> dict[str, int]:
    def unit(name: str, cls: str, kind: OrgKind = OrgKind.ENTERPRISE) -> int:
        draft = OrganizationDraft(name=name, class_code=cls, kind=kind)
        return organizations.create_organization(db, draft)

    ids = {f"联{k}": unit(f"联建企业{k}", "D") for k in range(3)}
    ids["单"] = unit("单建协会", "A", OrgKind.SOCIAL)
    ids["无"] = unit("无党组织企业", "D")
    ids["E"] = unit("其他类高分企业", "E")
    ids["J"] = party_orgs.create_party_org(
        db,
        PartyOrgDraft(
            name="第一联合党支部",
            formation=Formation.JOINT,
            covered_ids=[ids["联0"], ids["联1"], ids["联2"]],
        ),
    )
    ids["O"] = party_orgs.create_party_org(
        db,
        PartyOrgDraft(
            name="单建协会党支部",
            formation=Formation.OWN,
            covered_ids=[ids["单"]],
            demo_site=DemoSiteLevel.CITY,
            demo_site_year=2025,
        ),
    )
    return ids


YEARS = {
    2025: {"联0": "95", "联1": "92", "联2": "80", "单": "91", "无": "85", "E": "99"},
    2026: {"联0": "95", "联1": "92", "联2": "90", "单": "79.9", "无": "85", "E": "99"},
}


def _scored(db: Database) -> dict[str, int]:
    ids = _park(db)
    for year, totals in YEARS.items():
        assessments.open_period(db, str(year), "五星争创")
        for key, total in totals.items():
            _score(db, year, ids[key], total)
        assessments.set_published(db, str(year), True)
    return ids


def test_each_party_organization_is_rated_once_and_a_unit_without_one_has_no_star(
    db: Database,
) -> None:
    _scored(db)
    found = party_org_stars.year_stars(db, 2026)
    names = [p.name for p in found.party_orgs]
    assert sorted(names) == ["单建协会党支部", "第一联合党支部"]  # the joint branch once
    joint = next(p for p in found.party_orgs if p.formation is Formation.JOINT)
    own = next(p for p in found.party_orgs if p.formation is Formation.OWN)
    assert joint.stars == _expected("95", "92", "90") == 5
    assert joint.total == Decimal("92.33")
    assert [u.name for u in joint.units] == ["联建企业0", "联建企业1", "联建企业2"]
    assert own.stars == _expected("79.9") == 3
    assert (joint.kind, own.kind) == (PartyOrgKind.ENTERPRISE, PartyOrgKind.SOCIAL)
    # the E unit's 99 and the unit without a party organization earn nothing
    assert found.counts == {5: 1, 4: 0, 3: 1}
    assert found.counts_by_kind == {
        PartyOrgKind.ENTERPRISE: {5: 1, 4: 0, 3: 0},
        PartyOrgKind.SOCIAL: {5: 0, 4: 0, 3: 1},
    }
    assert found.demo_sites[DemoSiteLevel.CITY] == 1


def test_a_demo_site_is_counted_even_when_its_organization_is_not_rated(db: Database) -> None:
    _scored(db)
    draft = PartyOrgDraft(
        name="新建示范点支部",
        formation=Formation.OWN,
        demo_site=DemoSiteLevel.PARK,
        demo_site_year=2026,
    )
    party_orgs.create_party_org(db, draft)
    found = party_org_stars.year_stars(db, 2026)
    assert "新建示范点支部" not in [p.name for p in found.party_orgs]  # no unit: no rating
    assert found.demo_sites == {
        DemoSiteLevel.PARK: 1,
        DemoSiteLevel.CITY: 1,
        DemoSiteLevel.REGION: 0,
    }


def test_the_history_shows_a_rise_and_a_fall_across_two_years(db: Database) -> None:
    _scored(db)
    found = {p.name: p for p in party_org_stars.year_stars(db, 2026).party_orgs}
    joint, own = found["第一联合党支部"], found["单建协会党支部"]
    assert joint.history == {2025: _expected("95", "92", "80"), 2026: 5} == {2025: 4, 2026: 5}
    assert (joint.previous, joint.change) == (4, StarChange.UP)
    assert own.history == {2025: _expected("91"), 2026: _expected("79.9")} == {2025: 5, 2026: 3}
    assert (own.previous, own.change) == (5, StarChange.DOWN)
    first = {p.name: p for p in party_org_stars.year_stars(db, 2025).party_orgs}
    assert first["第一联合党支部"].change is StarChange.NEW


def test_a_unit_unscored_or_vetoed_withholds_its_branchs_stars(db: Database) -> None:
    ids = _park(db)
    assessments.open_period(db, "2026", "五星争创")
    _score(db, 2026, ids["联0"], "99")
    _score(db, 2026, ids["联1"], "99")
    found = {p.name: p for p in party_org_stars.year_stars(db, 2026).party_orgs}
    joint = found["第一联合党支部"]
    assert (joint.total, joint.stars, joint.change) == (None, 0, None)  # 联建企业2 unscored
    assert found["单建协会党支部"].total is None  # its one unit unscored
    # the yearly preset has no veto item: the rule itself, as a scheme with one applies it
    vetoed = rate(FIVE_STARS, [Decimal(99), Decimal(95), Decimal(90)], ["", "严重违纪", ""])
    assert (vetoed.stars, vetoed.veto, vetoed.total) == (0, "严重违纪", Decimal("94.67"))


def test_the_command_line_lists_party_organizations_with_counts(
    db: Database, db_path: Path
) -> None:
    _scored(db)
    db.dispose()
    done = run_main("--db", str(db_path), "assess", "stars", "--year", "2026", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    rows = {r["name"]: r for r in data["party_orgs"]}
    assert list(rows) == ["第一联合党支部", "单建协会党支部"]
    joint = rows["第一联合党支部"]
    assert (joint["stars"], joint["previous"], joint["change"]) == (5, 4, "up")
    assert (joint["kind"], joint["formation"], joint["total"]) == ("enterprise", "joint", "92.33")
    assert [u["name"] for u in joint["units"]] == ["联建企业0", "联建企业1", "联建企业2"]
    assert rows["单建协会党支部"]["demo_site"] == "city"
    assert data["counts"] == {"5": 1, "4": 0, "3": 1}
    assert data["counts_by_kind"]["enterprise"] == {"5": 1, "4": 0, "3": 0}
    text = run_main("--db", str(db_path), "assess", "stars", "--year", "2026")
    assert "5星级1个" in text.stderr + text.stdout
    assert "Traceback" not in text.stderr


def test_a_demo_site_year_without_a_level_is_refused_and_nothing_written(db: Database) -> None:
    ids = _park(db)
    draft = party_orgs.get_draft(db, ids["O"])
    assert (draft.demo_site, draft.demo_site_year) == (DemoSiteLevel.CITY, 2025)
    draft.demo_site = DemoSiteLevel.NONE
    with pytest.raises(ValidationError) as refused:
        party_orgs.update_party_org(db, ids["O"], draft)
    assert "示范点年度" in str(refused.value.issues[0].message)
    assert party_orgs.get_draft(db, ids["O"]).demo_site is DemoSiteLevel.CITY
    row = next(r for r in party_orgs.list_party_orgs(db) if r.id == ids["O"])
    assert row.demo_site_text == "市级（2025）"


def test_a_demo_site_set_on_another_copy_arrives_by_a_database_merge(
    db: Database, tmp_path: Path
) -> None:
    """示范点 is a party organization's own field: it travels as its other fields do."""
    import sqlite3
    from dataclasses import replace

    from app.db.database import open_database
    from app.services.field import database_merge

    ids = _park(db)
    copy_path = tmp_path / "另一份" / "parkdesk.sqlite3"
    copy_path.parent.mkdir()
    with sqlite3.connect(db.path) as src, sqlite3.connect(copy_path) as dst:
        src.backup(dst)
    other = open_database(copy_path, daily_backup=False)
    try:
        draft = party_orgs.get_draft(other, ids["J"])
        party_orgs.update_party_org(
            other, ids["J"], replace(draft, demo_site=DemoSiteLevel.REGION, demo_site_year=2026)
        )
        merge = database_merge.preview_database_merge(db, other.path)
        database_merge.apply_database_merge(db, merge)
    finally:
        other.dispose()
    arrived = party_orgs.get_draft(db, ids["J"])
    assert (arrived.demo_site, arrived.demo_site_year) == (DemoSiteLevel.REGION, 2026)
