"""The registry's columns, one home for the window's table and the printed register:
the key, the header, the cell's text, and how wide it is shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.domain.vocabulary import yes_no_label


@dataclass(frozen=True, slots=True)
class ListColumn:
    key: str
    label: str
    text: Callable[[Any], str]
    width: int  # in the window, in pixels; a printed page shares its width in proportion
    value: Callable[[Any], int | None] | None = None  # a count: right-aligned, sorted by it
    warning: bool = False  # shown in red


def _count(key: str, label: str, value: Callable[[Any], int | None], width: int = 70) -> ListColumn:
    return ListColumn(key, label, lambda r: "" if value(r) is None else str(value(r)), width, value)


REGISTRY_COLUMNS: tuple[ListColumn, ...] = (
    ListColumn("name", "组织名称", lambda r: r.name, 240),
    ListColumn("uscc", "统一社会信用代码", lambda r: r.uscc or "", 170),
    ListColumn("kind", "类型", lambda r: r.kind.label, 80),
    _count("formal", "正式党员", lambda r: r.formal_members),
    _count("prob", "预备党员", lambda r: r.probationary_members),
    ListColumn("formation", "组建方式", lambda r: r.formation.label, 80),
    ListColumn("party_org", "所属党组织", lambda r: r.party_org, 220),
    ListColumn("class", "分类", lambda r: r.class_code or "", 50),
    ListColumn("cluster", "编组", lambda r: r.cluster, 80),
    ListColumn("instructors", "指导员", lambda r: r.instructors, 90),
    ListColumn("status", "状态", lambda r: r.status.label, 60),
    ListColumn("in_base", "纳入基数", lambda r: yes_no_label(r.in_base), 70),
    ListColumn("warnings", "预警", lambda r: r.warning_text, 160, warning=True),
    ListColumn("zone", "片区", lambda r: r.zone, 60),
    ListColumn("contact", "联系人", lambda r: r.contact, 70),
    ListColumn("phone", "联系电话", lambda r: r.phone, 110),
    ListColumn("address", "地址", lambda r: r.address, 180),
)
# `orgs list --json` names the counts as the records do; `report registry --columns`
# takes those names too (the short keys stay, as the window and older scripts use them)
ORG_LIST_KEYS = {"formal": "formal_members", "prob": "probationary_members"}
BY_KEY = {
    **{c.key: c for c in REGISTRY_COLUMNS},
    **{long: c for c in REGISTRY_COLUMNS if (long := ORG_LIST_KEYS.get(c.key))},
}
# what a printed register shows unless columns are chosen: what a meeting reads
PRINTED = ("name", "uscc", "kind", "formal", "prob", "formation", "party_org", "class", "status")


def org_list_key(key: str) -> str:
    """A column's key as `orgs list --json` names it (formal → formal_members)."""
    return ORG_LIST_KEYS.get(key, key)
