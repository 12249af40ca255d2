"""What else travels back from the laptop (issue 13): scores entered in the field (and
the same unit scored in the office meanwhile: a conflict, never two rows), corrections
to the read-only registry, and a return package from an older ParkDesk (its records
lack fields this one has: they keep the office's values)."""

from __future__ import annotations

import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from app.db.database import Database, open_database
from app.domain.validation import OrganizationDraft, ValidationError
from app.exchange.packages import sha256_of
from app.services.assessment import assessment_results, assessments
from app.services.field import corrections, field_package, package_merge, return_package
from app.services.registry import instructors, organizations
from app.services.registry.instructors import InstructorDraft

SIX = {"组织设置": 15, "党员队伍": 15, "组织生活": 20, "工作保障": 15, "作用发挥": 20}


@pytest.fixture
def pair(db: Database, tmp_path: Path):  # type: ignore[no-untyped-def]
    unit = organizations.create_organization(
        db, OrganizationDraft(name="甲科技有限公司", class_code="A")
    )
    who = instructors.create_instructor(db, InstructorDraft(name="王指导"))
    instructors.assign(db, who, unit)
    assessments.ensure_period(db, "2026H2")
    package = tmp_path / "p.pdfield"
    field_package.make_field_package(db, package, instructor="王指导")
    field_package.open_field_package(package, tmp_path / "laptop" / "f.sqlite3")
    field = open_database(tmp_path / "laptop" / "f.sqlite3", daily_backup=False)
    with field.read_connection() as conn:
        field_unit = conn.execute("SELECT id FROM organization").fetchone()[0]
    yield db, field, unit, field_unit, tmp_path
    field.dispose()


def _back(field: Database, folder: Path) -> Path:
    out = folder / "back.pdreturn"
    return_package.make_return_package(field, out)
    return out


def test_scores_entered_in_the_field_rank_in_the_office(pair) -> None:  # type: ignore[no-untyped-def]
    office, field, unit, field_unit, folder = pair
    entry = assessments.ScoreEntry({**SIX, "品牌特色": "14.5"}, bonus="2")
    assessments.set_scores(field, "2026H2", field_unit, entry)
    preview = package_merge.preview_merge(office, _back(field, folder))
    assert preview.as_report()["created"] == 1
    package_merge.apply_merge(office, preview)
    (ranked,) = assessment_results.rank_period(office, "2026H2").classes["A"].ranked
    assert (ranked.unit_id, ranked.total) == (unit, Decimal("101.5"))  # totals made here


def test_the_same_unit_scored_on_both_sides_is_a_conflict_not_two_rows(pair) -> None:  # type: ignore[no-untyped-def]
    office, field, unit, field_unit, folder = pair
    assessments.set_scores(
        field, "2026H2", field_unit, assessments.ScoreEntry({**SIX, "品牌特色": 15})
    )
    assessments.set_scores(office, "2026H2", unit, assessments.ScoreEntry({**SIX, "品牌特色": 10}))
    preview = package_merge.preview_merge(office, _back(field, folder))
    conflicts = preview.as_report()["conflicts"]
    assert {c["field"] for c in conflicts} == {"scores"}
    package_merge.apply_merge(office, preview, everywhere=package_merge.THEIRS)
    ranking = assessment_results.rank_period(office, "2026H2")
    (ranked,) = ranking.classes["A"].ranked
    assert ranked.total == Decimal(100)  # the field's 15, in the office's one row
    with office.read_connection() as conn:
        assert conn.execute("SELECT count(*) FROM assessment_score").fetchone()[0] == 1


