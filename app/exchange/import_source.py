"""What the registry import reads of the park, as plain data handed in by the service
(app/services/workbooks/import_reads.py): the exchange reads no database.

The registry comes as rows (tuples, as the database gives them): the preview builds
its lookups from them, and turns whole rows into dicts only for the organizations
the sheet matches."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from app.exchange.plans import ORG_FIELDS

# an organization's whole row as the preview compares it, in this order
ORG_ROW_COLUMNS = (*ORG_FIELDS, "id", "party_org_id", "cluster_id")
# what every organization is matched and linked by (its row's keys)
ORG_KEY_COLUMNS = ("id", "uscc", "name", "formation", "party_org_id")


@dataclass(frozen=True, slots=True)
class StoredRegistry:
    """The registry a sheet is compared against, as stored."""

    party_orgs: list[tuple[int, str, str]]  # id, name, formation
    clusters: list[tuple[str, int]]  # name, id
    instructors: list[tuple[int, str, str]]  # id, uuid, name: those on duty first
    assigned: list[tuple[int, str]]  # organization id, instructor's name (in force today)
    # every organization: its ORG_KEY_COLUMNS, or (whole) its ORG_ROW_COLUMNS
    organizations: list[tuple[Any, ...]]
    whole: bool = False


class ImportSource(Protocol):
    """The park a preview compares a sheet against."""

    def registry(self, rows_at_most: int) -> StoredRegistry:
        """The registry; whole rows too when a sheet of up to ``rows_at_most`` rows may
        match most organizations (read while the sheet is parsed: keep it quick)."""
        ...

    def organization_rows(self, ids: list[int]) -> Iterable[tuple[Any, ...]]:
        """The whole rows (ORG_ROW_COLUMNS) of these organizations, others' maybe too."""
        ...

    def imported_at(self, file_hash: str) -> datetime | None:
        """When a file of this sha256 was last imported (not undone), if ever."""
        ...

    def mapping(self, signature: str) -> dict[str, str | None]:
        """The columns as the clerk matched them for these headers (letter → field)."""
        ...
