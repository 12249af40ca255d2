"""The registry read for a workbook: what exchange/records.py turns into the registry
sheet's cells (the exchange reads no database)."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.db.database import Database
from app.db.rule_sql import LOOKED_AFTER
from app.exchange import records
from app.exchange.records import STORED_KEYS, RegistryRead


def read_registry(db: Database) -> RegistryRead:
    """Every organization's stored columns and the names of what it is linked to."""
    with db.read_connection() as conn:
        po = dict(conn.execute("SELECT id, name FROM party_organization"))
        clusters = dict(conn.execute("SELECT id, name FROM cluster"))
        instructors: dict[int, list[str]] = {}
        for org_id, name in conn.execute(
            "SELECT a.organization_id, i.name FROM assignment a JOIN instructor i"
            # on duty and in force: the work coverage a county counts from this column
            f" ON i.id = a.instructor_id WHERE {LOOKED_AFTER}"
            " ORDER BY i.name",
            {"today": date.today().isoformat()},
        ):
            instructors.setdefault(org_id, []).append(name)
        cols = ", ".join(["id", "uuid", "party_org_id", "cluster_id", *STORED_KEYS])
        rows = conn.execute(f"SELECT {cols} FROM organization ORDER BY id").fetchall()
    return RegistryRead(rows, po, clusters, instructors)


def registry_records(db: Database) -> list[dict[str, Any]]:
    """Every organization, in registry order (by name), as the registry sheet's cells
    plus its uuid."""
    return records.records_of(read_registry(db))
