"""Issue 22: published results rewritten by a merge. A published period is frozen on
every write path — a return package, a database merge, undo, the grid, a unit's
deletion, raw SQL — and a merge shows its records as 已发布，未合并 while the rest
merges. Publishing says how many units are unscored."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from app.db import published_guard
from app.db.database import Database, open_database
from app.db.errors import DbProblem, DbProblemKind
from app.domain.validation import OrganizationDraft, ValidationError
from app.domain.visits import VisitDraft
from app.domain.vocabulary import VisitKind
from app.services.assessment import (
    assessment_exports,
    assessment_results,
    assessment_settings,
    assessments,
    score_import,
)
from app.services.field import database_merge, field_package, package_merge, return_package, visits
from app.services.files import audit
from app.services.registry import organizations
from tests.conftest import run_main
from tests.hostile.conftest import SCORED_NAMES, five_scored_units, score_entry

DAY = date(2026, 11, 20)
NAMES = SCORED_NAMES


_entry = score_entry


def _results(db: Database) -> list[tuple[str, int | None, bool, Decimal]]:
    """What publishing promised each unit: rank, 优秀, 以奖代补."""
    ranking = assessment_results.rank_period(db, "2026H2")
    return sorted((r.name, r.rank, r.excellent, r.subsidy) for r in ranking.classes["A"].rows)


@pytest.fixture
def park(db: Database) -> tuple[Database, dict[str, int], int]:
    """Five A units scored in 2026H2 (甲 best … 戊 last), 4,000 元 per 优秀 unit."""
    ids, who = five_scored_units(db, "2026H2")
    return db, ids, who


def test_a_return_package_does_not_rewrite_published_results(park, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    office, ids, _who = park
    package = tmp_path / "p.pdfield"
    field_package.make_field_package(office, package, instructor="王指导")
    field_package.open_field_package(package, tmp_path / "laptop" / "f.sqlite3")
    field = open_database(tmp_path / "laptop" / "f.sqlite3", daily_backup=False)
    try:
        with field.read_connection() as conn:
            field_ids = dict(conn.execute("SELECT name, id FROM organization"))
            (field_who,) = conn.execute("SELECT id FROM instructor").fetchone()
        # on the laptop, 戊 rises from last to first and 甲 falls; a visit is recorded
        assessments.set_scores(field, "2026H2", field_ids["戊公司"], _entry(15, bonus=5))
        assessments.set_scores(field, "2026H2", field_ids["甲公司"], _entry(0))
        visits.add_visit(
            field,
            VisitDraft(field_ids["乙公司"], DAY, VisitKind.VISIT, [field_who], "查阅记录"),
            DAY,
        )
        back = tmp_path / "back.pdreturn"
        return_package.make_return_package(field, back)
    finally:
        field.dispose()
    assessments.set_published(office, "2026H2", True)  # the office publishes meanwhile
    published = _results(office)
    preview = package_merge.preview_merge(office, back)
    report = preview.as_report()
    assert sorted(p["record"] for p in report["published"]) == [
        "评分 2026H2 戊公司",
        "评分 2026H2 甲公司",
    ]
    assert (report["created"], report["updated"], report["conflicts"]) == (1, 0, [])
    package_merge.apply_merge(office, preview)
    assert _results(office) == published  # rank, 优秀 and 4,000 元 as published
    assert [v.org.id for v in visits.list_visits(office, DAY)] == [ids["乙公司"]]  # merged


def test_a_database_merge_does_not_rewrite_published_results(park, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    office, ids, _who = park
    laptop_path = tmp_path / "笔记本" / "parkdesk.sqlite3"
    laptop_path.parent.mkdir()
    with sqlite3.connect(office.path) as src, sqlite3.connect(laptop_path) as dst:
        src.backup(dst)
    laptop = open_database(laptop_path, daily_backup=False)
    try:
        assessments.set_scores(laptop, "2026H2", ids["戊公司"], _entry(15, bonus=5))
        draft = organizations.get_draft(laptop, ids["丙公司"])
        organizations.update_organization(laptop, ids["丙公司"], replace(draft, phone="0772-1"))
    finally:
        laptop.dispose()
    assessments.set_published(office, "2026H2", True)
    published = _results(office)
    merge = database_merge.preview_database_merge(office, laptop_path)
    frozen = [i for i in merge.preview.items if i.outcome == "published"]
    assert [(i.entity, i.uuid) for i in frozen] == [("assessment_score", _score_uuid(office))]
    assert merge.preview.as_report()["updated"] == 1  # the phone
    # the command line says the same (text and JSON)
    done = run_main("--db", str(office.path), "merge", str(laptop_path), "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "已发布，未合并\tassessment_score" in done.stdout
    assert "已发布，未合并1条" in done.stderr
    done = run_main("--db", str(office.path), "merge", str(laptop_path), "--dry-run", "--json")
    assert json.loads(done.stdout)["published"][0]["uuid"] == _score_uuid(office)
    database_merge.apply_database_merge(office, merge)
    assert _results(office) == published
    assert organizations.get_draft(office, ids["丙公司"]).phone == "0772-1"


def _score_uuid(db: Database) -> str:
    with db.read_connection() as conn:
        return conn.execute(
            "SELECT sc.uuid FROM assessment_score sc JOIN organization o"
            " ON o.id = sc.organization_id WHERE o.name = '戊公司'"
        ).fetchone()[0]


def test_undo_of_a_score_import_after_publishing_is_refused(park, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    office, _ids, _who = park
    path = assessment_exports.export_template(office, tmp_path / "评分表.xlsx", "2026H2")
    wb = openpyxl.load_workbook(path)
    ws = wb["考核评分"]
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 2).value == "戊公司")
    ws.cell(row, 9).value = 15  # 品牌特色: 戊 ties 甲
    wb.save(path)
    score_import.apply_scores(office, score_import.preview_scores(office, path, "2026H2"))
    assessments.set_published(office, "2026H2", True)
    published = _results(office)
    with pytest.raises(ValidationError, match="2026H2已发布，成绩不能再修改"):
        audit.undo_last(office)  # 发布 first: 撤销 never reopens a period
    assert _results(office) == published
    # and a score written while the period was open is not undone once it is published
    with office.session() as s:
        conn = s.connection().connection.driver_connection
        conn.execute("UPDATE audit_entry SET undone = 1 WHERE summary = '发布2026H2考核'")
    with pytest.raises(ValidationError, match=r"2026H2已发布.*不能撤销“导入《评分表\.xlsx》"):
        audit.undo_last(office)
    assert _results(office) == published


def test_the_database_refuses_raw_sql_on_a_published_period(park) -> None:  # type: ignore[no-untyped-def]
    office, ids, _who = park
    assessments.set_published(office, "2026H2", True)
    published = _results(office)
    raw = sqlite3.connect(office.path)
    raw.execute("PRAGMA foreign_keys = ON")
    try:
        for sql in (
            "UPDATE assessment_score SET total_tenths = 1200",
            "DELETE FROM assessment_score",
            f"DELETE FROM organization WHERE id = {ids['甲公司']}",  # cascades to its scores
            "UPDATE assessment_period SET code = '2027H1'",
            "DELETE FROM assessment_period",
            "UPDATE assessment_scheme SET definition = '{}'",
            f"INSERT INTO assessment_score (uuid, period_id, organization_id, scores, bonus,"
            f" veto, note, entered_by, updated_at) SELECT 'x', id, {ids['甲公司']}, '{{}}', '0',"
            " '', '', '', '2026-12-01' FROM assessment_period",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="PARKDESK_PUBLISHED_FROZEN"):
                raw.execute(sql)
        raw.execute("UPDATE assessment_period SET published = 0")  # 重新打开 stays possible
        raw.rollback()
    finally:
        raw.close()
    assert _results(office) == published
    # a write past the services is told in Chinese, naming the period
    with pytest.raises(DbProblem) as told, office.session() as s:
        s.connection().exec_driver_sql("UPDATE assessment_score SET bonus = '5'")
    assert told.value.kind is DbProblemKind.PUBLISHED
    assert told.value.message.startswith("2026H2已发布，成绩不能再修改")


def test_the_grid_and_a_unit_deletion_are_refused(park) -> None:  # type: ignore[no-untyped-def]
    office, ids, _who = park
    assessments.set_published(office, "2026H2", True)
    published = _results(office)
    with pytest.raises(ValidationError, match="2026H2已发布，成绩不能再修改"):
        assessments.set_scores(office, "2026H2", ids["戊公司"], _entry(15))
    with pytest.raises(ValidationError, match="“甲公司”在2026H2的考核成绩已发布，不能删除"):
        organizations.delete_organization(office, ids["甲公司"])
    assert _results(office) == published


def test_a_field_database_keeps_published_periods_frozen(park, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    office, _ids, _who = park
    assessments.set_published(office, "2026H2", True)
    package = tmp_path / "p.pdfield"
    field_package.make_field_package(office, package, instructor="王指导")
    target = tmp_path / "laptop" / "f.sqlite3"
    field_package.open_field_package(package, target)
    with sqlite3.connect(target) as raw:
        assert raw.execute("SELECT count(*) FROM assessment_score").fetchone() == (5,)
        with pytest.raises(sqlite3.IntegrityError, match="PARKDESK_PUBLISHED_FROZEN"):
            raw.execute("UPDATE assessment_score SET bonus = '5'")


def test_publishing_says_how_many_units_are_unscored(park) -> None:  # type: ignore[no-untyped-def]
    office, _ids, _who = park
    organizations.create_organization(office, OrganizationDraft(name="己公司", class_code="A"))
    organizations.create_organization(office, OrganizationDraft(name="庚协会"))
    done = run_main("--db", str(office.path), "assess", "publish", "--period", "2026H2", "--json")
    assert done.returncode == 0, done.stderr
    assert "2026H2还有2个单位未完成评分（A 示范类1个、未分类1个）" in done.stderr
    assert '"unscored": 2' in done.stdout
    assert assessment_results.rank_period(office, "2026H2").published


def test_a_period_published_on_the_other_copy_arrives_with_its_scores(park, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The clerk rescored and published on the laptop copy: the office ends with the
    laptop's published results, not the flag over its own older scores."""
    office, ids, _who = park
    laptop_path = tmp_path / "笔记本" / "parkdesk.sqlite3"
    laptop_path.parent.mkdir()
    with sqlite3.connect(office.path) as src, sqlite3.connect(laptop_path) as dst:
        src.backup(dst)
    laptop = open_database(laptop_path, daily_backup=False)
    try:
        assessments.set_scores(laptop, "2026H2", ids["戊公司"], _entry(15, bonus=5))
        assessments.set_published(laptop, "2026H2", True)
        theirs = _results(laptop)
    finally:
        laptop.dispose()
    merge = database_merge.preview_database_merge(office, laptop_path)
    assert [i for i in merge.preview.items if i.outcome == "published"] == []
    database_merge.apply_database_merge(office, merge)
    assert assessment_results.rank_period(office, "2026H2").published
    assert _results(office) == theirs
    assert ("戊公司", 1, True, Decimal(4000)) in theirs  # the laptop's new first


