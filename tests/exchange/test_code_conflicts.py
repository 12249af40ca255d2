"""A credit code is an identity: an import never replaces one because a name matched."""

from __future__ import annotations

import json
from pathlib import Path

from app.db.database import Database
from app.domain.uscc import make_valid
from app.domain.validation import OrganizationDraft
from app.domain.vocabulary import CodeConflictChoice, OrgKind
from app.services.registry import org_list, organizations
from app.services.workbooks import imports
from app.services.workbooks.import_apply import apply_import
from app.services.workbooks.imports import preview_import
from tests.conftest import SAMPLES_DIR, run_main, write_xlsx

STORED = make_valid("52450223MJ1628771")
SHEET = make_valid("52450223MJ7939706")


def _registered(db: Database, code: str | None = STORED) -> int:
    draft = OrganizationDraft(
        name="鹿寨县质量管理协会", uscc=code or "", kind=OrgKind.SOCIAL, formal_members=1
    )
    return organizations.create_organization(db, draft)


def _sheet(tmp_path: Path, code: str, name: str = "鹿寨县质量管理协会") -> Path:
    return write_xlsx(
        tmp_path / "登记表.xlsx",
        [["组织名称", "统一社会信用代码", "类型", "正式党员数"], [name, code, "社会组织", 5]],
    )


def _codes(db: Database) -> dict[str, str]:
    return {r.name + "#" + str(r.id): r.uscc or "" for r in org_list.list_organizations(db)}


def test_same_name_other_code_is_a_conflict_and_nothing_changes(
    db: Database, tmp_path: Path
) -> None:
    org = _registered(db)
    preview = preview_import(db, _sheet(tmp_path, SHEET))
    plan = preview.rows[0]
    assert plan.status == "conflict" and plan.org_id is None
    assert [(e.reason, e.value) for e in preview.errors] == [("uscc_conflict", SHEET)]
    assert STORED in preview.errors[0].message and SHEET in preview.errors[0].message
    assert preview.good_rows == 0 and preview.not_applied == 1
    result = apply_import(db, preview)
    assert (result.created, result.updated, result.bad) == (0, 0, 1)
    draft = organizations.get_draft(db, org)
    assert (draft.uscc, draft.formal_members) == (STORED, 1)


def test_keeping_the_stored_code_updates_the_rest(db: Database, tmp_path: Path) -> None:
    org = _registered(db)
    path = _sheet(tmp_path, SHEET)
    preview = preview_import(db, path, settled={2: CodeConflictChoice.KEEP_STORED})
    plan = preview.rows[0]
    assert (plan.status, plan.org_id) == ("changed", org)
    assert plan.changes == [("formal_members", 1, 5)]
    assert preview.errors == []
    apply_import(db, preview)
    draft = organizations.get_draft(db, org)
    assert (draft.uscc, draft.formal_members) == (STORED, 5)


def test_taking_the_sheets_code_is_a_change_that_can_be_undone(
    db: Database, tmp_path: Path
) -> None:
    org = _registered(db)
    preview = preview_import(
        db, _sheet(tmp_path, SHEET), settled={2: CodeConflictChoice.TAKE_SHEET}
    )
    plan = preview.rows[0]
    assert (plan.status, plan.org_id) == ("changed", org)
    assert ("uscc", STORED, SHEET) in plan.changes
    apply_import(db, preview)
    assert organizations.get_draft(db, org).uscc == SHEET
    log = imports.list_logs(db)[0]
    imports.undo_import(db, log.id)
    assert organizations.get_draft(db, org).uscc == STORED


def test_registering_the_row_separately_keeps_both(db: Database, tmp_path: Path) -> None:
    _registered(db)
    preview = preview_import(db, _sheet(tmp_path, SHEET), settled={2: CodeConflictChoice.SEPARATE})
    assert preview.rows[0].status == "new"
    apply_import(db, preview)
    assert sorted(_codes(db).values()) == sorted([STORED, SHEET])


def test_a_code_match_with_another_name_is_a_rename(db: Database, tmp_path: Path) -> None:
    org = _registered(db)
    plan = preview_import(db, _sheet(tmp_path, STORED, "鹿寨县质量协会")).rows[0]
    assert (plan.status, plan.org_id) == ("changed", org)
    assert ("name", "鹿寨县质量管理协会", "鹿寨县质量协会") in plan.changes


def test_a_registered_organization_without_a_code_takes_the_sheets(
    db: Database, tmp_path: Path
) -> None:
    org = _registered(db, None)
    preview = preview_import(db, _sheet(tmp_path, SHEET))
    plan = preview.rows[0]
    assert (plan.status, plan.org_id) == ("changed", org)
    apply_import(db, preview)
    assert organizations.get_draft(db, org).uscc == SHEET


def test_a_blank_code_never_clears_the_registered_one(db: Database, tmp_path: Path) -> None:
    org = _registered(db)
    path = write_xlsx(
        tmp_path / "无代码.xlsx",
        [["组织名称", "统一社会信用代码", "类型"], ["鹿寨县质量管理协会", None, "社会组织"]],
    )
    apply_import(db, preview_import(db, path, blank_clears=True))
    assert organizations.get_draft(db, org).uscc == STORED


def test_the_five_public_samples_one_after_another_replace_no_code(db: Database) -> None:
    """They name some organizations alike with other codes (11 were merged before)."""
    seen: dict[int, str] = {}
    conflicts = 0
    for sample in sorted(SAMPLES_DIR.glob("p*")):
        preview = preview_import(db, sample)
        conflicts += sum(1 for e in preview.errors if e.reason == "uscc_conflict")
        apply_import(db, preview)
        for row in org_list.list_organizations(db):
            if row.uscc:
                assert seen.setdefault(row.id, row.uscc) == row.uscc, row.name
    assert conflicts >= 11


def test_command_line_reports_the_conflict_and_applies_nothing_for_it(
    db_path: Path, tmp_path: Path
) -> None:
    from app.db.database import open_database

    database = open_database(db_path)
    org = _registered(database)
    database.dispose()
    done = run_main("--db", str(db_path), "import", str(_sheet(tmp_path, SHEET)), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert [e["reason"] for e in report["errors"]] == ["uscc_conflict"]
    assert (report["created"], report["updated"], report["good_rows"]) == (0, 0, 0)
    database = open_database(db_path)
    assert organizations.get_draft(database, org).uscc == STORED
    database.dispose()
