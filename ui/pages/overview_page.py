"""总览: the figures leadership asks for, each opening its list, the gaps, and charts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.quarters import Quarter
from app.domain.rates import Rounding, percent_text, rounding_note
from app.domain.rules import RULE_LABELS, Rule
from app.domain.vocabulary import Formation, OrgClass, OrgKind, PartyOrgLevel
from ui import messages, tasks
from ui.list_export import save_list
from ui.table_model import Column, RowTableModel, count_column
from ui.table_view import table_view
from ui.widgets import layouts

if TYPE_CHECKING:
    from app.services.files.database_files import Database

GAPS_PER_ROW = 5
CHARTS_AFTER_MS = 50  # a page shown again: its charts after it is painted
PAINT_WAIT_MS = 1000  # the rest is read after the figures are painted, or after this
KINDS: tuple[tuple[str, OrgKind | None], ...] = (
    ("非公企业", OrgKind.ENTERPRISE),
    ("社会组织", OrgKind.SOCIAL),
    ("合计", None),
)


class FigureListDialog(QDialog):
    """The organizations behind one figure, exportable to a workbook."""

    def __init__(self, db: Database, measure: str, kind: OrgKind | None, parent: QWidget) -> None:
        from app.services.overview.figures import MEASURE_NAMES, figure_list

        super().__init__(parent)
        kind_label = kind.label if kind else "全部"
        self.title = f"{MEASURE_NAMES[measure]}（{kind_label}）"
        self.setWindowTitle(self.title)
        self.resize(900, 560)
        self.rows: list[Any] = []
        self.loaded = False
        model = RowTableModel(
            [
                Column("name", self.tr("组织名称"), lambda r: r.name, width=260),
                Column("uscc", self.tr("统一社会信用代码"), lambda r: r.uscc, width=170),
                Column("kind", self.tr("类型"), lambda r: r.kind.label, width=80),
                Column("formation", self.tr("组建方式"), lambda r: r.formation.label, width=80),
                count_column("formal", self.tr("正式党员"), lambda r: r.formal_members, width=70),
                Column("reason", self.tr("未单独建立的原因"), lambda r: r.reason, width=180),
                Column("inst", self.tr("指导员"), lambda r: r.instructors, width=100),
            ],
            self,
        )
        view = table_view(model, "figure_rows", sort_column=0, row_numbers=True)
        self.model = model
        self.export_button = QPushButton(self.tr("导出为工作簿…"))
        self.export_button.clicked.connect(self.export)
        self.export_button.setEnabled(False)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        self.count = QLabel(self.tr("正在读取名单…"))
        row = QHBoxLayout()
        row.addWidget(self.count)
        row.addStretch(1)
        row.addWidget(self.export_button)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(view, 1)
        layout.addLayout(row)
        # the whole base at 50,000 organizations takes 0.2 s: read in a worker
        tasks.run_task(
            self,
            self.tr("正在读取名单…"),
            lambda _progress: figure_list(db, measure, kind),
            self._loaded,
        )

    def _loaded(self, rows: list[Any]) -> None:
        self.rows = rows
        self.model.set_rows(rows)
        self.count.setText(self.tr("共 %d 个") % len(rows))
        self.export_button.setEnabled(True)
        self.loaded = True

    @Slot()
    def export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("导出名单"),
            str(Path.home() / f"{self.title}.xlsx"),
            self.tr("Excel 工作簿 (*.xlsx)"),
        )
        if path:
            self.write(Path(path))

    def write(self, path: Path) -> None:
        save_list(self, path, self.title, self.model.columns, self.rows)


class OverviewPage(QWidget):
    changed = Signal()
    status_message = Signal(str)
    open_gaps = Signal(str)  # a rule's code
    page_name = "overview"
    _chart_fonts: list[str] | None = None  # matplotlib imported: its CJK fonts
    _rest_in = False  # the second read (gaps, clusters, assessment, visits) shown

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.stale = True
        self.loaded_once = False
        self.canvases: list[Any] = []
        # organizations in the base by class and kind (figures.class_counts)
        self.classes: dict[str, dict[str, int]] = {}
        self.class_buttons: dict[tuple[str, OrgKind | None], QPushButton] = {}
        self._charts_loading = False
        self.figure_buttons: dict[tuple[str, OrgKind | None], QPushButton] = {}
        self.title = QLabel()
        self.title.setStyleSheet("font-size:16px; font-weight:bold")
        self.rounding_combo = QComboBox()
        self.rounding_combo.setObjectName("rounding")
        for r in Rounding:
            self.rounding_combo.addItem(self.tr("百分数%s") % r.label)
        self.rounding_combo.activated.connect(self._rounding_chosen)
        self.as_of = QComboBox()
        self.as_of.setObjectName("as_of")
        self.as_of.activated.connect(self._as_of_chosen)
        self.save_button = QPushButton(self.tr("保存图表…"))
        self.save_button.setObjectName("save_charts")
        self.save_button.clicked.connect(self._save_charts)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(QLabel(self.tr("数字截至")))
        head.addWidget(self.as_of)
        head.addWidget(self.rounding_combo)
        head.addWidget(self.save_button)
        self.print_button = QPushButton(self.tr("打印…"))
        self.print_button.setObjectName("print_overview")
        self.print_button.clicked.connect(self.print_preview)
        self.pdf_button = QPushButton(self.tr("保存为PDF…"))
        self.pdf_button.setObjectName("pdf_overview")
        self.pdf_button.clicked.connect(lambda: self._printed(False))
        head.addWidget(self.print_button)
        head.addWidget(self.pdf_button)
        self.figures_box = QGroupBox(self.tr("覆盖情况（纳入统计基数的组织）"))
        self.figures_grid = QGridLayout(self.figures_box)
        self.classes_box = QGroupBox(self.tr("分类（纳入统计基数的组织，当前台账）"))
        self.classes_grid = QGridLayout(self.classes_box)
        self.clusters_label = QLabel()
        self.clusters_label.setObjectName("cluster_counts")
        self.classes_grid.addWidget(self.clusters_label, 20, 0, 1, 4)
        self.assessment_label = QLabel()
        self.assessment_label.setObjectName("assessment_headline")
        self.assessment_label.setWordWrap(True)
        self.assessment_box = QGroupBox(self.tr("考核（最近发布的结果）"))
        QVBoxLayout(self.assessment_box).addWidget(self.assessment_label)
        self.visits_label = QLabel()
        self.visits_label.setObjectName("visit_counts")
        self.visits_box = QGroupBox(self.tr("走访整改"))
        QVBoxLayout(self.visits_box).addWidget(self.visits_label)
        self.gaps_box = QGroupBox(self.tr("预警"))
        # rules in rows of five: one row of ten no longer fits a laptop's width
        self.gaps_row = QGridLayout(self.gaps_box)
        self.charts_box = QGroupBox(self.tr("图表"))
        self.charts_grid = QGridLayout(self.charts_box)
        self.charts_note = QLabel(self.tr("正在准备图表…"))
        self.charts_grid.addWidget(self.charts_note, 0, 0, 1, 3)
        body = QWidget()
        column = QVBoxLayout(body)
        column.addLayout(head)
        column.addWidget(self._scope_label())
        column.addWidget(self.figures_box)
        column.addWidget(self.classes_box)
        column.addWidget(self.assessment_box)
        column.addWidget(self.visits_box)
        column.addWidget(self.gaps_box)
        column.addWidget(self.charts_box)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def _scope_label(self) -> QLabel:
        """On a laptop: what the figures and warnings count (the package, not the park)."""
        self.scope_label = QLabel()
        self.scope_label.setObjectName("field_scope")
        self.scope_label.setWordWrap(True)
        self.scope_label.setStyleSheet("color:#b3261e")
        self.scope_label.hide()
        return self.scope_label

    # -- data --------------------------------------------------------------------
    def reload(self, _select: int | None = None) -> None:
        self.stale = False
        db = self.db
        # in a worker: the figures first, then the rest (the worklist reads the registry)
        tasks.run_task(self, self.tr("正在统计…"), lambda _p: read_numbers(db), self.show_numbers)

    def show_numbers(self, data: Numbers) -> None:
        """The figures and the classes (at start-up read as the database opens); the
        gaps, the clusters, the assessment and the field work follow from a worker,
        and the charts, whose import starts now, once those are in."""
        self.stale = False
        self._rest_in = False
        self.title.setText(self.tr("%s　截至%s") % (data.park, f"{date.today():%Y-%m-%d}"))
        self.rounding = data.rounding
        self.rounding_combo.setCurrentIndex(list(Rounding).index(self.rounding))
        self.current = data.current
        self.history = data.history
        self.as_of.clear()
        self.as_of.addItem(self.tr("当前台账"))
        for quarter, _figures in reversed(self.history):
            self.as_of.addItem(self.tr("%s报送时") % Quarter.parse(quarter).label)
        self.figures = self.current
        self.classes = data.classes
        self._fill_figures()
        self._fill_classes()
        # the rest once the figures are painted: a worker's reads and imports hold the
        # GIL, and the figures are what the page is opened for
        if self.isVisible():
            _AfterPaint(self.figures_box, self._read_rest)
        else:
            self._read_rest()

    def _read_rest(self) -> None:
        db = self.db
        tasks.run_task(self, self.tr("正在统计…"), lambda _p: _read_rest(db), self._rest_loaded)
        if not self.canvases:
            self._load_charts()  # alongside: the rest's reads are mostly in SQLite

    def _rest_loaded(self, data: _Rest) -> None:
        self.gaps = data.gaps
        self.scope_label.setText("\n".join(data.scope))
        self.scope_label.setVisible(bool(data.scope))
        c = data.clusters
        self.clusters_label.setText(
            self.tr("编组共建：%d 个编组，编入编组的单位 %d 个，未编组的 %d 个")
            % (c.clusters, c.units_in, c.units_out)
        )
        self.assessment_label.setText(self._assessment_text(data.assessment))
        v = data.visits
        self.visits_label.setText(
            self.tr("本季度走访%d次；未完成整改的问题%d个，其中逾期%d个；未核验的共性问题%d个")
            % (v.this_quarter, v.open, v.overdue, v.common)
        )
        self._fill_gaps()
        self.loaded_once = True
        self._rest_in = True
        if self.canvases:
            self._draw()
        elif self._chart_fonts is not None:  # matplotlib came first
            self._charts_ready(self._chart_fonts)

    def _assessment_text(self, h: Any) -> str:
        """The latest published half-year and year, in one or two lines."""
        from app.domain.assessment import decimal_text
        from app.domain.vocabulary import UNCLASSIFIED

        lines = []
        if h.period is not None:
            per_class = "、".join(
                self.tr("%s类%d个") % (c, n) if c else self.tr("%s%d个") % (UNCLASSIFIED, n)
                for c, n in h.excellent.items()
            )
            lines.append(
                self.tr("%s半年考核（已发布）：评分%d个；优秀：%s；以奖代补合计%s元")
                % (h.period, h.scored, per_class or self.tr("无"), decimal_text(h.subsidy))
            )
        if h.year is not None:
            stars = "、".join(
                self.tr("%d星级%d个") % (k, v) for k, v in sorted(h.stars.items(), reverse=True)
            )
            lines.append(self.tr("%d年星级党组织：%s") % (h.year, stars or self.tr("无")))
        if h.note and lines:  # a laptop: the park's results as the office sent them
            lines.append(self.tr("以上为%s的全园结果") % h.note)
        return "\n".join(lines) or self.tr("还没有发布的考核结果（在“考核”页录入评分并发布）")

    def _pct(self, value: Any) -> str:
        return percent_text(value, self.rounding)

    def _kind_figures(self, kind: OrgKind | None) -> Any:
        return self.figures.total if kind is None else self.figures.by_kind[kind]

    def _fill_figures(self) -> None:
        grid = self.figures_grid
        if self.figure_buttons:  # built once; later reloads only change the numbers
            for (measure, kind), button in self.figure_buttons.items():
                button.setText(self._figure_texts[measure](self._kind_figures(kind)))
            self.members_label.setText(self._members_text())
            self.rounding_label.setText(rounding_note(self.rounding))
            return
        for c, (label, _kind) in enumerate(KINDS, start=1):
            head = QLabel(f"<b>{label}</b>")
            head.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(head, 0, c)
        rows = (
            ("纳入统计的组织", "base", lambda f: f"{f.in_base}"),
            (
                "党组织覆盖",
                "covered",
                lambda f: f"{f.covered} / {f.in_base}（{self._pct(f.org_coverage_rate)}%）",
            ),
            ("其中未覆盖", "uncovered", lambda f: f"{f.in_base - f.covered}"),
            ("单独组建", "own", lambda f: f"{f.own}（{self._pct(f.own_rate)}%）"),
            (
                "党的工作覆盖",
                "work_covered",
                lambda f: f"{f.work_covered} / {f.in_base}（{self._pct(f.work_coverage_rate)}%）",
            ),
            ("应建未建", "should_set_up", lambda f: f"{f.three_plus_without_own}"),
        )
        # 党员活动室 (柳州): over the non-public enterprises with their own party
        # organization only, so one count in the enterprises' column
        rooms = (
            (
                "党员活动室（单独组建的非公企业）",
                "room",
                lambda _f: self._rooms_text(),
            ),
            (
                "其中未登记活动场所",
                "no_room",
                lambda _f: (
                    f"{self.figures.activity_rooms.base - self.figures.activity_rooms.with_room}"
                ),
            ),
        )
        self._figure_texts = {measure: text for _label, measure, text in (*rows, *rooms)}
        for r, (label, measure, text) in enumerate(rows, start=1):
            grid.addWidget(QLabel(label), r, 0)
            for c, (_label, kind) in enumerate(KINDS, start=1):
                button = self._list_button(measure, kind, text(self._kind_figures(kind)))
                grid.addWidget(button, r, c)
                self.figure_buttons[(measure, kind)] = button
        for r, (label, measure, text) in enumerate(rooms, start=len(rows) + 1):
            grid.addWidget(QLabel(self.tr(label)), r, 0)
            button = self._list_button(measure, OrgKind.ENTERPRISE, text(None))
            grid.addWidget(button, r, 1)
            self.figure_buttons[(measure, OrgKind.ENTERPRISE)] = button
        below = len(rows) + len(rooms)
        self.members_label = QLabel(self._members_text())
        self.members_label.setObjectName("members_and_party_orgs")
        self.members_label.setWordWrap(True)  # the party organizations by kind: one long line
        grid.addWidget(self.members_label, below + 1, 0, 1, 4)
        # which rule gave the rates above (the setting is the combo at the top)
        self.rounding_label = QLabel(rounding_note(self.rounding))
        self.rounding_label.setObjectName("rounding_note")
        self.rounding_label.setStyleSheet("color:#5e5c64")
        grid.addWidget(self.rounding_label, below + 2, 0, 1, 4)

    def _rooms_text(self) -> str:
        rooms = self.figures.activity_rooms
        return f"{rooms.with_room} / {rooms.base}（{self._pct(rooms.rate)}%）"

    def _list_button(self, measure: str, kind: OrgKind | None, text: str) -> QPushButton:
        """A count that opens the list of the organizations it counts."""
        button = QPushButton(text)
        button.setObjectName(f"figure_{measure}_{kind.value if kind else 'total'}")
        button.setFlat(True)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.setStyleSheet("QPushButton{color:#1a5fb4; text-align:center}")
        button.setToolTip(self.tr("点击查看名单"))
        button.clicked.connect(self._open_list)
        button.setProperty("measure", measure)
        button.setProperty("kind", kind.value if kind else "")
        return button

    def _fill_classes(self) -> None:
        """A–E and 未分类 by kind; each count opens its list."""
        for (key, kind), button in self.class_buttons.items():
            button.setText(str(self.classes[key][kind.value if kind else "total"]))
        if self.class_buttons:
            return
        for c, (label, _kind) in enumerate(KINDS, start=1):
            head = QLabel(f"<b>{label}</b>")
            head.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.classes_grid.addWidget(head, 0, c)
        for r, key in enumerate(self.classes, start=1):
            label = OrgClass(key).label if key in OrgClass.__members__ else key
            self.classes_grid.addWidget(QLabel(label), r, 0)
            for c, (_label, kind) in enumerate(KINDS, start=1):
                count = self.classes[key][kind.value if kind else "total"]
                button = self._list_button(f"class_{key}", kind, str(count))
                self.classes_grid.addWidget(button, r, c)
                self.class_buttons[(key, kind)] = button

    def _members_text(self) -> str:
        m = self.figures.total
        members = self.tr(
            "正式党员 %d 名，预备党员 %d 名，入党积极分子 %d 名，出资人是党员的 %d 个"
        ) % (
            m.formal_members,
            m.probationary_members,
            m.activists,
            m.investor_members,
        )
        counts = self.figures.party_orgs
        by_level = "、".join(
            f"{level.label} {sum(n for (lv, _f), n in counts.items() if lv is level)}"
            for level in PartyOrgLevel
        )
        by_formation = "、".join(
            f"{formation.label} {sum(n for (_lv, f), n in counts.items() if f is formation)}"
            for formation in (Formation.OWN, Formation.JOINT, Formation.ATTACHED)
        )
        party = self.tr(
            "党组织 %d 个（%s；%s）；在岗指导员 %d 名（各自联系的单位见“指导员”页）"
        ) % (
            sum(counts.values()),
            by_level,
            by_formation,
            self.figures.instructors_active,
        )
        return f"{members}<br>{party}<br>{self._party_orgs_by_kind_text()}"

    def _party_orgs_by_kind_text(self) -> str:
        """Party organizations (not units) by the kind of the units they cover; a joint
        branch of both kinds is counted once, on its own."""
        from app.services.overview.figures import party_orgs_by_kind_parts

        return self.tr("党组织按类型 %d 个：%s") % party_orgs_by_kind_parts(self.figures)

    def _fill_gaps(self) -> None:
        layouts.clear(self.gaps_row)
        counts: dict[Rule, int] = {}
        for g in self.gaps:
            counts[g.rule] = counts.get(g.rule, 0) + 1
        for n, (rule, label) in enumerate(RULE_LABELS.items()):
            button = QPushButton(f"{label} {counts.get(rule, 0)}")
            button.setObjectName(f"gap_{rule.value}")
            button.setFlat(True)
            button.setStyleSheet(
                "QPushButton{color:%s}" % ("#b3261e" if counts.get(rule) else "#777")
            )
            button.setProperty("rule", rule.value)
            button.clicked.connect(self._open_gaps)
            self.gaps_row.addWidget(button, n // GAPS_PER_ROW, n % GAPS_PER_ROW)

    @Slot()
    def _as_of_chosen(self) -> None:
        """A submitted quarter shows the figures it reported; their lists were not kept."""
        index = self.as_of.currentIndex()
        past = index > 0
        self.figures = self.history[len(self.history) - index][1] if past else self.current
        self._fill_figures()
        for button in self.figure_buttons.values():
            button.setEnabled(not past)
            button.setToolTip(
                self.tr("历史季度只保存了数字，没有名单") if past else self.tr("点击查看名单")
            )
        if self.canvases:
            self._draw()

    @Slot()
    def _rounding_chosen(self) -> None:
        from app.services.registry.park import set_rounding

        set_rounding(self.db, list(Rounding)[self.rounding_combo.currentIndex()])
        self.reload()
        self.changed.emit()

    @Slot()
    @Slot()
    def print_preview(self) -> None:
        """The figures and charts on paper (reports/overview.py): today's registry."""
        self._printed(True)

    def _printed(self, preview: bool) -> None:
        from app.services.reports.overview import overview_pdf
        from ui import printing

        db = self.db
        how = printing.preview if preview else printing.save_pdf
        how(self, self.tr("覆盖情况总览"), lambda path, _p: overview_pdf(db, path))

    def _save_charts(self) -> None:
        if not self.canvases:
            return
        folder = QFileDialog.getExistingDirectory(self, self.tr("把图表保存到"), str(Path.home()))
        if folder:
            paths = self.save_charts(Path(folder))
            messages.info(
                self, self.tr("已保存"), self.tr("已保存%d张图表到：\n%s") % (len(paths), folder)
            )

    @Slot()
    def _open_list(self) -> None:
        button = self.sender()
        kind_code = button.property("kind")
        kind = OrgKind(kind_code) if kind_code else None
        dialog = FigureListDialog(self.db, button.property("measure"), kind, self)
        dialog.exec()
        dialog.deleteLater()  # a child of the page otherwise, one more for every click

    @Slot()
    def _open_gaps(self) -> None:
        self.open_gaps.emit(self.sender().property("rule"))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.loaded_once and not self.canvases:
            QTimer.singleShot(CHARTS_AFTER_MS, self._load_charts)

    # -- charts --------------------------------------------------------------------
    def _load_charts(self) -> None:
        # the timer may fire after the window closed (a worker started then would
        # outlive the event loop): no new work then; showing the page asks again
        if not self.window().isVisible():
            return
        if not self.canvases and not self._charts_loading:
            self._charts_loading = True
            # quiet: the figures are on screen; the charts follow, without a 请稍候 box
            tasks.run_task(
                self, self.tr("正在准备图表…"), _load_charts, self._charts_ready, quiet=True
            )

    def _charts_ready(self, fonts: list[str]) -> None:
        """The canvases, drawn once matplotlib is in and the page's reads are too."""
        self._chart_fonts = fonts
        if not self._rest_in or self.canvases:
            return
        from ui.charts import new_canvas

        self.charts_note.setText(
            "" if fonts else self.tr("没有找到中文字体，图表中的文字可能显示为方框")
        )
        self.charts_note.setVisible(not fonts)
        # coverage, party organizations, members; classes, and the trend two columns wide
        for row, column, span in ((1, 0, 1), (1, 1, 1), (1, 2, 1), (2, 0, 1), (2, 1, 2)):
            canvas = new_canvas(4.2 * span)
            canvas.setMinimumSize(360 * span, 240)
            self.charts_grid.addWidget(canvas, row, column, 1, span)
            self.canvases.append(canvas)
        self._draw()

    def _draw(self) -> None:
        from app.services.overview.figures import (
            coverage_series,
            member_series,
            party_org_series,
            trend_series,
        )
        from ui.charts import (
            draw_classes,
            draw_coverage,
            draw_members,
            draw_party_orgs,
            draw_trend,
        )

        draw_coverage(self.canvases[0], coverage_series(self.figures))
        draw_party_orgs(self.canvases[1], party_org_series(self.figures))
        draw_members(self.canvases[2], member_series(self.figures))
        draw_classes(self.canvases[3], {key: n["total"] for key, n in self.classes.items()})
        quarters, series = trend_series(self.history, self.current, self.rounding)
        draw_trend(self.canvases[4], quarters, series)

    def save_layout(self) -> None:
        """Nothing to remember on this page."""

    def save_charts(self, folder: Path) -> list[Path]:
        """PNG files of the charts (also what the window's 保存图表 does)."""
        out = []
        for n, canvas in enumerate(self.canvases, start=1):
            path = folder / f"图表{n}.png"
            canvas.figure.savefig(path, dpi=150)
            out.append(path)
        return out