def test_every_guard_trigger_is_there_on_a_new_database(db: Database) -> None:
    """A later migration that rebuilds one of these tables drops its triggers: this
    fails until it makes them again."""
    with db.read_connection() as conn:
        have = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert set(published_guard.TRIGGERS) <= have


def test_a_later_change_of_the_subsidy_leaves_a_published_period_paid_as_published(park) -> None:  # type: ignore[no-untyped-def]
    office, _ids, _who = park
    assessments.set_published(office, "2026H2", True)
    published = _results(office)
    settings = assessment_settings.get_settings(office)
    assessment_settings.set_settings(office, replace(settings, subsidy={"A": Decimal(1000)}))
    assert _results(office) == published  # 4,000 元 each, as published
    assessments.set_published(office, "2026H2", False)  # reopened: today's amounts
    assert {r[3] for r in _results(office) if r[2]} == {Decimal(1000)}


def test_a_later_election_date_leaves_a_published_term_veto(park) -> None:  # type: ignore[no-untyped-def]
    """甲's party organization was overdue on 2026-12-31 (未按期换届) when 2026H2 was
    published; a corrected election date afterwards must not re-rank the period."""
    from app.domain.validation import PartyOrgDraft
    from app.domain.vocabulary import Formation, PartyOrgLevel
    from app.services.registry import party_orgs

    office, ids, _who = park
    party_orgs.create_party_org(
        office,
        PartyOrgDraft(
            name="甲公司党支部",
            level=PartyOrgLevel.BRANCH,
            formation=Formation.OWN,
            last_election=date(2023, 3, 1),
            covered_ids=[ids["甲公司"]],
        ),
    )
    assessments.set_published(office, "2026H2", True)
    published = _results(office)
    assert ("甲公司", None, False, Decimal(0)) in published  # vetoed
    pages = {n: assessment_results.unit_results(office, ids[n])[0].rank for n in NAMES}
    with sqlite3.connect(office.path) as raw:
        raw.execute("UPDATE party_organization SET last_election = '2025-06-01'")
    assert _results(office) == published
    assert {n: assessment_results.unit_results(office, ids[n])[0].rank for n in NAMES} == pages
    grid = assessment_results.grid(office, "2026H2")
    assert [r.name for r in grid.rows if r.term_veto] == ["甲公司"]


def test_a_unit_deleted_on_the_other_copy_stays_with_its_published_scores(
    park, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    office, ids, _who = park
    laptop_path = tmp_path / "笔记本" / "parkdesk.sqlite3"
    laptop_path.parent.mkdir()
    with sqlite3.connect(office.path) as src, sqlite3.connect(laptop_path) as dst:
        src.backup(dst)
    laptop = open_database(laptop_path, daily_backup=False)
    try:
        organizations.delete_organization(laptop, ids["甲公司"])  # still open there
    finally:
        laptop.dispose()
    assessments.set_published(office, "2026H2", True)
    published = _results(office)
    merge = database_merge.preview_database_merge(office, laptop_path)
    frozen = {i.entity for i in merge.preview.items if i.outcome == "published"}
    assert frozen == {"organization", "assessment_score"}
    database_merge.apply_database_merge(office, merge, everywhere="theirs")
    assert _results(office) == published
