"""A list the window shows (a figure's organizations, the worklist) saved as a
styled workbook, written as the submission is."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.exchange.export import write_table


def save_list(
    path: Path, title: str, headers: Sequence[tuple[str, int]], rows: Sequence[Sequence[Any]]
) -> Path:
    """``rows`` of cells under ``headers`` (title, width) in one sheet at ``path``."""
    return write_table(path, title, headers, rows)
