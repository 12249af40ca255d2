"""Names sort with their numbers by value, in the lists, the tables and the workbook."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from app.db.database import Database
from app.domain.sorting import natural_key
from app.domain.validation import PartyOrgDraft
from app.domain.vocabulary import Formation, PartyOrgLevel
from app.services.registry import party_orgs


def test_numbers_sort_by_value() -> None:
    names = ["第10联合支部", "第1联合支部", "第2联合支部", "甲公司", "第1联合支部（二）"]
    assert sorted(names, key=natural_key) == [
        "甲公司",
        "第1联合支部",
        "第1联合支部（二）",
        "第2联合支部",
        "第10联合支部",
    ]


@given(st.lists(st.text(alphabet="第联合支部0123456789 a", max_size=8)))
def test_any_names_sort_in_a_consistent_order(names: list[str]) -> None:
    keys = [natural_key(n) for n in sorted(names, key=natural_key)]
    assert all(a <= b for a, b in pairwise(keys))


def test_party_organizations_are_listed_in_natural_order(db: Database) -> None:
    for n in (10, 1, 2):
        party_orgs.create_party_org(
            db,
            PartyOrgDraft(
                name=f"第{n}联合支部", level=PartyOrgLevel.BRANCH, formation=Formation.JOINT
            ),
        )
    assert [p.name for p in party_orgs.list_party_orgs(db)] == [
        "第1联合支部",
        "第2联合支部",
        "第10联合支部",
    ]
