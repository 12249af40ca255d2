"""重做 (Ctrl+Y) beside 撤销: an edit, a deletion and a whole import undone and done
again — the same records, the same identities — and nothing to redo once something
else has changed since."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from app.db.database import Database
from app.domain.validation import OrganizationDraft
from app.services.files import audit, redo
from app.services.registry import org_list, organizations
from app.services.workbooks.imports import apply_import, preview_import
from tests.conftest import write_xlsx


def _names(db: Database) -> set[str]:
    return {r.name for r in org_list.list_organizations(db)}


def test_an_edit_and_a_deletion_undone_and_redone(db: Database) -> None:
    a = organizations.create_organization(db, OrganizationDraft(name="甲公司"))
    uuid = org_list.list_organizations(db)[0].uuid
    draft = organizations.get_draft(db, a)
    organizations.update_organization(db, a, replace(draft, phone="0772-1234567"))
    assert redo.redoable(db) is None
    audit.undo_last(db)
    assert organizations.get_draft(db, a).phone == ""
    assert redo.redoable(db) is not None
    redo.redo_last(db)
    assert organizations.get_draft(db, a).phone == "0772-1234567"
    organizations.delete_organization(db, a)
    audit.undo_last(db)
    assert [r.uuid for r in org_list.list_organizations(db)] == [uuid]
    redo.redo_last(db)
    assert _names(db) == set()
    audit.undo_last(db)  # a redone change is undone again
    assert [r.uuid for r in org_list.list_organizations(db)] == [uuid]


def test_a_whole_import_comes_back_with_its_identities(db: Database, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "名录.xlsx",
        [["组织名称", "统一社会信用代码"], ["甲公司", "91450200MA5N6C5H2H"], ["乙公司", None]],
    )
    apply_import(db, preview_import(db, path))
    before = {(r.name, r.uuid, r.id) for r in org_list.list_organizations(db)}
    audit.undo_last(db)
    assert _names(db) == set()
    assert redo.redo_last(db) is not None
    assert {(r.name, r.uuid, r.id) for r in org_list.list_organizations(db)} == before


def test_nothing_to_redo_once_something_else_changed(db: Database) -> None:
    organizations.create_organization(db, OrganizationDraft(name="甲公司"))
    audit.undo_last(db)
    organizations.create_organization(db, OrganizationDraft(name="乙公司"))
    assert redo.redoable(db) is None and redo.redo_last(db) is None
    assert _names(db) == {"乙公司"}
