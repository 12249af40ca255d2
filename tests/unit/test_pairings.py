"""结对帮带: directions and their warnings, what a pairing refuses, class at start →
class now, the class history during a pairing, and the worklist rule."""

from __future__ import annotations

from datetime import date

import pytest

from app.db.database import Database
from app.domain.pairing import pairing_warnings
from app.domain.rules import Rule
from app.domain.validation import OrganizationDraft, ValidationError
from app.domain.vocabulary import ClassBasis, Formation, OrgClass
from app.services.files import audit
from app.services.grouping import classes, pairings
from app.services.grouping.classes import ClassDecision
from app.services.grouping.pairings import PairingDraft
from app.services.overview.gaps import find_gaps
from app.services.registry import organizations, park

TODAY = date(2026, 11, 23)
START = date(2025, 3, 1)


@pytest.mark.parametrize(
    ("helper", "helped", "warned"),
    [
        ("A", "C", False),
        ("B", "D", False),
        ("A", "B", False),
        ("C", "A", True),
        ("A", "D", True),
        ("B", "C", True),
        (None, "C", True),
    ],
)
def test_directions(helper: str | None, helped: str, warned: bool) -> None:
    found = pairing_warnings(OrgClass(helper) if helper else None, OrgClass(helped))
    assert bool(found) is warned
    if warned and helper:
        assert "A→C 示范带成长" in found[0]  # the recommended ways are named


def _org(db: Database, name: str, code: str | None, own: bool = True) -> int:
    formation = Formation.OWN if own else Formation.NONE
    draft = OrganizationDraft(
        name=name, class_code=code, formation=formation, formal_members=3 if own else 1
    )
    return organizations.create_organization(db, draft, date(2024, 1, 2))  # registered then


@pytest.fixture
def units(db: Database) -> dict[str, int]:
    return {
        "浩丰建材": _org(db, "浩丰建材", "A"),
        "浩丰实业": _org(db, "浩丰实业", "C"),
        "小微商贸": _org(db, "小微商贸", "D", own=False),
        "联合单位": _org(db, "联合单位", "B", own=False),
    }


def test_refusals_say_what_and_write_nothing(db: Database, units: dict[str, int]) -> None:
    cases = [
        (PairingDraft(units["浩丰建材"], units["浩丰建材"], START), "pair_self"),
        (PairingDraft(units["小微商贸"], units["浩丰实业"], START), "helper_without_own"),
        (PairingDraft(units["浩丰建材"], units["浩丰实业"], None), "started_missing"),
        (
            PairingDraft(units["浩丰建材"], units["浩丰实业"], START, ended_on=date(2025, 1, 1)),
            "ends_before_start",
        ),
        (PairingDraft(None, units["浩丰实业"], START), "helper_missing"),
    ]
    for draft, code in cases:
        with pytest.raises(ValidationError) as err:
            pairings.create_pairing(db, draft)
        assert code in [i.code for i in err.value.issues], code
    assert pairings.list_pairings(db, TODAY) == []
    pairings.create_pairing(db, PairingDraft(units["浩丰建材"], units["浩丰实业"], START))
    with pytest.raises(ValidationError) as err:
        pairings.create_pairing(db, PairingDraft(units["浩丰建材"], units["浩丰实业"], TODAY))
    assert [i.code for i in err.value.issues] == ["pair_duplicate"]


