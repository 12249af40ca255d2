"""A change made before two copies parted, undone (or undone and redone) on one of
them afterwards: the merge both ways carries the undo too, never leaving the copies
silently different (found by tests/hostile/test_hostile_three_copies_machine.py: the
office undid opening 2026H2 after the laptop was copied; merged both ways, the laptop
kept the period and the office did not, and every merge said 无变化)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from app.db.database import Database, open_database
from app.domain.validation import OrganizationDraft
from app.services.assessment import assessments
from app.services.field import database_merge
from app.services.files import audit, redo
from app.services.registry import organizations


def _merge(into: Database, other: Database, take: str = "theirs") -> None:
    merge = database_merge.preview_database_merge(into, other.path)
    database_merge.apply_database_merge(into, merge, everywhere=take)


def _both_ways(office: Database, laptop: Database) -> None:
    """The laptop into the office, then the office (its side taken) into the laptop."""
    _merge(office, laptop, "ours")
    _merge(laptop, office, "theirs")


def _phone(db: Database, unit: int) -> str:
    return organizations.get_draft(db, unit).phone


@pytest.fixture
def copies(db: Database, tmp_path: Path, db_copy):  # type: ignore[no-untyped-def]
    unit = organizations.create_organization(db, OrganizationDraft(name="甲公司"))
    draft = organizations.get_draft(db, unit)
    organizations.update_organization(db, unit, replace(draft, phone="0771-1111111"))
    return db, db_copy(db, tmp_path / "laptop.sqlite3"), unit


def test_an_edit_made_before_copying_and_undone_at_the_office_reaches_the_laptop(
    copies: tuple[Database, Database, int],
) -> None:
    office, laptop, unit = copies
    audit.undo_last(office)  # the phone typed before the copy was made
    _both_ways(office, laptop)
    assert _phone(office, unit) == _phone(laptop, unit) == ""


def test_an_edit_made_before_copying_and_undone_on_the_laptop_reaches_the_office(
    copies: tuple[Database, Database, int],
) -> None:
    office, laptop, unit = copies
    audit.undo_last(laptop)
    _merge(office, laptop)
    assert _phone(office, unit) == ""


def test_an_undo_merged_then_redone_reaches_the_other_copy_again(
    copies: tuple[Database, Database, int],
) -> None:
    office, laptop, unit = copies
    audit.undo_last(office)
    _merge(laptop, office)  # the laptop takes the undo
    redo.redo_last(office)  # the phone again, after the laptop read the undo
    _merge(laptop, office)
    assert _phone(office, unit) == _phone(laptop, unit) == "0771-1111111"


def test_a_period_opened_before_copying_and_undone_goes_from_both_copies(
    db: Database, tmp_path: Path
) -> None:
    assessments.ensure_period(db, "2026H2")
    path = tmp_path / "laptop.sqlite3"
    with sqlite3.connect(db.path) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    laptop = open_database(path, daily_backup=False)
    try:
        audit.undo_last(db)
        _both_ways(db, laptop)
        assert assessments.period_codes(db) == assessments.period_codes(laptop) == []
    finally:
        laptop.dispose()
