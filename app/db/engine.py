"""Engine factory: pragmas on every connection."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

from app.db import dialect

BUSY_TIMEOUT_S = 10
CACHE_KIB = 32 * 1024


def make_engine(db_path: Path) -> Engine:
    engine = create_engine(
        f"sqlite:///{db_path}",
        connect_args={"timeout": BUSY_TIMEOUT_S},
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        for pragma in dialect.CONNECTION_PRAGMAS:
            cur.execute(pragma)
        # 32 MB of page cache (SQLite's default is 2 MB): a 10,000-row import touches
        # index pages all over a 10 MB file, and spilled pages would be read back
        # (the memory is taken only as pages are used)
        cur.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        cur.close()

    return engine
