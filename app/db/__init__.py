"""SQLite storage: models, engine, migrations, backups, error classification."""
