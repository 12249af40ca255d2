"""A new database's schema in one transaction: the models' tables and indexes, the
triggers of migration 0017 and the identity row of 0008, stamped at the head revision
(Alembic's documented create_all + stamp, without importing Alembic). Running the 19
migrations one by one on an empty file costs ≈190 ms of CPU. tests/db/test_schema_created.py
holds the result equal to what the migrations build, entry by entry of sqlite_master."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from app.db import published_guard

if TYPE_CHECKING:
    from sqlalchemy import Engine

# the table Alembic's stamp makes, as it makes it
_VERSION_TABLE = (
    "CREATE TABLE alembic_version ( version_num VARCHAR(32) NOT NULL,"
    " CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num) )"
)


def is_empty(engine: Engine) -> bool:
    """Whether the file holds no table, view, index or trigger at all (new or empty)."""
    with engine.connect() as conn:
        return conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar() == 0


def create_new(engine: Engine, head: str) -> None:
    """Make the whole schema on an empty database, stamped ``head``, all or nothing."""
    from app.db.models import OWN_PARK_ID, Base

    with engine.connect() as conn:
        # pysqlite opens no transaction before DDL by itself: BEGIN here, so a failure
        # half-way leaves the file empty (closing the connection rolls back)
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        Base.metadata.create_all(conn, checkfirst=False)
        for statement in published_guard.create_triggers():
            conn.exec_driver_sql(statement)
        # the database's own identity, as migration 0008 gives it
        conn.exec_driver_sql(
            "INSERT INTO setting (key, value) VALUES ('database_id', ?)", (str(uuid.uuid4()),)
        )
        # the park's row, unnamed until the first run names it, as migration 0025 makes it
        conn.exec_driver_sql(
            "INSERT INTO park (id, uuid, name, reporting_unit, level, created_at)"
            " VALUES (?, ?, '', '', 'park', ?)",
            (OWN_PARK_ID, str(uuid.uuid4()), datetime.now().isoformat(sep=" ")),
        )
        conn.exec_driver_sql(_VERSION_TABLE)
        conn.exec_driver_sql("INSERT INTO alembic_version (version_num) VALUES (?)", (head,))
        conn.commit()
