"""The bulk paths (registry import, score import, quarterly export) keep the work they
do in proportion to the rows: each counted here where a slip made it grow (a class's
优秀 units counted again for every unit listed, the organization table read twice,
the collector walking an export's million cells), so a slow path fails a test, not
only a bench."""

from __future__ import annotations

import gc
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.db.database import Database
from app.domain.quarters import Quarter
from app.exchange.importer import preview_import
from app.exchange.records import REGISTRY_COLUMNS, registry_records
from app.services import assessment_exports, assessment_results
from app.services.assessments import published_codes
from tests.conftest import write_xlsx


def test_the_ranking_sheet_asks_each_class_for_its_tie_once(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the tie at third place is counted over the class's 优秀 units: asked once a class,
    # not once a unit listed (10,000 units: seconds of the quarterly export)
    ranking = assessment_results.rank_period(demo_db, published_codes(demo_db)[0])
    asked: list[object] = []
    real = assessment_results.ClassResult.tie_crosses_the_line

    def counted(self: assessment_results.ClassResult) -> bool:
        asked.append(self.class_code)
        return bool(real.fget(self))  # type: ignore[attr-defined]

    monkeypatch.setattr(assessment_results.ClassResult, "tie_crosses_the_line", property(counted))
    rows = assessment_exports.ranking_rows(ranking)
    assert len(rows) == sum(len(c.rows) for c in ranking.classes.values()) > len(ranking.classes)
    assert sorted(asked, key=str) == sorted(ranking.classes, key=str)


def test_the_quarterly_export_writes_without_the_collector(
    demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the workbook's cells are a million small objects without cycles: the collector
    # walking them again and again was a third of the export; it runs again afterwards
    from app.exchange import export
    from app.services.submissions import export_quarter

    seen: list[bool] = []
    real = export.write_quarter

    def watched(*args: object, **kwargs: object) -> None:
        seen.append(gc.isenabled())
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(export, "write_quarter", watched)
    gc.enable()  # as outside the tests (conftest pauses it for the window's sake)
    try:
        export_quarter(demo_db, tmp_path / "季度报送.xlsx", Quarter(2026, 3))
        assert gc.isenabled()
    finally:
        gc.disable()
    assert seen == [False]


@contextmanager
def _statements(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every statement run on a plain read connection meanwhile."""
    seen: list[str] = []
    real = Database._connect

    def traced(self: Database) -> sqlite3.Connection:
        conn = real(self)
        conn.set_trace_callback(seen.append)
        return conn

    monkeypatch.setattr(Database, "_connect", traced)
    yield seen


def test_a_registry_import_reads_the_organization_table_once(
    demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the park's own registry back: every organization compared, their whole rows read
    # in one scan that also gives the keys to match by (not a second scan for those)
    rows = [[rec.get(c.key) for c in REGISTRY_COLUMNS] for rec in registry_records(demo_db)]
    book = write_xlsx(tmp_path / "名录.xlsx", [[c.header for c in REGISTRY_COLUMNS], *rows])
    with _statements(monkeypatch) as seen:
        preview = preview_import(demo_db, book)
    assert preview.count("unchanged") == len(rows)
    scans = [
        s for s in seen if " FROM organization" in s and " WHERE " not in s and "count(" not in s
    ]
    assert len(scans) == 1, scans
