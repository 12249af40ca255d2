"""Per-user window settings (column layouts, geometry) in QSettings."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, qVersion

# bump when a table's columns change, so an old saved layout is not applied
LAYOUT_VERSION = 1


def settings() -> QSettings:
    return QSettings("ParkDesk", "ParkDesk")


def _key(name: str) -> str:
    return f"layout/v{LAYOUT_VERSION}/qt{qVersion()}/{name}"


def save_bytes(name: str, value: QByteArray) -> None:
    s = settings()
    s.setValue(_key(name), value)
    s.sync()


def load_bytes(name: str) -> QByteArray | None:
    # a default keeps Qt from handing back None (see ui/tasks.py _Box)
    value = settings().value(_key(name), QByteArray())
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def save_text(name: str, value: str) -> None:
    settings().setValue(name, value)


def load_text(name: str) -> str:
    value = settings().value(name, "")  # a default keeps Qt from handing back None
    return value if isinstance(value, str) else ""