class _AfterPaint(QObject):
    """Calls ``then`` once, after ``widget`` is next painted (or after a second, for a
    window the system does not paint, covered or minimised)."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._then: Callable[[], None] | None = then
        widget.installEventFilter(self)
        QTimer.singleShot(PAINT_WAIT_MS, self._go)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self._go)  # once this paint is done
        return False

    def _go(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            self.parent().removeEventFilter(self)
            self.deleteLater()
            then()


@dataclass(frozen=True, slots=True)
class Numbers:
    """What the overview paints first: its figures and classes."""

    park: str
    rounding: Rounding
    current: Any  # RegistryFigures
    history: list[tuple[str, Any]]  # (quarter, RegistryFigures) as submitted, oldest first
    classes: dict[str, dict[str, int]]


@dataclass(frozen=True, slots=True)
class _Rest:
    gaps: list[Any]  # Gap
    clusters: Any  # overview_counts.ClusterCounts
    assessment: Any  # headline.Headline
    visits: Any  # overview_counts.VisitCounts
    scope: list[str]  # on a laptop: what the figures and the warnings count


def read_numbers(db: Database) -> Numbers:
    """The figures and the classes, in a worker (at start-up, the one opening the
    database): a few GROUP BYs, no SQLAlchemy."""
    from app.services.overview.figures import class_counts, registry_figures, submitted_figures
    from app.services.registry.park import get_park, get_rounding

    return Numbers(
        park=get_park(db).park_name,
        rounding=get_rounding(db),
        current=registry_figures(db),
        history=submitted_figures(db),
        classes=class_counts(db),
    )


def _read_rest(db: Database) -> _Rest:
    """The rest of the page, read in a worker after the figures (sqlite3 alone too)."""
    from app.services.assessment.headline import headline
    from app.services.field import field_office
    from app.services.overview import overview_counts
    from app.services.overview.gaps import find_gaps

    return _Rest(
        gaps=find_gaps(db),
        clusters=overview_counts.cluster_counts(db),
        assessment=headline(db),
        visits=overview_counts.visit_counts(db),
        scope=[n for n in (field_office.figures_note(db), field_office.warnings_note(db)) if n],
    )


def _load_charts(_progress: Any) -> list[str]:
    from ui.charts import load_matplotlib

    return load_matplotlib()
