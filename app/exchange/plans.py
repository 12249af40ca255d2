"""What an import preview says it will do: a plan for every row (new, changed
with old → new, unchanged, or bad with its problems) and what applying it did.
Which of an import's fields are written to the organization row and which are
links to other records is said here once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from app.domain.org_fields import LABELS, ORGANIZATION_FIELDS, ROW_FIELDS
from app.domain.vocabulary import CodeConflictChoice, Formation
from app.exchange.fields import BY_KEY, ValueKind
from app.exchange.layout import Layout

# fields written to the organization row itself (the others are links)
ORG_FIELDS = ROW_FIELDS
# the yes/no and date fields among them, by the kind of value each column holds
BOOL_FIELDS = tuple(k for k in ORG_FIELDS if k in BY_KEY and BY_KEY[k].kind is ValueKind.YES_NO)
DATE_FIELDS = tuple(k for k in ORG_FIELDS if k in BY_KEY and BY_KEY[k].kind is ValueKind.DATE)
LINK_FIELDS = tuple(f.key for f in ORGANIZATION_FIELDS if f.link)
# required or yes/no-with-a-default: a blank cell cannot mean "clear" for these
# (nor the credit code: an identity is never dropped because a name matched)
NEVER_CLEARED = {"name", "uscc", "kind", "status", "formation", "in_base", "is_cluster_leader"}

# each field as the preview names it (the template's header)
FIELD_LABELS = LABELS


@dataclass
class RowError:
    row: int
    column: str
    value: str
    reason: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
            "message": self.message,
        }


# rows an import leaves alone: bad ones, and code conflicts nobody settled
NOT_APPLIED = ("bad", "conflict")


@dataclass(slots=True)
class CodeConflict:
    """A row named like a registered organization that has another credit code."""

    org_id: int
    stored_name: str
    stored_uscc: str
    sheet_uscc: str
    choice: CodeConflictChoice | None = None


@dataclass(slots=True)
class RowPlan:
    row: int  # as Excel shows it
    status: str  # new | changed | unchanged | bad
    name: str = ""
    uscc: str = ""
    org_id: int | None = None
    values: dict[str, Any] = field(default_factory=dict)
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    raw: list[object] = field(default_factory=list)  # the cells as the sheet has them
    conflict: CodeConflict | None = None


@dataclass
class ImportPreview:
    path: Path
    file_hash: str
    sheet: str
    sheet_names: list[str]
    layout: Layout
    rows: list[RowPlan]
    new_party_orgs: dict[str, Formation] = field(default_factory=dict)
    new_instructors: list[str] = field(default_factory=list)
    new_clusters: list[str] = field(default_factory=list)
    blank_clears: bool = False
    already_imported: datetime | None = None
    own_sheets: Any = None  # OwnSheets when the file is ParkDesk's own export
    # rows of its other sheets left out (an instructor that cannot be told apart)
    own_errors: list[RowError] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def errors(self) -> list[RowError]:
        return [*(e for r in self.rows for e in r.errors), *self.own_errors]

    @property
    def good_rows(self) -> int:
        return sum(1 for r in self.rows if r.status not in NOT_APPLIED)

    @property
    def not_applied(self) -> int:
        """Rows left out: bad ones and unsettled code conflicts."""
        return sum(1 for r in self.rows if r.status in NOT_APPLIED)

    @property
    def settled(self) -> dict[int, CodeConflictChoice]:
        """The code conflicts decided, by row (to preview the file again)."""
        return {
            r.row: r.conflict.choice
            for r in self.rows
            if r.conflict is not None and r.conflict.choice is not None
        }

    @property
    def writes(self) -> bool:
        """Whether applying writes anything but the log (not so for the same file
        again): only then is a backup taken first."""
        return bool(
            any(r.status in ("new", "changed") for r in self.rows)
            or self.new_party_orgs
            or self.new_instructors
            or self.new_clusters
            or self.own_sheets is not None
        )


@dataclass
class ImportResult:
    created: int
    updated: int
    unchanged: int
    bad: int
    change_id: str
    backup: Path | None
    # every other record the import wrote, from its audit entries: the label of the
    # kind (联系分工, 指导员…) → (created, updated)
    others: dict[str, tuple[int, int]] = field(default_factory=dict)

    def others_text(self) -> str:
        """What else was written, as the window and the command line say it."""
        parts = []
        for label, (created, updated) in self.others.items():
            said = [f"新增{created}条" if created else "", f"更新{updated}条" if updated else ""]
            parts.append(label + "，".join(p for p in said if p))
        return "另外：" + "；".join(parts) + "。" if parts else ""
