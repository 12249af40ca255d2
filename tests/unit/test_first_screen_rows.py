"""The registry's first screenful, read alone as the window opens, is exactly the head
of the whole registry in name order: the same rows, the same name ranks, the same
warnings and instructors (the rest of the rows follow from the whole read)."""

from __future__ import annotations

from app.domain.validation import OrganizationDraft
from app.services.registry import org_list, organizations


def test_the_first_rows_are_the_head_of_the_whole_registry(demo_db) -> None:  # type: ignore[no-untyped-def]
    # names that sort by number value and a name twice (ties go by id, as in the list)
    for name in ("第10公司", "第9公司", "第9公司", "1号企业"):
        organizations.create_organization(demo_db, OrganizationDraft(name=name))
    whole = sorted(org_list.list_organizations(demo_db), key=lambda r: r.name_rank)
    for count in (1, 7, 60, len(whole), len(whole) + 5):
        first = org_list.first_organizations(demo_db, count)
        assert first.total == len(whole)
        assert sorted(first.rows, key=lambda r: r.name_rank) == whole[:count]
        assert first.complete == (count >= len(whole))
    # warnings and instructors came along (the demo park has both)
    head = org_list.first_organizations(demo_db, len(whole)).rows
    assert any(r.warnings for r in head) and any(r.instructors for r in head)


def test_an_empty_registry_has_an_empty_first_screen(db) -> None:  # type: ignore[no-untyped-def]
    first = org_list.first_screen(db)
    assert first.rows == [] and first.total == 0 and first.complete
