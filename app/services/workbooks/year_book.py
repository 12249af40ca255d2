"""What each sheet of the yearly workbook (年度报表) is written with: the database to
read (read only: in the window a process of its own reads it), the year, the park,
and the workbook with the quarterly workbook's styles and table writer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.db.database import Database
from app.exchange.export import Formats, table_sheet
from app.services.assessment.assessment_results import PeriodRanking


@dataclass
class YearBook:
    db: Database
    year: int
    today: date
    park_name: str
    committee_name: str
    wb: Any  # an XlsxWriter workbook (export.new_workbook)
    formats: Formats
    # the periods ranked by a sheet, by code, for the next sheet that reads them (the
    # halves' sheets rank them; the class review's proposals read them again)
    ranked: dict[str, PeriodRanking] = field(default_factory=dict)

    def ranking(self, code: str) -> PeriodRanking:
        """A period's ranking, made once per workbook (LookupError: not opened)."""
        from app.services.assessment.assessment_results import rank_period

        if code not in self.ranked:
            self.ranked[code] = rank_period(self.db, code)
        return self.ranked[code]

    @property
    def as_of(self) -> date:
        """The year's end, or today while the year runs: what "at the year's end" reads."""
        return min(self.today, date(self.year, 12, 31))

    def table(
        self, name: str, title: str, headers: Sequence[tuple[str, int]], rows: Sequence[Any]
    ) -> Any:
        """A sheet as the quarterly workbook's tables are: title, header, frozen panes,
        filter, print setup, every number a number. Returns the worksheet."""
        return table_sheet(self.wb, self.formats, name, title, headers, rows)

    def lines_under(self, ws: Any, rows: int, lines: Sequence[Sequence[Any]]) -> None:
        """A small block under a table of ``rows`` rows (counts, a note), one blank row
        between: a text in the first cell, numbers after it."""
        f = self.formats
        for r, line in enumerate(lines, start=rows + 3):
            for c, value in enumerate(line):
                if isinstance(value, int):
                    ws.write_number(r, c, value, f.number)
                elif value is not None:
                    ws.write_string(r, c, str(value), f.header if r == rows + 3 else f.text)
