"""The three-way merge of one record, field by field: what it was when the package was
made (base), what the office has now (ours), what the field sends (theirs). A field
changed on one side only takes that side's value; changed on both to different values
it is a conflict, shown to the clerk and never settled here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

_ABSENT = object()


@dataclass(frozen=True, slots=True)
class FieldConflict:
    field: str
    base: Any
    ours: Any
    theirs: Any


def merge_fields(
    base: dict[str, Any] | None, ours: dict[str, Any], theirs: dict[str, Any]
) -> tuple[dict[str, Any], list[FieldConflict]]:
    """The merged values (ours where a field conflicts) and the conflicts. A field the
    package does not carry (a package from an older schema) keeps ours; without a base
    (the record was made on both sides) every difference is a conflict."""
    merged = dict(ours)
    conflicts: list[FieldConflict] = []
    for key, mine in ours.items():
        theirs_value = theirs.get(key, _ABSENT)
        if theirs_value is _ABSENT or theirs_value == mine:
            continue
        was = base.get(key, _ABSENT) if base is not None else _ABSENT
        if theirs_value == was:
            continue  # changed here only
        if mine == was:
            merged[key] = theirs_value  # changed there only
        else:
            conflicts.append(
                FieldConflict(key, None if was is _ABSENT else was, mine, theirs_value)
            )
    return merged, conflicts
