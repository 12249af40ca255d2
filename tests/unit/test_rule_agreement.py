"""Every place that shows a rule agrees: 总览's figure, the worklist, the registry's
warning column, the party organization page, and `stats`/`check` on the command
line; and a rule's number, changed in app/domain/rules.py, changes all of them."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date

import pytest

from app import cli
from app.db.database import Database
from app.domain import rules, terms
from app.domain.rules import Rule
from app.domain.validation import OrganizationDraft, PartyOrgDraft
from app.domain.vocabulary import Formation, PartyOrgLevel
from app.services.files import demo
from app.services.overview import gaps
from app.services.overview.figures import figure_list, registry_figures
from app.services.registry import org_list, organizations, party_orgs
from app.services.registry.detach import DetachDraft, detach_unit

TODAY = date.today()  # the command line reads the real today


@dataclass
class Counts:
    overview: dict[str, int]
    worklist: Counter[Rule]
    registry: Counter[Rule]
    party_orgs: Counter[Rule]
    stats: dict[str, object]
    check: Counter[str]


def _counts(db: Database, capsys: pytest.CaptureFixture[str]) -> Counts:
    figures = registry_figures(db).total
    overview = {
        "should_set_up": figures.three_plus_without_own,
        "should_set_up_list": len(figure_list(db, "should_set_up")),
        "work_uncovered": figures.in_base - figures.work_covered,
        "work_uncovered_list": len(figure_list(db, "work_uncovered")),
    }
    worklist = Counter(g.rule for g in gaps.find_gaps(db))
    registry = Counter(
        w.rule
        for row in org_list.list_organizations(db)
        if row.in_base
        for w in row.warnings
        if w.rule in (Rule.SHOULD_SET_UP, Rule.PARTY_ORG_MISSING)
    )
    party = Counter(w.rule for p in party_orgs.list_party_orgs(db) for w in p.warnings)
    capsys.readouterr()
    assert cli.run(["--db", str(db.path), "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)["total"]
    assert cli.run(["--db", str(db.path), "check", "--json"]) == 0
    check = Counter(g["rule"] for g in json.loads(capsys.readouterr().out))
    return Counts(overview, worklist, registry, party, stats, check)


def _assert_agree(c: Counts) -> None:
    should = c.overview["should_set_up"]
    assert should == c.overview["should_set_up_list"] == c.worklist[Rule.SHOULD_SET_UP]
    assert should == c.registry[Rule.SHOULD_SET_UP] == c.stats["three_plus_without_own"]
    assert should == c.check["should_set_up"]
    missing = c.worklist[Rule.PARTY_ORG_MISSING]
    assert missing == c.registry[Rule.PARTY_ORG_MISSING] == c.check["party_org_missing"]
    uncovered = c.overview["work_uncovered"]
    assert uncovered == c.overview["work_uncovered_list"] == c.worklist[Rule.NO_WORK_COVERAGE]
    assert uncovered == c.stats["base"] - c.stats["work_covered"] == c.check["no_work_coverage"]
    rules_on_party_orgs = (
        Rule.JOINT_TOO_LARGE,
        Rule.JOINT_TOO_SMALL,
        Rule.ELECTION_OVERDUE,
        Rule.ELECTION_DUE_SOON,
    )
    for rule in rules_on_party_orgs:
        assert c.worklist[rule] == c.party_orgs[rule] == c.check[rule.value], rule


@pytest.fixture
def every_rule_db(db: Database) -> Database:
    """The demo park, and records made to hit each rule at its edge."""
    demo.build_demo(db, 300, today=TODAY)
    for formal in (2, 3, 4):  # 3 is the edge of 应建未建
        organizations.create_organization(
            db, OrganizationDraft(name=f"{formal}名党员的公司", formal_members=formal)
        )
    joint = party_orgs.create_party_org(
        db,
        PartyOrgDraft(
            name="边界联合支部",
            level=PartyOrgLevel.BRANCH,
            formation=Formation.JOINT,
            secretary="",
            last_election=terms.add_years(TODAY, -3).replace(day=1),
        ),
    )
    for n in range(6):  # one more unit than a joint branch should cover
        organizations.create_organization(
            db,
            OrganizationDraft(
                name=f"联合单位{n}", formation=Formation.JOINT, party_org_id=joint, formal_members=1
            ),
        )
    # two joint branches of two units, at the edge of "too small"; in one, a unit sets
    # up its own branch and leaves the other alone
    for name in ("两单位联合支部", "另一个两单位联合支部"):
        pair = party_orgs.create_party_org(
            db, PartyOrgDraft(name=name, formation=Formation.JOINT, secretary="李")
        )
        units = [
            organizations.create_organization(
                db,
                OrganizationDraft(
                    name=f"{name}之{n}",
                    formation=Formation.JOINT,
                    party_org_id=pair,
                    formal_members=3,
                ),
            )
            for n in (1, 2)
        ]
    detach_unit(db, units[0], DetachDraft("单建党支部", TODAY, secretary="王"))
    return db


def test_every_view_of_every_rule_agrees(
    every_rule_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    c = _counts(every_rule_db, capsys)
    _assert_agree(c)
    for rule in Rule:  # the park hits every rule
        assert c.worklist[rule] > 0, rule


def test_changing_a_rules_number_changes_every_view(
    every_rule_db: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _counts(every_rule_db, capsys)
    monkeypatch.setattr(rules, "THREE_MEMBERS", 4)
    monkeypatch.setattr(rules, "JOINT_MAX_UNITS", 6)
    monkeypatch.setattr(rules, "JOINT_MIN_UNITS", 3)
    monkeypatch.setattr(terms, "DUE_SOON_DAYS", 400)
    after = _counts(every_rule_db, capsys)
    _assert_agree(after)
    assert after.worklist[Rule.SHOULD_SET_UP] < before.worklist[Rule.SHOULD_SET_UP]
    assert after.worklist[Rule.JOINT_TOO_LARGE] < before.worklist[Rule.JOINT_TOO_LARGE]
    assert after.worklist[Rule.JOINT_TOO_SMALL] > before.worklist[Rule.JOINT_TOO_SMALL]
    assert after.worklist[Rule.ELECTION_DUE_SOON] > before.worklist[Rule.ELECTION_DUE_SOON]
