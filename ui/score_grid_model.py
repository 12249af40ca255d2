"""The entry grid's model: units down, the scheme's indicators across, then 加分,
否决, 备注, and the total, rank and grade worked out as the clerk types.

A cell is checked as it is typed (domain/assessment.parse_score): a wrong one is
kept on screen in red with the reason and is not saved; a good one is saved at once
through ``save`` (the page's call into the service), one undoable change per edit or
per pasted block. Totals are exact (Decimal) and ranks follow the domain's rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.domain.assessment import (
    TERM_VETO,
    UNCLASSIFIED_GRADE,
    ExcellenceRule,
    Scheme,
    competition_ranks,
    decimal_text,
    parse_score,
    rule_of,
    totals_of_text,
    veto_from_text,
)
from app.domain.validation import ValidationError
from app.services.assessment.assessment_results import GridRow
from app.services.assessment.assessments import ScoreEntry

Index = QModelIndex | QPersistentModelIndex
Save = Callable[[Mapping[int, ScoreEntry]], None]

_BAD = QBrush(QColor("#f8d7da"))
_EXCELLENT = QBrush(QColor("#1e7d32"))
_MUTED = QBrush(QColor("#777777"))
_VETOED = QBrush(QColor("#b3261e"))
BONUS, VETO, NOTE = "_bonus", "_veto", "_note"


@dataclass(frozen=True, slots=True)
class GridColumn:
    key: str  # an indicator's name, or BONUS / VETO / NOTE, or a derived column
    title: str
    editable: bool
    width: int


class ScoreGridModel(QAbstractTableModel):
    def __init__(self, save: Save, parent: Any = None) -> None:
        super().__init__(parent)
        self._save = save
        self.scheme: Scheme | None = None
        self.columns: list[GridColumn] = []
        self.rows: list[GridRow] = []
        self.locked = False
        self._bad: dict[tuple[int, str], tuple[str, str]] = {}  # (row, key) → (text, why)
        self._totals: list[Decimal | None] = []
        self._ranks: list[int | None] = []
        self._fixed: dict[int, tuple[int | None, bool]] | None = None
        self._awards = True
        self._rule: ExcellenceRule | None = None

    # -- rows --------------------------------------------------------------
    def set_rows(
        self,
        scheme: Scheme,
        rows: list[GridRow],
        locked: bool,
        fixed: dict[int, tuple[int | None, bool]] | None = None,
        awards: bool = True,
        rule: ExcellenceRule | None = None,
    ) -> None:
        """On a laptop: ``fixed``, each unit's (rank, 优秀) as the office published them,
        shown instead of a ranking of these rows (the package's units, not the park's);
        ``awards`` False, so ranks among the package's units make no 优秀. ``rule``: the
        period's (the pass line, 未分类 not ranked); the scheme's unless given."""
        self.beginResetModel()
        self.scheme, self.rows, self.locked, self._fixed = scheme, rows, locked, fixed
        self._awards = awards
        self._rule = rule or rule_of(scheme)
        self.columns = self._columns(scheme)
        self._bad = {}
        self._totals = totals_of_text(scheme, [(r.scores, r.bonus) for r in rows])
        self._rank()
        self.endResetModel()

    @staticmethod
    def _columns(scheme: Scheme) -> list[GridColumn]:
        cap = decimal_text(scheme.bonus_cap)
        return [
            GridColumn("name", "组织名称", False, 230),
            *(
                GridColumn(i.name, f"{i.name}\n（{decimal_text(i.maximum)}分）", True, 76)
                for i in scheme.indicators
            ),
            GridColumn(BONUS, f"{scheme.bonus_name}\n（≤{cap}分）", True, 90),
            GridColumn(VETO, "否决", True, 100),
            GridColumn(NOTE, "备注", True, 160),
            GridColumn("total", "总分", False, 64),
            GridColumn("rank", "名次", False, 48),
            GridColumn("grade", "等次", False, 80),
        ]

    def _total(self, row: GridRow) -> Decimal | None:
        assert self.scheme is not None
        return totals_of_text(self.scheme, [(row.scores, row.bonus)])[0]

    def vetoed(self, row: GridRow) -> str:
        return row.veto or (TERM_VETO if row.term_veto and self._term_veto_applies() else "")

    def _term_veto_applies(self) -> bool:
        return self.scheme is not None and TERM_VETO in self.scheme.vetoes

    def _rank(self) -> None:
        """Ranks within each class over complete, unvetoed rows (the domain's rule)."""
        self._ranks = [None] * len(self.rows)
        if self._fixed is not None:
            fixed = self._fixed
            self._ranks = [fixed.get(r.unit_id, (None, False))[0] for r in self.rows]
            return
        by_class: dict[str | None, list[int]] = {}
        rule = self._rule
        for i, row in enumerate(self.rows):
            if rule is not None and not rule.ranks(row.class_code):
                continue  # 未分类: 须先分类, not ranked
            if self._totals[i] is not None and not self.vetoed(row):
                by_class.setdefault(row.class_code, []).append(i)
        for members in by_class.values():
            members.sort(key=lambda i: (-self._totals[i], self.rows[i].unit_id))  # type: ignore[operator]
            ranks = competition_ranks([self._totals[i] for i in members])
            for i, rank in zip(members, ranks, strict=True):
                self._ranks[i] = rank

    # -- Qt ----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section].title
        return str(section + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self.locked and self.columns[index.column()].editable:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        r, key = index.row(), self.columns[index.column()].key
        bad = self._bad.get((r, key))
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return bad[0] if bad is not None else self.text(r, key)
        if role == Qt.ItemDataRole.BackgroundRole and bad is not None:
            return _BAD
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tip(r, key, bad)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._colour(r, key)
        if role == Qt.ItemDataRole.TextAlignmentRole and key not in ("name", NOTE, VETO, "grade"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def text(self, r: int, key: str) -> str:
        row = self.rows[r]
        if key == "name":
            return row.name
        if key == BONUS:
            return _shown(row.bonus)
        if key == VETO:
            return self.vetoed(row)
        if key == NOTE:
            return row.note
        if key == "total":
            return decimal_text(self._totals[r])
        if key == "rank":
            return "" if self._ranks[r] is None else str(self._ranks[r])
        if key == "grade":
            return self.grade(r)
        return _shown(row.scores.get(key, ""))

    def grade(self, r: int) -> str:
        if self._totals[r] is None:
            return "未完成评分"
        if self.vetoed(self.rows[r]):
            return "一票否决"
        if self._fixed is not None:
            return "优秀" if self._fixed.get(self.rows[r].unit_id, (None, False))[1] else ""
        rule = self._rule
        if rule is None:
            return ""
        if not rule.ranks(self.rows[r].class_code):
            return UNCLASSIFIED_GRADE
        return "优秀" if self._awards and rule.excellent(self._ranks[r], self._totals[r]) else ""

    def _tip(self, r: int, key: str, bad: tuple[str, str] | None) -> str | None:
        if bad is not None:
            return f"{bad[1]}（未保存）"
        row = self.rows[r]
        if key == VETO and not row.veto and row.term_veto and self._term_veto_applies():
            return "按换届规则：考核期末已逾期未换届"
        if key == "name":
            return f"{row.name}\n{row.uscc or '未填信用代码'}"
        return None

    def _colour(self, r: int, key: str) -> QBrush | None:
        if key == "grade":
            grade = self.grade(r)
            return _EXCELLENT if grade == "优秀" else _VETOED if grade == "一票否决" else _MUTED
        if key == VETO and not self.rows[r].veto:
            return _MUTED
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        self.put({index.row(): {self.columns[index.column()].key: str(value or "").strip()}})
        return True

    # -- edits -------------------------------------------------------------
    def put(self, cells: Mapping[int, Mapping[str, str]]) -> int:
        """Typed or pasted cells by row and key: each checked, the good ones saved at
        once for all rows (one change), the bad ones kept in red. Returns how many
        cells were refused."""
        assert self.scheme is not None
        entries: dict[int, ScoreEntry] = {}
        refused = 0
        touched: dict[int, GridRow] = {}
        for r, typed in cells.items():
            row = self.rows[r]
            new = replace(row, scores=dict(row.scores))
            for key, text in typed.items():
                self._bad.pop((r, key), None)
                why = self._apply(new, key, text)
                if why is not None:
                    self._bad[(r, key)] = (text, why)
                    refused += 1
            if (new.scores, new.bonus, new.veto, new.note) != (
                row.scores,
                row.bonus,
                row.veto,
                row.note,
            ):
                entries[row.unit_id] = ScoreEntry(new.scores, new.bonus, new.veto, new.note)
                touched[r] = new
        if entries:
            try:
                self._save(entries)
            except ValidationError as exc:  # published meanwhile, say: nothing saved
                for r in touched:
                    for key in cells[r]:
                        self._bad[(r, key)] = (cells[r][key], exc.issues[0].message)
                touched = {}
        for r, new in touched.items():
            self.rows[r] = new
            self._totals[r] = self._total(new)
        self._rank()
        if cells:
            last = len(self.columns) - 1
            self.dataChanged.emit(self.index(min(cells), 0), self.index(max(cells), last))
            # totals move ranks in the whole class
            rank_col = [c.key for c in self.columns].index("total")
            self.dataChanged.emit(self.index(0, rank_col), self.index(len(self.rows) - 1, last))
        return refused

    def _apply(self, row: GridRow, key: str, text: str) -> str | None:
        """Set one typed cell on ``row``; the reason when it cannot be taken."""
        assert self.scheme is not None
        if key == NOTE:
            row.note = text
            return None
        if key == VETO:
            veto = veto_from_text(text, self.scheme)
            if veto is None:
                return f"“{text}”不是否决项（填是/否或{'、'.join(self.scheme.vetoes)}）"
            row.veto = veto
            return None
        if key == BONUS:
            value, issue = parse_score(text, self.scheme.bonus_cap, "bonus", self.scheme.bonus_name)
            if issue is not None:
                return issue.message
            row.bonus = "" if value is None else str(value)
            return None
        indicator = next(i for i in self.scheme.indicators if i.name == key)
        value, issue = parse_score(text, indicator.maximum, key)
        if issue is not None:
            return issue.message
        if value is None:
            row.scores.pop(key, None)
        else:
            row.scores[key] = str(value)
        return None

    def paste(self, top: int, left: int, block: list[list[str]]) -> int:
        """A block copied from Excel/WPS, from the current cell down and right; cells
        past the grid or on read-only columns are left. Returns the cells refused."""
        cells: dict[int, dict[str, str]] = {}
        for dr, line in enumerate(block):
            r = top + dr
            if r >= len(self.rows):
                break
            for dc, text in enumerate(line):
                c = left + dc
                if c < len(self.columns) and self.columns[c].editable:
                    cells.setdefault(r, {})[self.columns[c].key] = text.strip()
        return self.put(cells) if cells and not self.locked else 0

    @property
    def refused(self) -> int:
        return len(self._bad)

    def totals(self) -> list[Decimal | None]:
        return list(self._totals)

    def ranks(self) -> list[int | None]:
        return list(self._ranks)


def _shown(text: str) -> str:
    return decimal_text(Decimal(text)) if text else ""