def test_suixi_haofeng_rose_from_c_to_b_while_paired(db: Database, units: dict[str, int]) -> None:
    """浩丰实业 rose from C to B while paired with 浩丰建材: the list shows C → B and
    the class history says it happened during the pairing."""
    helped = units["浩丰实业"]
    pid = pairings.create_pairing(
        db, PairingDraft(units["浩丰建材"], helped, START, goal="一年内达到稳健类")
    )
    pairings.add_entry(db, pid, date(2025, 5, 20), "联合开展主题党日")
    with pytest.raises(ValidationError):
        pairings.add_entry(db, pid, date(2025, 1, 1), "早于开始")
    classes.apply_review(
        db, 2025, [ClassDecision(helped, OrgClass.B, "年度考核优秀")], date(2025, 12, 20)
    )
    pairings.end_pairing(db, pid, date(2026, 3, 1), "升为稳健类")
    (row,) = pairings.list_pairings(db, TODAY)
    assert (row.helped.class_at_start, row.helped.class_now) == (OrgClass.C, OrgClass.B)
    assert (row.helper.class_now, row.active, row.entries) == (OrgClass.A, False, 1)
    history = classes.class_history(db, helped)
    assert history[0].basis is ClassBasis.REVIEW and history[0].during_pairing == "浩丰建材"
    assert history[-1].during_pairing == ""  # set when the unit was created, before the pairing
    # ending needs an outcome
    with pytest.raises(ValidationError):
        pairings.end_pairing(db, pid, date(2026, 3, 1), " ")


def test_an_off_direction_is_allowed_with_a_warning(db: Database, units: dict[str, int]) -> None:
    pairings.create_pairing(db, PairingDraft(units["浩丰实业"], units["联合单位"], START))
    (row,) = pairings.list_pairings(db, TODAY)
    assert row.direction == "C→B" and "不是推荐的帮带方向" in row.warning_text


def test_worklist_wants_c_and_d_paired_unless_turned_off(
    db: Database, units: dict[str, int]
) -> None:
    def unpaired() -> set[str]:
        return {g.name for g in find_gaps(db, TODAY) if g.rule is Rule.UNPAIRED}

    assert unpaired() == {"浩丰实业", "小微商贸"}
    pid = pairings.create_pairing(db, PairingDraft(units["浩丰建材"], units["浩丰实业"], START))
    assert unpaired() == {"小微商贸"}
    pairings.end_pairing(db, pid, date(2026, 1, 1), "完成")  # ended: wanted again
    assert unpaired() == {"浩丰实业", "小微商贸"}
    park.set_unpaired_rule(db, False)
    assert unpaired() == set()


def test_deleting_a_unit_takes_its_pairings_and_undo_brings_them_back(
    db: Database, units: dict[str, int]
) -> None:
    pid = pairings.create_pairing(db, PairingDraft(units["浩丰建材"], units["浩丰实业"], START))
    pairings.add_entry(db, pid, date(2025, 5, 20), "联合开展主题党日")
    organizations.delete_organization(db, units["浩丰建材"])
    assert pairings.list_pairings(db, TODAY) == []
    audit.undo_last(db)
    (row,) = pairings.list_pairings(db, TODAY)
    assert row.entries == 1 and row.helper.name == "浩丰建材"


def test_command_line_lists_pairings(db: Database, db_path, units: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    import json

    from tests.conftest import run_main

    pairings.create_pairing(
        db, PairingDraft(units["浩丰建材"], units["浩丰实业"], START, goal="达到稳健类")
    )
    pairings.create_pairing(db, PairingDraft(units["浩丰实业"], units["联合单位"], START))
    db.dispose()
    done = run_main("--db", str(db_path), "pairings", "list", "--json")
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)
    first = next(p for p in listed if p["helper"]["name"] == "浩丰建材")
    assert first["helper"] == {"uscc": None, "name": "浩丰建材", "class": "A"}
    assert first["helped"] == {
        "uscc": None,
        "name": "浩丰实业",
        "class_at_start": "C",
        "class_now": "C",
    }
    assert (first["started"], first["ended"], first["goal"], first["warnings"]) == (
        "2025-03-01",
        None,
        "达到稳健类",
        [],
    )
    keys = {"uuid", "helper", "helped", "started", "ended", "goal", "outcome", "warnings"}
    assert set(first) == keys and len(first["uuid"]) == 36  # the uuid `pairings end` takes
    off = next(p for p in listed if p["helper"]["name"] == "浩丰实业")
    assert "不是推荐的帮带方向" in off["warnings"][0]
