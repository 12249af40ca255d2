"""Which park a database, a copy of it or a package belongs to: the one identity check
of a return package (`field merge`) and of another copy (`merge`).

The park's database has its identity (the ``database_id`` setting); a copy of it made
by copying the file has the same one. A field database opened from a field package
has one of its own (it is never a whole copy: merged as one, everything outside its
package would read as deleted) and remembers the package it came from: its id, the
database that made it (``park_id``) and that park's office database (``office_id``,
the same unless a laptop made the package again for another). So a copy's own files
are told from another park's: a laptop's own return package, a sibling laptop's, a
package made again from a laptop, the laptop's database itself.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.db.queries import field as q
from app.db.sqlite_file import open_read_only
from app.services.field.field_office import FIELD_SETTING


@dataclass(frozen=True, slots=True)
class Identity:
    database_id: str
    field: dict[str, Any] | None  # a field database's package, None for the park's own

    @property
    def office_id(self) -> str:
        """The park's office database this one belongs to (itself for the office)."""
        if self.field is None:
            return self.database_id
        return str(self.field.get("office_id") or self.field.get("park_id") or "")


def identity(conn: sqlite3.Connection) -> Identity:
    settings = dict(conn.execute(q.IDENTITY_SETTINGS, (FIELD_SETTING,)))
    field = settings.get(FIELD_SETTING)
    return Identity(settings.get("database_id", ""), json.loads(field) if field else None)


def identity_of(path: Path) -> Identity:
    conn = open_read_only(path)
    try:
        return identity(conn)
    finally:
        conn.close()


def return_refusal(ours: Identity, manifest: dict[str, Any], name: str) -> str | None:
    """Why a return package cannot be merged into this database, or None when it was
    made for this very database: said for what it is, never "another park" for a file
    of this park's own."""
    park_id = manifest.get("park_id")
    if park_id and park_id == ours.database_id:
        return None
    park = manifest.get("park_name") or "未知"
    if ours.field is not None and manifest.get("field_package_id") == ours.field["package_id"]:
        return (
            f"“{name}”是这台笔记本（本外业数据库）自己制作的回传包，其中的修改本机已有，"
            f"不能再导入这里；请把它带回办公室，在{park}的数据库中导入"
        )
    if ours.field is not None and park_id == ours.field.get("park_id"):
        who = manifest.get("instructor") or "另一位指导员"
        return (
            f"“{name}”是本园区另一份外业包（{who}）带回的，外业数据库不能导入回传包；"
            f"请在办公室{park}的数据库中导入"
        )
    if manifest.get("office_id") and manifest["office_id"] == ours.office_id:
        return (
            f"“{name}”带回的是本园区外业笔记本再次制作的外业包（不是本数据库制作的）："
            "请先在制作那个外业包的笔记本上导入，再由它制作回传包带回"
        )
    return f"“{name}”是为另一个园区数据库（{park}）制作的外业包带回的，不能导入这里"


def copy_refusal(ours: Identity, other: Identity, name: str) -> str | None:
    """Why another database cannot be merged as a copy of this one, or None for a copy."""
    if ours.database_id and other.database_id == ours.database_id:
        return None
    if other.field is not None and other.office_id == ours.office_id:
        return (
            f"“{name}”是本园区的外业数据库（由外业包打开），不是本数据库的副本，不能合并；"
            "请在外业数据库中制作回传包，再在办公室导入回传包"
        )
    if ours.field is not None and other.database_id == ours.office_id:
        return (
            f"“{name}”是本外业数据库所属园区的数据库；外业数据库不能与它合并，"
            "请制作回传包带回办公室导入"
        )
    return f"“{name}”不是本数据库的副本（另一个园区或另建的数据库），不能合并"
