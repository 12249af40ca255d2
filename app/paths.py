"""Where ParkDesk keeps its files, on Windows and Linux alike (platformdirs)."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from platformdirs import user_data_path

from app import APP_NAME


def data_dir() -> Path:
    """Per-user data folder; PARKDESK_DATA_DIR overrides it (tests, portable use)."""
    override = os.environ.get("PARKDESK_DATA_DIR")
    path = Path(override) if override else user_data_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / "parkdesk.sqlite3"


def backup_dir_for(db_path: Path) -> Path:
    """Backups sit beside the database, in a folder of its own: two databases in
    one folder never mix their backups."""
    return db_path.parent / "backups" / db_path.stem


# how a backup is named: parkdesk-<date-time>[-<microseconds>][-<n>]-<reason>.sqlite3
BACKUP_NAME = re.compile(r"^parkdesk-(\d{8}-\d{6})(?:-(\d{6}))?(?:-(\d{1,5}))?-([a-z_]+)\.sqlite3$")


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def project_root() -> Path:
    """The source tree, or PyInstaller's unpack folder when frozen."""
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) if frozen else Path(__file__).resolve().parent.parent


def migrations_dir() -> Path:
    return project_root() / "migrations"
