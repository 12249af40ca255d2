"""Alembic environment: always run on a connection the application hands over."""

from __future__ import annotations

from alembic import context

from app.db.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    conn = config.attributes["connection"]
    # Foreign keys off while tables are recreated (batch mode would otherwise
    # cascade deletes to child rows); the pragma is a no-op inside a transaction.
    if conn.in_transaction():
        conn.commit()
    conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
    context.configure(
        connection=conn,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    conn.commit()
    problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    conn.exec_driver_sql("PRAGMA foreign_keys=ON")
    conn.commit()
    if problems:
        raise RuntimeError(f"foreign key check failed after migration: {problems[:5]}")


if context.is_offline_mode():
    raise RuntimeError("ParkDesk runs migrations online only")
run_migrations_online()
