"""Saving a list shown in the window (the figures' lists, the worklist) as a workbook:
in a worker, with the message a clerk needs when the file is open in Excel or WPS."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from ui import messages
from ui.table_model import Column
from ui.tasks import run_task


def _failed(parent: QWidget, path: Path, exc: BaseException) -> None:
    messages.save_failed(parent, exc, path)


def save_list(
    parent: QWidget, path: Path, title: str, columns: Sequence[Column], rows: Sequence[Any]
) -> None:
    """Write ``rows`` as the page shows them (the columns' texts) to ``path``."""
    from app.services.registry.lists import save_list as write_table

    headers = [(c.title, c.width // 7) for c in columns]
    cells = [[c.text(r) for c in columns] for r in rows]

    # 10,000 rows take seconds to write: not on the GUI thread
    run_task(
        parent,
        messages.tr("正在保存 %s …") % path.name,
        lambda _p: write_table(path, title, headers, cells),
        None,
        # a partial the task can check: no message for a window already closed
        functools.partial(_failed, parent, path),
    )
