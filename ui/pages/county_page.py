"""园区对比 (a county database's overview): a row per park and the county's total, each
figure opening the units behind it; the parks' rates side by side and their trend over
the quarters submitted; importing submissions and exporting the 汇总表."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain.figure_parts import RATE_PARTS
from app.domain.rates import Rounding, percent_text
from ui import messages, tasks
from ui.table_model import Column, RowTableModel, count_column
from ui.table_view import table_view

if TYPE_CHECKING:
    from app.services.county.county_figures import CountyFigures
    from app.services.files.database_files import Database

TOTAL = "合计"


@dataclass(slots=True)
class ParkRow:
    id: int
    park: str  # "" for the total
    quarter: str
    figures: Any  # KindFigures (the park's total)
    excellent: int | None
    search_text: str = ""

    @property
    def shown_park(self) -> str:
        return self.park or TOTAL


@dataclass(frozen=True, slots=True)
class CountyRead:
    figures: CountyFigures
    quarters: list[str]
    trend: dict[str, list[tuple[str, Any]]]
    rounding: Rounding
    duplicates: int


def read_county(db: Database, quarter: str | None) -> CountyRead:
    """In a worker: the figures (each park's latest, or ``quarter``), the trend."""
    from app.domain.quarters import Quarter
    from app.services.county.county_figures import county_view
    from app.services.county.county_lists import county_duplicates
    from app.services.registry.park import get_rounding

    figures, trend = county_view(db, Quarter.parse(quarter) if quarter else None)
    quarters = sorted({q for series in trend.values() for q, _f in series}, reverse=True)
    chosen = Quarter.parse(quarter) if quarter else None
    return CountyRead(
        figures, quarters, trend, get_rounding(db), len(county_duplicates(db, chosen))
    )


class CountyPage(QWidget):
    page_name = "county"
    changed = Signal()
    status_message = Signal(str)
    # the units behind a figure: park ("" every park), measure (county_units_page.MEASURES)
    open_units = Signal(str, str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.stale = True
        self.loaded_once = False
        self.read: CountyRead | None = None
        self.canvases: list[Any] = []
        self._charts_loading = False
        t = self.tr

        self.title = QLabel()
        self.title.setObjectName("title")
        self.title.setStyleSheet("font-size:18px;font-weight:bold")
        self.quarter_combo = QComboBox()
        self.quarter_combo.setObjectName("quarter")
        self.quarter_combo.addItem(t("各园区最新一期"), None)
        self.quarter_combo.currentIndexChanged.connect(self._quarter_chosen)
        self.import_button = QPushButton(t("导入园区报送…"))
        self.import_button.setObjectName("import_submissions")
        self.import_button.clicked.connect(self.choose_submissions)
        self.export_button = QPushButton(t("导出汇总表…"))
        self.export_button.setObjectName("export_county")
        self.export_button.clicked.connect(self.export_workbook)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(QLabel(t("报送季度：")))
        top.addWidget(self.quarter_combo)
        top.addWidget(self.import_button)
        top.addWidget(self.export_button)

        self.note = QLabel()
        self.note.setObjectName("note")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color:#5c4400")

        self.model = RowTableModel(self._columns(), self)
        self.table = table_view(self.model, "parks", sort_column=None, single=True)
        self.table.setAlternatingRowColors(True)
        self.table.doubleClicked.connect(self._drill_down)
        hint = QLabel(t("双击园区查看其单位；双击某个数字查看该数字背后的单位。"))
        hint.setStyleSheet("color:#777")

        self.charts = QWidget()
        self.charts_grid = QGridLayout(self.charts)
        self.charts_grid.setContentsMargins(0, 0, 0, 0)
        self.charts_note = QLabel(t("正在准备图表…"))
        self.charts_grid.addWidget(self.charts_note, 0, 0)

        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.table, 1)
        upper_layout.addWidget(hint)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(self.charts)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(splitter, 1)

    # -- the table --------------------------------------------------------------
    def _columns(self) -> list[Column]:
        t = self.tr

        def rate(name: str) -> Any:
            def text(row: ParkRow) -> str:
                value = getattr(row.figures, name)
                rounding = self.read.rounding if self.read else Rounding.HALF_UP
                return percent_text(value, rounding) + "%" if value is not None else "—"

            return text

        labels = {p.key: p.label for p in RATE_PARTS}
        return [
            Column("park", t("园区"), lambda r: r.shown_park, width=150),
            Column("quarter", t("报送季度"), lambda r: r.quarter, width=80),
            count_column("base", t("纳入统计"), lambda r: r.figures.in_base),
            count_column("covered", t("党组织覆盖"), lambda r: r.figures.covered, 90),
            Column(
                "org_rate",
                t(labels["org_coverage_rate"]),
                rate("org_coverage_rate"),
                None,
                True,
                width=100,
            ),
            count_column("own", t("单独组建"), lambda r: r.figures.own),
            Column("own_rate", t(labels["own_rate"]), rate("own_rate"), None, True, width=90),
            count_column("work_covered", t("党的工作覆盖"), lambda r: r.figures.work_covered, 100),
            Column(
                "work_rate",
                t(labels["work_coverage_rate"]),
                rate("work_coverage_rate"),
                None,
                True,
                width=110,
            ),
            count_column("formal", t("正式党员"), lambda r: r.figures.formal_members),
            count_column(
                "should_set_up", t("应建未建"), lambda r: r.figures.three_plus_without_own
            ),
            count_column("excellent", t("优秀"), lambda r: r.excellent, 60),
        ]

    # the column a double-click was on → the measure of the units page
    COLUMN_MEASURES = {
        "base": "base",
        "covered": "covered",
        "org_rate": "uncovered",
        "own": "own",
        "own_rate": "own",
        "work_covered": "work_covered",
        "work_rate": "work_uncovered",
        "formal": "base",
        "should_set_up": "should_set_up",
    }

    @Slot(QModelIndex)
    def _drill_down(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        row = self.model.row_at(index.row())
        key = self.model.columns[index.column()].key
        self.open_units.emit(row.park, self.COLUMN_MEASURES.get(key, "all"))

    # -- reading ----------------------------------------------------------------
    def reload(self, select_id: int | None = None) -> None:
        self.stale = False
        quarter = self.quarter_combo.currentData()
        db = self.db
        tasks.run_task(
            self, self.tr("正在汇总…"), lambda _p: read_county(db, quarter), self._read_done
        )

    def _read_done(self, read: CountyRead) -> None:
        self.read = read
        self.loaded_once = True
        f = read.figures
        quarter = self.quarter_combo.currentData()
        self.title.setText(
            self.tr("%s 各园区对比（%d个园区）") % (f.county, len(f.parks) + len(f.missing))
        )
        self._fill_quarters(read.quarters, quarter)
        rows = [
            ParkRow(n, sub.park, sub.quarter, sub.figures.total, sub.excellent)
            for n, sub in enumerate(f.parks, start=1)
        ]
        rows.append(ParkRow(0, "", f.quarter or "", f.total.total, f.excellent))
        self.model.adopt(self.model.prepare(rows, None))
        notes = []
        if f.missing:
            when = self.tr("本季度") if quarter else self.tr("至今")
            notes.append(self.tr("%s未报送：%s") % (when, "、".join(f.missing)))
        if read.duplicates:
            notes.append(
                self.tr("跨园区重复的组织%d处（见导出的汇总表“重复组织”）") % read.duplicates
            )
        notes.append(self.tr("合计按全部单位计算，百分数取舍：%s") % read.rounding.label)
        self.note.setText("；".join(notes))
        if not f.parks:
            self.note.setText(
                self.tr("还没有园区的报送：点“导入园区报送…”选择各园区的季度报送工作簿")
            )
        self._charts()

    def _fill_quarters(self, quarters: list[str], chosen: str | None) -> None:
        combo = self.quarter_combo
        have = [combo.itemData(i) for i in range(1, combo.count())]
        if have == quarters:
            return
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for q in quarters:
            combo.addItem(q, q)
        combo.setCurrentIndex(quarters.index(chosen) + 1 if chosen in quarters else 0)
        combo.blockSignals(False)

    @Slot()
    def _quarter_chosen(self) -> None:
        self.reload()

    # -- charts -----------------------------------------------------------------
    def _charts(self) -> None:
        if self.canvases:
            self._draw()
            return
        if self._charts_loading:
            return
        from ui.charts import load_matplotlib

        self._charts_loading = True
        tasks.run_task(
            self,
            self.tr("正在准备图表…"),
            lambda _p: load_matplotlib(),
            self._charts_ready,
            quiet=True,
        )

    def _charts_ready(self, _fonts: object) -> None:
        from ui.charts import new_canvas

        self._charts_loading = False
        self.charts_note.hide()
        for column in range(2):
            canvas = new_canvas(5.2, 2.8)
            canvas.setMinimumSize(380, 240)
            self.charts_grid.addWidget(canvas, 0, column)
            self.canvases.append(canvas)
        self._draw()

    def _draw(self) -> None:
        from ui.charts import draw_park_rates, draw_park_trend

        if self.read is None:
            return
        parks = {sub.park: sub.figures.total for sub in self.read.figures.parks}
        draw_park_rates(self.canvases[0], parks)
        draw_park_trend(
            self.canvases[1],
            {park: [(q, f.total) for q, f in series] for park, series in self.read.trend.items()},
        )

    # -- import and export ------------------------------------------------------
    @Slot()
    def choose_submissions(self) -> None:
        files, _filter = QFileDialog.getOpenFileNames(
            self,
            self.tr("选择园区的季度报送工作簿"),
            "",
            self.tr("工作簿 (*.xlsx *.xlsm *.xls *.ods)"),
        )
        if files:
            self.import_files([Path(f) for f in files])

    def import_files(self, paths: list[Path], park: str | None = None) -> None:
        from app.services.county.county_import import preview_county_import

        db = self.db

        def failed(exc: BaseException) -> None:
            self._preview_failed(exc, paths)

        tasks.run_task(
            self,
            self.tr("正在读取报送…"),
            lambda p: preview_county_import(db, paths, park, progress=p),
            self._previewed,
            failed,
        )

    def _preview_failed(self, exc: BaseException, paths: list[Path]) -> None:
        from PySide6.QtWidgets import QInputDialog

        text = str(exc)
        if "--park" in text and len(paths) == 1:
            park, ok = QInputDialog.getText(
                self,
                self.tr("园区名称"),
                self.tr("《%s》不是 ParkDesk 的季度报送。它是哪个园区的登记表？") % paths[0].name,
            )
            if ok and park.strip():
                self.import_files(paths, park.strip())
            return
        if (
            isinstance(exc, ValueError | LookupError | OSError)
            or type(exc).__name__ == "WorkbookError"
        ):
            messages.warn(self, self.tr("导入园区报送"), text)
            return
        raise exc

    def _previewed(self, preview: Any) -> None:
        from ui.dialogs.county_import_dialog import CountyImportDialog

        dialog = CountyImportDialog(preview, self)
        if dialog.exec() != CountyImportDialog.DialogCode.Accepted:
            return
        from app.services.county.county_import import apply_county_import

        db = self.db
        tasks.run_task(
            self,
            self.tr("正在汇总导入…"),
            lambda _p: apply_county_import(db, preview),
            self._imported,
            lambda exc: messages.warn(self, self.tr("导入园区报送"), str(exc)),
        )

    def _imported(self, result: Any) -> None:
        self.status_message.emit(result.summary)
        self.changed.emit()
        self.reload()

    @Slot()
    def export_workbook(self) -> None:
        from app.domain.quarters import Quarter
        from app.services.county.county_export import export_county

        quarter = self.quarter_combo.currentData()
        name = f"{self.read.figures.county if self.read else ''}汇总表{quarter or ''}.xlsx"
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("导出区县汇总表"), name, self.tr("Excel 工作簿 (*.xlsx)")
        )
        if not path:
            return
        db = self.db
        tasks.run_task(
            self,
            self.tr("正在导出汇总表…"),
            lambda _p: export_county(db, Path(path), Quarter.parse(quarter) if quarter else None),
            lambda done: self.status_message.emit(
                self.tr("已导出区县汇总表：%d个园区，%d个单位 → %s") % (done[1], done[2], done[0])
            ),
            lambda exc: messages.save_failed(self, exc, path),
        )

    def save_layout(self) -> None:
        """Nothing arranged by the user here is kept."""
