"""The return package: what an instructor did on the laptop, for the clerk. Made from a
field database: every travelling record new or changed since the field package was
made (with the version and the values it was based on), every one deleted (as a
tombstone with the version it had), and the photos of the visits it carries."""

from __future__ import annotations

import json
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app.db.backup_check import database_id
from app.db.database import Database
from app.db.migrate import SCHEMA_HEAD
from app.db.queries import field as q
from app.db.queries import merge as merge_q
from app.exchange.packages import PackageError, write_package
from app.services.field import field_records
from app.services.field.field_package import field_info


@dataclass(frozen=True, slots=True)
class ReturnPackageResult:
    package_id: str
    created: int
    changed: int
    deleted: int
    path: Path


def field_changes(db: Database) -> list[dict[str, Any]]:
    """The field database's changes since its package was made, as the package writes them."""
    with db.read_connection() as conn:
        base = {
            (entity, uid): (version, json.loads(data))
            for entity, uid, version, data in conn.execute(q.FIELD_BASE)
        }
        now = field_records.read_all(conn)
    changes: list[dict[str, Any]] = []
    for key, record in now.items():
        was = base.get(key)
        if was is not None and field_records.compared(was[1]) == field_records.compared(
            record.data
        ):
            continue
        changes.append(
            {
                "entity": record.entity,
                "uuid": record.uuid,
                "row_version": record.row_version,
                "base_version": was[0] if was else 0,
                "base": was[1] if was else None,
                "data": record.data,
            }
        )
    for (entity, uid), (version, data) in base.items():
        if (entity, uid) not in now:
            changes.append(
                {
                    "entity": entity,
                    "uuid": uid,
                    "row_version": version,
                    "base_version": version,
                    "base": data,
                    "deleted": True,
                }
            )
    # parents before what refers to them: a new visit before the problem raised on it
    order = {e: i for i, e in enumerate(field_records.ENTITIES)}
    changes.sort(key=lambda c: (order[c["entity"]], c["uuid"]))
    return changes


def make_return_package(db: Database, out: Path) -> ReturnPackageResult:
    info = field_info(db)
    if info is None:
        raise PackageError("当前数据库不是外业数据库：回传包只能在指导员的外业数据库中制作")
    changes = field_changes(db)
    files: dict[str, bytes | Path] = {
        "changes.json": json.dumps(changes, ensure_ascii=False).encode("utf-8")
    }
    folder = db.path.parent / "attachments"
    for change in changes:
        for _name, stored in (
            change.get("data", {}).get("attachments", []) if "data" in change else []
        ):
            if (folder / stored).is_file():
                files[f"attachments/{stored}"] = folder / stored
    package_id = str(uuid.uuid4())
    with db.read_connection() as conn:  # orders this database's packages (field_seen.py)
        (log,) = conn.execute(merge_q.LAST_AUDIT_ID).fetchone()
    deleted = sum(1 for c in changes if c.get("deleted"))
    created = sum(1 for c in changes if not c.get("deleted") and c["base"] is None)
    manifest = {
        "package_id": package_id,
        "field_package_id": info.package_id,
        "field_database": database_id(db.path) or "",
        "field_log": log,
        "park_id": info.park_id,
        "office_id": info.office_id,
        "park_name": info.park_name,
        "instructor": info.instructor,
        "schema": SCHEMA_HEAD,
        "device": socket.gethostname(),
        "made_at": datetime.now().isoformat(timespec="seconds"),
        "counts": {
            "created": created,
            "changed": len(changes) - created - deleted,
            "deleted": deleted,
        },
    }
    write_package(out, "return", manifest, files)
    return ReturnPackageResult(package_id, created, len(changes) - created - deleted, deleted, out)
