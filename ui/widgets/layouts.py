"""Emptying a layout that a page fills again (the 外业包 tab after a merge, the
overview's warning buttons after a refresh)."""

from __future__ import annotations

from PySide6.QtWidgets import QLayout


def clear(layout: QLayout) -> None:
    """Take every widget out of ``layout`` now, and delete it. Taken out at once, not
    only deleted later: until the event loop deletes it, an old widget would still be a
    child that ``findChild`` finds before its replacement (an empty ledger, say)."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.setParent(None)  # type: ignore[call-overload]
            widget.deleteLater()
        inner = item.layout()
        if inner is not None:
            # a row of buttons added as a layout: its widgets too (left behind, they
            # floated over the page unmanaged — the 外业包 tab's stray 不采纳, issue 25)
            clear(inner)
            inner.deleteLater()
