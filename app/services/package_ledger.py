"""The ledger of packages (package_ledger): a field package made here, a return package
merged here, another copy of the database merged here — one row each, written inside
the caller's transaction; a copy merged again replaces its row (where it read up to)."""

from __future__ import annotations

import json
import socket
from datetime import datetime
from typing import Any

from app.db.bulk import stamp_text


def record(
    conn: Any,
    package_id: str,
    kind: str,  # field | return | database
    file_name: str,
    summary: dict[str, Any],
    *,
    sha256: str = "",
    instructor: str = "",
    device: str | None = None,
    change_id: str = "",
    at: datetime | None = None,
) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO package_ledger (package_id, kind, file_name, sha256, instructor,"
        " device, at, summary, change_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            package_id,
            kind,
            file_name,
            sha256,
            instructor,
            socket.gethostname() if device is None else device,
            stamp_text(at or datetime.now()),
            json.dumps(summary, ensure_ascii=False),
            change_id,
        ),
    )
