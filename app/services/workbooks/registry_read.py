"""The registry read for a workbook: what exchange/records.py turns into the registry
sheet's cells (the exchange reads no database)."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.db.database import Database
from app.db.queries import workbooks as q
from app.exchange import records
from app.exchange.records import STORED_KEYS, RegistryRead


def read_registry(db: Database) -> RegistryRead:
    """Every organization's stored columns and the names of what it is linked to."""
    with db.read_connection() as conn:
        po = dict(conn.execute(q.PARTY_ORG_NAMES))
        clusters = dict(conn.execute(q.CLUSTER_NAMES))
        instructors: dict[int, list[str]] = {}
        # on duty and in force: the work coverage a county counts from this column
        for org_id, name in conn.execute(q.LOOKED_AFTER_BY, {"today": date.today().isoformat()}):
            instructors.setdefault(org_id, []).append(name)
        cols = ["id", "uuid", "party_org_id", "cluster_id", *STORED_KEYS]
        rows = conn.execute(q.organizations_by_id(cols)).fetchall()
    return RegistryRead(rows, po, clusters, instructors)


def registry_records(db: Database) -> list[dict[str, Any]]:
    """Every organization, in registry order (by name), as the registry sheet's cells
    plus its uuid."""
    return records.records_of(read_registry(db))
