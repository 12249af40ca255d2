"""考核: the periods and their schemes, the entry grid (per class, typed like a
spreadsheet), the ranking within each class with 优秀 and 以奖代补, the year's stars,
and the charts a committee discusses; the score workbook out and in."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.assessment import decimal_text
from app.domain.vocabulary import UNCLASSIFIED, OrgClass, class_label, demo_site_text
from app.services.files.database_files import Database
from ui import messages, tasks
from ui.score_grid_model import ScoreGridModel
from ui.table_model import Column, RowTableModel
from ui.table_view import table_view
from ui.widgets.score_table import ScoreTable

ALL = "*"


@dataclass(slots=True)
class _Data:
    periods: list[str]
    code: str | None
    grid: Any = None  # assessment_results.Grid
    ranking: Any = None  # assessment_results.PeriodRanking
    # year → the party organizations' stars (party_org_stars.YearStars) per annual period
    stars: dict[int, Any] = field(default_factory=dict)
    averages: Any = None


def _read(db: Database, wanted: str | None) -> _Data:
    from app.services.assessment import assessment_results, assessments, party_org_stars

    periods = assessments.period_codes(db)
    code = wanted if wanted in periods else (periods[0] if periods else None)
    data = _Data(periods, code)
    if code is None:
        return data
    data.grid = assessment_results.grid(db, code)
    data.ranking = assessment_results.rank_period(db, code)
    data.averages = assessment_results.dimension_averages(data.grid)
    data.stars = party_org_stars.every_year_stars(db)
    return data


class AssessmentsPage(QWidget):
    page_name = "assessments"
    changed = Signal()
    status_message = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.stale = True
        self.loaded_once = False
        self.data: _Data | None = None
        self._rows_by_id: dict[int, Any] = {}
        self.charts: list[Any] = []
        self._results_stale = False  # scores typed since the ranking was read
        layout = QVBoxLayout(self)
        layout.addLayout(self._top_bar())
        self.state = QLabel()
        self.state.setObjectName("period_state")
        self.state.setWordWrap(True)
        layout.addWidget(self.state)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._entry_tab(), self.tr("评分录入"))
        self.tabs.addTab(self._ranking_tab(), self.tr("分类排名"))
        self.tabs.addTab(self._stars_tab(), self.tr("星级评定"))
        self.tabs.addTab(self._charts_tab(), self.tr("图表"))
        self.tabs.currentChanged.connect(self._tab_changed)
        layout.addWidget(self.tabs, 1)

    # -- layout ------------------------------------------------------------------
    def _button(self, name: str, text: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def _top_bar(self) -> QHBoxLayout:
        t = self.tr
        bar = QHBoxLayout()
        bar.addWidget(QLabel(t("考核期")))
        self.period = QComboBox()
        self.period.setObjectName("period")
        self.period.setMinimumWidth(110)
        self.period.activated.connect(lambda _i: self.reload())
        bar.addWidget(self.period)
        bar.addWidget(self._button("new_period", t("新建考核期…"), self.new_period))
        self.publish = self._button("publish", t("发布"), self.toggle_published)
        bar.addWidget(self.publish)
        bar.addStretch(1)
        self.buttons = [
            self.publish,
            self._button("export_template", t("导出评分表…"), self.export_template),
            self._button("import_scores", t("导入评分表…"), self.import_scores),
            self._button("export_ranking", t("导出排名…"), self.export_ranking),
            self._button("export_awards", t("以奖代补名单…"), self.export_awards),
        ]
        for button in self.buttons[1:]:
            bar.addWidget(button)
        bar.addWidget(self._button("settings", t("考核设置…"), self.edit_settings))
        bar.addWidget(self._button("schemes", t("考核方案…"), self.edit_schemes))
        return bar

    def _entry_tab(self) -> QWidget:
        t = self.tr
        tab = QWidget()
        layout = QVBoxLayout(tab)
        row = QHBoxLayout()
        row.addWidget(QLabel(t("分类")))
        self.entry_class = QComboBox()
        self.entry_class.setObjectName("entry_class")
        self.entry_class.currentIndexChanged.connect(self._show_class)
        row.addWidget(self.entry_class)
        self.find = QLineEdit()
        self.find.setObjectName("find_unit")
        self.find.setPlaceholderText(t("查找单位（名称或信用代码），回车定位"))
        self.find.setClearButtonEnabled(True)
        self.find.returnPressed.connect(self._find_unit)
        row.addWidget(self.find, 1)
        self.entry_note = QLabel()
        self.entry_note.setObjectName("entry_note")
        row.addWidget(self.entry_note, 2)
        layout.addLayout(row)
        self.grid_model = ScoreGridModel(self._save_scores, self)
        self.score_table = ScoreTable(self.grid_model)
        self.score_table.pasted.connect(self._pasted)
        layout.addWidget(self.score_table, 1)
        hint = QLabel(
            t(
                "直接输入分数：Enter 保存并下移，Tab 右移，方向键移动；可从 Excel/WPS 复制一块"
                "粘贴（Ctrl+V）；Delete 清空。红色单元格有误、未保存，鼠标停留可看原因。"
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#555")
        layout.addWidget(hint)
        return tab

    def _ranking_tab(self) -> QWidget:
        t = self.tr
        tab = QWidget()
        layout = QVBoxLayout(tab)
        row = QHBoxLayout()
        row.addWidget(QLabel(t("分类")))
        self.rank_class = QComboBox()
        self.rank_class.setObjectName("rank_class")
        self.rank_class.currentIndexChanged.connect(self._show_ranking)
        row.addWidget(self.rank_class)
        row.addStretch(1)
        for name, text, preview in (
            ("print_ranking", t("打印…"), True),
            ("pdf_ranking", t("保存为PDF…"), False),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(lambda _c=False, p=preview: self.print_ranking(p))
            row.addWidget(button)
        layout.addLayout(row)
        self.rank_summary = QLabel()
        self.rank_summary.setObjectName("rank_summary")
        self.rank_summary.setWordWrap(True)
        self.rank_summary.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.rank_summary)
        self._remarks: dict[int, str] = {}  # unit → 说明 of the ranking shown
        self.rank_model = RowTableModel(self._rank_columns(), self)
        self.rank_view = table_view(self.rank_model, "ranking")
        layout.addWidget(self.rank_view, 1)
        return tab

    def print_ranking(self, preview: bool = True) -> None:
        """The ranking as shown (the class chosen, or all) on paper, for the notice board."""
        from ui import printing
        from ui.pages.list_output import table_report

        rows = [self.rank_model.row_at(i) for i in range(self.rank_model.rowCount())]
        title = self.tr("%s考核排名（%s）") % (
            self.period.currentText(),
            self.rank_class.currentText(),
        )
        how = printing.preview if preview else printing.save_pdf
        how(self, title, table_report(self.db, title, self.rank_model.columns, rows))

    def print_preview(self) -> None:
        """Ctrl+P on this page prints the ranking."""
        self.print_ranking(True)

    def _rank_columns(self) -> list[Column]:
        from app.services.assessment.assessment_exports import grade

        t = self.tr
        return [
            Column("class", t("分类"), lambda r: class_label(r.class_code), width=90),
            Column("rank", t("名次"), lambda r: "" if r.rank is None else str(r.rank), width=50),
            Column("name", t("组织名称"), lambda r: r.name, width=260),
            Column("uscc", t("统一社会信用代码"), lambda r: r.uscc or "", width=160),
            Column("total", t("总分"), lambda r: decimal_text(r.total), numeric=True, width=60),
            Column("grade", t("等次"), grade, width=90),
            Column(
                "subsidy",
                t("以奖代补（元）"),
                lambda r: decimal_text(r.subsidy) if r.subsidy else "",
                numeric=True,
                width=100,
            ),
            Column("veto", t("否决项"), lambda r: r.veto, warning=True, width=140),
            Column("remark", t("说明"), self._rank_remark, width=220),
        ]

    def _rank_remark(self, r: Any) -> str:
        """The row's 说明 as the ranking sheet writes it (the domain's, made on showing)."""
        return self._remarks.get(r.unit_id, "")

    def _stars_tab(self) -> QWidget:
        t = self.tr
        tab = QWidget()
        layout = QVBoxLayout(tab)
        row = QHBoxLayout()
        row.addWidget(QLabel(t("年度")))
        self.star_year = QComboBox()
        self.star_year.setObjectName("star_year")
        self.star_year.currentIndexChanged.connect(self._show_stars)
        row.addWidget(self.star_year)
        row.addStretch(1)
        layout.addLayout(row)
        self.star_summary = QLabel()
        self.star_summary.setObjectName("star_summary")
        self.star_summary.setWordWrap(True)
        layout.addWidget(self.star_summary)
        self.star_model = RowTableModel(_star_columns(t), self)
        layout.addWidget(table_view(self.star_model, "stars"), 1)
        return tab

    def _charts_tab(self) -> QWidget:
        tab = QWidget()
        self.charts_layout = QHBoxLayout(tab)
        self.charts_note = QLabel(self.tr("图表在打开本页时生成"))
        self.charts_layout.addWidget(self.charts_note)
        return tab

    # -- loading -------------------------------------------------------------------
    def reload(self, _select: int | None = None) -> None:
        self.stale = False
        wanted = self.period.currentText() or None
        db = self.db
        tasks.run_task(
            self, self.tr("正在读取考核数据…"), lambda _p: _read(db, wanted), self._loaded
        )

    def _loaded(self, data: _Data) -> None:
        self.data = data
        self.loaded_once = True
        self.period.clear()
        self.period.addItems(data.periods)
        if data.code:
            self.period.setCurrentText(data.code)
        has = data.code is not None
        for button in self.buttons:
            button.setEnabled(has)
        self.tabs.setEnabled(has)
        if not has:
            self.state.setText(self.tr("还没有考核期：点“新建考核期…”开始（如 2026H1）"))
            self.grid_model.set_rows(_empty_scheme(), [], True)
            return
        # the rows just read replace what the grid held (its typing is saved already)
        self.grid_model.set_rows(data.grid.scheme, [], data.grid.published)
        self._rows_by_id = {r.unit_id: r for r in data.grid.rows}
        self._fill_state()
        self._fill_classes()
        self._show_ranking()
        self._fill_stars()
        if self.tabs.currentIndex() == 3:
            self._charts()

    def _fill_state(self) -> None:
        assert self.data is not None
        g, r = self.data.grid, self.data.ranking
        state = self.tr("已发布（锁定）") if g.published else self.tr("录入中")
        self.state.setText(
            self.tr("方案：%s（第%d版，满分%s）　状态：%s　已评分%d个　以奖代补合计%s元")
            % (
                g.scheme.name,
                g.scheme.version,
                decimal_text(g.scheme.maximum),
                state,
                r.scored,
                decimal_text(r.subsidy),
            )
        )
        if r.office is not None:  # a laptop: the office's ranking of the whole park
            self.state.setText(
                self.tr(
                    "方案：%s（第%d版）　%s：全园已评分%d个，以奖代补合计%s元；本机列出%d个单位"
                )
                % (
                    g.scheme.name,
                    g.scheme.version,
                    r.note,
                    r.office.scored,
                    decimal_text(r.office.subsidy),
                    sum(len(c.rows) for c in r.ordered),
                )
            )
        elif r.note:
            self.state.setText(self.state.text() + self.tr("　（%s）") % r.note)
        self.publish.setText(self.tr("重新打开") if g.published else self.tr("发布"))
        for button in self.buttons[2:3]:
            button.setEnabled(not g.published)

    def _fill_classes(self) -> None:
        assert self.data is not None
        present = {r.class_code for r in self.data.grid.rows}
        choices = [(c.label, c.value) for c in OrgClass if c.value in present]
        if None in present:
            choices.append((UNCLASSIFIED, ""))
        for combo, everything in ((self.entry_class, False), (self.rank_class, True)):
            keep = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            if everything:
                combo.addItem(self.tr("全部分类"), ALL)
            for label, value in choices:
                combo.addItem(label, value)
            index = combo.findData(keep)
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)
        self._show_class()

    # -- the grid ------------------------------------------------------------------
    def _show_class(self) -> None:
        if self.data is None or self.data.grid is None:
            return
        for row in self.grid_model.rows:  # what was typed since the rows were read
            self._rows_by_id[row.unit_id] = row
        wanted = self.entry_class.currentData() or None
        rows = [r for r in self._rows_by_id.values() if r.class_code == wanted]
        order = self._order
        rows.sort(key=lambda r: order[r.unit_id])
        grid = self.data.grid
        self.grid_model.set_rows(
            grid.scheme, rows, grid.published, grid.fixed, grid.awards, grid.rule
        )
        self._entry_counts()

    @property
    def _order(self) -> dict[int, int]:
        assert self.data is not None
        return {r.unit_id: n for n, r in enumerate(self.data.grid.rows)}

    def _entry_counts(self) -> None:
        model = self.grid_model
        done = sum(1 for t in model.totals() if t is not None)
        excellent = sum(1 for r in range(len(model.rows)) if model.grade(r) == "优秀")
        text = self.tr("本类%d个单位：已完成评分%d个，优秀%d个") % (
            len(model.rows),
            done,
            excellent,
        )
        if model.refused:
            text += self.tr("；%d个单元格有误未保存") % model.refused
        if self.data is not None and self.data.grid.published:
            text += self.tr("（已发布，重新打开后才能修改）")
        self.entry_note.setText(text)

    def _save_scores(self, entries: Any) -> None:
        from app.services.assessment import assessments

        assert self.data is not None
        assessments.set_many(self.db, self.data.code, entries)
        self._results_stale = True
        self.changed.emit()
        self._entry_counts_later()

    def _entry_counts_later(self) -> None:
        QTimer.singleShot(0, self._entry_counts)

    @Slot(int)
    def _pasted(self, refused: int) -> None:
        self._entry_counts()
        if refused:
            self.status_message.emit(self.tr("粘贴完成，%d个单元格有误未保存（红色）") % refused)
        else:
            self.status_message.emit(self.tr("粘贴完成，已保存"))

    def _find_unit(self) -> None:
        text = self.find.text().strip().casefold()
        if not text:
            return
        for n, row in enumerate(self.grid_model.rows):
            if text in row.name.casefold() or text == (row.uscc or "").casefold():
                self.score_table.setCurrentIndex(self.grid_model.index(n, 1))
                self.score_table.setFocus()
                return
        found = next((r for r in self._rows_by_id.values() if text in r.name.casefold()), None)
        if found is None:
            self.status_message.emit(self.tr("没有找到“%s”") % self.find.text())
            return
        self.entry_class.setCurrentIndex(max(self.entry_class.findData(found.class_code or ""), 0))
        self._find_unit()

    # -- ranking, stars, charts ----------------------------------------------------
    def _show_ranking(self) -> None:
        if self.data is None or self.data.ranking is None:
            return
        wanted = self.rank_class.currentData()
        results = [
            c for c in self.data.ranking.ordered if wanted == ALL or (c.class_code or "") == wanted
        ]
        ranking = self.data.ranking
        self._remarks = {
            r.unit_id: remark
            for c in results
            for r, remark in zip(c.rows, ranking.remarks(c), strict=True)
        }
        self.rank_model.set_rows([r for c in results for r in c.rows])
        self.rank_summary.setText("<br>".join(self._class_line(c) for c in results))

    def _class_line(self, c: Any) -> str:
        assert self.data is not None and self.data.ranking is not None
        if not self.data.ranking.rule.ranks(c.class_code):  # listed apart
            return self.tr(
                "<b>%s</b>：<span style='color:#b3261e'>%d个单位须先分类，不参加排名</span>"
            ) % (class_label(c.class_code), len(c.rows))
        line = self.tr("<b>%s</b>：参加排名%d个，优秀%d个，一票否决%d个，未完成评分%d个") % (
            class_label(c.class_code),
            len(c.ranked),
            len(c.excellent),
            len(c.vetoed),
            len(c.unscored),
        )
        if c.subsidy:
            line += self.tr("，以奖代补%s元") % decimal_text(c.subsidy)
        if c.tie_crosses_the_line:
            line += self.tr(
                "。<span style='color:#b3261e'>第3名有并列，%d个单位均评为优秀</span>"
            ) % len(c.excellent)
        return line

    def _fill_stars(self) -> None:
        """The years with an annual period; the selected period's year first if it has one."""
        assert self.data is not None
        years = sorted(self.data.stars, reverse=True)
        self.star_year.blockSignals(True)
        self.star_year.clear()
        for year in years:
            self.star_year.addItem(self.tr("%d年") % year, year)
        mine = self.star_year.findData(int((self.data.code or "0")[:4]))
        self.star_year.setCurrentIndex(mine if mine >= 0 else 0)
        self.star_year.blockSignals(False)
        self._show_stars()

    def _show_stars(self) -> None:
        assert self.data is not None
        year = self.star_year.currentData()
        if year is None:
            self.star_summary.setText(
                self.tr(
                    "还没有年度考核期：新建年度考核期（如 2026，按年度星级方案评分）后才有星级。"
                )
            )
            self.star_model.set_rows([])
            return
        found = self.data.stars[year]
        self.star_summary.setText(self._star_summary(found))
        self.star_model.set_rows(found.party_orgs)

    def _star_summary(self, found: Any) -> str:
        """星级党组织 of the year, by kind, the 示范点 among them, and whose results."""

        def parts(counts: dict[int, int]) -> str:
            shown = sorted(counts.items(), reverse=True)
            return "、".join(self.tr("%d星级%d个") % (k, v) for k, v in shown)

        text = self.tr("%d年星级党组织（评定%d个党组织，每个党组织一年评一次）：%s") % (
            found.year,
            len(found.party_orgs),
            parts(found.counts) or self.tr("无"),
        )
        kinds = "；".join(
            self.tr("%s：%s") % (k.label, parts(v)) for k, v in found.counts_by_kind.items()
        )
        if kinds:
            text += self.tr("\n其中%s") % kinds
        demo = "、".join(self.tr("%s%d个") % (k.label, v) for k, v in found.demo_sites.items() if v)
        if demo:
            text += self.tr("\n示范点：%s") % demo
        return text + (self.tr("（%s）") % found.note if found.note else "")

    def _tab_changed(self, index: int) -> None:
        if self._results_stale and index in (1, 2, 3):
            self._results_stale = False
            self.reload()
            return
        if index == 3:
            self._charts()

    def _charts(self) -> None:
        if not self.charts:
            tasks.run_task(self, self.tr("正在准备图表…"), _load_charts, self._charts_ready)
            return
        self._draw()

    def _charts_ready(self, fonts: list[str]) -> None:
        from ui.charts import new_canvas

        self.charts_note.setVisible(not fonts)
        self.charts_note.setText(self.tr("没有找到中文字体，图表中的文字可能显示为方框"))
        for _n in range(2):
            canvas = new_canvas(5.0, 3.4)
            canvas.setMinimumSize(420, 280)
            self.charts_layout.addWidget(canvas, 1)
            self.charts.append(canvas)
        self._draw()

    def _draw(self) -> None:
        from ui.charts import draw_dimension_averages, draw_score_distribution

        if self.data is None or self.data.ranking is None:
            return
        totals = {
            class_label(c.class_code): [float(r.total) for r in (*c.ranked, *c.vetoed)]
            for c in self.data.ranking.ordered
        }
        draw_score_distribution(self.charts[0], totals)
        averages = {
            class_label(cls): {d: float(v) for d, v in values.items()}
            for cls, values in sorted(
                self.data.averages.items(), key=lambda kv: (kv[0] is None, kv[0] or "")
            )
        }
        draw_dimension_averages(self.charts[1], averages)

    # -- actions -------------------------------------------------------------------
    def new_period(self) -> None:
        from ui.dialogs.period_dialog import PeriodDialog

        dialog = PeriodDialog(self.db, self)
        if dialog.exec():
            self.period.addItem(dialog.code_)
            self.period.setCurrentText(dialog.code_)
            self.changed.emit()
            self.reload()

    def toggle_published(self) -> None:
        from app.services.assessment import assessments
        from app.services.assessment.published import unscored_of

        assert self.data is not None and self.data.code is not None
        publish = not self.data.grid.published
        if publish and not messages.ask(
            self,
            self.tr("发布考核结果"),
            self.tr("%s。\n\n发布后%s的评分将锁定，不能再修改（可重新打开）。现在发布吗？")
            % (unscored_of(self.db, self.data.code).text, self.data.code),
            yes=self.tr("发布"),
        ):
            return
        assessments.set_published(self.db, self.data.code, publish)
        self.changed.emit()
        self.reload()

    def _save_path(self, title: str, name: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(
            self, title, str(Path.home() / name), self.tr("Excel 工作簿 (*.xlsx)")
        )
        if not path:
            return None
        return Path(path) if path.lower().endswith(".xlsx") else Path(path + ".xlsx")

    def _export(self, title: str, name: str, write: Any) -> None:
        path = self._save_path(title, name)
        if path is None:
            return
        tasks.run_task(
            self,
            self.tr("正在保存 %s …") % path.name,
            lambda _p: write(path),
            lambda _r: self.status_message.emit(self.tr("已保存：%s") % path),
            lambda exc: messages.save_failed(self, exc, path),
        )

    def export_template(self) -> None:
        from app.services.assessment.assessment_exports import export_template

        code, db = self._code(), self.db
        self._export(
            self.tr("导出评分表"),
            f"{code}考核评分表.xlsx",
            lambda path: export_template(db, path, code),
        )

    def export_ranking(self) -> None:
        from app.services.assessment.assessment_exports import export_ranking
        from app.services.registry.park import get_park

        code, db = self._code(), self.db
        park = get_park(db).park_name
        self._export(
            self.tr("导出排名"),
            f"{code}考核结果.xlsx",
            lambda path: export_ranking(db, path, code, park),
        )

    def export_awards(self) -> None:
        from app.services.assessment.assessment_exports import export_awards
        from app.services.registry.park import get_park

        code, db = self._code(), self.db
        park = get_park(db).park_name
        self._export(
            self.tr("以奖代补名单"),
            f"{code}以奖代补名单.xlsx",
            lambda path: export_awards(db, path, code, park),
        )

    def _code(self) -> str:
        assert self.data is not None and self.data.code is not None
        return self.data.code

    def import_scores(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("导入评分表"),
            str(Path.home()),
            self.tr("工作簿 (*.xlsx *.xlsm *.xls *.ods)"),
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        from app.services.assessment.score_import import preview_scores

        code, db = self._code(), self.db
        tasks.run_task(
            self,
            self.tr("正在读取 %s …") % path.name,
            lambda _p: preview_scores(db, path, code),
            self._previewed,
            lambda exc: messages.error(self, self.tr("无法导入"), str(exc)),
        )

    def _previewed(self, preview: Any) -> None:
        from app.services.assessment.score_import import apply_scores
        from ui.dialogs.score_import_dialog import ScoreImportDialog

        if not ScoreImportDialog(preview, self).exec():
            return
        db = self.db
        tasks.run_task(
            self,
            self.tr("正在导入评分…"),
            lambda p: apply_scores(db, preview, p),
            self._imported,
            lambda exc: messages.error(self, self.tr("导入失败，没有写入任何数据"), str(exc)),
        )

    def _imported(self, result: Any) -> None:
        self.status_message.emit(
            self.tr("已导入：新增%d个，修改%d个（可在“数据交换”页的导入记录中撤销）")
            % (result.created, result.updated)
        )
        self.changed.emit()
        self.reload()

    def edit_settings(self) -> None:
        from ui.dialogs.assessment_settings_dialog import AssessmentSettingsDialog

        if AssessmentSettingsDialog(self.db, self).exec():
            self.changed.emit()
            self.reload()

    def edit_schemes(self) -> None:
        from ui.dialogs.scheme_dialog import SchemeDialog

        if SchemeDialog(self.db, self).exec():
            self.status_message.emit(self.tr("考核方案已保存；已开始的考核期仍按原版本评分"))

    def save_layout(self) -> None:
        """Nothing to remember on this page."""


def _empty_scheme() -> Any:
    from app.domain.assessment import SUIXI_SIX

    return SUIXI_SIX


def _load_charts(_progress: Any) -> list[str]:
    from ui.charts import load_matplotlib

    return load_matplotlib()


def _star_columns(t: Any) -> list[Column]:
    """A party organization per row: its stars, last year's and the change (创星升级)."""

    def stars(n: int | None) -> str:
        return "★" * n if n else ("" if n is None else t("未达星级"))

    return [
        Column("name", t("党组织名称"), lambda p: p.name, width=220),
        Column("formation", t("组建方式"), lambda p: p.formation.label, width=80),
        Column("kind", t("类型"), lambda p: p.kind.label, width=90),
        Column("units", t("覆盖的单位"), lambda p: "、".join(u.name for u in p.units), width=240),
        Column(
            "total",
            t("年度得分"),
            lambda p: decimal_text(p.total) if p.total is not None else t("未完成评分"),
            numeric=True,
            width=80,
        ),
        Column("stars", t("星级"), lambda p: stars(p.stars if p.change else None), width=90),
        Column("previous", t("上年星级"), lambda p: stars(p.previous), width=90),
        Column("change", t("变化"), lambda p: p.change.label if p.change else "", width=70),
        Column(
            "demo_site",
            t("示范点"),
            lambda p: demo_site_text(p.demo_site, p.demo_site_year),
            width=100,
        ),
        Column("veto", t("否决项"), lambda p: p.rating.veto, warning=True, width=120),
    ]
