"""The registry import's preview on a park's database: what app/exchange/importer.py
compares a sheet against (the registry, the rows it matched, the files imported
before, the clerk's column mappings) read here and handed to it, which reads no
database; and the clerk's mapping saved for the next sheet with these headers."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.db.by_ids import rows_by_ids
from app.db.queries import workbooks as q
from app.domain.vocabulary import CodeConflictChoice
from app.exchange import importer
from app.exchange.import_source import ORG_KEY_COLUMNS, ORG_ROW_COLUMNS, StoredRegistry
from app.exchange.layout import Layout
from app.exchange.plans import ImportPreview

if TYPE_CHECKING:
    from app.db.database import Database

_ROW_COLUMNS = list(ORG_ROW_COLUMNS)


class DatabaseSource:
    """The park's database as the preview reads it (importer.ImportSource). A read of
    more than a quarter of the organizations is one scan of the table: quicker than
    looking each up by id."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._count: int | None = None  # organizations, as the registry read counted them

    def registry(self, rows_at_most: int) -> StoredRegistry:
        with self.db.read_connection() as conn:
            party_orgs = conn.execute(q.PARTY_ORG_IDS).fetchall()
            clusters = conn.execute(q.CLUSTER_IDS).fetchall()
            instructors = conn.execute(q.INSTRUCTORS_ON_DUTY_FIRST).fetchall()
            today = {"today": date.today().isoformat()}
            assigned = conn.execute(q.ASSIGNED_NAMES, today).fetchall()
            (count,) = conn.execute(q.ORGANIZATION_COUNT).fetchone()
            self._count = count
            # a sheet that may match most organizations: their keys picked from the one
            # scan of whole rows rather than read by a scan of their own
            whole = bool(count) and rows_at_most > count // 4
            organizations = conn.execute(
                q.organizations(ORG_ROW_COLUMNS if whole else ORG_KEY_COLUMNS)
            ).fetchall()
        return StoredRegistry(party_orgs, clusters, instructors, assigned, organizations, whole)

    def organization_rows(self, ids: list[int]) -> Iterable[tuple[Any, ...]]:
        with self.db.read_connection() as conn:
            if self._count is None:
                (self._count,) = conn.execute(q.ORGANIZATION_COUNT).fetchone()
            if len(ids) > self._count // 4:
                return conn.execute(q.organizations(ORG_ROW_COLUMNS)).fetchall()
            return list(rows_by_ids(conn, "organization", _ROW_COLUMNS, ids))

    def imported_at(self, file_hash: str) -> datetime | None:
        with self.db.read_connection() as conn:
            row = conn.execute(q.IMPORTED_AT, (file_hash,)).fetchone()
        return datetime.fromisoformat(row[0]) if row else None

    def mapping(self, signature: str) -> dict[str, str | None]:
        with self.db.read_connection() as conn:
            row = conn.execute(q.MAPPING, (signature,)).fetchone()
        return json.loads(row[0]) if row else {}


def preview_import(
    db: Database,
    path: Path,
    sheet: str | None = None,
    mapping: dict[str, str | None] | None = None,
    blank_clears: bool = False,
    progress: importer.Progress | None = None,
    settled: Mapping[int, CodeConflictChoice] | None = None,
    ahead: importer.ReadAhead | None = None,
) -> ImportPreview:
    """What importing ``path`` into ``db`` would do, row by row (importer.preview_import).
    Writes nothing. A county database keeps no registry: refused before a preview
    promises what apply refuses. ``ahead``: the file's read begun before (``read_ahead``)."""
    from app.services.county.county_db import refuse_county

    refuse_county(db)
    source = DatabaseSource(db)
    return importer.preview_import(
        source, path, sheet, mapping, blank_clears, progress, settled, ahead
    )


def read_ahead(path: Path, sheet: str | None = None) -> importer.ReadAhead:
    """The workbook's read begun now, in a thread, for a ``preview_import`` of it to come
    (the command line parses the sheet while the database opens)."""
    return importer.ReadAhead(path, sheet)


def save_mapping(db: Database, layout: Layout) -> None:
    """The columns as the clerk matched them, kept for the next sheet with these headers."""
    from app.db.models import ImportMapping

    mapping = {c.letter: c.field or "" for c in layout.columns}
    with db.session() as s:
        row = s.get(ImportMapping, layout.signature)
        if row is None:
            s.add(ImportMapping(signature=layout.signature, mapping=json.dumps(mapping)))
        else:
            row.mapping = json.dumps(mapping)
            row.updated_at = datetime.now()
