from __future__ import annotations

from collections import Counter

from app.db.database import Database
from app.domain.rules import Rule
from app.domain.vocabulary import Formation, OrgKind, OrgStatus
from app.services.files import demo
from app.services.registry import instructors, org_list, park, party_orgs
from tests.conftest import TODAY


def test_demo_park_has_what_the_first_run_promises(demo_db: Database) -> None:
    orgs = org_list.list_organizations(demo_db, TODAY)
    pos = party_orgs.list_party_orgs(demo_db, TODAY)
    assert len(orgs) == 120
    assert {o.kind for o in orgs} == {OrgKind.ENTERPRISE, OrgKind.SOCIAL}
    assert {o.zone for o in orgs} == {"东区", "西区"}
    assert set(Counter(o.formation for o in orgs)) == set(Formation)
    assert len(pos) >= 20
    assert max(p.units for p in pos if p.formation is Formation.JOINT) == 6
    rules = Counter(w.rule for o in orgs for w in o.warnings)
    assert rules[Rule.SHOULD_SET_UP] >= 1
    assert rules[Rule.PARTY_ORG_MISSING] >= 1
    po_rules = Counter(w.rule for p in pos for w in p.warnings)
    assert po_rules[Rule.ELECTION_OVERDUE] >= 1 and po_rules[Rule.ELECTION_DUE_SOON] >= 1
    assert any(p.postponed_until for p in pos)
    assert {o.class_code for o in orgs} == set("ABCDE")
    assert all(o.cluster for o in orgs if o.party_org_id)
    assert any(o.status is not OrgStatus.ACTIVE and not o.in_base for o in orgs)
    assert sum(1 for i in instructors.list_instructors(demo_db, TODAY) if i.organizations) >= 10
    assert park.get_park(demo_db).configured


def test_demo_is_deterministic(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from app.db.database import open_database

    def build(name: str) -> list[tuple[str, str, str]]:
        db = open_database(tmp_path / name)
        demo.build_demo(db, 300, today=TODAY)
        rows = [(o.uscc, o.name, o.formation.value) for o in org_list.list_organizations(db)]
        db.dispose()
        return rows

    assert build("a.sqlite3") == build("b.sqlite3")


def test_demo_refuses_a_registry_with_data(demo_db: Database) -> None:
    import pytest

    with pytest.raises(ValueError, match="空数据库"):
        demo.build_demo(demo_db, 10, today=TODAY)


def test_demo_assessments_read_back_unchanged_from_their_own_template(
    demo_db: Database, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """The demo's scores are stored as the app stores what is typed: a template of them,
    imported back, changes nothing; a published half-year and last year's stars exist."""
    from app.services.assessment import (
        assessment_exports,
        assessment_results,
        assessments,
        party_org_stars,
        score_import,
    )

    assert assessments.period_codes(demo_db) == ["2026H2", "2026H1", "2025"]
    path = assessment_exports.export_template(demo_db, tmp_path / "t.xlsx", "2026H2")
    preview = score_import.preview_scores(demo_db, path, "2026H2")
    assert (preview.count("new"), preview.count("changed"), preview.errors) == (0, 0, [])
    ranking = assessment_results.rank_period(demo_db, "2026H1")
    assert ranking.published and ranking.subsidy > 0
    # 星级党组织 (stars belong to party organizations, each rated once)
    assert sum(party_org_stars.year_star_counts(demo_db, 2025).values()) > 0
