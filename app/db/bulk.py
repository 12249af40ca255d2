"""Many rows at once, straight through sqlite3, inside the session's transaction."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy.orm import Session

from app.domain.vocabulary import Formation, OrgStatus


def _sql_value(value: Any) -> Any:
    """As SQLAlchemy stores it in SQLite (the rows are read back through it)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def raw_insert(s: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    """One executemany on the session's own sqlite3 connection (same transaction):
    SQLAlchemy's per-row parameter handling costs more than SQLite's insert here."""
    names = [c.name for c in table.columns]
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    conn = s.connection().connection.driver_connection
    conn.executemany(sql, [tuple(_sql_value(r.get(n)) for n in names) for r in rows])


# An organization row as the models' defaults make it, for rows written in bulk
ORGANIZATION_DEFAULTS: dict[str, Any] = {
    "social_subtype": None,
    "industry": "",
    "scale": None,
    "employees": None,
    "legal_rep": "",
    "investor": "",
    "investor_is_member": None,
    "address": "",
    "zone": "",
    "building": "",
    "contact": "",
    "phone": "",
    "founded": None,
    "formal_members": None,
    "probationary_members": None,
    "activists": None,
    "has_union": None,
    "has_youth_league": None,
    "has_women_org": None,
    "status": OrgStatus.ACTIVE.value,
    "status_date": None,
    "in_base": True,
    "base_reason": "",
    "formation": Formation.NONE.value,
    "no_party_org_reason": None,
    "party_org_id": None,
    "class_code": None,
    "cluster_id": None,
    "is_cluster_leader": False,
    "notes": "",
    "uscc": None,
}
