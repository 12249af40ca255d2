"""What the main window asks of every page: the small contract it relies on."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from app.services.files.database_files import Database


@runtime_checkable
class Page(Protocol):
    """A page of the main window.

    ``stale``: its data changed behind it; the window reloads it when shown.
    ``loaded_once``: it has shown data at least once.
    ``changed``: it wrote something (the other pages become stale).
    ``status_message``: a line for the status bar.
    """

    page_name: str
    db: Database
    stale: bool
    loaded_once: bool
    changed: SignalInstance
    status_message: SignalInstance

    def reload(self, select_id: int | None = None) -> None:
        """Read its data again (in a worker), selecting ``select_id`` if it has rows."""

    def save_layout(self) -> None:
        """Remember what the user arranged (columns, splitters) for the next start."""


@runtime_checkable
class RecordPage(Page, Protocol):
    """A page listing records (组织台账, 党组织, 指导员) that can show one of them."""

    def show_rows(self, rows: list[object]) -> None:
        """Show rows read elsewhere (the registry's rows come with the start-up)."""

    def reveal(self, record_id: int) -> None:
        """Clear the search and filters and select the record, now or once loaded."""
