"""A filter over a list sorted by another column (the visits by unit, then 走访 chosen):
each row is asked about in the order the rows were read, their order in memory, and
the rows shown are the sorted list filtered. Asked in the sort's order, 100,000 visits
were walked at random across memory: the filter took 45–100 ms instead of 13
(bench/bench_visits.py, 按方式筛选)."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt

from app.domain.sorting import natural_key
from ui.table_model import Column, RowTableModel

pytestmark = pytest.mark.gui


@dataclass
class Visit:
    id: int
    unit: str
    kind: str


def _model(rows: list[Visit]) -> RowTableModel:
    model = RowTableModel(
        [Column("unit", "单位", lambda r: r.unit), Column("kind", "方式", lambda r: r.kind)]
    )
    model.set_rows(rows)
    return model


def _shown(model: RowTableModel) -> list[int]:
    return [model.row_at(i).id for i in range(model.rowCount())]


def test_a_filter_asks_the_rows_in_their_read_order_and_shows_them_sorted(qtbot) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(23)
    rows = [Visit(i, f"单位{rng.randint(1, 40)}", rng.choice(["走访", "暗访"])) for i in range(300)]
    model = _model(rows)
    model.sort(0, Qt.SortOrder.DescendingOrder)  # by unit: not the order read
    asked: list[int] = []

    def visited(row: Visit) -> bool:
        asked.append(row.id)
        return row.kind == "走访"

    model.set_filter(visited)
    assert asked == [r.id for r in rows]  # front to back, once each
    by_unit = sorted(rows, key=lambda r: natural_key(r.unit), reverse=True)
    assert _shown(model) == [r.id for r in by_unit if r.kind == "走访"]
    model.set_filter(None)
    assert _shown(model) == [r.id for r in by_unit]


def test_rows_filtered_in_the_worker_are_read_in_order_too(qtbot) -> None:  # type: ignore[no-untyped-def]
    rows = [Visit(i, f"单位{(i * 7) % 11}", "走访" if i % 3 else "暗访") for i in range(60)]
    model = _model([])
    model.sort(0, Qt.SortOrder.AscendingOrder)
    asked: list[int] = []

    def visited(row: Visit) -> bool:
        asked.append(row.id)
        return row.kind == "暗访"

    prepared = model.prepare(rows, visited)
    assert asked == list(range(60))
    model.adopt(prepared)
    shown = _shown(model)
    assert shown == [
        r.id for r in sorted(rows, key=lambda r: natural_key(r.unit)) if r.kind == "暗访"
    ]
