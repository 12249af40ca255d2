"""The yearly workbook (年度报表), the use case: `export FILE --year 2026` and the
window's 导出年度报表. It reads the year's results and writes them, one sheet per
writer of YEAR_SHEETS, with the quarterly workbook's writer and styles
(app/exchange/export.py) and a hidden _parkdesk sheet of kind "yearly", by which the
registry import and a county's import refuse it. Nothing is written to the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from app import __version__
from app.apart import run_reading_apart
from app.db.database import Database
from app.db.migrate import SCHEMA_HEAD
from app.domain.quarters import check_year
from app.exchange.export import Formats, new_workbook, write_meta
from app.exchange.reader import YEARLY_KIND
from app.exchange.saving import saving
from app.gc_pause import collector_paused
from app.services.registry.park import ParkInfo, get_park
from app.services.workbooks import yearly_sheets as sheets
from app.services.workbooks.year_book import YearBook

Progress = Callable[[int, int], None]
SheetWriter = Callable[[YearBook], None]

# The workbook's sheets in order: a writer adds one sheet from the book's database and
# year. A sheet the workbook gains is one entry here (经费保障 goes after 星级党组织).
YEAR_SHEETS: tuple[SheetWriter, ...] = (
    sheets.write_figures,
    sheets.write_first_half,
    sheets.write_second_half,
    sheets.write_stars,
    sheets.write_funds,
    sheets.write_review,
    sheets.write_visits,
)


@dataclass(frozen=True)
class YearResult:
    path: Path
    year: int
    sheets: tuple[str, ...]  # as the file holds them, the hidden _parkdesk excepted


def export_year(
    db: Database,
    path: Path,
    year: int,
    today: date | None = None,
    progress: Progress | None = None,
    apart: bool = False,
) -> YearResult:
    """Write ``year``'s workbook to ``path``. ``apart``: made in a process of its own
    (app/apart.py, as the window's quarterly export), which reads the database read
    only and writes the temporary file that ``saving`` moves into place here."""
    from app.services.county.county_db import refuse_county
    from app.services.field.field_identity import refuse_field

    refuse_county(db)  # a county has no results of its own to report
    refuse_field(db, "年度报表")  # a laptop holds a part of the park under its name
    today = today or date.today()
    check_year(year, today)
    with saving(path) as tmp:  # the output guard, before anything is written
        if apart:
            names = run_reading_apart(db.path, make_year, (tmp, year, today), progress)
        else:
            names = make_year(db, tmp, year, today, progress)
    return YearResult(path, year, names)


def make_year(
    db: Database, tmp: Path, year: int, today: date, progress: Progress | None
) -> tuple[str, ...]:
    """Every sheet of YEAR_SHEETS, then the identity sheet; the sheets' names."""
    park = get_park(db)
    steps = len(YEAR_SHEETS) + 1
    with collector_paused():  # rankings and lists of many rows, no cycles (gc_pause.py)
        wb = new_workbook(tmp)
        book = YearBook(db, year, today, park.park_name, park.committee_name, wb, Formats(wb))
        for n, write in enumerate(YEAR_SHEETS):
            if progress:
                progress(n, steps)
            write(book)
        names = tuple(ws.get_name() for ws in wb.worksheets())
        write_meta(wb, _meta(park, year))
        wb.close()
    if progress:
        progress(steps, steps)
    return names


def _meta(park: ParkInfo, year: int) -> dict[str, str]:
    return {
        "program": "ParkDesk",
        "version": __version__,
        "schema": SCHEMA_HEAD,
        "kind": YEARLY_KIND,
        "park": park.park_name,
        "park_uuid": park.uuid,
        "committee": park.committee_name,
        "year": str(year),
        "exported_at": datetime.now().isoformat(timespec="seconds"),
    }