def test_a_correction_suggested_in_the_field_reaches_the_clerk(pair) -> None:  # type: ignore[no-untyped-def]
    office, field, unit, field_unit, folder = pair
    corrections.suggest(field, field_unit, "联系电话", "0772-1234567", "书记换了")
    package_merge.apply_merge(office, package_merge.preview_merge(office, _back(field, folder)))
    (arrived,) = corrections.list_corrections(office)
    assert (arrived.org_id, arrived.field, arrived.value, arrived.status_label) == (
        unit,
        "联系电话",
        "0772-1234567",
        "待处理",
    )
    corrections.settle(office, arrived.id, accepted=True)
    assert corrections.list_corrections(office)[0].status_label == "已采纳"


def test_a_package_from_an_older_parkdesk_is_read_with_its_fields(pair) -> None:  # type: ignore[no-untyped-def]
    """A package made by an older ParkDesk (an older schema revision) whose records
    lack a field this one has: taken, a new record with the field's default."""
    office, field, _unit, field_unit, folder = pair
    corrections.suggest(field, field_unit, "地址", "新地址")
    path = _back(field, folder)
    older = folder / "older.pdreturn"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(older, "w") as out:
        manifest = json.loads(src.read("manifest.json"))
        changes = json.loads(src.read("changes.json"))
        for change in changes:
            change["data"].pop("note", None)  # a field the older program did not write
        body = json.dumps(changes).encode()
        manifest["schema"], manifest["files"]["changes.json"] = "0014", sha256_of(body)
        out.writestr("manifest.json", json.dumps(manifest))
        out.writestr("changes.json", body)
    preview = package_merge.preview_merge(office, older)
    package_merge.apply_merge(office, preview)
    (arrived,) = corrections.list_corrections(office)
    assert (arrived.value, arrived.note) == ("新地址", "")


def test_adopting_a_correction_sets_the_units_field_in_one_change_undone_whole(pair) -> None:  # type: ignore[no-untyped-def]
    """采纳 applies it (issue 25): the unit's phone set, the value now shown beside the one
    proposed, the office's own change since said, 撤销 takes both back; a value the form
    would refuse is refused with nothing written; a link is answered and pointed to."""
    from app.services.files import audit

    office, field, unit, field_unit, folder = pair
    corrections.suggest(field, field_unit, "联系电话", "0772-1234567")
    corrections.suggest(field, field_unit, "正式党员数", "很多")
    corrections.suggest(field, field_unit, "所属党组织", "中共某某支部")
    package_merge.apply_merge(office, package_merge.preview_merge(office, _back(field, folder)))
    before = organizations.get_draft(office, unit).phone
    # the office changes the phone meanwhile
    draft = organizations.get_draft(office, unit)
    draft.phone = "0772-580580"
    organizations.update_organization(office, unit, draft)
    rows = {r.field: r for r in corrections.list_corrections(office)}
    phone = rows["联系电话"]
    assert phone.current == "0772-580580" and "0772-580580" in phone.meanwhile
    assert phone.key == "phone" and rows["所属党组织"].key is None

    def status(field: str) -> str:
        return {r.field: r.status_label for r in corrections.list_corrections(office)}[field]

    adopted = corrections.adopt(office, phone.id)
    assert adopted.applied and organizations.get_draft(office, unit).phone == "0772-1234567"
    assert corrections.list_corrections(office)[-1].status_label in ("已采纳", "待处理")
    assert {r.field: r.status_label for r in corrections.list_corrections(office)}[
        "联系电话"
    ] == "已采纳"
    assert audit.undo_last(office) is not None  # the answer and the edit, as one
    assert organizations.get_draft(office, unit).phone == "0772-580580"
    assert {r.field: r.status_label for r in corrections.list_corrections(office)}[
        "联系电话"
    ] == "待处理"

    with pytest.raises(ValidationError):
        corrections.adopt(office, rows["正式党员数"].id)
    assert {r.field: r.status_label for r in corrections.list_corrections(office)}[
        "正式党员数"
    ] == "待处理"
    link = corrections.adopt(office, rows["所属党组织"].id)
    assert not link.applied and "组织台账" in link.message
    assert before != "0772-1234567"
