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
from app.exchange.records import REGISTRY_COLUMNS
from app.services.assessment import assessment_exports, assessment_results
from app.services.assessment.assessments import published_codes
from app.services.workbooks.imports import preview_import
from app.services.workbooks.registry_read import registry_records
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
    from app.services.workbooks.submissions import export_quarter

    seen: list[bool] = []
    real = export.write_workbook

    def watched(*args: object, **kwargs: object) -> None:
        seen.append(gc.isenabled())
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(export, "write_workbook", watched)
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


def test_a_good_credit_code_is_checked_without_looking_for_an_odd_character(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the odd character is for the message of a bad code: 10,000 good codes on a sheet
    # never look for one, and a bad one still says where it is
    from app.domain import uscc

    looked: list[str] = []
    real = uscc.odd_character
    monkeypatch.setattr(uscc, "odd_character", lambda code: looked.append(code) or real(code))
    assert uscc.check(uscc.make_valid("91340000MA2N0001A")) is None
    assert looked == []
    problem = uscc.check("91340000MA2N0001I")
    assert problem is not None and "“I”不用于信用代码" in problem.message
    assert looked == ["91340000MA2N0001I"]


def test_a_score_sheet_reads_each_veto_text_once(
    demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the 否决 column holds a few words over thousands of rows: each read once, and
    # every row still told by its own
    from app.exchange.score_sheet import template_headers
    from app.services.assessment import assessment_settings, score_import

    code = "2026H2"
    scheme = assessment_settings.get_settings(demo_db).scheme_for(code)
    with demo_db.read_connection() as conn:
        units = conn.execute(
            "SELECT uscc, name FROM organization WHERE status = 'active' AND uscc IS NOT NULL"
            " ORDER BY id LIMIT 40"
        ).fetchall()
    from app.domain.assessment import PRESETS

    preset = next(p for p in PRESETS if p.name == scheme)
    vetoes = ["否", "是", "", "否决吧"]
    rows = [
        [uscc, name, "", *[1] * len(preset.indicators), 0, vetoes[n % len(vetoes)], ""]
        for n, (uscc, name) in enumerate(units)
    ]
    book = write_xlsx(tmp_path / "评分.xlsx", [[h for h, _w in template_headers(preset)], *rows])
    read: list[str] = []
    real = score_import.veto_from_text
    monkeypatch.setattr(
        score_import, "veto_from_text", lambda text, s: read.append(text) or real(text, s)
    )
    preview = score_import.preview_scores(demo_db, book, code)
    assert sorted(read) == ["否", "否决吧", "是"]
    unknown = [e for e in preview.errors if e.reason == "veto_unknown"]
    assert len(unknown) == len(units) // len(vetoes)


def test_a_plain_credit_code_is_normalised_without_unicode_folding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # letters and digits alone need no NFKC and hold no space: upper-cased at once, as
    # the full path would give them; anything else still goes the full way
    import unicodedata

    from app.domain import uscc

    folded: list[str] = []
    real = unicodedata.normalize
    monkeypatch.setattr(
        uscc.unicodedata, "normalize", lambda form, text: folded.append(text) or real(form, text)
    )
    assert uscc.normalize("91340000ma2n0001ag") == "91340000MA2N0001AG"
    assert folded == []
    assert uscc.normalize(" ９１３４0000MA2N0001AG\u200b") == "91340000MA2N0001AG"
    assert len(folded) == 1
