"""The ledger of packages (package_ledger): a field package made here, a return package
merged here, another copy of the database merged here — one row each, written inside
the caller's transaction; a copy merged again replaces its row (where it read up to).

A merge's row is written through its audit change (``change``): undoing the merge takes
the row back (the package can be merged again, a copy is read again from where the
merge before it stopped), and redoing it puts the row back."""

from __future__ import annotations

import contextlib
import json
import socket
from datetime import datetime
from typing import TYPE_CHECKING, Any

from app.db.bulk import stamp_text
from app.db.queries import field as q

if TYPE_CHECKING:
    from app.db.database import Database


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
    change: Any = None,  # audit.Change of the merge; None: not undoable (a package made)
    at: datetime | None = None,
) -> None:
    logged = (
        change.keeping("package_ledger", q.LEDGER_ROW_WHERE, (package_id,))
        if change is not None
        else contextlib.nullcontext()
    )
    with logged:
        conn.execute(
            q.LEDGER_RECORD,
            (
                package_id,
                kind,
                file_name,
                sha256,
                instructor,
                socket.gethostname() if device is None else device,
                stamp_text(at or datetime.now()),
                json.dumps(summary, ensure_ascii=False),
                "" if change is None else change.id,
            ),
        )


def entries(db: Database) -> list[tuple[Any, ...]]:
    """The ledger, newest first: when, kind, instructor, file name, summary (JSON)."""
    with db.read_connection() as conn:
        return conn.execute(q.LEDGER_ENTRIES).fetchall()
