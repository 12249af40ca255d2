"""分类管理: every unit with its class, what the facts propose and why; the clerk
accepts a proposal, all of those shown, or sets a class by hand with a reason.
Nothing changes a class by itself."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QLabel, QSpinBox

from app.domain.classes import review_years
from app.domain.vocabulary import Formation, OrgClass, OrgKind
from ui import messages
from ui.pages.history_html import class_history_html
from ui.pages.table_page import TablePage, each_of, esc, unit_columns
from ui.table_model import Column
from ui.tasks import run_task


def _class_text(c: OrgClass | None) -> str:
    return c.label if c is not None else ""


class ClassesPage(TablePage):
    page_name = "classes"

    def columns(self) -> list[Column]:
        t = self.tr
        return [
            *unit_columns(t("组织名称"), t("统一社会信用代码")),
            Column("kind", t("类型"), lambda r: r.kind.label, width=80),
            Column("formation", t("组建方式"), lambda r: r.formation.label, width=80),
            Column(
                "current",
                t("现分类"),
                lambda r: _class_text(r.current) or t("未分类"),
                lambda r: r.current.value if r.current else "Z",
                width=90,
            ),
            Column(
                "proposed",
                t("建议分类"),
                lambda r: _class_text(r.proposal.to) if r.proposal else "",
                lambda r: r.proposal.to.value if r.proposal else "Z",
                width=90,
                warning=True,
            ),
            Column(
                "reason",
                t("建议理由"),
                lambda r: r.proposal.reason if r.proposal else "",
                width=420,
            ),
        ]

    def search_hint(self) -> str:
        return self.tr("搜索组织名称、信用代码")

    def build_filters(self) -> None:
        t = self.tr
        self.add_filter(
            "proposal",
            [
                (t("有调整建议的"), lambda r: r.proposal is not None),
                (t("全部单位"), None),
            ],
        )
        self.add_filter(
            "class",
            [
                *each_of(t("全部分类"), OrgClass, lambda r: r.current),
                (t("未分类"), lambda r: r.current is None),
            ],
        )
        self.add_filter("kind", each_of(t("全部类型"), OrgKind, lambda r: r.kind))
        self.add_filter("formation", each_of(t("全部组建方式"), Formation, lambda r: r.formation))

    def build_actions(self) -> None:
        t = self.tr
        self.year = QSpinBox()
        self.year.setObjectName("review_year")
        years = review_years(date.today())  # the years the service accepts
        self.year.setRange(years.start, years.stop - 1)
        self.year.setValue(date.today().year)
        self.year.setSuffix(t(" 年度"))
        # read by load_rows in a worker: kept here, not asked of the widget there
        self.review_year = self.year.value()
        self.year.valueChanged.connect(self._year_changed)
        self.action_bar.addWidget(QLabel(t("复核年度")))
        self.action_bar.addWidget(self.year)
        self.add_action("accept", t("采纳此建议"), self.accept_current)
        self.add_action("accept_all", t("采纳显示的全部建议…"), self.accept_shown, needs_row=False)
        self.add_action("adjust", t("调整为…"), self.edit_current)

    def load_rows(self) -> list[Any]:
        from app.services.grouping import classes

        # the year's two half-year assessments propose moves too (proposals only)
        return classes.review_rows(self.db, self.review_year)

    def _year_changed(self, year: int) -> None:
        self.review_year = year
        self.reload()

    def editor(self, row_id: int | None) -> Any:
        from ui.dialogs.class_dialog import ClassDialog

        row = self.current_row()
        assert row is not None and row_id == row.id
        return ClassDialog(self.db, row, self, review_year=self.year.value())

    # -- accepting ------------------------------------------------------------
    def _review(self, rows: list[Any], year: int, progress: Any = None) -> int:
        """Record the rows' proposals as ``year``'s review (reads no widget: runs in a worker)."""
        from app.services.grouping import classes

        decisions = [
            classes.ClassDecision(r.id, r.proposal.to, r.proposal.reason)
            for r in rows
            if r.proposal is not None
        ]
        return classes.apply_review(self.db, year, decisions, progress=progress)

    @Slot()
    def accept_current(self) -> None:
        row = self.current_row()
        if row is None or row.proposal is None:
            messages.info(
                self, self.tr("采纳建议"), self.tr("这个单位的分类与组建情况相符，没有建议")
            )
            return
        self._review([row], self.year.value())
        self.after_write(row.id)

    @Slot()
    def accept_shown(self) -> None:
        rows = [r for r in self.model.visible_rows() if r.proposal is not None]
        if not rows:
            messages.info(self, self.tr("采纳建议"), self.tr("显示的单位中没有调整建议"))
            return
        question = self.tr(
            "按建议调整显示的%d个单位的分类，记为%d年度复核？\n可用“编辑 → 撤销”整批恢复。"
        ) % (len(rows), self.year.value())
        if messages.ask(self, self.tr("采纳建议"), question, yes=self.tr("全部采纳")):
            # thousands of units in a large park: in a worker, with progress
            year = self.year.value()
            title = self.tr("正在记录分类调整…")
            run_task(self, title, lambda p: self._review(rows, year, p), self._accepted)

    def _accepted(self, _changed: int) -> None:
        self.after_write()

    # -- detail ---------------------------------------------------------------
    def show_detail(self, row: Any | None) -> None:
        super().show_detail(row)
        only_proposals = self._filters[0][0].currentIndex() == 0  # 有调整建议的
        if row is None and self.loaded_once and not self.model.visible_count() and only_proposals:
            note = self.tr("没有调整建议：各单位的分类都与组建情况相符。")
            self.detail.setHtml(f"<p style='color:#1b5e20'>{esc(note)}</p>")

    def detail_html(self, row: Any) -> str:
        from app.services.grouping import classes

        t = self.tr
        parts = [f"<h3>{esc(row.name)}</h3>"]
        now = _class_text(row.current) or t("未分类")
        parts.append(f"<p>{esc(t('现分类'))}：<b>{esc(now)}</b></p>")
        if row.proposal is not None:
            parts.append(
                f"<p style='color:#b3261e'>{esc(t('建议'))}：{esc(row.proposal.to.label)}"
                f"<br>{esc(row.proposal.reason)}</p>"
            )
        history = classes.class_history(self.db, row.id)
        parts.append(class_history_html(history, t("分类变更记录"), t("无")))
        return "".join(parts)
