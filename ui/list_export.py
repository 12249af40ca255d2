"""Saving a list shown in the window (the figures' lists, the worklist) as a workbook:
in a worker, with the message a clerk needs when the file is open in Excel or WPS."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from ui import messages
from ui.table_model import Column
from ui.tasks import run_task


def save_list(
    parent: QWidget, path: Path, title: str, columns: Sequence[Column], rows: Sequence[Any]
) -> None:
    """Write ``rows`` as the page shows them (the columns' texts) to ``path``."""
    from app.exchange.export import write_table

    headers = [(c.title, c.width // 7) for c in columns]
    cells = [[c.text(r) for c in columns] for r in rows]

    def failed(exc: BaseException) -> None:
        if not isinstance(exc, PermissionError):
            raise exc
        messages.warn(
            parent,
            messages.tr("无法保存"),
            messages.tr("文件可能正在 Excel/WPS 中打开：\n%s") % path,
        )

    # 10,000 rows take seconds to write: not on the GUI thread
    run_task(
        parent,
        messages.tr("正在保存 %s …") % path.name,
        lambda _p: write_table(path, title, headers, cells),
        None,
        failed,
    )
